// Series ingest in the domain layer, over a temporary store and a message
// source made here (no server): an upload in chunks commits the series and
// a new revision with summaries; an upload cut short resumes where it
// stopped; refused input aborts it and leaves nothing; a raw file is kept
// only when its bytes match its header; only the owner's submitters upload.
#include <cmath>
#include <deque>

#include "core/sha256.h"
#include "domain/series_ingest.h"
#include "storage/series_store.h"
#include "tests/domain/domain_fixture.h"

namespace batteryhub::testing {
namespace {

namespace v1 = ::batteryhub::v1;

class SeriesIngestTest : public DomainFixture {
 protected:
  void SetUp() override {
    DomainFixture::SetUp();
    v1::CellTest t;
    t.mutable_cell()->set_form_factor(v1::FORM_FACTOR_COIN);
    t.mutable_cell()->set_chemistry("NMC811/graphite");
    t.mutable_cell()->mutable_nominal_capacity()->set_value(0.1);
    t.mutable_cell()->mutable_nominal_capacity()->set_unit("Ah");
    t.mutable_protocol()->mutable_temperature()->set_value(25);
    t.mutable_protocol()->mutable_temperature()->set_unit("degC");
    absl::StatusOr<v1::CellTest> made =
        cell_tests().Create(Submitter(), "institutions/nrc", t, "ct", {});
    ASSERT_TRUE(made.ok()) << made.status();
    ingest_ = std::make_unique<SeriesIngest>(hub());
  }
  void TearDown() override {
    ingest_.reset();
    DomainFixture::TearDown();
  }
  static Principal Submitter() { return Caller("nrc", v1::ROLE_SUBMITTER); }

  // An upload of `rows` rows (two cycles: charge then discharge, twice) in
  // chunks of `chunk` rows.
  static std::deque<v1::UploadSeriesRequest> Messages(int rows, int chunk, const std::string& id) {
    std::deque<v1::UploadSeriesRequest> out;
    v1::UploadHeader* h = out.emplace_back().mutable_header();
    h->set_cell_test(kTest);
    h->set_upload_id(id);
    h->set_row_count(rows);
    for (const char* c : {"test_time_second", "voltage_volt", "current_ampere", "cycle_count"}) {
      h->add_columns()->set_name(c);
    }
    for (int first = 0; first < rows; first += chunk) {
      v1::SeriesChunk* c = out.emplace_back().mutable_chunk();
      c->set_first_row(first);
      for (int k = 0; k < 4; ++k) c->add_columns()->set_name(h->columns(k).name());
      for (int r = first; r < std::min(rows, first + chunk); ++r) {
        const int cycle = 1 + 2 * r / rows;
        const bool charging = (r * 4 / rows) % 2 == 0;
        c->mutable_columns(0)->add_values(r * 10.0);
        c->mutable_columns(1)->add_values(3.6 + (charging ? 0.3 : -0.3) * std::sin(r * 0.01));
        c->mutable_columns(2)->add_values(charging ? 0.01 : -0.01);
        c->mutable_columns(3)->add_values(cycle);
      }
    }
    return out;
  }
  static MessageSource<v1::UploadSeriesRequest> From(std::deque<v1::UploadSeriesRequest>* q,
                                                     size_t stop_after = SIZE_MAX) {
    return [q, stop_after, sent = size_t{0}](v1::UploadSeriesRequest* m) mutable {
      if (q->empty() || sent == stop_after) return false;
      *m = std::move(q->front());
      q->pop_front();
      ++sent;
      return true;
    };
  }

  static constexpr const char* kTest = "institutions/nrc/cellTests/ct";
  std::unique_ptr<SeriesIngest> ingest_;
};

TEST_F(SeriesIngestTest, AnUploadInChunksCommitsTheSeriesAndSummaries) {
  auto messages = Messages(4000, 700, "u1");
  v1::UploadSeriesResponse out;
  ASSERT_TRUE(ingest_->Upload(Submitter(), From(&messages), &out).ok());
  EXPECT_TRUE(out.complete());
  EXPECT_EQ(out.committed_rows(), 4000);
  EXPECT_EQ(out.cell_test_record().series().row_count(), 4000);
  EXPECT_EQ(out.cell_test_record().summary().cycle_count(), 2);
  absl::StatusOr<v1::CellTest> stored = cell_tests().Get(Submitter(), kTest);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->series().digest(), out.cell_test_record().series().digest());
  // The digest is the chain over what is stored.
  storage::SeriesStore series(&store());
  EXPECT_EQ(*series.SeriesDigest(storage::SeriesIdOf(*stored)), stored->series().digest());
}

TEST_F(SeriesIngestTest, AnUploadCutShortResumesWhereItStopped) {
  auto messages = Messages(3000, 500, "u1");
  v1::UploadSeriesResponse out;
  ASSERT_TRUE(ingest_->Upload(Submitter(), From(&messages, 3), &out).ok());  // header + 2 chunks
  EXPECT_FALSE(out.complete());
  EXPECT_EQ(out.committed_rows(), 1000);
  v1::GetUploadStatusRequest status_request;
  status_request.set_cell_test(kTest);
  status_request.set_upload_id("u1");
  v1::UploadStatus status;
  ASSERT_TRUE(ingest_->UploadStatus(Submitter(), status_request, &status).ok());
  EXPECT_EQ(status.committed_rows(), 1000);
  // Resumed from the start: the chunks it has are skipped.
  auto again = Messages(3000, 500, "u1");
  ASSERT_TRUE(ingest_->Upload(Submitter(), From(&again), &out).ok());
  EXPECT_TRUE(out.complete());
  EXPECT_EQ(out.cell_test_record().series().row_count(), 3000);
}

TEST_F(SeriesIngestTest, RefusedInputAbortsTheUploadAndLeavesNothing) {
  auto messages = Messages(2000, 500, "u1");
  messages[2].mutable_chunk()->mutable_columns(1)->set_values(7, std::nan(""));  // a voltage
  v1::UploadSeriesResponse out;
  absl::Status refused = ingest_->Upload(Submitter(), From(&messages), &out);
  ASSERT_TRUE(absl::IsInvalidArgument(refused)) << refused;
  EXPECT_NE(refused.message().find("row 507"), std::string::npos) << refused;
  EXPECT_NE(refused.message().find("aborted"), std::string::npos) << refused;
  absl::StatusOr<v1::CellTest> stored = cell_tests().Get(Submitter(), kTest);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->series().row_count(), 0);
  storage::SeriesStore series(&store());
  EXPECT_EQ(*series.SeriesDigest(storage::SeriesIdOf(*stored)), "");
  // The test is free: a new upload goes in.
  auto fresh = Messages(2000, 500, "u2");
  ASSERT_TRUE(ingest_->Upload(Submitter(), From(&fresh), &out).ok());
  EXPECT_TRUE(out.complete());
}

TEST_F(SeriesIngestTest, OnlyTheOwnersSubmittersUploadAndOthersSeeNoTest) {
  auto messages = Messages(100, 100, "u1");
  v1::UploadSeriesResponse out;
  EXPECT_TRUE(absl::IsPermissionDenied(
      ingest_->Upload(Caller("nrc", v1::ROLE_VIEWER), From(&messages), &out)));
  messages = Messages(100, 100, "u1");
  // Another institution: the test does not exist for it (private by default).
  const absl::Status other = ingest_->Upload(Caller("aist", v1::ROLE_SUBMITTER), From(&messages), &out);
  EXPECT_TRUE(absl::IsNotFound(other) || absl::IsPermissionDenied(other)) << other;
}

TEST_F(SeriesIngestTest, ARawFileIsKeptOnlyWhenItsBytesMatchItsHeader) {
  const std::string bytes(3 << 20, 'r');  // more than one part
  auto upload = [&](const std::string& sent, const std::string& sha256) {
    std::deque<v1::UploadRawFileRequest> q;
    v1::UploadRawFileRequest& first = q.emplace_back();
    first.set_cell_test(kTest);
    first.mutable_header()->set_sha256(sha256);
    first.mutable_header()->set_size_bytes(static_cast<int64_t>(bytes.size()));
    first.mutable_header()->set_file_name("run.csv");
    for (size_t off = 0; off < sent.size(); off += 100000) q.emplace_back().set_data(sent.substr(off, 100000));
    v1::SourceFile out;
    absl::Status s = ingest_->StoreRawFile(Submitter(), [&q](v1::UploadRawFileRequest* m) {
      if (q.empty()) return false;
      *m = std::move(q.front());
      q.pop_front();
      return true;
    }, &out);
    return s;
  };
  std::string altered = bytes;
  altered[12345] = 's';
  EXPECT_TRUE(absl::IsInvalidArgument(upload(altered, Sha256Hex(bytes))));
  storage::SeriesStore series(&store());
  EXPECT_FALSE(series.LoadBlob(Sha256Hex(bytes))->has_value());
  ASSERT_TRUE(upload(bytes, Sha256Hex(bytes)).ok());
  std::string back;
  ASSERT_TRUE(series.ReadBlob(Sha256Hex(bytes), [&](absl::string_view d) {
                back.append(d.data(), d.size());
                return true;
              }).ok());
  EXPECT_EQ(back, bytes);
}

}  // namespace
}  // namespace batteryhub::testing
