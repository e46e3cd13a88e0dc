#include "storage/record_store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "core/record_kinds.h"
#include "core/sha256.h"
#include "storage/read_view.h"
#include "storage/index_join.h"
#include "storage/index_terms.h"

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
               Sha256Hex(body), {}, std::nullopt};
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
             "p", "", "", {}, std::nullopt};
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

TEST_F(RecordStoreTest, IndexJoinWalksNamesUnderEveryPrefixBothWays) {
  const std::map<std::string, std::map<std::string, std::string>> labels = {
      {"a", {{"even", "no"}, {"vowel", "yes"}, {"all", "x"}}},
      {"b", {{"even", "yes"}, {"vowel", "no"}, {"all", "x"}}},
      {"c", {{"even", "no"}, {"vowel", "no"}, {"all", "x"}}},
      {"d", {{"even", "yes"}, {"vowel", "no"}, {"all", "x"}}},
      {"e", {{"even", "no"}, {"vowel", "yes"}, {"all", "x"}}}};
  for (const char* id : {"c", "a", "e", "b", "d"}) {
    ASSERT_TRUE(Put(std::string("institutions/nrc/samples/") + id, id, "", labels.at(id)).ok());
  }
  auto label = [](const char* k, const char* v) {
    return LabelIndexPrefix(v1::RECORD_KIND_SAMPLE, k, v);
  };
  auto walk = [&](std::vector<std::string> prefixes, bool descending, const std::string& after) {
    std::unique_ptr<ReadView> view = store_->View();
    IndexJoin join(*view, prefixes, "institutions/nrc/", descending);
    std::string out;
    for (bool ok = join.Start(after.empty() ? "" : "institutions/nrc/samples/" + after); ok;
         ok = join.Next()) {
      out += join.name().substr(join.name().size() - 1);
    }
    EXPECT_TRUE(join.status().ok());
    return out;
  };
  EXPECT_EQ(walk({label("even", "no"), label("vowel", "yes")}, false, ""), "ae");
  EXPECT_EQ(walk({label("vowel", "yes"), label("even", "no")}, true, ""), "ea");
  EXPECT_EQ(walk({label("even", "yes"), label("all", "x")}, false, ""), "bd");
  EXPECT_EQ(walk({label("all", "x")}, false, "b"), "cde");
  EXPECT_EQ(walk({label("all", "x")}, true, "d"), "cba");
  EXPECT_EQ(walk({label("even", "yes"), label("vowel", "yes")}, false, ""), "");
  EXPECT_EQ(walk({label("all", "y")}, false, ""), "");

  // A view sees the store as it was when it was taken.
  std::unique_ptr<ReadView> view = store_->View();
  ASSERT_TRUE(Put("institutions/nrc/samples/f", "f", "", {{"all", "x"}}).ok());
  auto before = view->Record(v1::RECORD_KIND_SAMPLE, "institutions/nrc/samples/f");
  ASSERT_TRUE(before.ok());
  EXPECT_FALSE(before->has_value());
  std::string f_key = label("all", "x");
  AppendStr(&f_key, "institutions/nrc/samples/f");
  EXPECT_FALSE(*view->HasIndexKey(f_key));
  EXPECT_TRUE(*store_->View()->HasIndexKey(f_key));
  const uint64_t keys = store_->KeysRead();
  std::unique_ptr<KeyCursor> c = view->PrefixCursor(ColumnFamily::kRecords,
                                                   RecordPrefix(v1::RECORD_KIND_SAMPLE), true);
  int n = 0;
  for (c->Rewind(); c->Valid(); c->Next()) ++n;
  EXPECT_EQ(n, 5);
  EXPECT_EQ(store_->KeysRead() - keys, 5u);
}

TEST_F(RecordStoreTest, AuditTrailChainsCommitsAndCallsAndCatchesTampering) {
  auto entry = [](const std::string& method, bool allowed) {
    AuditEntry e;
    e.set_principal("institutions/nrc/principals/p");
    e.set_institution("nrc");
    e.set_method(method);
    e.set_resource("institutions/nrc/samples/a");
    e.set_allowed(allowed);
    return e;
  };
  ASSERT_TRUE(store_->AppendAudit(entry("GetSample", false)).ok());
  Mutation m{v1::RECORD_KIND_SAMPLE, "institutions/nrc/samples/a", v1::CHANGE_OPERATION_CREATE,
             "p", "", "", {}, entry("CreateSample", true)};
  ASSERT_TRUE(store_->Commit(m, [](const StoredRecord*, const CommitInfo& info, StoredRecord* next) {
    next->set_owner("institutions/nrc");
    next->set_create_time_micros(info.commit_micros);
    return absl::OkStatus();
  }).ok());
  ASSERT_TRUE(store_->AppendAudit(entry("GetSample", true)).ok());
  // A commit that fails writes no audit entry either.
  m.name = "institutions/nrc/samples/b";
  EXPECT_FALSE(store_->Commit(m, [](const StoredRecord*, const CommitInfo&, StoredRecord*) {
    return absl::InvalidArgumentError("no");
  }).ok());
  uint64_t scanned = 0;
  auto all = store_->ReadAudit(0, 10, nullptr, &scanned);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[1].method(), "CreateSample");
  EXPECT_EQ((*all)[1].sequence(), 2u);
  EXPECT_EQ((*all)[2].previous_hash(), (*all)[1].hash());
  auto allowed = store_->ReadAudit(0, 10, [](const AuditEntry& e) { return e.allowed(); }, &scanned);
  EXPECT_EQ(allowed->size(), 2u);
  EXPECT_EQ(scanned, 3u);
  auto report = store_->VerifyAudit();
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->first, 3u);
  EXPECT_EQ(report->second, "");

  // The chain survives a reopen and continues.
  store_.reset();
  store_ = std::move(*RecordStore::Open(dir_.string()));
  ASSERT_TRUE(store_->AppendAudit(entry("ListSamples", true)).ok());
  EXPECT_EQ(store_->VerifyAudit()->first, 4u);

  // Someone rewrites who made call 2, directly in RocksDB.
  AuditEntry forged = (*all)[1];
  forged.set_principal("institutions/aist/principals/mallory");
  ASSERT_TRUE(store_->WriteRaw({{ColumnFamily::kAudit, ChangeKey(2), forged.SerializeAsString()}}).ok());
  report = store_->VerifyAudit();
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->second, "audit chain broken at sequence 2");
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

TEST_F(RecordStoreTest, OpeningsAndAgreementsAreIndexedForLocalRecordsOnly) {
  StoredRecord r;
  r.set_kind(v1::RECORD_KIND_SAMPLE);
  r.set_name("institutions/nrc/samples/a");
  auto* access = r.mutable_access();
  access->add_grants()->mutable_start_time()->set_seconds(100);
  access->add_grants();  // no embargo: no opening
  access->mutable_release()->mutable_time()->set_seconds(200);
  access->add_agreements("agreements/x");
  r.add_opens_micros(300);
  std::vector<std::string> terms = IndexTerms(r);
  auto has = [&](const std::string& key) {
    return std::find(terms.begin(), terms.end(), key) != terms.end();
  };
  for (int64_t micros : {100'000'000, 200'000'000, 300}) {
    EXPECT_TRUE(has(OpeningKey(micros, r.kind(), r.name()))) << micros;
  }
  EXPECT_EQ(std::count_if(terms.begin(), terms.end(),
                          [](const std::string& t) { return t[0] == 'w'; }),
            3);
  EXPECT_TRUE(has(AgreementRecordKey("agreements/x", r.kind(), r.name())));
  r.set_origin_hub("aist-hub");
  terms = IndexTerms(r);
  EXPECT_FALSE(has(OpeningKey(300, r.kind(), r.name()))) << "replicas are never sent on";
  EXPECT_FALSE(has(AgreementRecordKey("agreements/x", r.kind(), r.name())));

  // Raw files named by a cell test's series, replica or not.
  batteryhub::v1::CellTest test;
  test.mutable_series()->add_sources()->set_sha256("ab12");
  test.mutable_series()->add_sources();  // no file
  r.set_kind(v1::RECORD_KIND_CELL_TEST);
  r.set_resource(test.SerializeAsString());
  terms = IndexTerms(r);
  EXPECT_TRUE(has(BlobReferenceKey("ab12", r.kind(), r.name())));
  EXPECT_EQ(RawFilesOf(r), std::vector<std::string>{"ab12"});
}

TEST_F(RecordStoreTest, OpeningAddsTheIndexEntriesAnOlderDirectoryLacks) {
  const std::string name = "institutions/nrc/samples/a";
  Mutation m{v1::RECORD_KIND_SAMPLE, name, v1::CHANGE_OPERATION_CREATE, "p", "", "d", {},
             std::nullopt};
  ASSERT_TRUE(store_->Commit(m, [](const StoredRecord*, const CommitInfo&, StoredRecord* next) {
    next->mutable_access()->add_grants()->mutable_start_time()->set_seconds(5);
    return absl::OkStatus();
  }).ok());
  const std::string opening = OpeningKey(5'000'000, v1::RECORD_KIND_SAMPLE, name);
  ASSERT_TRUE(*store_->View()->HasIndexKey(opening));
  // As a directory written before the index had openings.
  ASSERT_TRUE(store_->WriteRaw({{ColumnFamily::kIndex, opening, "", true},
                                {ColumnFamily::kMeta, IndexVersionKey(), "", true}}).ok());
  ASSERT_FALSE(*store_->View()->HasIndexKey(opening));
  store_.reset();
  auto reopened = RecordStore::Open(dir_.string());
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  store_ = std::move(*reopened);
  EXPECT_TRUE(*store_->View()->HasIndexKey(opening));
  EXPECT_TRUE(store_->GetRaw(ColumnFamily::kMeta, IndexVersionKey())->has_value());
}

TEST_F(RecordStoreTest, SyncPositionMovesOnlyForwardAndReadsTheOldCursor) {
  ASSERT_EQ(store_->SyncCursor("aist-hub")->sequence(), 0u);
  std::string legacy;
  AppendU64(&legacy, 7);
  ASSERT_TRUE(store_->WriteRaw({{ColumnFamily::kMeta, SyncCursorKey("aist-hub"), legacy, false}},
                               true).ok());
  EXPECT_EQ(store_->SyncCursor("aist-hub")->sequence(), 7u) << "written before positions";

  SyncPosition at;
  at.set_sequence(9);
  at.set_opened_until_micros(1234);
  at.set_resume_after("w-key");
  ASSERT_TRUE(store_->ApplyReplicas("aist-hub", {}, at, std::nullopt).ok());
  absl::StatusOr<SyncPosition> stored = store_->SyncCursor("aist-hub");
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->SerializeAsString(), at.SerializeAsString());
  // A full pass from the start, cut short, leaves the position where it was.
  SyncPosition behind;
  behind.set_sequence(3);
  behind.set_opened_until_micros(99999);
  ASSERT_TRUE(store_->ApplyReplicas("aist-hub", {}, behind, std::nullopt).ok());
  EXPECT_EQ(store_->SyncCursor("aist-hub")->SerializeAsString(), at.SerializeAsString());
  EXPECT_EQ(store_->SyncCursor("nrc-hub")->sequence(), 0u) << "one position per origin";
}

TEST_F(RecordStoreTest, SortedIngestLoadsInOrderOrNothing) {
  auto count = [&](const std::string& prefix) {
    int n = 0;
    EXPECT_TRUE(store_->ScanRaw(ColumnFamily::kSeries, prefix, "",
                                [&](absl::string_view, absl::string_view) {
                                  ++n;
                                  return true;
                                })
                    .ok());
    return n;
  };
  const std::string ingest_dir = dir_.string() + "/ingest";
  {
    auto ingest = store_->StartIngest(ColumnFamily::kSeries);
    ASSERT_TRUE(ingest.ok()) << ingest.status();
    ASSERT_TRUE((*ingest)->Add(SeriesChunkKey("t", 0, "v"), "a").ok());
    ASSERT_TRUE((*ingest)->Add(SeriesChunkKey("t", 10, "v"), "b").ok());
    EXPECT_EQ((*ingest)->Add(SeriesChunkKey("t", 5, "v"), "c").code(),
              absl::StatusCode::kInvalidArgument);
    // Abandoned: nothing loaded, no file left.
  }
  EXPECT_EQ(count(SeriesChunkPrefix("t")), 0);
  EXPECT_TRUE(std::filesystem::is_empty(ingest_dir));

  // A chunk written through the log before is replaced; the rest is added.
  ASSERT_TRUE(store_->WriteRaw({{ColumnFamily::kSeries, SeriesChunkKey("t", 0, "v"), "old"}}).ok());
  auto ingest = store_->StartIngest(ColumnFamily::kSeries);
  ASSERT_TRUE(ingest.ok());
  for (uint64_t row : {0, 10, 20}) {
    ASSERT_TRUE((*ingest)->Add(SeriesChunkKey("t", row, "v"), "new").ok());
  }
  ASSERT_TRUE((*ingest)->Finish().ok());
  EXPECT_EQ(count(SeriesChunkPrefix("t")), 3);
  EXPECT_EQ(store_->GetRaw(ColumnFamily::kSeries, SeriesChunkKey("t", 0, "v"))->value_or(""), "new");

  // Loaded data survives a reopen; files a crash left are cleared.
  std::ofstream(ingest_dir + "/leftover.sst") << "partial";
  ingest->reset();
  store_.reset();
  auto reopened = RecordStore::Open(dir_.string());
  ASSERT_TRUE(reopened.ok());
  store_ = std::move(*reopened);
  EXPECT_EQ(count(SeriesChunkPrefix("t")), 3);
  EXPECT_FALSE(std::filesystem::exists(ingest_dir + "/leftover.sst"));
}

TEST_F(RecordStoreTest, SecondOpenOfSameDirectoryFails) {
  auto second = RecordStore::Open(dir_.string());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace batteryhub::storage

namespace batteryhub::storage {
namespace {

// A data directory of a release that indexed fewer fields: opened by one
// that indexes more, every current record gets the new field's entry.
TEST(IndexSchemaTest, ANewIndexedFieldIsBackfilledAtOpen) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("bhub-reindex-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  const IndexSchema declared = IndexSchema::Declared();
  std::vector<IndexField> fewer = CellTestTraits::IndexFields();
  const IndexField state = fewer.back();
  ASSERT_EQ(state.path, "state");
  fewer.pop_back();
  const std::string name = "institutions/nrc/cellTests/t1";
  {
    auto store = RecordStore::Open(dir.string(), IndexSchema({{v1::RECORD_KIND_CELL_TEST, fewer}}));
    ASSERT_TRUE(store.ok()) << store.status();
    batteryhub::v1::CellTest test;
    test.set_name(name);
    test.set_state(batteryhub::v1::CELL_TEST_STATE_RUNNING);
    const std::string body = test.SerializeAsString();
    Mutation m{v1::RECORD_KIND_CELL_TEST, name, v1::CHANGE_OPERATION_CREATE, "p", "",
               Sha256Hex(body), {}, std::nullopt};
    ASSERT_TRUE((*store)
                    ->Commit(m, [&](const StoredRecord*, const CommitInfo&, StoredRecord* next) {
                      next->set_owner("institutions/nrc");
                      next->set_resource(body);
                      next->set_content_digest(Sha256Hex(body));
                      return absl::OkStatus();
                    })
                    .ok());
    auto stored = (*store)->Get(v1::RECORD_KIND_CELL_TEST, name);
    ASSERT_TRUE(stored.ok());
    for (const auto& v : stored->indexed()) EXPECT_NE(v.field(), state.id) << "not indexed yet";
  }
  auto store = RecordStore::Open(dir.string(), declared);
  ASSERT_TRUE(store.ok()) << store.status();
  auto stored = (*store)->Get(v1::RECORD_KIND_CELL_TEST, name);
  ASSERT_TRUE(stored.ok());
  bool found = false;
  for (const auto& v : stored->indexed()) {
    if (v.field() != state.id) continue;
    found = true;
    EXPECT_EQ(v.text(), "CELL_TEST_STATE_RUNNING");
    // The equality the planner reads: the field's index entry for the value.
    std::string key = FieldIndexKey(v1::RECORD_KIND_CELL_TEST, v, name);
    std::unique_ptr<ReadView> view = (*store)->View();
    auto present = view->HasIndexKey(key);
    ASSERT_TRUE(present.ok());
    EXPECT_TRUE(*present) << "the old record is in the new field's index";
  }
  EXPECT_TRUE(found) << "the old record has a value for the new field";
  store->reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace batteryhub::storage
