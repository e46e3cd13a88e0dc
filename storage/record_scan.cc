// Read paths of the record store that iterate: scans, revisions, changes.
#include <rocksdb/db.h>

#include "core/status_macros.h"
#include "storage/record_store.h"
#include "storage/rocks_status.h"

namespace batteryhub::storage {

std::string ScanSourcePrefix(RecordKind kind, ScanSource source) {
  switch (source) {
    case ScanSource::kByName: return RecordPrefix(kind);
    case ScanSource::kByLabel: return IndexPrefix(IndexTag::kLabel, kind);
    case ScanSource::kByCreateTime: return IndexPrefix(IndexTag::kCreateTime, kind);
    case ScanSource::kByUpdateTime: return IndexPrefix(IndexTag::kUpdateTime, kind);
    case ScanSource::kByField: return IndexPrefix(IndexTag::kField, kind);
  }
  return {};
}

namespace {

// Positions `it` at the first key of the scan in its direction.
void Start(rocksdb::Iterator* it, const ScanOptions& o, const std::string& prefix) {
  if (!o.descending) {
    if (o.start_after.empty()) {
      it->Seek(prefix);
    } else {
      it->Seek(o.start_after);
      if (it->Valid() && it->key() == o.start_after) it->Next();
    }
    return;
  }
  if (o.start_after.empty()) {
    it->SeekToLast();  // the upper bound keeps it inside the prefix
  } else {
    it->SeekForPrev(o.start_after);
    if (it->Valid() && it->key() == o.start_after) it->Prev();
  }
}

}  // namespace

absl::Status RecordStore::Scan(RecordKind kind, const ScanOptions& o,
                               const ScanVisitor& visitor) const {
  const std::string prefix = o.prefix.empty() ? ScanSourcePrefix(kind, o.source) : o.prefix;
  const std::string upper = PrefixEnd(prefix);
  rocksdb::Slice lower_slice(prefix), upper_slice(upper);
  const rocksdb::Snapshot* snapshot = db_->GetSnapshot();
  rocksdb::ReadOptions read;
  read.snapshot = snapshot;
  read.iterate_lower_bound = &lower_slice;
  if (!upper.empty()) read.iterate_upper_bound = &upper_slice;
  const bool by_name = o.source == ScanSource::kByName;
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(read, Handle(by_name ? ColumnFamily::kRecords : ColumnFamily::kIndex)));
  absl::Status status;
  for (Start(it.get(), o, prefix); it->Valid(); o.descending ? it->Prev() : it->Next()) {
    keys_read_.fetch_add(1, std::memory_order_relaxed);
    StoredRecord record;
    if (by_name) {
      if (!record.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
        status = absl::DataLossError("corrupt record value in the store");
        break;
      }
    } else {
      std::string name, value;
      if (!NameFromIndexKey(absl::string_view(it->key().data(), it->key().size()), &name)) {
        status = absl::DataLossError("corrupt index key in the store");
        break;
      }
      rocksdb::ReadOptions point;
      point.snapshot = snapshot;
      rocksdb::Status s =
          db_->Get(point, Handle(ColumnFamily::kRecords), RecordKey(kind, name), &value);
      if (!s.ok() || !record.ParseFromString(value)) {
        status = absl::DataLossError("index entry without a readable record: " + name);
        break;
      }
    }
    if (!visitor(absl::string_view(it->key().data(), it->key().size()), record)) break;
  }
  if (status.ok()) status = FromRocks(it->status(), "scanning records");
  it.reset();
  db_->ReleaseSnapshot(snapshot);
  return status;
}

absl::StatusOr<uint64_t> RecordStore::CountIndexKeys(absl::string_view prefix,
                                                     uint64_t limit) const {
  uint64_t count = 0;
  RETURN_IF_ERROR(ScanRaw(ColumnFamily::kIndex, prefix, "", [&](absl::string_view, absl::string_view) {
    return ++count < limit;
  }));
  return count;
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

absl::StatusOr<std::vector<ChangeEntry>> RecordStore::ReadChanges(uint64_t after,
                                                                  int limit) const {
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(rocksdb::ReadOptions(), Handle(ColumnFamily::kChanges)));
  std::vector<ChangeEntry> out;
  for (it->Seek(ChangeKey(after + 1)); it->Valid() && static_cast<int>(out.size()) < limit;
       it->Next()) {
    ChangeEntry entry;
    if (!entry.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
      return absl::DataLossError("corrupt change entry in the store");
    }
    out.push_back(std::move(entry));
  }
  RETURN_IF_ERROR(FromRocks(it->status(), "reading changes"));
  return out;
}

}  // namespace batteryhub::storage
