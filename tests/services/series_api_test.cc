// Integration tests of SeriesService over a real gRPC server: upload,
// resume, idempotence, reads, summaries, raw files, visibility.
#include <bit>
#include <cmath>

#include <random>

#include "core/series_decimation.h"
#include "core/sha256.h"
#include "storage/keys.h"
#include "tests/services/hub_fixture.h"

namespace batteryhub::testing {
namespace {

namespace v1 = ::batteryhub::v1;
using grpc::StatusCode;

// A series of `cycles` cycles, 100 rows each: charge at +0.5 A then
// discharge at -0.5 A, with cycle and temperature columns.
struct Series {
  std::vector<std::pair<std::string, std::vector<double>>> columns;
  explicit Series(int cycles) {
    std::vector<double> t, v, i, c, temp;
    for (int k = 0; k < cycles * 100; ++k) {
      const bool charge = (k % 100) < 50;
      t.push_back(k * 10.0);
      i.push_back(charge ? 0.5 : -0.5);
      v.push_back(std::round((3.2 + (charge ? 0.01 : -0.01) * (k % 50)) * 1e4) / 1e4);
      c.push_back(k / 100 + 1);
      temp.push_back(25 + (k % 7) * 0.1);
    }
    columns = {{"test_time_second", t}, {"voltage_volt", v}, {"current_ampere", i},
               {"cycle_count", c}, {"surface_temperature_celsius", temp}};
  }
  int64_t rows() const { return static_cast<int64_t>(columns[0].second.size()); }
  void Fill(int64_t first, int64_t n, v1::SeriesChunk* chunk) const {
    for (const auto& [name, values] : columns) {
      auto* col = chunk->add_columns();
      col->set_name(name);
      col->mutable_values()->Add(values.begin() + first, values.begin() + first + n);
    }
  }
  v1::UploadHeader Header(const std::string& test, const std::string& id) const {
    v1::UploadHeader h;
    h.set_cell_test(test);
    h.set_upload_id(id);
    h.set_row_count(rows());
    for (const auto& [name, values] : columns) h.add_columns()->set_name(name);
    return h;
  }
};

class SeriesApiTest : public HubFixture {
 protected:
  void SetUp() override {
    HubFixture::SetUp();
    nrc_ = Client("nrc-submitter");
    for (const char* id : {"ct-1", "ct-2"}) ASSERT_TRUE(CreateTest(id).ok());
  }

  // A coin cell test `institutions/nrc/cellTests/{id}`.
  grpc::Status CreateTest(const std::string& id) {
    v1::CreateCellTestRequest req;
    req.set_parent("institutions/nrc");
    req.set_cell_test_id(id);
    auto* t = req.mutable_cell_test();
    t->mutable_cell()->set_form_factor(v1::FORM_FACTOR_COIN);
    t->mutable_cell()->set_chemistry("NMC811/graphite");
    t->mutable_cell()->mutable_nominal_capacity()->set_value(0.1);
    t->mutable_cell()->mutable_nominal_capacity()->set_unit("Ah");
    t->mutable_protocol()->mutable_temperature()->set_value(25);
    t->mutable_protocol()->mutable_temperature()->set_unit("degC");
    v1::CellTest out;
    return nrc_->CreateCellTest(req, &out);
  }

  grpc::Status Upload(const Series& s, const std::string& test, const std::string& id,
                      v1::UploadSeriesResponse* out, int64_t chunk_rows = 64) {
    return nrc_->UploadSeries(
        s.Header(test, id), chunk_rows,
        [&](int64_t first, int64_t n, v1::SeriesChunk* c) { s.Fill(first, n, c); }, nullptr, out);
  }

  std::map<std::string, std::vector<double>> ReadAll(client::HubClient& c, v1::ReadSeriesRequest req,
                                                     grpc::Status* status) {
    std::map<std::string, std::vector<double>> out;
    *status = c.ReadSeries(req, [&](const v1::SeriesChunk& chunk) {
      for (const auto& col : chunk.columns()) {
        out[col.name()].insert(out[col.name()].end(), col.values().begin(), col.values().end());
      }
      return true;
    });
    return out;
  }

  const std::string kTest = "institutions/nrc/cellTests/ct-1";
  std::unique_ptr<client::HubClient> nrc_;
};

TEST_F(SeriesApiTest, UploadThenReadBackBitExactWithSummaries) {
  Series s(5);
  v1::UploadSeriesResponse resp;
  ASSERT_TRUE(Upload(s, kTest, "up-1", &resp).ok());
  EXPECT_TRUE(resp.complete());
  const v1::CellTest& t = resp.cell_test_record();
  EXPECT_EQ(t.revision_id(), "2");
  EXPECT_EQ(t.series().row_count(), 500);
  EXPECT_EQ(t.summary().cycle_count(), 5);
  EXPECT_GT(t.summary().initial_discharge_capacity().value(), 0);
  EXPECT_EQ(t.provenance().derivation(), "batteryhub.coulomb-count/1");
  grpc::Status st;
  auto back = ReadAll(*nrc_, [&] { v1::ReadSeriesRequest r; r.set_name(kTest); return r; }(), &st);
  ASSERT_TRUE(st.ok()) << st.error_message();
  for (const auto& [name, values] : s.columns) {
    ASSERT_EQ(back[name].size(), values.size()) << name;
    for (size_t k = 0; k < values.size(); ++k) {
      ASSERT_EQ(std::bit_cast<uint64_t>(back[name][k]), std::bit_cast<uint64_t>(values[k])) << name;
    }
  }
  v1::ListCycleSummariesRequest lc;
  lc.set_name(kTest);
  lc.set_page_size(2);
  v1::ListCycleSummariesResponse cycles;
  ASSERT_TRUE(nrc_->ListCycleSummaries(lc, &cycles).ok());
  ASSERT_EQ(cycles.cycles_size(), 2);
  EXPECT_EQ(cycles.cycles(1).cycle(), 2);
  EXPECT_EQ(cycles.cycles(1).first_row(), 100);
  EXPECT_NEAR(cycles.cycles(0).max_temperature_celsius(), 25.6, 1e-9);
  EXPECT_FALSE(cycles.next_page_token().empty());
}

// The hub runs the series checks on what it receives, chunk by chunk: the
// findings are the record's (output only), whatever the chunk size.
TEST_F(SeriesApiTest, TheHubsChecksFindWhatIsWrongInTheRows) {
  Series clean(2);
  v1::UploadSeriesResponse resp;
  ASSERT_TRUE(Upload(clean, kTest, "clean", &resp).ok());
  EXPECT_EQ(resp.cell_test_record().series().findings_size(), 0);
  Series bad(2);
  auto& time = bad.columns[0].second;
  time[130] = time[129] - 5;  // back in time
  time[131] = time[130];      // and a row at the same time
  const std::string test = "institutions/nrc/cellTests/ct-2";
  ASSERT_TRUE(Upload(bad, test, "bad", &resp, /*chunk_rows=*/7).ok());
  const auto& findings = resp.cell_test_record().series().findings();
  ASSERT_EQ(findings.size(), 2);
  EXPECT_EQ(findings[0].check(), "time-backwards");
  EXPECT_EQ(findings[0].severity(), v1::FINDING_SEVERITY_WARNING);
  EXPECT_EQ(findings[0].first_row(), 130);
  EXPECT_EQ(findings[1].check(), "same-time");
  EXPECT_EQ(findings[1].first_row(), 131);
  v1::CellTest got;
  ASSERT_TRUE(nrc_->GetCellTest(test, &got).ok());
  EXPECT_EQ(got.series().findings_size(), 2);
}

TEST_F(SeriesApiTest, ProjectionAndCycleRanges) {
  Series s(4);
  v1::UploadSeriesResponse resp;
  ASSERT_TRUE(Upload(s, kTest, "up-1", &resp, 70).ok());
  v1::ReadSeriesRequest req;
  req.set_name(kTest);
  req.add_columns("voltage_volt");
  req.add_columns("test_time_second");
  req.set_start_cycle(2);
  req.set_end_cycle(3);
  grpc::Status st;
  auto back = ReadAll(*nrc_, req, &st);
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(back.size(), 2u);
  ASSERT_EQ(back["test_time_second"].size(), 200u);
  EXPECT_EQ(back["test_time_second"].front(), 1000);
  EXPECT_EQ(back["test_time_second"].back(), 2990);
  req.clear_columns();
  req.add_columns("colour");
  ReadAll(*nrc_, req, &st);
  EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT);
  v1::ReadSeriesRequest rows;
  rows.set_name(kTest);
  rows.set_start_row(65);
  rows.set_end_row(75);
  back = ReadAll(*nrc_, rows, &st);
  ASSERT_EQ(back["test_time_second"].size(), 10u);
  EXPECT_EQ(back["test_time_second"][0], 650);
}

TEST_F(SeriesApiTest, InterruptedUploadResumesAndDuplicatesChangeNothing) {
  Series s(3);
  // Send the header and two chunks, then drop the stream.
  {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer nrc-submitter");
    v1::UploadSeriesResponse resp;
    auto stub = v1::SeriesService::NewStub(grpc::CreateChannel(hub_->address(), grpc::InsecureChannelCredentials()));
    auto writer = stub->UploadSeries(&ctx, &resp);
    v1::UploadSeriesRequest msg;
    *msg.mutable_header() = s.Header(kTest, "up-1");
    ASSERT_TRUE(writer->Write(msg));
    for (int64_t first : {0, 50, 50}) {  // the second chunk twice
      msg.Clear();
      s.Fill(first, 50, msg.mutable_chunk());
      msg.mutable_chunk()->set_first_row(first);
      ASSERT_TRUE(writer->Write(msg));
    }
    writer->WritesDone();
    ASSERT_TRUE(writer->Finish().ok());
    EXPECT_EQ(resp.committed_rows(), 100);
    EXPECT_FALSE(resp.complete());
  }
  v1::UploadStatus status;
  ASSERT_TRUE(nrc_->GetUploadStatus(kTest, "up-1", &status).ok());
  EXPECT_EQ(status.committed_rows(), 100);
  // Another upload cannot start while this one is open.
  v1::UploadSeriesResponse other;
  EXPECT_EQ(Upload(s, kTest, "up-2", &other).error_code(), StatusCode::FAILED_PRECONDITION);
  // Resuming sends only the rest.
  v1::UploadSeriesResponse done;
  ASSERT_TRUE(Upload(s, kTest, "up-1", &done).ok());
  EXPECT_TRUE(done.complete());
  EXPECT_EQ(done.cell_test_record().series().row_count(), 300);
  EXPECT_EQ(done.cell_test_record().summary().cycle_count(), 3);
  // The same upload again: already complete, nothing appended.
  v1::UploadSeriesResponse again;
  ASSERT_TRUE(Upload(s, kTest, "up-1", &again).ok());
  EXPECT_EQ(again.cell_test_record().series().row_count(), 300);
  EXPECT_EQ(again.cell_test_record().revision_id(), done.cell_test_record().revision_id());
  // An append under a new id extends the series and the summaries.
  ASSERT_TRUE(Upload(s, kTest, "up-3", &again).ok());
  EXPECT_EQ(again.cell_test_record().series().row_count(), 600);
  EXPECT_EQ(again.cell_test_record().series().sources_size(), 2);
}

TEST_F(SeriesApiTest, UploadFromTheFileOfAnotherUploadIdWithOtherHeaderIsRefused) {
  Series s(1);
  v1::UploadSeriesResponse resp;
  ASSERT_TRUE(Upload(s, kTest, "up-1", &resp).ok());
  v1::UploadHeader h = s.Header(kTest, "up-1");
  h.set_row_count(50);
  grpc::Status st = nrc_->UploadSeries(h, 64, [&](int64_t f, int64_t n, v1::SeriesChunk* c) { s.Fill(f, n, c); },
                                       nullptr, &resp);
  EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT);
}

TEST_F(SeriesApiTest, BadChunksAreRefusedPrecisely) {
  Series s(1);
  v1::UploadHeader h = s.Header(kTest, "up-1");
  h.add_columns()->set_name("flux_capacitance");
  v1::UploadSeriesResponse resp;
  grpc::Status st = nrc_->UploadSeries(h, 64, [&](int64_t f, int64_t n, v1::SeriesChunk* c) { s.Fill(f, n, c); },
                                       nullptr, &resp);
  ASSERT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(client::ParseErrorDetails(st).field_violations.at(0).first, "header.columns[5].name");
  // NaN voltage in row 7.
  Series bad(1);
  bad.columns[1].second[7] = std::nan("");
  st = Upload(bad, kTest, "up-2", &resp);
  ASSERT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(st.error_message().find("row 7: voltage_volt must be a finite number"), std::string::npos)
      << st.error_message();
}

TEST_F(SeriesApiTest, ReadsFollowVisibilityAndUploadsNeedWriteAccess) {
  Series s(1);
  v1::UploadSeriesResponse resp;
  ASSERT_TRUE(Upload(s, kTest, "up-1", &resp).ok());
  auto aist = Client("aist-steward");
  grpc::Status st;
  v1::ReadSeriesRequest req;
  req.set_name(kTest);
  ReadAll(*aist, req, &st);
  EXPECT_EQ(st.error_code(), StatusCode::PERMISSION_DENIED);  // private test
  v1::ListCycleSummariesRequest lc;
  lc.set_name(kTest);
  v1::ListCycleSummariesResponse cycles;
  EXPECT_EQ(aist->ListCycleSummaries(lc, &cycles).error_code(), StatusCode::PERMISSION_DENIED);
  v1::UploadSeriesResponse denied;
  st = Client("nrc-viewer")->UploadSeries(s.Header("institutions/nrc/cellTests/ct-2", "x"), 64,
                                          [&](int64_t f, int64_t n, v1::SeriesChunk* c) { s.Fill(f, n, c); },
                                          nullptr, &denied);
  EXPECT_EQ(st.error_code(), StatusCode::PERMISSION_DENIED);
}

TEST_F(SeriesApiTest, RawFilesAreCheckedEndToEnd) {
  const std::string bytes(3 << 20, 'x');  // spans several parts
  v1::SourceFile header;
  header.set_file_name("export.csv");
  header.set_size_bytes(static_cast<int64_t>(bytes.size()));
  header.set_sha256(Sha256Hex(bytes));
  v1::SourceFile stored;
  ASSERT_TRUE(nrc_->UploadRawFile(kTest, header, bytes, &stored).ok());
  // A wrong digest is refused and leaves nothing.
  v1::SourceFile wrong = header;
  wrong.set_sha256(Sha256Hex("other"));
  grpc::Status st = nrc_->UploadRawFile(kTest, wrong, bytes, &stored);
  EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT);
  // Rows that name the raw file make it downloadable from the test.
  Series s(1);
  v1::UploadHeader h = s.Header(kTest, "up-1");
  *h.mutable_source() = header;
  v1::UploadSeriesResponse resp;
  ASSERT_TRUE(nrc_->UploadSeries(h, 64, [&](int64_t f, int64_t n, v1::SeriesChunk* c) { s.Fill(f, n, c); },
                                 nullptr, &resp).ok());
  std::string back;
  ASSERT_TRUE(nrc_->ReadRawFile(kTest, header.sha256(), &back).ok());
  EXPECT_EQ(back, bytes);
  EXPECT_EQ(nrc_->ReadRawFile(kTest, Sha256Hex("other"), &back).error_code(), StatusCode::NOT_FOUND);
}

TEST_F(SeriesApiTest, VerifyFindsTamperingWithRecordsAndSeries) {
  Series s(2);
  v1::UploadSeriesResponse resp;
  ASSERT_TRUE(Upload(s, kTest, "up-1", &resp).ok());
  auto admin = Client("admin");
  v1::LedgerReport report;
  ASSERT_TRUE(admin->VerifyLedger(&report).ok());
  EXPECT_EQ(report.first_break(), "");
  EXPECT_EQ(report.entries(), 3u);  // two creates, one series append
  EXPECT_EQ(report.series_checked(), 1u);
  EXPECT_EQ(nrc_->VerifyLedger(&report).error_code(), StatusCode::PERMISSION_DENIED);

  // Flip one stored value of the series behind the hub's back.
  std::string key = storage::SeriesChunkKey(kTest, 0, "voltage_volt");
  auto value = hub_->store()->GetRaw(storage::ColumnFamily::kSeries, key);
  ASSERT_TRUE(value.ok() && value->has_value());
  std::string tampered = **value;
  tampered.back() ^= 1;
  ASSERT_TRUE(hub_->store()->WriteRaw({{storage::ColumnFamily::kSeries, key, tampered}}).ok());
  ASSERT_TRUE(admin->VerifyLedger(&report).ok());
  EXPECT_NE(report.first_break().find("stored series does not match"), std::string::npos)
      << report.first_break();

  // Alter a stored revision: its content digest no longer matches.
  ASSERT_TRUE(hub_->store()->WriteRaw({{storage::ColumnFamily::kSeries, key, **value}}).ok());
  auto rec = hub_->store()->Get(storage::v1::RECORD_KIND_CELL_TEST, kTest, 1);
  ASSERT_TRUE(rec.ok());
  v1::CellTest t;
  ASSERT_TRUE(t.ParseFromString(rec->resource()));
  t.mutable_cell()->set_chemistry("LFP/graphite");
  storage::StoredRecord forged = *rec;
  forged.set_resource(t.SerializeAsString());
  ASSERT_TRUE(hub_->store()
                  ->WriteRaw({{storage::ColumnFamily::kRevisions,
                               storage::RevisionKey(storage::v1::RECORD_KIND_CELL_TEST, kTest, 1),
                               forged.SerializeAsString()}})
                  .ok());
  ASSERT_TRUE(admin->VerifyLedger(&report).ok());
  EXPECT_NE(report.first_break().find("ct-1@1"), std::string::npos) << report.first_break();
}

}  // namespace
}  // namespace batteryhub::testing

namespace batteryhub::testing {
namespace {

// Withdrawing a cell test (AIP-164 soft delete): stewards of its owner only,
// a revision that stays readable, no updates or rows until restored.
TEST_F(SeriesApiTest, AWithdrawnCellTestStaysReadableAndTakesNothingUntilRestored) {
  Series s(2);
  v1::UploadSeriesResponse resp;
  ASSERT_TRUE(Upload(s, kTest, "up-w1", &resp).ok());
  auto steward = Client("nrc-steward");
  v1::DeleteCellTestRequest del;
  del.set_name(kTest);
  v1::CellTest out;
  // A submitter may not; another institution learns nothing.
  grpc::Status denied = nrc_->DeleteCellTest(del, &out);
  EXPECT_EQ(denied.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  grpc::Status other = Client("aist-steward")->DeleteCellTest(del, &out);
  v1::DeleteCellTestRequest none = del;
  none.set_name("institutions/nrc/cellTests/none");
  grpc::Status absent = Client("aist-steward")->DeleteCellTest(none, &out);
  EXPECT_EQ(other.error_code(), absent.error_code());
  // A dry run stores nothing.
  del.set_validate_only(true);
  ASSERT_TRUE(steward->DeleteCellTest(del, &out).ok());
  EXPECT_TRUE(out.has_delete_time());
  v1::CellTest got;
  ASSERT_TRUE(nrc_->GetCellTest(kTest, &got).ok());
  EXPECT_FALSE(got.has_delete_time());
  del.set_validate_only(false);
  ASSERT_TRUE(steward->DeleteCellTest(del, &out).ok());
  EXPECT_TRUE(out.has_delete_time());
  EXPECT_EQ(out.revision_id(), "3");
  EXPECT_EQ(out.series().row_count(), 200);  // the rows stay
  EXPECT_EQ(steward->DeleteCellTest(del, &out).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  // Readable by name, left out of List unless show_deleted.
  ASSERT_TRUE(nrc_->GetCellTest(kTest, &got).ok());
  EXPECT_TRUE(got.has_delete_time());
  v1::ListCellTestsRequest list;
  list.set_parent("institutions/nrc");
  v1::ListCellTestsResponse listed;
  ASSERT_TRUE(nrc_->ListCellTests(list, &listed).ok());
  ASSERT_EQ(listed.cell_tests_size(), 1);
  EXPECT_EQ(listed.cell_tests(0).name(), "institutions/nrc/cellTests/ct-2");
  list.set_show_deleted(true);
  ASSERT_TRUE(nrc_->ListCellTests(list, &listed).ok());
  EXPECT_EQ(listed.cell_tests_size(), 2);
  // No rows, no updates while withdrawn.
  Series more(1);
  grpc::Status rows = Upload(more, kTest, "up-w2", &resp);
  EXPECT_EQ(rows.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << rows.error_message();
  EXPECT_NE(rows.error_message().find("withdrawn"), std::string::npos);
  v1::UpdateCellTestRequest update;
  update.mutable_cell_test()->set_name(kTest);
  update.mutable_cell_test()->set_description("changed");
  update.mutable_update_mask()->add_paths("description");
  EXPECT_EQ(nrc_->UpdateCellTest(update, &out).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  // Restored: a fourth revision, rows taken again; restoring twice is ALREADY_EXISTS.
  v1::UndeleteCellTestRequest undel;
  undel.set_name(kTest);
  ASSERT_TRUE(steward->UndeleteCellTest(undel, &out).ok());
  EXPECT_FALSE(out.has_delete_time());
  EXPECT_EQ(out.revision_id(), "4");
  EXPECT_EQ(steward->UndeleteCellTest(undel, &out).error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_TRUE(nrc_->UpdateCellTest(update, &out).ok());
  // The withdrawn revision is in the history.
  v1::ListCellTestRevisionsRequest revs;
  revs.set_name(kTest);
  v1::ListCellTestRevisionsResponse history;
  ASSERT_TRUE(nrc_->ListCellTestRevisions(revs, &history).ok());
  ASSERT_EQ(history.cell_tests_size(), 5);
  EXPECT_TRUE(history.cell_tests(2).has_delete_time());  // newest first: 5, 4, 3
}

}  // namespace
}  // namespace batteryhub::testing

namespace batteryhub::testing {
namespace {

// A replacing upload starts a new series revision; the old rows stay
// readable through the cell test's revision that carried them.
TEST_F(SeriesApiTest, AReplacingUploadKeepsTheOldSeriesReadableAtItsRevision) {
  Series first(3), second(2);
  for (auto& [name, values] : second.columns) {
    if (name == "voltage_volt") {
      for (double& v : values) v += 0.1;  // another cell's file
    }
  }
  v1::UploadSeriesResponse resp;
  ASSERT_TRUE(Upload(first, kTest, "up-r1", &resp).ok());
  const std::string old_revision = resp.cell_test_record().revision_id();
  const std::string old_digest = resp.cell_test_record().series().digest();
  v1::UploadHeader header = second.Header(kTest, "up-r2");
  header.set_replace(true);
  grpc::Status st = nrc_->UploadSeries(
      header, 64, [&](int64_t a, int64_t n, v1::SeriesChunk* c) { second.Fill(a, n, c); },
      nullptr, &resp);
  ASSERT_TRUE(st.ok()) << st.error_message();
  const v1::CellTest& now = resp.cell_test_record();
  EXPECT_EQ(now.series().generation(), 1);
  EXPECT_EQ(now.series().row_count(), second.rows());
  EXPECT_EQ(now.summary().cycle_count(), 2);
  EXPECT_NE(now.series().digest(), old_digest);
  v1::ReadSeriesRequest req;
  req.set_name(kTest);
  req.add_columns("voltage_volt");
  auto current = ReadAll(*nrc_, req, &st);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(current["voltage_volt"], second.columns[1].second);
  req.set_name(kTest + "@" + old_revision);
  auto old = ReadAll(*nrc_, req, &st);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(old["voltage_volt"], first.columns[1].second);
  req.set_name(kTest + "@99");
  ReadAll(*nrc_, req, &st);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::NOT_FOUND);
  // Appends go to the new series; the ledger and the digests verify.
  Series more(1);
  for (auto& [name, values] : more.columns) {
    if (name == "test_time_second") {
      for (double& t : values) t += 1e6;
    }
  }
  ASSERT_TRUE(Upload(more, kTest, "up-r3", &resp).ok());
  EXPECT_EQ(resp.cell_test_record().series().row_count(), second.rows() + more.rows());
  v1::LedgerReport report;
  ASSERT_TRUE(Client("admin")->VerifyLedger(&report).ok());
  EXPECT_EQ(report.first_break(), "");
  EXPECT_EQ(report.series_checked(), 1);
}

// PlotSeries equals the decimation of every row, whatever the series: time
// in order (the hub then finds a window's rows by binary search), with
// repeated times and missing (NaN) values, or stepping back once (a pass
// over all rows), stored in chunks of any size; whole series and random
// windows, short series and one of a million rows (read in two halves on
// two threads). (A time must be finite: the upload refuses NaN.)
TEST_F(SeriesApiTest, PlotEqualsTheDecimationOfEveryRow) {
  std::mt19937 rng(23);
  for (int round = 0; round < 10; ++round) {
    const std::string id = "plot-" + std::to_string(round);
    ASSERT_TRUE(CreateTest(id).ok());
    // The last round is long enough for the hub to read it in two halves.
    const size_t n = round == 9 ? (size_t{1} << 20) + 4321 : 50 + rng() % 2500;
    const bool steps_back = round % 3 == 2;
    Series s(1);
    std::vector<double> time(n), volt(n), amp(n, 0.5), temp(n);
    double clock = static_cast<double>(rng() % 100);
    for (size_t k = 0; k < n; ++k) {
      clock += static_cast<double>(rng() % 4);  // 0: a repeated time
      time[k] = clock;
      volt[k] = 3 + static_cast<double>(rng() % 1000) / 1000;
      temp[k] = rng() % 40 == 0 ? NAN : 25 + static_cast<double>(rng() % 100) / 10;  // may be missing
    }
    if (steps_back) time[1 + rng() % (n - 2)] -= 50;
    s.columns = {{"test_time_second", time}, {"voltage_volt", volt}, {"current_ampere", amp},
                 {"surface_temperature_celsius", temp}};
    v1::UploadSeriesResponse resp;
    const std::string name = "institutions/nrc/cellTests/" + id;
    const int64_t chunk_rows = round == 9 ? 20000 + static_cast<int64_t>(rng() % 40000) : 1 + static_cast<int64_t>(rng() % 400);
    ASSERT_TRUE(Upload(s, name, "up", &resp, chunk_rows).ok());
    const auto& findings = resp.cell_test_record().series().findings();
    const bool found_back = std::any_of(findings.begin(), findings.end(),
                                        [](const v1::SeriesFinding& f) { return f.check() == "time-backwards"; });
    ASSERT_EQ(found_back, steps_back) << "round " << round;
    for (int q = 0; q < 12; ++q) {
      v1::PlotSeriesRequest plot;
      plot.set_name(name);
      plot.add_columns("voltage_volt");
      plot.add_columns("surface_temperature_celsius");
      const int buckets = 1 + static_cast<int>(rng() % 300);
      plot.set_buckets(buckets);
      double x0 = INFINITY, x1 = -INFINITY;
      for (double x : time) x0 = std::min(x0, x), x1 = std::max(x1, x);
      if (q % 3 != 0) {  // a window, its ends anywhere (also between rows, outside)
        const double a = x0 - 20 + static_cast<double>(rng() % static_cast<unsigned>(x1 - x0 + 40));
        const double b = a + static_cast<double>(rng() % static_cast<unsigned>(x1 - x0 + 40));
        x0 = a, x1 = b;
        plot.set_x_start(x0);
        plot.set_x_end(x1);
      }
      v1::SeriesPlot got;
      ASSERT_TRUE(nrc_->PlotSeries(plot, &got).ok());
      const std::string at = "round " + std::to_string(round) + " query " + std::to_string(q);
      EXPECT_EQ(got.x_start(), x0) << at;
      EXPECT_EQ(got.x_end(), x1) << at;
      int64_t window_rows = 0;
      for (double x : time) window_rows += x >= x0 && x <= x1;
      EXPECT_EQ(got.window_rows(), window_rows) << at;
      ASSERT_EQ(got.lines_size(), 2);
      bool decimated = false;
      for (int c = 0; c < 2; ++c) {
        const std::vector<double>& y = c == 0 ? volt : temp;
        MinMaxDecimator model(x0, x1, buckets);
        for (size_t k = 0; k < n; ++k) model.Add(time[k], y[k]);
        std::vector<double> mx, my;
        model.Points(&mx, &my);
        decimated |= model.decimated();
        EXPECT_EQ(std::vector<double>(got.lines(c).x().begin(), got.lines(c).x().end()), mx) << at;
        EXPECT_EQ(std::vector<double>(got.lines(c).y().begin(), got.lines(c).y().end()), my) << at;
      }
      EXPECT_EQ(got.decimated(), decimated) << at;
    }
  }
}

}  // namespace
}  // namespace batteryhub::testing
