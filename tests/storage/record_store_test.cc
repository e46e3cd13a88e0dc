#include "storage/record_store.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/sha256.h"

namespace batteryhub::storage {
namespace {

class RecordStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("bhub-store-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    auto store = RecordStore::Open(dir_.string());
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  // Commits a revision whose resource bytes are `body`.
  absl::StatusOr<CommitResult> Put(const std::string& name, const std::string& body,
                                   const std::string& request_id = "",
                                   std::map<std::string, std::string> labels = {}) {
    Mutation m{v1::RECORD_KIND_SAMPLE, name, v1::CHANGE_OPERATION_CREATE, "p", request_id,
               Sha256Hex(body), {}};
    return store_->Commit(m, [&](const StoredRecord*, const CommitInfo& info, StoredRecord* next) {
      next->set_owner("institutions/nrc");
      next->set_resource(body);
      next->set_content_digest(Sha256Hex(body));
      next->set_create_time_micros(info.commit_micros);
      next->set_update_time_micros(info.commit_micros);
      next->mutable_labels()->insert(labels.begin(), labels.end());
      return absl::OkStatus();
    });
  }

  std::filesystem::path dir_;
  std::unique_ptr<RecordStore> store_;
};

TEST_F(RecordStoreTest, RevisionsAccumulateAndStayReadable) {
  ASSERT_TRUE(Put("institutions/nrc/samples/a", "one").ok());
  ASSERT_TRUE(Put("institutions/nrc/samples/a", "two").ok());
  auto current = store_->Get(v1::RECORD_KIND_SAMPLE, "institutions/nrc/samples/a");
  ASSERT_TRUE(current.ok());
  EXPECT_EQ(current->revision(), 2u);
  EXPECT_EQ(current->resource(), "two");
  EXPECT_EQ(store_->Get(v1::RECORD_KIND_SAMPLE, "institutions/nrc/samples/a", 1)->resource(), "one");
  auto revisions = store_->ListRevisions(v1::RECORD_KIND_SAMPLE, "institutions/nrc/samples/a", 0, 10);
  ASSERT_TRUE(revisions.ok());
  ASSERT_EQ(revisions->size(), 2u);
  EXPECT_EQ((*revisions)[0].revision(), 2u);  // newest first
  EXPECT_EQ(store_->Get(v1::RECORD_KIND_SAMPLE, "institutions/nrc/samples/b").status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(RecordStoreTest, BuilderErrorWritesNothing) {
  Mutation m{v1::RECORD_KIND_SAMPLE, "institutions/nrc/samples/a", v1::CHANGE_OPERATION_CREATE,
             "p", "", "", {}};
  auto result = store_->Commit(m, [](const StoredRecord*, const CommitInfo&, StoredRecord*) {
    return absl::InvalidArgumentError("no");
  });
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->LastSequence(), 0u);
  EXPECT_TRUE(absl::IsNotFound(
      store_->Get(v1::RECORD_KIND_SAMPLE, "institutions/nrc/samples/a").status()));
}

TEST_F(RecordStoreTest, RequestIdReplaysAndRefusesOtherRequests) {
  auto first = Put("institutions/nrc/samples/a", "one", "req-1");
  ASSERT_TRUE(first.ok());
  EXPECT_FALSE(first->replayed);
  auto again = Put("institutions/nrc/samples/a", "one", "req-1");
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->replayed);
  EXPECT_EQ(again->record.revision(), 1u);
  EXPECT_EQ(store_->LastSequence(), 1u);
  EXPECT_EQ(Put("institutions/nrc/samples/a", "other", "req-1").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(RecordStoreTest, LedgerChainsAndDetectsTampering) {
  ASSERT_TRUE(Put("institutions/nrc/samples/a", "one").ok());
  ASSERT_TRUE(Put("institutions/nrc/samples/b", "two").ok());
  ASSERT_TRUE(Put("institutions/nrc/samples/a", "three").ok());
  DigestFunction digest = [](const StoredRecord& r) -> absl::StatusOr<std::string> {
    return Sha256Hex(r.resource());
  };
  auto report = store_->VerifyLedger(digest);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->entries, 3u);
  EXPECT_EQ(report->revisions_checked, 3u);
  EXPECT_EQ(report->first_break, "");
  DigestFunction lying = [](const StoredRecord& r) -> absl::StatusOr<std::string> {
    return r.name().find("/b") != std::string::npos ? "bad" : Sha256Hex(r.resource());
  };
  report = store_->VerifyLedger(lying);
  ASSERT_TRUE(report.ok());
  EXPECT_NE(report->first_break.find("sequence 2"), std::string::npos) << report->first_break;
}

TEST_F(RecordStoreTest, ScansResumeAfterPositionAndUseLabelIndex) {
  for (const char* id : {"c", "a", "e", "b", "d"}) {
    ASSERT_TRUE(Put(std::string("institutions/nrc/samples/") + id, id, "",
                    {{"even", (std::string("bd").find(id) != std::string::npos) ? "yes" : "no"}})
                    .ok());
  }
  std::vector<std::string> seen;
  std::string last;
  ScanOptions o;
  ASSERT_TRUE(store_->Scan(v1::RECORD_KIND_SAMPLE, o, [&](absl::string_view pos, const StoredRecord& r) {
    seen.push_back(r.resource());
    last = std::string(pos);
    return seen.size() < 2;
  }).ok());
  EXPECT_EQ(seen, (std::vector<std::string>{"a", "b"}));
  o.start_after = last;
  ASSERT_TRUE(store_->Scan(v1::RECORD_KIND_SAMPLE, o, [&](absl::string_view, const StoredRecord& r) {
    seen.push_back(r.resource());
    return true;
  }).ok());
  EXPECT_EQ(seen, (std::vector<std::string>{"a", "b", "c", "d", "e"}));

  std::vector<std::string> even;
  ScanOptions by_label;
  by_label.source = ScanSource::kByLabel;
  by_label.prefix = LabelIndexPrefix(v1::RECORD_KIND_SAMPLE, "even", "yes");
  by_label.descending = true;
  ASSERT_TRUE(store_->Scan(v1::RECORD_KIND_SAMPLE, by_label, [&](absl::string_view, const StoredRecord& r) {
    even.push_back(r.resource());
    return true;
  }).ok());
  EXPECT_EQ(even, (std::vector<std::string>{"d", "b"}));
}

TEST_F(RecordStoreTest, SurvivesReopenWithLedgerHead) {
  ASSERT_TRUE(Put("institutions/nrc/samples/a", "one").ok());
  store_.reset();
  auto reopened = RecordStore::Open(dir_.string());
  ASSERT_TRUE(reopened.ok());
  store_ = std::move(*reopened);
  EXPECT_EQ(store_->LastSequence(), 1u);
  ASSERT_TRUE(Put("institutions/nrc/samples/b", "two").ok());
  auto report = store_->VerifyLedger(nullptr);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->first_break, "");
  EXPECT_EQ(report->entries, 2u);
}

TEST_F(RecordStoreTest, SecondOpenOfSameDirectoryFails) {
  auto second = RecordStore::Open(dir_.string());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace batteryhub::storage
