// Replicas from other hubs and the sync cursor kept beside them.
#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <set>

#include "absl/strings/str_cat.h"
#include "core/clock.h"
#include "core/status_macros.h"
#include "storage/index_terms.h"
#include "storage/record_store.h"
#include "storage/rocks_status.h"

namespace batteryhub::storage {

absl::StatusOr<SyncPosition> RecordStore::SyncCursor(const std::string& origin_hub) const {
  SyncPosition position;
  ASSIGN_OR_RETURN(std::optional<std::string> value,
                   GetRaw(ColumnFamily::kMeta, SyncPositionKey(origin_hub)));
  if (value) {
    if (!position.ParseFromString(*value)) return absl::DataLossError("corrupt sync position");
    return position;
  }
  // Written before positions: the ledger sequence alone.
  ASSIGN_OR_RETURN(uint64_t sequence, GetU64(ColumnFamily::kMeta, SyncCursorKey(origin_hub), 0));
  position.set_sequence(sequence);
  return position;
}

absl::StatusOr<ReplicaOutcome> RecordStore::ApplyReplicas(const std::string& origin_hub,
                                                          const std::vector<ReplicaWrite>& writes,
                                                          const SyncPosition& position,
                                                          std::optional<AuditEntry> audit) {
  std::lock_guard<std::mutex> lock(commit_mu_);
  rocksdb::WriteBatch batch;
  ReplicaOutcome outcome;
  // Later writes of one batch see earlier ones.
  std::map<std::string, std::optional<StoredRecord>> pending;
  // Raw files of withdrawn replicas: removed below unless still named.
  std::set<std::string> released;
  for (const ReplicaWrite& w : writes) {
    const StoredRecord& r = w.record;
    const std::string key = RecordKey(r.kind(), r.name());
    std::optional<StoredRecord> current;
    if (auto it = pending.find(key); it != pending.end()) {
      current = it->second;
    } else {
      absl::StatusOr<StoredRecord> stored = Get(r.kind(), r.name());
      if (stored.ok()) current = std::move(*stored);
      else if (!absl::IsNotFound(stored.status())) return stored.status();
    }
    if (current && current->origin_hub() != origin_hub) {
      return absl::FailedPreconditionError(absl::StrCat(
          r.name(), current->origin_hub().empty() ? " was committed at this hub"
                                                  : " is a replica from " + current->origin_hub(),
          ": a replica from ", origin_hub, " may not replace it"));
    }
    if (w.withdraw) {
      if (!current) continue;
      for (const std::string& term : IndexTerms(*current)) {
        batch.Delete(Handle(ColumnFamily::kIndex), term);
      }
      batch.Delete(Handle(ColumnFamily::kRecords), key);
      const std::string revisions = RevisionPrefix(r.kind(), r.name());
      batch.DeleteRange(Handle(ColumnFamily::kRevisions), revisions, PrefixEnd(revisions));
      if (r.kind() == v1::RECORD_KIND_CELL_TEST) {
        for (std::string& sha256 : RawFilesOf(*current)) released.insert(std::move(sha256));
        // Its series goes with it.
        for (const std::string& prefix : {SeriesChunkPrefix(r.name()), CyclePrefix(r.name())}) {
          batch.DeleteRange(Handle(ColumnFamily::kSeries), prefix, PrefixEnd(prefix));
        }
        batch.Delete(Handle(ColumnFamily::kSeries), SeriesStateKey(r.name()));
        batch.Delete(Handle(ColumnFamily::kMeta), ReplicaSeriesKey(r.name()));
      }
      pending[key] = std::nullopt;
      ++outcome.withdrawn;
      continue;
    }
    if (current && (current->revision() > r.revision() ||
                    (current->revision() == r.revision() &&
                     current->content_digest() == r.content_digest()))) {
      ++outcome.unchanged;
      continue;
    }
    if (current) {
      for (const std::string& term : IndexTerms(*current)) {
        batch.Delete(Handle(ColumnFamily::kIndex), term);
      }
    }
    StoredRecord indexed = r;
    schema_.Fill(&indexed);
    const std::string value = indexed.SerializeAsString();
    batch.Put(Handle(ColumnFamily::kRecords), key, value);
    batch.Put(Handle(ColumnFamily::kRevisions), RevisionKey(r.kind(), r.name(), r.revision()), value);
    for (const std::string& term : IndexTerms(indexed)) {
      batch.Put(Handle(ColumnFamily::kIndex), term, "");
    }
    pending[key] = std::move(indexed);
    ++outcome.applied;
  }
  // A position behind the stored one (a full pass from the start) leaves it:
  // every record up to the stored sequence was seen at or after its time.
  ASSIGN_OR_RETURN(SyncPosition before, SyncCursor(origin_hub));
  if (position.sequence() >= before.sequence()) {
    batch.Put(Handle(ColumnFamily::kMeta), SyncPositionKey(origin_hub), position.SerializeAsString());
    batch.Delete(Handle(ColumnFamily::kMeta), SyncCursorKey(origin_hub));
  }
  RETURN_IF_ERROR(WriteAudited(&batch, audit, NowMicros(), true, "storing replicas"));
  RETURN_IF_ERROR(RemoveUnnamedBlobs(released));
  return outcome;
}

absl::Status RecordStore::RemoveUnnamedBlobs(const std::set<std::string>& sha256s) {
  rocksdb::WriteBatch batch;
  for (const std::string& sha256 : sha256s) {
    bool named = false;
    RETURN_IF_ERROR(ScanRaw(ColumnFamily::kIndex, BlobReferencePrefix(sha256), "",
                            [&](absl::string_view, absl::string_view) {
                              named = true;
                              return false;
                            }));
    if (named) continue;
    batch.Delete(Handle(ColumnFamily::kBlobs), BlobMetaKey(sha256));
    const std::string parts = BlobPartPrefix(sha256);
    batch.DeleteRange(Handle(ColumnFamily::kBlobs), parts, PrefixEnd(parts));
  }
  if (batch.Count() == 0) return absl::OkStatus();
  rocksdb::WriteOptions options;
  options.sync = true;
  return FromRocks(db_->Write(options, &batch), "removing raw files");
}

}  // namespace batteryhub::storage
