// The audit trail: one hash-chained entry per call, in its own column
// family; written with the commit a call makes, or on its own. Read with
// ReadAudit (record_scan.cc).
#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include "absl/strings/str_cat.h"
#include "core/clock.h"
#include "core/status_macros.h"
#include "storage/record_store.h"
#include "storage/rocks_status.h"

namespace batteryhub::storage {

AuditEntry RecordStore::ChainAudit(AuditEntry entry, int64_t time_micros,
                                   rocksdb::WriteBatch* batch) const {
  entry.set_sequence(audit_head_.sequence() + 1);
  entry.set_time_micros(time_micros);
  entry.set_previous_hash(audit_head_.hash());
  entry.set_hash(ChainHash(audit_head_.hash(), entry));
  const std::string bytes = entry.SerializeAsString();
  batch->Put(Handle(ColumnFamily::kAudit), ChangeKey(entry.sequence()), bytes);
  batch->Put(Handle(ColumnFamily::kMeta), AuditHeadKey(), bytes);
  return entry;
}

absl::Status RecordStore::WriteAudited(rocksdb::WriteBatch* batch,
                                       const std::optional<AuditEntry>& audit,
                                       int64_t time_micros, bool sync, absl::string_view what) {
  std::unique_lock<std::mutex> lock(audit_mu_, std::defer_lock);
  AuditEntry chained;
  if (audit) {
    lock.lock();
    chained = ChainAudit(*audit, time_micros, batch);
  }
  rocksdb::WriteOptions options;
  options.sync = sync;
  RETURN_IF_ERROR(FromRocks(db_->Write(options, batch), what));
  if (audit) audit_head_ = std::move(chained);
  return absl::OkStatus();
}

absl::Status RecordStore::AppendAudit(AuditEntry entry) {
  rocksdb::WriteBatch batch;
  return WriteAudited(&batch, std::move(entry), NowMicros(), false, "appending to the audit trail");
}

absl::StatusOr<std::pair<uint64_t, std::string>> RecordStore::VerifyAudit() const {
  std::string previous;
  uint64_t checked = 0;
  constexpr int kBatch = 1000;
  for (uint64_t after = 0;;) {
    ASSIGN_OR_RETURN(std::vector<AuditEntry> entries, ReadAudit(after, kBatch, nullptr, &after));
    for (const AuditEntry& entry : entries) {
      if (entry.sequence() != checked + 1 || entry.previous_hash() != previous ||
          ChainHash(previous, entry) != entry.hash()) {
        return std::make_pair(checked, absl::StrCat("audit chain broken at sequence ",
                                                    entry.sequence()));
      }
      previous = entry.hash();
      ++checked;
    }
    if (static_cast<int>(entries.size()) < kBatch) return std::make_pair(checked, std::string());
  }
}

}  // namespace batteryhub::storage
