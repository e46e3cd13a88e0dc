// Read paths of the record store that iterate: views, revisions, changes.
#include <rocksdb/db.h>

#include "absl/strings/str_cat.h"
#include "core/status_macros.h"
#include "storage/record_store.h"
#include "storage/rocks_status.h"

namespace batteryhub::storage {

std::unique_ptr<ReadView> RecordStore::View() const {
  std::unique_ptr<ReadView> view(new ReadView());
  view->db_ = db_.get();
  view->handles_ = &handles_;
  view->snapshot_ = db_->GetSnapshot();
  view->keys_read_ = &keys_read_;
  return view;
}

absl::StatusOr<std::vector<StoredRecord>> RecordStore::ListRevisions(RecordKind kind,
                                                                     absl::string_view name,
                                                                     uint64_t before,
                                                                     int limit) const {
  const std::string prefix = RevisionPrefix(kind, name);
  const std::string upper = before == 0 ? PrefixEnd(prefix) : RevisionKey(kind, name, before);
  rocksdb::Slice lower_slice(prefix), upper_slice(upper);
  rocksdb::ReadOptions read;
  read.iterate_lower_bound = &lower_slice;
  read.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read, Handle(ColumnFamily::kRevisions)));
  std::vector<StoredRecord> out;
  for (it->SeekToLast(); it->Valid() && static_cast<int>(out.size()) < limit; it->Prev()) {
    StoredRecord record;
    if (!record.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
      return absl::DataLossError("corrupt revision value in the store");
    }
    out.push_back(std::move(record));
  }
  RETURN_IF_ERROR(FromRocks(it->status(), "listing revisions"));
  return out;
}

namespace {

// Entries of a family keyed by u64(sequence) (changes, audit) with
// sequence > `after` that `keep` accepts (null: all), at most `limit`;
// `*scanned_to` is the last sequence looked at.
template <typename Entry>
absl::StatusOr<std::vector<Entry>> ReadSequenced(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* cf,
                                                 uint64_t after, int limit,
                                                 const std::function<bool(const Entry&)>& keep,
                                                 uint64_t* scanned_to, const char* what) {
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions(), cf));
  std::vector<Entry> out;
  *scanned_to = after;
  for (it->Seek(ChangeKey(after + 1)); it->Valid() && static_cast<int>(out.size()) < limit;
       it->Next()) {
    Entry entry;
    if (!entry.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
      return absl::DataLossError(absl::StrCat("corrupt ", what, " entry in the store"));
    }
    *scanned_to = entry.sequence();
    if (!keep || keep(entry)) out.push_back(std::move(entry));
  }
  RETURN_IF_ERROR(FromRocks(it->status(), absl::StrCat("reading the ", what, " entries")));
  return out;
}

}  // namespace

absl::StatusOr<std::vector<ChangeEntry>> RecordStore::ReadChanges(uint64_t after,
                                                                  int limit) const {
  uint64_t scanned_to;
  return ReadSequenced<ChangeEntry>(db_.get(), Handle(ColumnFamily::kChanges), after, limit,
                                    nullptr, &scanned_to, "change");
}

absl::StatusOr<std::vector<AuditEntry>> RecordStore::ReadAudit(
    uint64_t after, int limit, const std::function<bool(const AuditEntry&)>& keep,
    uint64_t* scanned_to) const {
  return ReadSequenced<AuditEntry>(db_.get(), Handle(ColumnFamily::kAudit), after, limit, keep,
                                   scanned_to, "audit");
}

}  // namespace batteryhub::storage
