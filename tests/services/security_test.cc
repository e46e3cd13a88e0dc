// Regression tests of the findings of issue 12, each against a real hub on
// a real port: forged output-only fields, unauthenticated and idle streams,
// hostile filters, hash spelling, upload locks and error sizes.
#include <grpcpp/create_channel.h>

#include <chrono>
#include <functional>
#include <map>
#include <limits>
#include <thread>

#include "absl/strings/escaping.h"
#include "batteryhub/v1/series_service.grpc.pb.h"
#include "batteryhub/v1/sync_service.grpc.pb.h"
#include "core/sha256.h"
#include "tests/services/hub_fixture.h"

namespace batteryhub::testing {
namespace {

namespace v1 = ::batteryhub::v1;
using grpc::StatusCode;

v1::CellTest NewCellTest() {
  v1::CellTest t;
  t.mutable_cell()->set_form_factor(v1::FORM_FACTOR_COIN);
  t.mutable_cell()->set_chemistry("NMC811/graphite");
  t.mutable_cell()->mutable_nominal_capacity()->set_value(0.1);
  t.mutable_cell()->mutable_nominal_capacity()->set_unit("Ah");
  t.mutable_protocol()->mutable_temperature()->set_value(25);
  t.mutable_protocol()->mutable_temperature()->set_unit("degC");
  return t;
}

// A material-lot sample `id` of `institution`, ready to create.
v1::CreateSampleRequest NewLot(const std::string& institution, const std::string& id,
                               v1::Visibility visibility = v1::VISIBILITY_UNSPECIFIED) {
  v1::CreateSampleRequest req;
  req.set_parent("institutions/" + institution);
  req.set_sample_id(id);
  req.mutable_sample()->set_kind(v1::SAMPLE_KIND_MATERIAL_LOT);
  req.mutable_sample()->mutable_material_lot()->set_material("x");
  req.mutable_sample()->mutable_material_lot()->set_material_class(v1::MATERIAL_CLASS_PRECURSOR);
  if (visibility != v1::VISIBILITY_UNSPECIFIED) {
    req.mutable_sample()->mutable_access()->set_visibility(visibility);
  }
  return req;
}

class SecurityTest : public HubFixture {
 protected:
  grpc::Status Create(client::HubClient& c, const std::string& institution, const std::string& id,
                      const v1::CellTest& t, v1::CellTest* out) {
    v1::CreateCellTestRequest req;
    req.set_parent("institutions/" + institution);
    req.set_cell_test_id(id);
    *req.mutable_cell_test() = t;
    return c.CreateCellTest(req, out);
  }

  // Uploads raw `bytes` and a 4-row series naming them into `test`.
  void UploadWithRawFile(client::HubClient& c, const std::string& test, const std::string& bytes,
                         const std::string& sha256_as_sent) {
    v1::SourceFile header;
    header.set_file_name("run.csv");
    header.set_sha256(sha256_as_sent);
    header.set_size_bytes(static_cast<int64_t>(bytes.size()));
    v1::SourceFile stored;
    ASSERT_TRUE(c.UploadRawFile(test, header, bytes, &stored).ok());
    v1::UploadHeader h;
    h.set_cell_test(test);
    h.set_upload_id("u1");
    h.set_row_count(4);
    *h.mutable_source() = header;
    h.mutable_source()->set_format("bdf");
    for (const char* name : {"test_time_second", "voltage_volt", "current_ampere"}) {
      h.add_columns()->set_name(name);
    }
    v1::UploadSeriesResponse out;
    grpc::Status st = c.UploadSeries(
        h, 4,
        [](int64_t first, int64_t n, v1::SeriesChunk* chunk) {
          chunk->set_first_row(first);
          for (int col = 0; col < 3; ++col) {
            auto* values = chunk->add_columns();
            values->set_name(col == 0 ? "test_time_second" : col == 1 ? "voltage_volt"
                                                                     : "current_ampere");
            for (int64_t r = first; r < first + n; ++r) {
              values->add_values(col == 0 ? r * 10.0 : col == 1 ? 3.7 : 0.1);
            }
          }
        },
        nullptr, &out);
    ASSERT_TRUE(st.ok()) << st.error_message();
    ASSERT_TRUE(out.complete());
  }
};

TEST_F(SecurityTest, ForgedSeriesNeitherReadsAnotherInstitutesRawFileNorBreaksVerify) {
  auto nedo = Client("nedo-submitter");
  auto nrc = Client("nrc-submitter");
  v1::CellTest t = NewCellTest();
  t.mutable_access()->set_visibility(v1::VISIBILITY_PRIVATE);
  v1::CellTest out;
  ASSERT_TRUE(Create(*nedo, "nedo", "secret", t, &out).ok());
  const std::string secret = "time,voltage\n0,3.7\n";
  const std::string sha = Sha256Hex(secret);
  UploadWithRawFile(*nedo, "institutions/nedo/cellTests/secret", secret, sha);

  // NRC names NEDO's file (and a digest) in a record of its own.
  v1::CellTest forged = NewCellTest();
  forged.mutable_series()->add_sources()->set_sha256(sha);
  forged.mutable_series()->set_digest(std::string(64, 'f'));
  forged.mutable_summary()->set_cycle_count(99);
  forged.mutable_provenance()->set_content_digest(std::string(64, 'e'));
  ASSERT_TRUE(Create(*nrc, "nrc", "forged", forged, &out).ok());
  EXPECT_FALSE(out.has_series());
  EXPECT_FALSE(out.has_summary());
  EXPECT_NE(out.provenance().content_digest(), std::string(64, 'e'));
  std::string bytes;
  EXPECT_EQ(nrc->ReadRawFile("institutions/nrc/cellTests/forged", sha, &bytes).error_code(),
            StatusCode::NOT_FOUND);
  EXPECT_TRUE(bytes.empty());

  // Nor through an update, with or without a mask naming it.
  v1::UpdateCellTestRequest update;
  *update.mutable_cell_test() = forged;
  update.mutable_cell_test()->set_name("institutions/nrc/cellTests/forged");
  ASSERT_TRUE(nrc->UpdateCellTest(update, &out).ok());
  EXPECT_FALSE(out.has_series());
  update.mutable_update_mask()->add_paths("series.sources");
  EXPECT_EQ(nrc->UpdateCellTest(update, &out).error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(nrc->ReadRawFile("institutions/nrc/cellTests/forged", sha, &bytes).error_code(),
            StatusCode::NOT_FOUND);

  v1::LedgerReport report;
  ASSERT_TRUE(Client("admin")->VerifyLedger(&report).ok());
  EXPECT_EQ(report.first_break(), "");
  EXPECT_GE(report.series_checked(), 1u);
}

TEST_F(SecurityTest, UpdatesKeepTheComputedSeriesAndSummary) {
  auto nrc = Client("nrc-submitter");
  v1::CellTest out;
  ASSERT_TRUE(Create(*nrc, "nrc", "ct", NewCellTest(), &out).ok());
  const std::string raw = "raw bytes of the run\n";
  UploadWithRawFile(*nrc, "institutions/nrc/cellTests/ct", raw, Sha256Hex(raw));
  v1::CellTest before;
  ASSERT_TRUE(nrc->GetCellTest("institutions/nrc/cellTests/ct", &before).ok());
  ASSERT_EQ(before.series().row_count(), 4);
  ASSERT_TRUE(before.has_summary());

  v1::UpdateCellTestRequest masked;
  masked.mutable_cell_test()->set_name(before.name());
  masked.mutable_cell_test()->set_display_name("renamed");
  masked.mutable_update_mask()->add_paths("display_name");
  ASSERT_TRUE(nrc->UpdateCellTest(masked, &out).ok());
  EXPECT_EQ(out.display_name(), "renamed");
  EXPECT_EQ(out.series().SerializeAsString(), before.series().SerializeAsString());
  EXPECT_EQ(out.summary().SerializeAsString(), before.summary().SerializeAsString());

  // A full replacement (empty mask) without series keeps it too, and the
  // rows stay readable.
  v1::UpdateCellTestRequest replace;
  *replace.mutable_cell_test() = NewCellTest();
  replace.mutable_cell_test()->set_name(before.name());
  ASSERT_TRUE(nrc->UpdateCellTest(replace, &out).ok());
  EXPECT_EQ(out.series().row_count(), 4);
  int rows = 0;
  v1::ReadSeriesRequest read;
  read.set_name(before.name());
  ASSERT_TRUE(nrc->ReadSeries(read, [&](const v1::SeriesChunk& c) {
                  rows += c.columns(0).values_size();
                  return true;
                }).ok());
  EXPECT_EQ(rows, 4);
  std::string bytes;
  ASSERT_TRUE(nrc->ReadRawFile(before.name(), Sha256Hex(raw), &bytes).ok());
  EXPECT_EQ(bytes, raw);
}

TEST_F(SecurityTest, UpperCaseHashesAreOneFile) {
  auto nrc = Client("nrc-submitter");
  v1::CellTest out;
  ASSERT_TRUE(Create(*nrc, "nrc", "ct", NewCellTest(), &out).ok());
  const std::string raw = "upper case hash\n";
  std::string upper = Sha256Hex(raw);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  UploadWithRawFile(*nrc, "institutions/nrc/cellTests/ct", raw, upper);
  for (const std::string& spelling : {upper, Sha256Hex(raw)}) {
    std::string bytes;
    ASSERT_TRUE(nrc->ReadRawFile("institutions/nrc/cellTests/ct", spelling, &bytes).ok());
    EXPECT_EQ(bytes, raw);
  }
}

TEST_F(SecurityTest, HostileFiltersAreRefusedAndTheHubGoesOn) {
  auto viewer = Client("aist-viewer");
  std::string chain;
  while (chain.size() < (1 << 20)) chain += "owner = \"x\" AND ";
  for (const std::string& filter :
       {std::string(9000, '(') + "owner = \"x\"" + std::string(9000, ')'),
        std::string(3000, '(') + "owner = \"x\"" + std::string(3000, ')'), chain + "owner = \"x\""}) {
    v1::ListSamplesRequest req;
    req.set_parent("institutions/-");
    req.set_filter(filter);
    v1::ListSamplesResponse resp;
    grpc::Status st = viewer->ListSamples(req, &resp);
    EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT);
    EXPECT_LT(st.error_message().size(), 1200u);  // bounded, never the filter echoed
  }
  v1::Identity me;
  EXPECT_TRUE(viewer->GetIdentity(&me).ok());
}

TEST_F(SecurityTest, StreamsAuthenticateBeforeTheirFirstMessage) {
  auto channel = grpc::CreateChannel(hub_->address(), grpc::InsecureChannelCredentials());
  auto sync = v1::SyncService::NewStub(channel);
  auto open = [&](grpc::ClientContext* context, v1::ApplySeriesResponse* response) {
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    return sync->ApplySeries(context, response);
  };
  // Streams that send nothing, one after the other: a hub that waited for a
  // first message would answer each only at its deadline.
  const int streams = config_.limits.max_threads + 8;
  std::vector<std::unique_ptr<grpc::ClientContext>> contexts;
  std::vector<std::unique_ptr<grpc::ClientWriter<v1::ApplySeriesRequest>>> writers;
  std::vector<v1::ApplySeriesResponse> responses(streams);
  for (int i = 0; i < streams; ++i) {
    contexts.push_back(std::make_unique<grpc::ClientContext>());
    writers.push_back(open(contexts.back().get(), &responses[i]));
    EXPECT_EQ(writers.back()->Finish().error_code(), StatusCode::UNAUTHENTICATED) << i;
  }
  // The same number at once: each is answered at once, refused as
  // unauthenticated or, where the burst outran the thread quota, as
  // exhausted; none waits for its deadline.
  std::vector<std::unique_ptr<grpc::ClientContext>> burst_contexts;
  std::vector<std::unique_ptr<grpc::ClientWriter<v1::ApplySeriesRequest>>> burst;
  std::vector<v1::ApplySeriesResponse> burst_responses(streams);
  for (int i = 0; i < streams; ++i) {
    burst_contexts.push_back(std::make_unique<grpc::ClientContext>());
    burst.push_back(open(burst_contexts.back().get(), &burst_responses[i]));
  }
  int unauthenticated = 0;
  for (auto& w : burst) {
    const StatusCode code = w->Finish().error_code();
    EXPECT_TRUE(code == StatusCode::UNAUTHENTICATED || code == StatusCode::RESOURCE_EXHAUSTED)
        << code;
    unauthenticated += code == StatusCode::UNAUTHENTICATED;
  }
  EXPECT_GT(unauthenticated, 0);
  v1::Identity me;
  EXPECT_TRUE(Client("nrc-viewer")->GetIdentity(&me).ok());
}

TEST_F(SecurityTest, IdleStreamsAreBoundedPerCallerAndCancelled) {
  hub_.reset();
  config_.limits.max_streams_per_caller = 2;
  config_.limits.stream_idle_seconds = 1;
  auto hub = HubServer::Start(config_);
  ASSERT_TRUE(hub.ok()) << hub.status();
  hub_ = std::move(*hub);

  auto channel = grpc::CreateChannel(hub_->address(), grpc::InsecureChannelCredentials());
  auto series = v1::SeriesService::NewStub(channel);
  std::vector<std::unique_ptr<grpc::ClientContext>> contexts;
  std::vector<std::unique_ptr<grpc::ClientWriter<v1::UploadSeriesRequest>>> writers;
  std::vector<v1::UploadSeriesResponse> responses(3);
  for (int i = 0; i < 3; ++i) {
    contexts.push_back(std::make_unique<grpc::ClientContext>());
    contexts.back()->AddMetadata("authorization", "Bearer nrc-viewer");
    contexts.back()->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    writers.push_back(series->UploadSeries(contexts.back().get(), &responses[i]));
    if (i < 2) std::this_thread::sleep_for(std::chrono::milliseconds(100));  // admitted in order
  }
  // Unary calls go on while they are open.
  v1::Identity me;
  EXPECT_TRUE(Client("nrc-viewer")->GetIdentity(&me).ok());
  // One of the three (whichever the hub saw last) is refused at once; the two
  // idle ones are cancelled by the hub well before their deadline.
  const auto start = std::chrono::steady_clock::now();
  std::map<StatusCode, int> codes;
  for (auto& w : writers) ++codes[w->Finish().error_code()];
  EXPECT_EQ(codes[StatusCode::RESOURCE_EXHAUSTED], 1);
  EXPECT_EQ(codes[StatusCode::CANCELLED], 2);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(15));
}

TEST_F(SecurityTest, ASecondUploadIsRefusedAtOnceWhileOneStreams) {
  auto nrc = Client("nrc-submitter");
  v1::CellTest out;
  ASSERT_TRUE(Create(*nrc, "nrc", "ct", NewCellTest(), &out).ok());
  auto channel = grpc::CreateChannel(hub_->address(), grpc::InsecureChannelCredentials());
  auto series = v1::SeriesService::NewStub(channel);
  auto open = [&](grpc::ClientContext* ctx, v1::UploadSeriesResponse* resp, const char* id) {
    ctx->AddMetadata("authorization", "Bearer nrc-submitter");
    ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    auto w = series->UploadSeries(ctx, resp);
    v1::UploadSeriesRequest header;
    header.mutable_header()->set_cell_test("institutions/nrc/cellTests/ct");
    header.mutable_header()->set_upload_id(id);
    header.mutable_header()->set_row_count(10);
    for (const char* name : {"test_time_second", "voltage_volt", "current_ampere"}) {
      header.mutable_header()->add_columns()->set_name(name);
    }
    EXPECT_TRUE(w->Write(header));
    return w;
  };
  grpc::ClientContext first_ctx, second_ctx;
  v1::UploadSeriesResponse first_resp, second_resp;
  auto first = open(&first_ctx, &first_resp, "a");
  v1::UploadStatus held;  // the first holds the test once its upload exists
  for (int i = 0; i < 250 && !nrc->GetUploadStatus("institutions/nrc/cellTests/ct", "a", &held).ok(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  auto second = open(&second_ctx, &second_resp, "b");
  const auto start = std::chrono::steady_clock::now();
  grpc::Status st = second->Finish();
  EXPECT_EQ(st.error_code(), StatusCode::FAILED_PRECONDITION) << st.error_message();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  first_ctx.TryCancel();
  first->Finish();
}

TEST_F(SecurityTest, AnInterruptedUploadIsNoIntegrityAlarm) {
  auto nrc = Client("nrc-submitter");
  v1::CellTest out;
  ASSERT_TRUE(Create(*nrc, "nrc", "ct", NewCellTest(), &out).ok());
  const std::string raw = "first upload\n";
  UploadWithRawFile(*nrc, "institutions/nrc/cellTests/ct", raw, Sha256Hex(raw));
  // A second upload commits one chunk of its 10 rows, then its client dies.
  auto channel = grpc::CreateChannel(hub_->address(), grpc::InsecureChannelCredentials());
  auto series = v1::SeriesService::NewStub(channel);
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer nrc-submitter");
  v1::UploadSeriesResponse resp;
  auto w = series->UploadSeries(&ctx, &resp);
  v1::UploadSeriesRequest msg;
  msg.mutable_header()->set_cell_test("institutions/nrc/cellTests/ct");
  msg.mutable_header()->set_upload_id("u2");
  msg.mutable_header()->set_row_count(10);
  for (const char* name : {"test_time_second", "voltage_volt", "current_ampere"}) {
    msg.mutable_header()->add_columns()->set_name(name);
  }
  ASSERT_TRUE(w->Write(msg));
  v1::UploadSeriesRequest chunk;
  chunk.mutable_chunk()->set_first_row(0);
  for (const char* name : {"test_time_second", "voltage_volt", "current_ampere"}) {
    auto* c = chunk.mutable_chunk()->add_columns();
    c->set_name(name);
    for (int r = 0; r < 4; ++r) c->add_values(100 + r);
  }
  ASSERT_TRUE(w->Write(chunk));
  v1::UploadStatus status;
  for (int i = 0; i < 100 && status.committed_rows() < 4; ++i) {
    nrc->GetUploadStatus("institutions/nrc/cellTests/ct", "u2", &status);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_EQ(status.committed_rows(), 4);
  ctx.TryCancel();
  w->Finish();
  v1::LedgerReport report;
  ASSERT_TRUE(Client("admin")->VerifyLedger(&report).ok());
  EXPECT_EQ(report.first_break(), "");
  EXPECT_GE(report.series_checked(), 1u);
}

TEST_F(SecurityTest, OnlyStewardsWidenByLabelsAndPrincipalNamesAreUnique) {
  auto admin = Client("admin");
  v1::CreateAgreementRequest ag;
  ag.set_agreement_id("jp-ca");
  ag.mutable_agreement()->add_members("institutions/nrc");
  ag.mutable_agreement()->add_members("institutions/aist");
  (*ag.mutable_agreement()->mutable_labels())["project"] = "shared";
  ag.mutable_agreement()->set_tier(v1::TIER_FULL);
  v1::Agreement agreement;
  ASSERT_TRUE(admin->CreateAgreement(ag, &agreement).ok());
  v1::CellTest t = NewCellTest();
  t.mutable_access()->set_visibility(v1::VISIBILITY_AGREEMENT);
  t.mutable_access()->add_agreements(agreement.name());
  (*t.mutable_labels())["project"] = "internal";
  v1::CellTest out;
  ASSERT_TRUE(Create(*Client("nrc-steward"), "nrc", "ct", t, &out).ok());
  v1::UpdateCellTestRequest relabel;
  relabel.mutable_cell_test()->set_name(out.name());
  (*relabel.mutable_cell_test()->mutable_labels())["project"] = "shared";
  relabel.mutable_update_mask()->add_paths("labels");
  EXPECT_EQ(Client("nrc-submitter")->UpdateCellTest(relabel, &out).error_code(),
            StatusCode::PERMISSION_DENIED);
  v1::CellTest seen;
  EXPECT_FALSE(Client("aist-viewer")->GetCellTest("institutions/nrc/cellTests/ct", &seen).ok());
  EXPECT_TRUE(Client("nrc-steward")->UpdateCellTest(relabel, &out).ok());
  EXPECT_TRUE(Client("aist-viewer")->GetCellTest("institutions/nrc/cellTests/ct", &seen).ok());

  v1::CreateTokenRequest token;
  token.set_parent("institutions/nrc");
  token.set_role(v1::ROLE_VIEWER);
  token.set_principal_id("nrc-submitter");  // a configured principal
  v1::Token minted;
  EXPECT_EQ(Client("nrc-steward")->CreateToken(token, &minted).error_code(),
            StatusCode::ALREADY_EXISTS);
  token.set_principal_id("robot");
  ASSERT_TRUE(Client("nrc-steward")->CreateToken(token, &minted).ok());
  EXPECT_EQ(Client("nrc-steward")->CreateToken(token, &minted).error_code(),
            StatusCode::ALREADY_EXISTS);
}

// Sends the header and chunks of upload `id` (rows of `values` per chunk,
// NaN where a chunk must be refused), then half-closes; returns the status.
grpc::Status RawUpload(const std::string& address, const std::string& test, const std::string& id,
                       int64_t rows, const std::vector<std::vector<double>>& chunks,
                       bool finish = true, grpc::ClientContext* cancel_me = nullptr) {
  auto channel = grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
  auto series = v1::SeriesService::NewStub(channel);
  grpc::ClientContext own;
  grpc::ClientContext* ctx = cancel_me != nullptr ? cancel_me : &own;
  ctx->AddMetadata("authorization", "Bearer nrc-submitter");
  v1::UploadSeriesResponse resp;
  auto w = series->UploadSeries(ctx, &resp);
  v1::UploadSeriesRequest msg;
  msg.mutable_header()->set_cell_test(test);
  msg.mutable_header()->set_upload_id(id);
  msg.mutable_header()->set_row_count(rows);
  for (const char* name : {"test_time_second", "voltage_volt", "current_ampere"}) {
    msg.mutable_header()->add_columns()->set_name(name);
  }
  w->Write(msg);
  int64_t first = 0;
  for (const auto& values : chunks) {
    v1::UploadSeriesRequest chunk;
    chunk.mutable_chunk()->set_first_row(first);
    for (int col = 0; col < 3; ++col) {
      auto* c = chunk.mutable_chunk()->add_columns();
      c->set_name(col == 0 ? "test_time_second" : col == 1 ? "voltage_volt" : "current_ampere");
      for (size_t r = 0; r < values.size(); ++r) {
        c->add_values(col == 0 ? (first + r) * 10.0 : col == 1 ? values[r] : (r % 2 ? 0.5 : -0.5));
      }
    }
    w->Write(chunk);
    first += static_cast<int64_t>(values.size());
  }
  if (!finish) return grpc::Status::OK;
  w->WritesDone();
  return w->Finish();
}

TEST_F(SecurityTest, ARefusedChunkAbortsItsUploadAndFreesTheTest) {
  auto nrc = Client("nrc-submitter");
  v1::CellTest out;
  ASSERT_TRUE(Create(*nrc, "nrc", "ct", NewCellTest(), &out).ok());
  const std::string test = "institutions/nrc/cellTests/ct";
  ASSERT_TRUE(RawUpload(hub_->address(), test, "first", 4, {{3.6, 3.7, 3.8, 3.9}}).ok());
  v1::CellTest before;
  ASSERT_TRUE(nrc->GetCellTest(test, &before).ok());
  // 8 rows announced, 4 committed, then a NaN voltage.
  grpc::Status refused = RawUpload(hub_->address(), test, "bad", 8,
                                   {{3.6, 3.7, 3.8, 3.9}, {3.6, std::nan(""), 3.8, 3.9}});
  EXPECT_EQ(refused.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(refused.error_message().find("aborted"), std::string::npos) << refused.error_message();
  v1::UploadStatus status;
  EXPECT_EQ(nrc->GetUploadStatus(test, "bad", &status).error_code(), StatusCode::NOT_FOUND);
  // The series is as before, and the test takes the next upload.
  v1::CellTest after;
  ASSERT_TRUE(nrc->GetCellTest(test, &after).ok());
  EXPECT_EQ(after.series().SerializeAsString(), before.series().SerializeAsString());
  ASSERT_TRUE(RawUpload(hub_->address(), test, "next", 2, {{3.5, 3.4}}).ok());
  ASSERT_TRUE(nrc->GetCellTest(test, &after).ok());
  EXPECT_EQ(after.series().row_count(), 6);
  int rows = 0;
  v1::ReadSeriesRequest read;
  read.set_name(test);
  ASSERT_TRUE(nrc->ReadSeries(read, [&](const v1::SeriesChunk& c) {
                  rows += c.columns(0).values_size();
                  return true;
                }).ok());
  EXPECT_EQ(rows, 6);
  v1::LedgerReport report;
  ASSERT_TRUE(Client("admin")->VerifyLedger(&report).ok());
  EXPECT_EQ(report.first_break(), "");
}

TEST_F(SecurityTest, AnUnfinishedUploadCanBeAborted) {
  auto nrc = Client("nrc-submitter");
  v1::CellTest out;
  ASSERT_TRUE(Create(*nrc, "nrc", "ct", NewCellTest(), &out).ok());
  const std::string test = "institutions/nrc/cellTests/ct";
  {
    grpc::ClientContext ctx;
    RawUpload(hub_->address(), test, "half", 8, {{3.6, 3.7, 3.8, 3.9}}, false, &ctx);
    v1::UploadStatus status;
    for (int i = 0; i < 100 && status.committed_rows() < 4; ++i) {
      nrc->GetUploadStatus(test, "half", &status);
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ASSERT_EQ(status.committed_rows(), 4);
    ctx.TryCancel();
  }
  auto channel = grpc::CreateChannel(hub_->address(), grpc::InsecureChannelCredentials());
  auto series = v1::SeriesService::NewStub(channel);
  v1::AbortUploadRequest abort;
  abort.set_cell_test(test);
  abort.set_upload_id("half");
  v1::UploadStatus aborted;
  grpc::Status st;
  for (int i = 0; i < 50; ++i) {  // until the cancelled stream has let go
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer nrc-submitter");
    st = series->AbortUpload(&ctx, abort, &aborted);
    if (st.error_code() != StatusCode::FAILED_PRECONDITION) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_TRUE(st.ok()) << st.error_message();
  {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer nrc-viewer");
    EXPECT_EQ(series->AbortUpload(&ctx, abort, &aborted).error_code(), StatusCode::PERMISSION_DENIED);
  }
  ASSERT_TRUE(RawUpload(hub_->address(), test, "whole", 3, {{3.1, 3.2, 3.3}}).ok());
  v1::CellTest after;
  ASSERT_TRUE(nrc->GetCellTest(test, &after).ok());
  EXPECT_EQ(after.series().row_count(), 3);
  v1::LedgerReport report;
  ASSERT_TRUE(Client("admin")->VerifyLedger(&report).ok());
  EXPECT_EQ(report.first_break(), "");
}

TEST_F(SecurityTest, CutViewsOfPastRevisionsCarryNoEtagOrDigest) {
  auto steward = Client("aist-steward");
  v1::CreateSampleRequest req = NewLot("aist", "lot", v1::VISIBILITY_CONSORTIUM);
  req.mutable_sample()->set_description("internal notes");
  req.mutable_sample()->mutable_access()->add_restricted_fields("description");
  auto* grant = req.mutable_sample()->mutable_access()->add_grants();
  grant->set_institution("institutions/nedo");
  grant->set_tier(v1::TIER_FULL);
  v1::Sample out;
  ASSERT_TRUE(steward->CreateSample(req, &out).ok());
  v1::UpdateSampleRequest update;
  update.mutable_sample()->set_name(out.name());
  update.mutable_sample()->set_display_name("second");
  update.mutable_update_mask()->add_paths("display_name");
  ASSERT_TRUE(steward->UpdateSample(update, &out).ok());
  auto nrc = Client("nrc-viewer");
  for (const std::string& name : {out.name(), out.name() + "@1"}) {
    v1::Sample seen;
    ASSERT_TRUE(nrc->GetSample(name, &seen).ok()) << name;
    EXPECT_EQ(seen.etag(), "") << name;
    EXPECT_EQ(seen.provenance().content_digest(), "") << name;
    EXPECT_EQ(seen.description(), "") << name;
    EXPECT_EQ(seen.access().grants_size(), 0) << name;
  }
  v1::ListSampleRevisionsRequest revs;
  revs.set_name(out.name());
  v1::ListSampleRevisionsResponse page;
  ASSERT_TRUE(nrc->ListSampleRevisions(revs, &page).ok());
  ASSERT_EQ(page.samples_size(), 2);
  for (const v1::Sample& r : page.samples()) {
    EXPECT_EQ(r.etag(), "");
    EXPECT_EQ(r.provenance().content_digest(), "");
  }
  v1::Sample own;  // the owner's view is whole: etag and digest stay
  ASSERT_TRUE(steward->GetSample(out.name() + "@1", &own).ok());
  EXPECT_NE(own.etag(), "");
  EXPECT_NE(own.provenance().content_digest(), "");
}

TEST_F(SecurityTest, OutOfRangeValuesAreRefusedNamingTheField) {
  auto nrc = Client("nrc-steward");
  struct Case {
    const char* field;
    std::function<void(v1::Characterization*)> spoil;
  };
  const std::vector<Case> cases = {
      {"measure_time", [](v1::Characterization* c) { c->mutable_measure_time()->set_seconds(int64_t{1} << 62); }},
      {"measure_time", [](v1::Characterization* c) { c->mutable_measure_time()->set_nanos(-1); }},
      {"access.restricted_fields",
       [](v1::Characterization* c) {
         for (int i = 0; i < 10000; ++i) c->mutable_access()->add_restricted_fields("description");
       }},
      {"access.agreements",
       [](v1::Characterization* c) {
         for (int i = 0; i < 1000; ++i) c->mutable_access()->add_agreements("agreements/a");
       }},
      {"curves[0].x",
       [](v1::Characterization* c) {
         auto* curve = c->add_curves();
         for (int i = 0; i < 300000; ++i) curve->add_x(i);
       }},
      {"description", [](v1::Characterization* c) { c->set_description(std::string(20000, 'x')); }},
      {"results[0].value.value",
       [](v1::Characterization* c) {
         c->add_results()->mutable_value()->set_value(std::numeric_limits<double>::infinity());
       }},
  };
  const v1::CreateSampleRequest lot = NewLot("nrc", "lot");
  v1::Sample sample;
  ASSERT_TRUE(nrc->CreateSample(lot, &sample).ok());
  int n = 0;
  for (const Case& c : cases) {
    v1::CreateCharacterizationRequest req;
    req.set_parent("institutions/nrc");
    req.set_characterization_id("c-" + std::to_string(n++));
    req.mutable_characterization()->set_sample(sample.name());
    req.mutable_characterization()->set_technique(v1::TECHNIQUE_BET);
    c.spoil(req.mutable_characterization());
    v1::Characterization out;
    grpc::Status st = nrc->CreateCharacterization(req, &out);
    EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT) << c.field;
    EXPECT_NE(st.error_message().find(c.field), std::string::npos) << st.error_message();
    EXPECT_LT(st.error_message().size(), 1200u);
  }
  v1::ListCharacterizationsRequest list;
  list.set_parent("institutions/nrc");
  v1::ListCharacterizationsResponse none;
  ASSERT_TRUE(nrc->ListCharacterizations(list, &none).ok());
  EXPECT_EQ(none.characterizations_size(), 0);  // nothing stored
}

TEST_F(SecurityTest, PageTokensAreAuthenticatedAndBoundToTheirCaller) {
  auto steward = Client("nrc-steward");
  for (int i = 0; i < 3; ++i) {
    const v1::CreateSampleRequest req =
        NewLot("nrc", "lot-" + std::to_string(i), v1::VISIBILITY_CONSORTIUM);
    v1::Sample out;
    ASSERT_TRUE(steward->CreateSample(req, &out).ok());
  }
  v1::ListSamplesRequest req;
  req.set_parent("institutions/-");
  req.set_page_size(1);
  v1::ListSamplesResponse first;
  ASSERT_TRUE(Client("aist-viewer")->ListSamples(req, &first).ok());
  ASSERT_FALSE(first.next_page_token().empty());
  req.set_page_token(first.next_page_token());
  v1::ListSamplesResponse next;
  EXPECT_TRUE(Client("aist-viewer")->ListSamples(req, &next).ok());
  EXPECT_EQ(Client("nedo-viewer")->ListSamples(req, &next).error_code(),
            StatusCode::INVALID_ARGUMENT);  // another caller's token
  std::string raw;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(first.next_page_token(), &raw));
  raw.back() ^= 1;  // another position under the old MAC
  req.set_page_token(absl::WebSafeBase64Escape(raw));
  EXPECT_EQ(Client("aist-viewer")->ListSamples(req, &next).error_code(),
            StatusCode::INVALID_ARGUMENT);

  // Revision pages too.
  v1::UpdateSampleRequest update;
  update.mutable_sample()->set_name("institutions/nrc/samples/lot-0");
  update.mutable_sample()->set_display_name("again");
  update.mutable_update_mask()->add_paths("display_name");
  v1::Sample out;
  ASSERT_TRUE(steward->UpdateSample(update, &out).ok());
  v1::ListSampleRevisionsRequest revs;
  revs.set_name("institutions/nrc/samples/lot-0");
  revs.set_page_size(1);
  v1::ListSampleRevisionsResponse page;
  ASSERT_TRUE(Client("aist-viewer")->ListSampleRevisions(revs, &page).ok());
  ASSERT_FALSE(page.next_page_token().empty());
  revs.set_page_token(page.next_page_token());
  EXPECT_TRUE(Client("aist-viewer")->ListSampleRevisions(revs, &page).ok());
  EXPECT_EQ(Client("nedo-viewer")->ListSampleRevisions(revs, &page).error_code(),
            StatusCode::INVALID_ARGUMENT);
}

}  // namespace
}  // namespace batteryhub::testing
