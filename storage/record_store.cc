#include "storage/record_store.h"

#include <openssl/rand.h>

#include <rocksdb/db.h>
#include <rocksdb/cache.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/options.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include <chrono>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "core/clock.h"
#include "core/record_kinds.h"
#include "core/status_macros.h"
#include "storage/index_terms.h"
#include "storage/rocks_status.h"

namespace batteryhub::storage {
absl::Status RecordStore::LoadPageTokenKey() {
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), Handle(ColumnFamily::kMeta),
                               PageTokenKeyKey(), &page_token_key_);
  if (s.ok() && page_token_key_.size() == 32) return absl::OkStatus();
  if (!s.ok() && !s.IsNotFound()) return FromRocks(s, "reading the page-token key");
  page_token_key_.resize(32);
  if (RAND_bytes(reinterpret_cast<unsigned char*>(page_token_key_.data()), 32) != 1) {
    return absl::InternalError("no random bytes for the page-token key");
  }
  rocksdb::WriteOptions sync;
  sync.sync = true;
  return FromRocks(db_->Put(sync, Handle(ColumnFamily::kMeta), PageTokenKeyKey(), page_token_key_),
                   "writing the page-token key");
}

namespace {

constexpr size_t kBlockCacheBytes = size_t{256} << 20;

absl::Status ParseValue(const std::string& bytes, google::protobuf::Message* out,
                        absl::string_view what) {
  if (!out->ParseFromString(bytes)) {
    return absl::DataLossError(absl::StrCat("corrupt ", what, " value in the store"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<RecordStore>> RecordStore::Open(const std::string& path,
                                                               IndexSchema schema) {
  rocksdb::DBOptions db_options;
  db_options.create_if_missing = true;
  db_options.create_missing_column_families = true;
  rocksdb::ColumnFamilyOptions cf_options;
  // One block cache for every family; Bloom filters make the point lookups
  // of query plans (index membership, records by name) skip SST files.
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = rocksdb::NewLRUCache(kBlockCacheBytes);
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  // Block checksums: XXH3 (Debian's portable RocksDB build computes CRC32C
  // without SSE4.2, several times slower). Each file records its type, so
  // files written with CRC32C stay readable.
  table.checksum = rocksdb::kXXH3;
  // Index and filter blocks stay in the table readers (RocksDB's default),
  // outside the cache: point lookups skip two cache lookups each.
  cf_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  // Series chunks are compressed by the column codec (zstd) already.
  rocksdb::ColumnFamilyOptions series_options = cf_options;
  series_options.compression = rocksdb::kNoCompression;
  for (size_t i = 0; i < kColumnFamilyNames.size(); ++i) {
    const bool series = i == static_cast<size_t>(ColumnFamily::kSeries);
    descriptors.emplace_back(std::string(kColumnFamilyNames[i]),
                             series ? series_options : cf_options);
  }
  std::unique_ptr<RecordStore> store(new RecordStore());
  rocksdb::DB* db = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(db_options, path, descriptors, &store->handles_, &db);
  if (!s.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot open the store in '", path, "': ", s.ToString()));
  }
  store->db_.reset(db);
  store->schema_ = std::move(schema);
  RETURN_IF_ERROR(store->LoadLedgerHead());
  RETURN_IF_ERROR(store->LoadPageTokenKey());
  RETURN_IF_ERROR(store->UpgradeIndex());
  RETURN_IF_ERROR(store->ReindexFields());
  store->ClearIngestDir();
  return store;
}

namespace {
// 2: the openings ('w') and agreement ('g') index entries of the change feed.
// 3: raw-file references ('b').
constexpr uint64_t kIndexVersion = 3;
}  // namespace

absl::Status RecordStore::UpgradeIndex() {
  ASSIGN_OR_RETURN(uint64_t version, GetU64(ColumnFamily::kMeta, IndexVersionKey(), 1));
  if (version >= kIndexVersion) return absl::OkStatus();
  // Every current record's entries again: existing ones are rewritten as
  // they are, missing ones added (index values are empty).
  std::unique_ptr<ReadView> view = View();
  rocksdb::WriteBatch batch;
  absl::Status status;
  for (int k = v1::RecordKind_MIN + 1; k <= v1::RecordKind_MAX; ++k) {
    RETURN_IF_ERROR(view->ForEachRecord(static_cast<RecordKind>(k), [&](const StoredRecord& record) {
      for (const std::string& term : IndexTerms(record)) {
        batch.Put(Handle(ColumnFamily::kIndex), term, "");
      }
      if (batch.GetDataSize() < (4 << 20)) return true;
      status = FromRocks(db_->Write(rocksdb::WriteOptions(), &batch), "upgrading the index");
      batch.Clear();
      return status.ok();
    }));
    RETURN_IF_ERROR(status);
  }
  std::string next;
  AppendU64(&next, kIndexVersion);
  batch.Put(Handle(ColumnFamily::kMeta), IndexVersionKey(), next);
  rocksdb::WriteOptions sync;
  sync.sync = true;
  return FromRocks(db_->Write(sync, &batch), "upgrading the index");
}

absl::Status RecordStore::ReindexFields() {
  const std::string fingerprint = schema_.Fingerprint();
  std::string stored;
  rocksdb::Status s =
      db_->Get(rocksdb::ReadOptions(), Handle(ColumnFamily::kMeta), IndexSchemaKey(), &stored);
  if (s.ok() && stored == fingerprint) return absl::OkStatus();
  if (!s.ok() && !s.IsNotFound()) return FromRocks(s, "reading the index schema");
  // Each current record: its field entries as stored go, the values its
  // resource has for today's fields come (records only: revisions keep
  // what was committed, and only current records are indexed).
  std::unique_ptr<ReadView> view = View();
  rocksdb::WriteBatch batch;
  absl::Status status;
  for (RecordKind kind : DataRecordKinds()) {
    RETURN_IF_ERROR(view->ForEachRecord(kind, [&](const StoredRecord& record) {
      StoredRecord next = record;
      schema_.Fill(&next);
      for (const auto& value : record.indexed()) {
        batch.Delete(Handle(ColumnFamily::kIndex), FieldIndexKey(kind, value, record.name()));
      }
      for (const auto& value : next.indexed()) {
        batch.Put(Handle(ColumnFamily::kIndex), FieldIndexKey(kind, value, record.name()), "");
      }
      batch.Put(Handle(ColumnFamily::kRecords), RecordKey(kind, record.name()),
                next.SerializeAsString());
      if (batch.GetDataSize() < (4 << 20)) return true;
      status = FromRocks(db_->Write(rocksdb::WriteOptions(), &batch), "indexing new fields");
      batch.Clear();
      return status.ok();
    }));
    RETURN_IF_ERROR(status);
  }
  batch.Put(Handle(ColumnFamily::kMeta), IndexSchemaKey(), fingerprint);
  rocksdb::WriteOptions sync;
  sync.sync = true;
  return FromRocks(db_->Write(sync, &batch), "indexing new fields");
}

RecordStore::~RecordStore() {
  if (!db_) return;
  db_->FlushWAL(true);
  for (auto* h : handles_) db_->DestroyColumnFamilyHandle(h);
  db_->Close();
}

rocksdb::ColumnFamilyHandle* RecordStore::Handle(ColumnFamily cf) const {
  return handles_[static_cast<int>(cf)];
}

absl::Status RecordStore::LoadLedgerHead() {
  std::string value;
  rocksdb::Status s =
      db_->Get(rocksdb::ReadOptions(), Handle(ColumnFamily::kMeta), LedgerHeadKey(), &value);
  if (!s.IsNotFound()) {
    RETURN_IF_ERROR(FromRocks(s, "reading the ledger head"));
    RETURN_IF_ERROR(ParseValue(value, &head_, "ledger head"));
  }
  s = db_->Get(rocksdb::ReadOptions(), Handle(ColumnFamily::kMeta), AuditHeadKey(), &value);
  if (s.IsNotFound()) return absl::OkStatus();
  RETURN_IF_ERROR(FromRocks(s, "reading the audit head"));
  return ParseValue(value, &audit_head_, "audit head");
}

uint64_t RecordStore::LastSequence() const {
  std::lock_guard<std::mutex> lock(commit_mu_);
  return head_.sequence();
}

absl::StatusOr<StoredRecord> RecordStore::Get(RecordKind kind, absl::string_view name,
                                              uint64_t revision) const {
  std::string value;
  rocksdb::Status s =
      revision == 0
          ? db_->Get(rocksdb::ReadOptions(), Handle(ColumnFamily::kRecords), RecordKey(kind, name),
                     &value)
          : db_->Get(rocksdb::ReadOptions(), Handle(ColumnFamily::kRevisions),
                     RevisionKey(kind, name, revision), &value);
  if (s.IsNotFound()) return absl::NotFoundError(absl::StrCat("'", name, "' not found"));
  RETURN_IF_ERROR(FromRocks(s, "reading a record"));
  StoredRecord record;
  RETURN_IF_ERROR(ParseValue(value, &record, "record"));
  return record;
}

absl::StatusOr<CommitResult> RecordStore::Commit(const Mutation& m, const RevisionBuilder& build) {
  std::lock_guard<std::mutex> lock(commit_mu_);
  rocksdb::WriteBatch batch;
  const std::string request_key =
      m.request_id.empty() ? std::string() : RequestKey(m.principal, m.request_id);
  if (!request_key.empty()) {
    std::string value;
    rocksdb::Status s =
        db_->Get(rocksdb::ReadOptions(), Handle(ColumnFamily::kMeta), request_key, &value);
    if (s.ok()) {
      v1::RequestOutcome outcome;
      RETURN_IF_ERROR(ParseValue(value, &outcome, "request outcome"));
      if (outcome.request_digest() != m.request_digest) {
        return absl::InvalidArgumentError(absl::StrCat(
            "request_id '", m.request_id, "' was already used for a different request"));
      }
      ASSIGN_OR_RETURN(StoredRecord earlier, Get(m.kind, outcome.name(), outcome.revision()));
      return CommitResult{std::move(earlier), true};
    }
    if (!s.IsNotFound()) RETURN_IF_ERROR(FromRocks(s, "reading a request outcome"));
  }

  absl::StatusOr<StoredRecord> current = Get(m.kind, m.name);
  if (!current.ok() && !absl::IsNotFound(current.status())) return current.status();
  const StoredRecord* current_ptr = current.ok() ? &*current : nullptr;
  CommitInfo info{current_ptr ? current_ptr->revision() + 1 : 1, head_.sequence() + 1,
                  NowMicros()};
  StoredRecord next;
  RETURN_IF_ERROR(build(current_ptr, info, &next));
  next.set_kind(m.kind);
  next.set_name(m.name);
  next.set_revision(info.revision);
  schema_.Fill(&next);

  const std::string value = next.SerializeAsString();
  batch.Put(Handle(ColumnFamily::kRecords), RecordKey(m.kind, m.name), value);
  batch.Put(Handle(ColumnFamily::kRevisions), RevisionKey(m.kind, m.name, info.revision), value);
  if (current_ptr) {
    for (const std::string& term : IndexTerms(*current_ptr)) {
      batch.Delete(Handle(ColumnFamily::kIndex), term);
    }
  }
  for (const std::string& term : IndexTerms(next)) batch.Put(Handle(ColumnFamily::kIndex), term, "");

  ChangeEntry entry;
  entry.set_sequence(info.sequence);
  entry.set_kind(m.kind);
  entry.set_name(m.name);
  entry.set_revision(info.revision);
  entry.set_operation(m.operation);
  entry.set_content_digest(next.content_digest());
  entry.set_principal(m.principal);
  entry.set_commit_time_micros(info.commit_micros);
  entry.set_previous_hash(head_.hash());
  entry.set_hash(ChainHash(head_.hash(), entry));
  const std::string entry_bytes = entry.SerializeAsString();
  batch.Put(Handle(ColumnFamily::kChanges), ChangeKey(info.sequence), entry_bytes);
  batch.Put(Handle(ColumnFamily::kMeta), LedgerHeadKey(), entry_bytes);
  if (!request_key.empty()) {
    v1::RequestOutcome outcome;
    outcome.set_name(m.name);
    outcome.set_revision(info.revision);
    outcome.set_request_digest(m.request_digest);
    batch.Put(Handle(ColumnFamily::kMeta), request_key, outcome.SerializeAsString());
  }
  for (const RawWrite& w : m.extra) {
    if (w.erase) batch.Delete(Handle(w.cf), w.key);
    else batch.Put(Handle(w.cf), w.key, w.value);
  }
  RETURN_IF_ERROR(WriteAudited(&batch, m.audit, info.commit_micros, true, "committing a record"));
  head_ = std::move(entry);
  return CommitResult{std::move(next), false};
}

absl::Status RecordStore::PutToken(absl::string_view token_sha256_hex, const StoredToken& token) {
  rocksdb::WriteOptions write_options;
  write_options.sync = true;
  return FromRocks(db_->Put(write_options, Handle(ColumnFamily::kMeta), TokenKey(token_sha256_hex),
                            token.SerializeAsString()),
                   "storing a token");
}

absl::StatusOr<std::optional<StoredToken>> RecordStore::GetToken(
    absl::string_view token_sha256_hex) const {
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), Handle(ColumnFamily::kMeta),
                               TokenKey(token_sha256_hex), &value);
  if (s.IsNotFound()) return std::optional<StoredToken>();
  RETURN_IF_ERROR(FromRocks(s, "reading a token"));
  StoredToken token;
  RETURN_IF_ERROR(ParseValue(value, &token, "token"));
  return std::optional<StoredToken>(std::move(token));
}

}  // namespace batteryhub::storage

namespace batteryhub::storage {

absl::StatusOr<std::vector<std::pair<std::string, StoredToken>>> RecordStore::ListTokens() const {
  std::vector<std::pair<std::string, StoredToken>> out;
  absl::Status status;
  RETURN_IF_ERROR(ScanRaw(ColumnFamily::kMeta, "t", "",
                          [&](absl::string_view key, absl::string_view value) {
                            key.remove_prefix(1);
                            std::string hash;
                            StoredToken token;
                            if (!ConsumeStr(&key, &hash) ||
                                !token.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
                              status = absl::DataLossError("corrupt token in the store");
                              return false;
                            }
                            out.emplace_back(std::move(hash), std::move(token));
                            return true;
                          }));
  RETURN_IF_ERROR(status);
  return out;
}

absl::Status RecordStore::DeleteToken(absl::string_view token_sha256_hex) {
  return WriteRaw({{ColumnFamily::kMeta, TokenKey(token_sha256_hex), "", true}});
}

absl::Status RecordStore::CompactAll() {
  rocksdb::CompactRangeOptions options;
  options.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
  for (auto* h : handles_) {
    RETURN_IF_ERROR(FromRocks(db_->CompactRange(options, h, nullptr, nullptr), "compacting"));
  }
  return absl::OkStatus();
}

uint64_t RecordStore::LiveSstBytes() const {
  uint64_t total = 0;
  for (auto* h : handles_) {
    uint64_t size = 0;
    db_->GetIntProperty(h, "rocksdb.live-sst-files-size", &size);
    total += size;
  }
  return total;
}

uint64_t RecordStore::LiveSstBytes(ColumnFamily cf) const {
  uint64_t size = 0;
  db_->GetIntProperty(Handle(cf), "rocksdb.live-sst-files-size", &size);
  return size;
}

absl::Status RecordStore::WriteRaw(const std::vector<RawWrite>& writes, bool sync) {
  rocksdb::WriteBatch batch;
  for (const RawWrite& w : writes) {
    if (w.erase) batch.Delete(Handle(w.cf), w.key);
    else batch.Put(Handle(w.cf), w.key, w.value);
  }
  rocksdb::WriteOptions options;
  options.sync = sync;
  return FromRocks(db_->Write(options, &batch), "writing");
}

absl::Status RecordStore::SyncWal() { return FromRocks(db_->SyncWAL(), "syncing the log"); }

absl::StatusOr<uint64_t> RecordStore::GetU64(ColumnFamily cf, absl::string_view key,
                                             uint64_t absent) const {
  ASSIGN_OR_RETURN(std::optional<std::string> value, GetRaw(cf, key));
  if (!value) return absent;
  absl::string_view in = *value;
  uint64_t v = 0;
  if (!ConsumeU64(&in, &v)) {
    return absl::DataLossError(absl::StrCat("a corrupt u64 under ", absl::CHexEscape(key)));
  }
  return v;
}

absl::StatusOr<std::optional<std::string>> RecordStore::GetRaw(ColumnFamily cf,
                                                               absl::string_view key) const {
  std::string value;
  rocksdb::Status s =
      db_->Get(rocksdb::ReadOptions(), Handle(cf), rocksdb::Slice(key.data(), key.size()), &value);
  if (s.IsNotFound()) return std::optional<std::string>();
  RETURN_IF_ERROR(FromRocks(s, "reading"));
  return std::optional<std::string>(std::move(value));
}

absl::StatusOr<std::optional<std::string>> RecordStore::FindAtOrBefore(
    ColumnFamily cf, absl::string_view prefix, absl::string_view key) const {
  const std::string lower(prefix);
  rocksdb::Slice lower_slice(lower);
  rocksdb::ReadOptions read;
  read.iterate_lower_bound = &lower_slice;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read, Handle(cf)));
  it->SeekForPrev(rocksdb::Slice(key.data(), key.size()));
  if (it->Valid() && it->key().starts_with(lower)) {
    return std::optional<std::string>(it->key().ToString());
  }
  RETURN_IF_ERROR(FromRocks(it->status(), "seeking"));
  return std::optional<std::string>();
}

absl::Status RecordStore::ScanRaw(
    ColumnFamily cf, absl::string_view prefix, absl::string_view start,
    const std::function<bool(absl::string_view, absl::string_view)>& visit) const {
  const std::string lower(prefix), upper = PrefixEnd(prefix);
  rocksdb::Slice lower_slice(lower), upper_slice(upper);
  rocksdb::ReadOptions read;
  read.iterate_lower_bound = &lower_slice;
  if (!upper.empty()) read.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read, Handle(cf)));
  for (it->Seek(start.empty() ? rocksdb::Slice(lower)
                              : rocksdb::Slice(start.data(), start.size()));
       it->Valid(); it->Next()) {
    if (!visit(absl::string_view(it->key().data(), it->key().size()),
               absl::string_view(it->value().data(), it->value().size()))) {
      break;
    }
  }
  return FromRocks(it->status(), "scanning");
}

}  // namespace batteryhub::storage
