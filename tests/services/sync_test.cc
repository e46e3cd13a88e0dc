// Hub-to-hub sync between two real hubs on loopback (an AIST hub and an NRC
// hub): the feed carries only what NRC may see, cut to its tier; replicas
// keep names, revisions and view digests, answer to the local policy, are
// read-only; narrowing withdraws them; a tampered change is refused; a
// second run changes nothing; records never bounce back; ledgers verify.
#include <gtest/gtest.h>

#include <google/protobuf/util/time_util.h>

#include <thread>

#include "clients/cpp/sync_job.h"
#include "core/clock.h"
#include "core/sha256.h"
#include "core/version.h"
#include "domain/change_feed.h"
#include "storage/keys.h"
#include "tests/services/hub_fixture.h"

namespace batteryhub::testing {
namespace {

namespace v1 = ::batteryhub::v1;
using google::protobuf::util::TimeUtil;
using grpc::StatusCode;

class SyncTest : public HubFixture {
 protected:
  void SetUp() override {
    HubFixture::SetUp();
    hub_.reset();
    config_.hub_id = "aist-hub";
    auto aist = HubServer::Start(config_);
    ASSERT_TRUE(aist.ok()) << aist.status();
    hub_ = std::move(*aist);
    nrc_config_ = config_;
    nrc_config_.hub_id = "nrc-hub";
    nrc_config_.data_dir = dir_.string() + "-nrc";
    std::filesystem::remove_all(nrc_config_.data_dir);
    auto nrc = HubServer::Start(nrc_config_);
    ASSERT_TRUE(nrc.ok()) << nrc.status();
    nrc_hub_ = std::move(*nrc);
  }

  void TearDown() override {
    nrc_hub_.reset();
    std::filesystem::remove_all(nrc_config_.data_dir);
    HubFixture::TearDown();
  }

  std::unique_ptr<client::HubClient> AtNrc(const std::string& token) {
    client::ClientOptions options;
    options.hub = nrc_hub_->address();
    options.token = token;
    options.deadline = std::chrono::seconds(10);
    return std::make_unique<client::HubClient>(options);
  }

  // NRC's sync job: pulls from the AIST hub as an NRC viewer, applies to
  // the NRC hub as its admin.
  client::SyncSummary Sync() {
    auto peer = Client("nrc-viewer");
    auto local = AtNrc("admin");
    client::SyncSummary summary;
    client::SyncOptions options;
    options.batch = 2;  // several rounds
    grpc::Status s = client::SyncOnce(*peer, *local, options, &summary);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return summary;
  }

  v1::Sample Lot(const std::string& id, v1::Access access) {
    v1::CreateSampleRequest req;
    req.set_parent("institutions/aist");
    req.set_sample_id(id);
    v1::Sample& s = *req.mutable_sample();
    s.set_kind(v1::SAMPLE_KIND_MATERIAL_LOT);
    s.mutable_material_lot()->set_material_class(v1::MATERIAL_CLASS_PRECURSOR);
    s.mutable_material_lot()->set_material("NMC811 hydroxide");
    s.mutable_material_lot()->mutable_origin()->set_supplier("SECRET supplier");
    *s.mutable_access() = std::move(access);
    v1::Sample out;
    grpc::Status st = Client("aist-submitter")->CreateSample(req, &out);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return out;
  }

  static v1::Access Private() {
    v1::Access a;
    a.set_visibility(v1::VISIBILITY_PRIVATE);
    return a;
  }
  static v1::Access GrantNrc(v1::Tier tier, bool restricted, int64_t start_micros = 0) {
    v1::Access a = Private();
    v1::Grant* g = a.add_grants();
    g->set_institution("institutions/nrc");
    g->set_tier(tier);
    g->set_restricted_fields(restricted);
    if (start_micros != 0) *g->mutable_start_time() = TimeUtil::MicrosecondsToTimestamp(start_micros);
    return a;
  }

  HubConfig nrc_config_;
  std::unique_ptr<HubServer> nrc_hub_;
};

TEST_F(SyncTest, ReplicatesWhatNrcMaySeeAsItSeesIt) {
  v1::Access consortium;
  consortium.set_visibility(v1::VISIBILITY_CONSORTIUM);
  Lot("open", consortium);
  Lot("private", Private());
  Lot("summary", GrantNrc(v1::TIER_SUMMARY, false));
  Lot("whole", GrantNrc(v1::TIER_FULL, true));
  // An embargo that ends during the test.
  const int64_t opens = NowMicros() + 4'000'000;
  Lot("embargoed", GrantNrc(v1::TIER_FULL, false, opens));
  v1::CreateCharacterizationRequest cr;
  cr.set_parent("institutions/aist");
  cr.set_characterization_id("bet-1");
  cr.mutable_characterization()->set_sample("institutions/aist/samples/open");
  cr.mutable_characterization()->set_technique(v1::TECHNIQUE_BET);
  auto* result = cr.mutable_characterization()->add_results();
  result->set_name("bet_surface_area");
  result->mutable_value()->set_value(0.5);
  result->mutable_value()->set_unit("Ah");
  auto* curve = cr.mutable_characterization()->add_curves();
  curve->set_name("isotherm");
  curve->set_x_unit("s");
  curve->set_y_unit("V");
  curve->add_x(1);
  curve->add_y(2);
  *cr.mutable_characterization()->mutable_access() = GrantNrc(v1::TIER_SUMMARY, false);
  v1::Characterization bet;
  ASSERT_TRUE(Client("aist-submitter")->CreateCharacterization(cr, &bet).ok());

  client::SyncSummary first = Sync();
  EXPECT_EQ(first.origin_hub, "aist-hub");
  EXPECT_EQ(first.applied, 4) << "open, summary, whole, bet-1 and nothing else";
  EXPECT_EQ(first.cursor_after, 6u);

  // Each replica is exactly NRC's view at the origin.
  auto nrc_there = Client("nrc-viewer");
  auto nrc_here = AtNrc("nrc-viewer");
  for (const char* id : {"open", "summary", "whole"}) {
    const std::string name = std::string("institutions/aist/samples/") + id;
    v1::Sample there, here;
    ASSERT_TRUE(nrc_there->GetSample(name, &there).ok());
    ASSERT_TRUE(nrc_here->GetSample(name, &here).ok()) << name;
    EXPECT_EQ(here.SerializeAsString(), there.SerializeAsString()) << name;
    EXPECT_EQ(here.revision_id(), "1");
  }
  v1::Sample s;
  ASSERT_TRUE(nrc_here->GetSample("institutions/aist/samples/open", &s).ok());
  EXPECT_EQ(s.material_lot().origin().supplier(), "") << "restricted at the origin";
  ASSERT_TRUE(nrc_here->GetSample("institutions/aist/samples/whole", &s).ok());
  EXPECT_EQ(s.material_lot().origin().supplier(), "SECRET supplier") << "granted to nrc";
  v1::Characterization c;
  ASSERT_TRUE(nrc_here->GetCharacterization(bet.name(), &c).ok());
  EXPECT_EQ(c.results_size(), 1);
  EXPECT_EQ(c.curves_size(), 0) << "SUMMARY tier";
  for (const char* id : {"private", "embargoed"}) {
    EXPECT_EQ(nrc_here->GetSample(std::string("institutions/aist/samples/") + id, &s).error_code(),
              StatusCode::PERMISSION_DENIED);
  }
  // Replicas answer to the local policy: other institutions here see none.
  EXPECT_EQ(AtNrc("libtec-viewer")->GetSample("institutions/aist/samples/open", &s).error_code(),
            StatusCode::PERMISSION_DENIED);
  v1::ListSamplesRequest list;
  list.set_parent("institutions/-");
  v1::ListSamplesResponse listed;
  ASSERT_TRUE(nrc_here->ListSamples(list, &listed).ok());
  EXPECT_EQ(listed.samples_size(), 3);
  // Read-only here, even for the owner's principals.
  v1::UpdateSampleRequest u;
  u.mutable_sample()->set_name("institutions/aist/samples/open");
  u.mutable_sample()->set_display_name("changed at the replica");
  u.mutable_update_mask()->add_paths("display_name");
  grpc::Status st = AtNrc("aist-submitter")->UpdateSample(u, &s);
  EXPECT_EQ(st.error_code(), StatusCode::FAILED_PRECONDITION) << st.error_message();

  // A second run changes nothing, and replicas held as NRC still sees them
  // cost no message.
  client::SyncSummary again = Sync();
  EXPECT_EQ(again.applied, 0);
  EXPECT_EQ(again.unchanged, 0);
  EXPECT_EQ(again.cursor_after, 6u);
  v1::GetSyncCursorRequest held_request;
  held_request.set_origin_hub("aist-hub");
  held_request.set_with_replicas(true);
  v1::SyncCursor held;
  ASSERT_TRUE(AtNrc("admin")->GetSyncCursor(held_request, &held).ok());
  ASSERT_EQ(held.held_size(), 4);
  v1::StreamChangesRequest recheck;
  for (const v1::HeldReplica& h : held.held()) {
    EXPECT_EQ(h.revision(), 1u) << h.name();
    if (h.name() == "institutions/aist/samples/whole") {
      EXPECT_EQ(h.tier(), v1::TIER_FULL);
      EXPECT_TRUE(h.restricted_fields());
    }
    *recheck.add_held() = h;
  }
  std::vector<v1::ReplicaChange> answers;
  ASSERT_TRUE(nrc_there->StreamChanges(recheck, &answers).ok());
  EXPECT_TRUE(answers.empty());
  recheck.mutable_held(0)->set_tier(v1::TIER_METADATA);  // held as another view: sent again
  ASSERT_TRUE(nrc_there->StreamChanges(recheck, &answers).ok());
  ASSERT_EQ(answers.size(), 1u);
  EXPECT_EQ(answers[0].name(), recheck.held(0).name());
  EXPECT_FALSE(answers[0].withdrawn());

  // Access narrowed at the origin withdraws the replica.
  v1::UpdateRecordAccessRequest narrow;
  narrow.set_name("institutions/aist/samples/summary");
  *narrow.mutable_access() = Private();
  v1::RecordAccess ra;
  ASSERT_TRUE(Client("aist-steward")->UpdateRecordAccess(narrow, &ra).ok());
  // And a change the feed carries.
  u.mutable_sample()->set_display_name("renamed at the origin");
  ASSERT_TRUE(Client("aist-submitter")->UpdateSample(u, &s).ok());
  client::SyncSummary third = Sync();
  EXPECT_EQ(third.withdrawn, 1);
  EXPECT_EQ(third.applied, 1);
  EXPECT_EQ(nrc_here->GetSample("institutions/aist/samples/summary", &s).error_code(),
            StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(nrc_here->GetSample("institutions/aist/samples/open", &s).ok());
  EXPECT_EQ(s.display_name(), "renamed at the origin");
  EXPECT_EQ(s.revision_id(), "2");

  // The embargo ends without a change at the origin: the next run looks at
  // the openings that passed since the last one and brings the record.
  while (NowMicros() < opens + kOpeningSettleMicros) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  client::SyncSummary fourth = Sync();
  EXPECT_EQ(fourth.applied, 1);
  EXPECT_EQ(fourth.cursor_after, 8u);
  ASSERT_TRUE(nrc_here->GetSample("institutions/aist/samples/embargoed", &s).ok());
  // A full pass from the start finds nothing further, and the cursor does
  // not move back.
  auto peer = Client("nrc-viewer");
  auto local = AtNrc("admin");
  client::SyncOptions full;
  full.full = true;
  client::SyncSummary summary;
  ASSERT_TRUE(client::SyncOnce(*peer, *local, full, &summary).ok());
  EXPECT_EQ(summary.applied, 0);
  EXPECT_EQ(summary.unchanged, 4) << "seen again by the full pass";
  EXPECT_EQ(summary.cursor_after, 8u);

  // Both ledgers verify; the replicas are checked against their digests.
  v1::LedgerReport report;
  ASSERT_TRUE(AtNrc("admin")->VerifyLedger(&report).ok());
  EXPECT_EQ(report.first_break(), "");
  EXPECT_EQ(report.replicas_checked(), 4u);
  EXPECT_EQ(report.entries(), 0u) << "replicas are no changes of the NRC hub";
  ASSERT_TRUE(Client("admin")->VerifyLedger(&report).ok());
  EXPECT_EQ(report.first_break(), "");
}

// Agreements open records by time too: one that starts later, and one NRC
// joins after the first sync. The records naming them reach NRC's hub in
// the next incremental run (in rounds of two, resuming inside the list of
// an agreement's records), and leave it when NRC leaves the agreement.
TEST_F(SyncTest, RecordsOpenedByAgreementsReachThePeerWithoutAFullPass) {
  auto admin = Client("admin");
  auto agreement = [&](const std::string& id, std::vector<std::string> members,
                       int64_t start_micros) {
    v1::CreateAgreementRequest req;
    req.set_agreement_id(id);
    for (const std::string& m : members) req.mutable_agreement()->add_members(m);
    req.mutable_agreement()->set_tier(v1::TIER_FULL);
    if (start_micros != 0) {
      *req.mutable_agreement()->mutable_start_time() =
          TimeUtil::MicrosecondsToTimestamp(start_micros);
    }
    v1::Agreement out;
    grpc::Status st = admin->CreateAgreement(req, &out);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return out;
  };
  auto naming = [](const std::string& agreement) {
    v1::Access a;
    a.set_visibility(v1::VISIBILITY_AGREEMENT);
    a.add_agreements(agreement);
    return a;
  };
  v1::Agreement cathode = agreement("cathode", {"institutions/aist", "institutions/libtec"}, 0);
  const int64_t starts = NowMicros() + 1'000'000;
  agreement("anode", {"institutions/aist", "institutions/nrc"}, starts);
  for (int i = 0; i < 5; ++i) Lot("cathode-" + std::to_string(i), naming("agreements/cathode"));
  for (int i = 0; i < 2; ++i) Lot("anode-" + std::to_string(i), naming("agreements/anode"));
  Lot("alone", naming("agreements/cathode"));

  EXPECT_EQ(Sync().applied, 0) << "nothing NRC may see yet";

  // NRC joins the cathode agreement; the anode agreement starts.
  cathode.add_members("institutions/nrc");
  v1::UpdateAgreementRequest update;
  *update.mutable_agreement() = cathode;
  v1::Agreement updated;
  ASSERT_TRUE(admin->UpdateAgreement(update, &updated).ok());
  const int64_t changed = NowMicros();
  while (NowMicros() < std::max(starts, changed) + kOpeningSettleMicros) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  client::SyncSummary opened = Sync();
  EXPECT_EQ(opened.applied, 5 + 2 + 1);
  auto nrc_there = Client("nrc-viewer");
  auto nrc_here = AtNrc("nrc-viewer");
  for (const std::string id : {"cathode-0", "cathode-4", "anode-1", "alone"}) {
    const std::string name = "institutions/aist/samples/" + id;
    v1::Sample there, here;
    ASSERT_TRUE(nrc_there->GetSample(name, &there).ok()) << name;
    ASSERT_TRUE(nrc_here->GetSample(name, &here).ok()) << name;
    EXPECT_EQ(here.SerializeAsString(), there.SerializeAsString()) << name;
  }
  EXPECT_EQ(Sync().applied, 0) << "each opening is looked at once";

  // NRC leaves: the replicas go at the next run.
  update.mutable_agreement()->clear_members();
  update.mutable_agreement()->add_members("institutions/aist");
  update.mutable_agreement()->add_members("institutions/libtec");
  update.mutable_agreement()->set_etag(updated.etag());
  ASSERT_TRUE(admin->UpdateAgreement(update, &updated).ok());
  EXPECT_EQ(Sync().withdrawn, 6);
  v1::Sample s;
  EXPECT_EQ(nrc_here->GetSample("institutions/aist/samples/cathode-0", &s).error_code(),
            StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(nrc_here->GetSample("institutions/aist/samples/anode-0", &s).ok());
}

TEST_F(SyncTest, TamperedChangesAreRefusedAndNothingBouncesBack) {
  v1::Access consortium;
  consortium.set_visibility(v1::VISIBILITY_CONSORTIUM);
  Lot("open", consortium);
  v1::StreamChangesRequest req;
  std::vector<v1::ReplicaChange> changes;
  ASSERT_TRUE(Client("nrc-viewer")->StreamChanges(req, &changes).ok());
  ASSERT_EQ(changes.size(), 2u) << "the record and the cursor mark";
  EXPECT_EQ(changes[1].sequence(), 1u);
  EXPECT_TRUE(changes[1].name().empty());

  v1::ApplyChangesRequest apply;
  apply.set_origin_hub("aist-hub");
  apply.set_cursor(1);
  *apply.add_changes() = changes[0];
  apply.mutable_changes(0)->mutable_sample()->mutable_material_lot()->set_material("NMC622");
  v1::ApplyChangesResponse resp;
  auto local = AtNrc("admin");
  grpc::Status st = local->ApplyChanges(apply, &resp);
  EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(st.error_message().find("changes[0].view_digest"), std::string::npos)
      << st.error_message();
  v1::GetSyncCursorRequest cq;
  cq.set_origin_hub("aist-hub");
  cq.set_with_replicas(true);
  v1::SyncCursor cursor;
  ASSERT_TRUE(local->GetSyncCursor(cq, &cursor).ok());
  EXPECT_EQ(cursor.sequence(), 0u) << "nothing stored, cursor unchanged";
  EXPECT_EQ(cursor.replicas_size(), 0);
  // Only the hub's admin applies; a hub never takes its own records back.
  EXPECT_EQ(AtNrc("nrc-steward")->ApplyChanges(apply, &resp).error_code(),
            StatusCode::PERMISSION_DENIED);
  apply.mutable_changes(0)->CopyFrom(changes[0]);
  apply.set_origin_hub("aist-hub");
  EXPECT_EQ(Client("admin")->ApplyChanges(apply, &resp).error_code(), StatusCode::INVALID_ARGUMENT);

  // A change whose record is not of the kind its name says is refused.
  v1::ApplyChangesRequest mismatched = apply;
  mismatched.mutable_changes(0)->mutable_cell_test()->set_name(changes[0].name());
  st = local->ApplyChanges(mismatched, &resp);
  EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(st.error_message().find("kind its name says"), std::string::npos)
      << st.error_message();

  // The untampered change applies; twice is once.
  ASSERT_TRUE(local->ApplyChanges(apply, &resp).ok());
  EXPECT_EQ(resp.applied(), 1);
  ASSERT_TRUE(local->ApplyChanges(apply, &resp).ok());
  EXPECT_EQ(resp.applied(), 0);
  EXPECT_EQ(resp.unchanged(), 1);

  // AIST pulling from the NRC hub gets NRC's records, never its own back.
  v1::CreateSampleRequest mine;
  mine.set_parent("institutions/nrc");
  mine.set_sample_id("nrc-lot");
  mine.mutable_sample()->set_kind(v1::SAMPLE_KIND_MATERIAL_LOT);
  mine.mutable_sample()->mutable_material_lot()->set_material_class(v1::MATERIAL_CLASS_BINDER);
  mine.mutable_sample()->mutable_material_lot()->set_material("PVDF");
  *mine.mutable_sample()->mutable_access() = consortium;
  v1::Sample out;
  ASSERT_TRUE(AtNrc("nrc-submitter")->CreateSample(mine, &out).ok());
  client::SyncSummary back;
  ASSERT_TRUE(client::SyncOnce(*AtNrc("aist-viewer"), *Client("admin"), {}, &back).ok());
  EXPECT_EQ(back.origin_hub, "nrc-hub");
  EXPECT_EQ(back.applied, 1);
  v1::Sample seen;
  ASSERT_TRUE(Client("aist-viewer")->GetSample("institutions/nrc/samples/nrc-lot", &seen).ok());
  // A replica cannot overwrite a record of the hub that holds it.
  v1::ApplyChangesRequest bounce;
  bounce.set_origin_hub("nrc-hub");
  *bounce.add_changes() = changes[0];
  bounce.mutable_changes(0)->set_origin_hub("nrc-hub");
  st = Client("admin")->ApplyChanges(bounce, &resp);
  EXPECT_EQ(st.error_code(), StatusCode::FAILED_PRECONDITION) << st.error_message();
}

TEST_F(SyncTest, SeriesAndRawFilesFollowTheirCellTestAtFullTier) {
  auto aist = Client("aist-submitter");
  const std::string raw = "cycler export\n1,2,3\n";
  v1::SourceFile file;
  file.set_file_name("cycler.csv");
  file.set_size_bytes(static_cast<int64_t>(raw.size()));
  file.set_sha256(Sha256Hex(raw));
  for (const auto& [id, tier] : {std::pair<std::string, v1::Tier>{"full", v1::TIER_FULL},
                                 {"summary", v1::TIER_SUMMARY}}) {
    v1::CreateCellTestRequest req;
    req.set_parent("institutions/aist");
    req.set_cell_test_id(id);
    v1::CellTest* t = req.mutable_cell_test();
    t->mutable_cell()->set_form_factor(v1::FORM_FACTOR_COIN);
    t->mutable_cell()->set_chemistry("NMC811/graphite");
    t->mutable_cell()->mutable_nominal_capacity()->set_value(1);
    t->mutable_cell()->mutable_nominal_capacity()->set_unit("mAh");
    t->mutable_protocol()->mutable_temperature()->set_value(25);
    t->mutable_protocol()->mutable_temperature()->set_unit("degC");
    *t->mutable_access() = GrantNrc(tier, false);
    v1::CellTest out;
    ASSERT_TRUE(aist->CreateCellTest(req, &out).ok());
    const std::string name = out.name();
    v1::SourceFile stored;
    ASSERT_TRUE(aist->UploadRawFile(name, file, raw, &stored).ok());
    v1::UploadHeader h;
    h.set_cell_test(name);
    h.set_upload_id("u-1");
    h.set_row_count(3000);
    *h.mutable_source() = file;
    for (const char* col : {"test_time_second", "voltage_volt", "current_ampere", "cycle_count"}) {
      h.add_columns()->set_name(col);
    }
    v1::UploadSeriesResponse resp;
    ASSERT_TRUE(aist->UploadSeries(
                        h, 500,
                        [](int64_t first, int64_t n, v1::SeriesChunk* chunk) {
                          const char* names[] = {"test_time_second", "voltage_volt",
                                                 "current_ampere", "cycle_count"};
                          for (int k = 0; k < 4; ++k) {
                            auto* col = chunk->add_columns();
                            col->set_name(names[k]);
                            for (int64_t r = first; r < first + n; ++r) {
                              const bool charge = (r % 100) < 50;
                              const double v[] = {r * 10.0, 3.5 + (charge ? 0.001 : -0.001) * (r % 50),
                                                  charge ? 0.5 : -0.5, static_cast<double>(r / 100 + 1)};
                              col->add_values(v[k]);
                            }
                          }
                        },
                        nullptr, &resp)
                    .ok());
  }
  client::SyncSummary summary = Sync();
  EXPECT_EQ(summary.applied, 2);
  EXPECT_EQ(summary.series, 1) << "the FULL-tier test only";
  EXPECT_EQ(summary.rows, 3000);
  auto read_all = [](client::HubClient& c, const std::string& name, grpc::Status* st) {
    std::string bytes;
    v1::ReadSeriesRequest r;
    r.set_name(name);
    *st = c.ReadSeries(r, [&](const v1::SeriesChunk& chunk) {
      bytes += chunk.SerializeAsString();
      return true;
    });
    return bytes;
  };
  grpc::Status there_status, here_status;
  auto nrc_there = Client("nrc-viewer");
  auto nrc_here = AtNrc("nrc-viewer");
  const std::string full = "institutions/aist/cellTests/full";
  const std::string there = read_all(*nrc_there, full, &there_status);
  const std::string here = read_all(*nrc_here, full, &here_status);
  ASSERT_TRUE(there_status.ok()) << there_status.error_message();
  ASSERT_TRUE(here_status.ok()) << here_status.error_message();
  EXPECT_EQ(here, there);
  EXPECT_GT(here.size(), 3000u * 8);
  std::string back;
  ASSERT_TRUE(nrc_here->ReadRawFile(full, file.sha256(), &back).ok());
  EXPECT_EQ(back, raw);
  v1::ListCycleSummariesRequest lc;
  lc.set_name(full);
  v1::ListCycleSummariesResponse cycles_here, cycles_there;
  ASSERT_TRUE(nrc_here->ListCycleSummaries(lc, &cycles_here).ok());
  ASSERT_TRUE(nrc_there->ListCycleSummaries(lc, &cycles_there).ok());
  EXPECT_EQ(cycles_here.SerializeAsString(), cycles_there.SerializeAsString());
  // The SUMMARY-tier test came without rows or raw files.
  const std::string summary_name = "institutions/aist/cellTests/summary";
  read_all(*nrc_here, summary_name, &here_status);
  EXPECT_EQ(here_status.error_code(), StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(nrc_here->ReadRawFile(summary_name, file.sha256(), &back).error_code(),
            StatusCode::PERMISSION_DENIED);
  // A second run copies nothing again; verify checks the replica's series.
  EXPECT_EQ(Sync().series, 0);
  v1::LedgerReport report;
  ASSERT_TRUE(AtNrc("admin")->VerifyLedger(&report).ok());
  EXPECT_EQ(report.first_break(), "");
  EXPECT_EQ(report.series_checked(), 1u);
  // Blocks outside the replica's series are refused.
  v1::ApplySeriesResponse resp;
  grpc::Status st = AtNrc("admin")->ApplySeries(
      "aist-hub", full,
      [](v1::SeriesBlocks* out) {
        v1::RawFilePart* part = out->add_blocks()->mutable_raw_file_part();
        part->set_sha256(std::string(64, 'e'));  // a raw file the series does not name
        part->set_data("x");
        return false;
      },
      &resp);
  EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT) << st.error_message();
  // So is a block of no kind this hub knows (a raw key of an older release).
  st = AtNrc("admin")->ApplySeries(
      "aist-hub", full,
      [](v1::SeriesBlocks* out) {
        out->add_blocks();
        return false;
      },
      &resp);
  EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT) << st.error_message();
  // So are chunks out of key order (they are loaded as one sorted file).
  st = AtNrc("admin")->ApplySeries(
      "aist-hub", full,
      [&](v1::SeriesBlocks* out) {
        for (int64_t row : {10, 0}) {
          v1::SeriesColumnBlock* c = out->add_blocks()->mutable_column();
          c->set_first_row(row);
          c->set_column("voltage_volt");
          c->set_encoded("x");
        }
        return false;
      },
      &resp);
  EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(st.error_message().find("key order"), std::string::npos) << st.error_message();
  // The refused stream leaves the replica's series pending (it replaced the
  // old one as it came), never a mix: reads say so, and the next sync
  // copies it again.
  EXPECT_EQ(nrc_here->ReadRawFile(full, file.sha256(), &back).error_code(),
            StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Sync().series, 1);
  ASSERT_TRUE(nrc_here->ReadRawFile(full, file.sha256(), &back).ok());
  EXPECT_EQ(read_all(*nrc_here, full, &here_status), there);

  // The SUMMARY-tier test opens to FULL: its series comes, naming the same
  // raw file, stored once.
  v1::UpdateRecordAccessRequest widen;
  widen.set_name(summary_name);
  *widen.mutable_access() = GrantNrc(v1::TIER_FULL, false);
  v1::RecordAccess ra;
  ASSERT_TRUE(Client("aist-steward")->UpdateRecordAccess(widen, &ra).ok());
  EXPECT_EQ(Sync().series, 1);
  ASSERT_TRUE(nrc_here->ReadRawFile(summary_name, file.sha256(), &back).ok());

  // Revoked at the origin: the replica goes, and its rows with it; the raw
  // file stays while the other replica names it, and goes with the last.
  v1::UpdateRecordAccessRequest revoke;
  revoke.set_name(full);
  *revoke.mutable_access() = Private();
  ASSERT_TRUE(Client("aist-steward")->UpdateRecordAccess(revoke, &ra).ok());
  EXPECT_EQ(Sync().withdrawn, 1);
  int left = 0;
  ASSERT_TRUE(nrc_hub_->store()
                  ->ScanRaw(storage::ColumnFamily::kSeries, storage::SeriesChunkPrefix(full), "",
                            [&](absl::string_view, absl::string_view) {
                              ++left;
                              return true;
                            })
                  .ok());
  EXPECT_EQ(left, 0);
  ASSERT_TRUE(nrc_here->ReadRawFile(summary_name, file.sha256(), &back).ok());
  EXPECT_EQ(back, raw);
  auto blob_parts = [&] {
    int parts = 0;
    EXPECT_TRUE(nrc_hub_->store()
                    ->ScanRaw(storage::ColumnFamily::kBlobs, storage::BlobPartPrefix(file.sha256()),
                              "",
                              [&](absl::string_view, absl::string_view) {
                                ++parts;
                                return true;
                              })
                    .ok());
    return parts;
  };
  EXPECT_EQ(blob_parts(), 1);
  revoke.set_name(summary_name);
  ASSERT_TRUE(Client("aist-steward")->UpdateRecordAccess(revoke, &ra).ok());
  EXPECT_EQ(Sync().withdrawn, 1);
  EXPECT_EQ(blob_parts(), 0) << "no record here names the raw file any more";
  EXPECT_FALSE(nrc_hub_->store()
                   ->GetRaw(storage::ColumnFamily::kBlobs, storage::BlobMetaKey(file.sha256()))
                   ->has_value());
  // The origin keeps its own.
  ASSERT_TRUE(Client("aist-submitter")->ReadRawFile(full, file.sha256(), &back).ok());
}

}  // namespace
}  // namespace batteryhub::testing

namespace batteryhub::testing {
namespace {

// GetHubInfo names the hub and its software version to anyone; the ledger
// length to admins only.
TEST_F(SyncTest, HubInfoCarriesTheVersion) {
  v1::HubInfo info;
  ASSERT_TRUE(Client("nrc-viewer")->GetHubInfo(&info).ok());
  EXPECT_EQ(info.version(), kVersion);
  EXPECT_FALSE(info.hub_id().empty());
  EXPECT_EQ(info.last_sequence(), 0u);
}

}  // namespace
}  // namespace batteryhub::testing
