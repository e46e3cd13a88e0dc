// The record store: current and past revisions of samples, characterisations
// and cell tests, their index entries, the change feed with its hash-chained
// ledger, request-id outcomes and token hashes, in one RocksDB.
//
// Every commit writes the record, its revision, its index entries, its change
// entry, the ledger head and the request outcome in one WriteBatch with the
// WAL synced before it returns. Thread-safe: reads run concurrently; commits
// are serialised by one mutex (the synced WAL write dominates their cost).
#pragma once

#include <cstdint>
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include "absl/strings/string_view.h"
#include <vector>

#include "absl/status/statusor.h"
#include "batteryhub/storage/v1/stored.pb.h"
#include "storage/column_families.h"
#include "storage/index_schema.h"
#include "storage/keys.h"
#include "storage/read_view.h"
#include "storage/sorted_ingest.h"

namespace rocksdb {
class DB;
class ColumnFamilyHandle;
class WriteBatch;
}  // namespace rocksdb

namespace batteryhub::storage {

using ::batteryhub::storage::v1::AuditEntry;
using ::batteryhub::storage::v1::ChangeEntry;
using ::batteryhub::storage::v1::ChangeOperation;
using ::batteryhub::storage::v1::StoredRecord;
using ::batteryhub::storage::v1::StoredToken;
using ::batteryhub::storage::v1::SyncPosition;

// What a commit will be, handed to the revision builder under the lock.
struct CommitInfo {
  uint64_t revision;  // of the new revision: current + 1, or 1 on create
  uint64_t sequence;  // of its change entry
  int64_t commit_micros;
};

// Builds the next revision. `current` is null when the record does not exist.
// Returning an error aborts the commit with that error and writes nothing.
using RevisionBuilder = std::function<absl::Status(const StoredRecord* current,
                                                   const CommitInfo& info, StoredRecord* next)>;

// A write outside the record families (series, blobs, meta), applied in the
// same WriteBatch as a commit or on its own.
struct RawWrite {
  ColumnFamily cf;
  std::string key;
  std::string value;
  bool erase = false;
};

struct Mutation {
  RecordKind kind;
  std::string name;
  ChangeOperation operation;
  std::string principal;
  // Optional idempotency key; with it, `request_digest` identifies the request.
  std::string request_id;
  std::string request_digest;
  // Written in the same batch as the record (e.g. series state on append).
  std::vector<RawWrite> extra;
  // The call that makes the change: its audit entry is chained and written
  // in the same batch (sequence, time and hashes are set by the store).
  std::optional<AuditEntry> audit;
};

struct CommitResult {
  StoredRecord record;
  // True when `request_id` had already been committed: `record` is that
  // earlier outcome and nothing was written.
  bool replayed = false;
};

// A replica to store (`record` complete, `origin_hub` set), or the removal
// of the replica `record.kind()`/`record.name()` (`withdraw`).
struct ReplicaWrite {
  StoredRecord record;
  bool withdraw = false;
};

struct ReplicaOutcome {
  int applied = 0;
  int unchanged = 0;
  int withdrawn = 0;
};

struct LedgerReport {
  uint64_t entries = 0;
  uint64_t revisions_checked = 0;
  // Empty when intact; otherwise where the first break is and what it is.
  std::string first_break;
};

// Recomputes the content digest of a stored revision (installed by services,
// which know how to parse each kind).
using DigestFunction = std::function<absl::StatusOr<std::string>(const StoredRecord&)>;

class RecordStore {
 public:
  // Opens or creates the store in `path`. FAILED_PRECONDITION when the
  // directory is unusable or locked by another process.
  // `schema`: the indexed fields (what the kinds declare); a store last
  // opened with another schema indexes every current record again.
  static absl::StatusOr<std::unique_ptr<RecordStore>> Open(
      const std::string& path, IndexSchema schema = IndexSchema::Declared());

  // The hub's secret key for page-token MACs: 32 random bytes made at the
  // first open and kept in the store (tokens outlive restarts).
  const std::string& page_token_key() const { return page_token_key_; }
  ~RecordStore();
  RecordStore(const RecordStore&) = delete;
  RecordStore& operator=(const RecordStore&) = delete;

  absl::StatusOr<CommitResult> Commit(const Mutation& mutation, const RevisionBuilder& build);

  // Stores replicas from `origin_hub` and moves its sync position to
  // `position` (unless that is behind the stored sequence), in one synced
  // batch with `audit`. A replica replaces an
  // older revision of itself, equal ones are left alone, and nothing may
  // replace or remove a record committed here or replicated from another
  // hub (FAILED_PRECONDITION, nothing written). Replicas are not changes of
  // this hub: they take no ledger entry (VerifyReplicas checks them).
  absl::StatusOr<ReplicaOutcome> ApplyReplicas(const std::string& origin_hub,
                                               const std::vector<ReplicaWrite>& writes,
                                               const SyncPosition& position,
                                               std::optional<AuditEntry> audit);
  // How far the sync from `origin_hub` has applied its feed (empty before
  // its first sync).
  absl::StatusOr<SyncPosition> SyncCursor(const std::string& origin_hub) const;

  // The current revision (revision == 0) or the given one. NOT_FOUND if absent.
  absl::StatusOr<StoredRecord> Get(RecordKind kind, absl::string_view name,
                                   uint64_t revision = 0) const;

  // A snapshot for reads that take several steps (see read_view.h).
  std::unique_ptr<ReadView> View() const;

  // Revisions below `before` (0: all), newest first, at most `limit`.
  absl::StatusOr<std::vector<StoredRecord>> ListRevisions(RecordKind kind, absl::string_view name,
                                                          uint64_t before, int limit) const;

  absl::Status PutToken(absl::string_view token_sha256_hex, const StoredToken& token);
  // nullopt when unknown.
  absl::StatusOr<std::optional<StoredToken>> GetToken(absl::string_view token_sha256_hex) const;
  // Every stored token, by the SHA-256 (hex) of its secret.
  absl::StatusOr<std::vector<std::pair<std::string, StoredToken>>> ListTokens() const;
  // Forgets a token (synced); nothing to do when it is unknown.
  absl::Status DeleteToken(absl::string_view token_sha256_hex);

  // Change entries with sequence > `after`, at most `limit`.
  absl::StatusOr<std::vector<ChangeEntry>> ReadChanges(uint64_t after, int limit) const;

  // Walks the ledger, recomputing the hash chain and, with `digest`, the
  // content digest of every revision it names.
  absl::StatusOr<LedgerReport> VerifyLedger(const DigestFunction& digest) const;

  uint64_t LastSequence() const;

  // Appends an entry to the audit trail on its own (a call that committed
  // nothing). The WAL is written but not synced: a read's entry survives a
  // crash of the hub, not of the machine.
  absl::Status AppendAudit(AuditEntry entry);
  // Audit entries with sequence > `after` for which `keep` is true (null:
  // all), at most `limit`, in order; `*scanned_to` is the last sequence
  // looked at.
  absl::StatusOr<std::vector<AuditEntry>> ReadAudit(
      uint64_t after, int limit, const std::function<bool(const AuditEntry&)>& keep,
      uint64_t* scanned_to) const;
  // Recomputes the audit chain: entries checked and the first break ("" if none).
  absl::StatusOr<std::pair<uint64_t, std::string>> VerifyAudit() const;

  // Index or record keys touched by read views since the store opened (tests of
  // the query planner count them).
  uint64_t KeysRead() const { return keys_read_.load(); }

  // Compacts every column family fully (benchmarks, operations).
  absl::Status CompactAll();
  // Bytes of live SST files, all column families, or one.
  uint64_t LiveSstBytes() const;
  uint64_t LiveSstBytes(ColumnFamily cf) const;

  // Raw access for the stores built beside this one (series, blobs). Keys
  // come from keys.h. WriteRaw syncs the WAL when `sync`.
  absl::Status WriteRaw(const std::vector<RawWrite>& writes, bool sync = true);
  // Syncs what unsynced writes put in the write-ahead log so far (a long
  // copy calls it from a second thread while it goes on writing).
  absl::Status SyncWal();
  // A bulk load of `cf` (see sorted_ingest.h).
  absl::StatusOr<std::unique_ptr<SortedIngest>> StartIngest(ColumnFamily cf);
  absl::StatusOr<std::optional<std::string>> GetRaw(ColumnFamily cf, absl::string_view key) const;
  // A u64 value (keys.h u64), or `absent` when the key is not there.
  absl::StatusOr<uint64_t> GetU64(ColumnFamily cf, absl::string_view key, uint64_t absent) const;
  // The last key with `prefix` that is <= `key`, or nullopt.
  absl::StatusOr<std::optional<std::string>> FindAtOrBefore(ColumnFamily cf,
                                                            absl::string_view prefix,
                                                            absl::string_view key) const;
  // Visits keys with `prefix` from `start` (inclusive; empty: the prefix) in
  // order; `visit` returns false to stop.
  absl::Status ScanRaw(ColumnFamily cf, absl::string_view prefix, absl::string_view start,
                       const std::function<bool(absl::string_view key, absl::string_view value)>&
                           visit) const;

 private:
  RecordStore() = default;
  rocksdb::ColumnFamilyHandle* Handle(ColumnFamily cf) const;
  absl::Status LoadLedgerHead();
  absl::Status LoadPageTokenKey();
  // Adds the index entries of kinds younger than the data directory (see
  // kIndexVersion in record_store.cc), once.
  absl::Status UpgradeIndex();
  // Indexes every current record on the schema's fields when the store
  // was last opened with another schema (meta 'x').
  absl::Status ReindexFields();
  // Removes bulk-load files a crash left behind.
  void ClearIngestDir();
  // Removes the raw files of `sha256s` that no current record names (with
  // commit_mu_ held: a commit naming one waits, and finds it gone).
  absl::Status RemoveUnnamedBlobs(const std::set<std::string>& sha256s);
  // `entry` as the next link of the audit chain, put into `batch` with the
  // new audit head (audit_mu_ held).
  AuditEntry ChainAudit(AuditEntry entry, int64_t time_micros, rocksdb::WriteBatch* batch) const;
  // Writes `batch` (WAL synced when `sync`) with `audit`, when given, as the
  // next link of the audit chain; the audit head moves only once written.
  absl::Status WriteAudited(rocksdb::WriteBatch* batch, const std::optional<AuditEntry>& audit,
                            int64_t time_micros, bool sync, absl::string_view what);

  std::unique_ptr<rocksdb::DB> db_;
  std::string page_token_key_;
  IndexSchema schema_{IndexSchema::Declared()};
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  mutable std::mutex commit_mu_;
  // Taken after commit_mu_ when both are needed.
  mutable std::mutex audit_mu_;
  AuditEntry audit_head_;  // guarded by audit_mu_
  mutable std::atomic<uint64_t> keys_read_{0};
  ChangeEntry head_;  // guarded by commit_mu_
};

// Hash of a change or audit entry chained to the previous hash (hex).
std::string ChainHash(const std::string& previous_hash, const ChangeEntry& entry);
std::string ChainHash(const std::string& previous_hash, const AuditEntry& entry);

}  // namespace batteryhub::storage
