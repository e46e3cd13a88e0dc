// The audit trail: one hash-chained entry per call, in its own column
// family; written with the commit a call makes, or on its own.
#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include "absl/strings/str_cat.h"
#include "core/clock.h"
#include "core/status_macros.h"
#include "storage/record_store.h"
#include "storage/rocks_status.h"

namespace batteryhub::storage {

AuditEntry RecordStore::ChainAudit(AuditEntry entry, int64_t time_micros) const {
  entry.set_sequence(audit_head_.sequence() + 1);
  entry.set_time_micros(time_micros);
  entry.set_previous_hash(audit_head_.hash());
  entry.set_hash(ChainHash(audit_head_.hash(), entry));
  return entry;
}

absl::Status RecordStore::AppendAudit(AuditEntry entry) {
  std::lock_guard<std::mutex> lock(audit_mu_);
  entry = ChainAudit(std::move(entry), NowMicros());
  const std::string bytes = entry.SerializeAsString();
  rocksdb::WriteBatch batch;
  batch.Put(Handle(ColumnFamily::kAudit), ChangeKey(entry.sequence()), bytes);
  batch.Put(Handle(ColumnFamily::kMeta), AuditHeadKey(), bytes);
  RETURN_IF_ERROR(FromRocks(db_->Write(rocksdb::WriteOptions(), &batch), "appending to the audit trail"));
  audit_head_ = std::move(entry);
  return absl::OkStatus();
}

absl::StatusOr<std::vector<AuditEntry>> RecordStore::ReadAudit(
    uint64_t after, int limit, const std::function<bool(const AuditEntry&)>& keep,
    uint64_t* scanned_to) const {
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(rocksdb::ReadOptions(), Handle(ColumnFamily::kAudit)));
  std::vector<AuditEntry> out;
  *scanned_to = after;
  for (it->Seek(ChangeKey(after + 1)); it->Valid() && static_cast<int>(out.size()) < limit;
       it->Next()) {
    AuditEntry entry;
    if (!entry.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
      return absl::DataLossError("corrupt audit entry in the store");
    }
    *scanned_to = entry.sequence();
    if (!keep || keep(entry)) out.push_back(std::move(entry));
  }
  RETURN_IF_ERROR(FromRocks(it->status(), "reading the audit trail"));
  return out;
}

absl::StatusOr<std::pair<uint64_t, std::string>> RecordStore::VerifyAudit() const {
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(rocksdb::ReadOptions(), Handle(ColumnFamily::kAudit)));
  std::string previous;
  uint64_t checked = 0;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    AuditEntry entry;
    if (!entry.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
      return std::make_pair(checked, absl::StrCat("audit entry after sequence ", checked,
                                                  " is unreadable"));
    }
    if (entry.sequence() != checked + 1 || entry.previous_hash() != previous ||
        ChainHash(previous, entry) != entry.hash()) {
      return std::make_pair(checked, absl::StrCat("audit chain broken at sequence ",
                                                  entry.sequence()));
    }
    previous = entry.hash();
    ++checked;
  }
  RETURN_IF_ERROR(FromRocks(it->status(), "verifying the audit trail"));
  return std::make_pair(checked, std::string());
}

}  // namespace batteryhub::storage
