#include "storage/read_view.h"

#include <rocksdb/db.h>

#include "storage/rocks_status.h"

namespace batteryhub::storage {

KeyCursor::~KeyCursor() = default;

bool KeyCursor::Valid() const { return it_->Valid(); }

absl::string_view KeyCursor::key() const {
  return absl::string_view(it_->key().data(), it_->key().size());
}

absl::string_view KeyCursor::value() const {
  return absl::string_view(it_->value().data(), it_->value().size());
}

void KeyCursor::Count() {
  if (it_->Valid()) keys_read_->fetch_add(1, std::memory_order_relaxed);
}

void KeyCursor::Next() {
  if (descending_) it_->Prev();
  else it_->Next();
  Count();
}

void KeyCursor::Seek(absl::string_view target) {
  const rocksdb::Slice t(target.data(), target.size());
  if (descending_) it_->SeekForPrev(t);
  else it_->Seek(t);
  Count();
}

void KeyCursor::Rewind() {
  // The iterator bounds keep both ends inside [lower_, upper_).
  if (descending_) it_->SeekToLast();
  else it_->SeekToFirst();
  Count();
}

absl::Status KeyCursor::status() const { return FromRocks(it_->status(), "reading keys"); }

ReadView::~ReadView() {
  if (snapshot_ != nullptr) db_->ReleaseSnapshot(snapshot_);
}

absl::StatusOr<bool> ReadView::ReadRecord(RecordKind kind, absl::string_view name,
                                          v1::StoredRecord* into) const {
  rocksdb::ReadOptions read;
  read.snapshot = snapshot_;
  rocksdb::PinnableSlice value;
  rocksdb::Status s = db_->Get(read, (*handles_)[static_cast<int>(ColumnFamily::kRecords)],
                               RecordKey(kind, name), &value);
  keys_read_->fetch_add(1, std::memory_order_relaxed);
  if (s.IsNotFound()) return false;
  if (!s.ok()) return FromRocks(s, "reading a record");
  if (!into->ParseFromArray(value.data(), static_cast<int>(value.size()))) {
    return absl::DataLossError("corrupt record value in the store");
  }
  return true;
}

absl::StatusOr<std::optional<v1::StoredRecord>> ReadView::Record(RecordKind kind,
                                                                 absl::string_view name) const {
  v1::StoredRecord record;
  absl::StatusOr<bool> found = ReadRecord(kind, name, &record);
  if (!found.ok()) return found.status();
  if (!*found) return std::optional<v1::StoredRecord>();
  return std::optional<v1::StoredRecord>(std::move(record));
}

absl::Status ReadView::ReadRecords(
    const std::vector<IndexedRecord>& records,
    const std::function<absl::Status(size_t i, absl::string_view value)>& visit) const {
  if (records.empty()) return absl::OkStatus();
  std::vector<std::string> record_keys;
  record_keys.reserve(records.size());
  for (const IndexedRecord& r : records) record_keys.push_back(RecordKey(r.kind, r.name));
  rocksdb::ReadOptions read;
  read.snapshot = snapshot_;
  std::vector<rocksdb::Slice> keys(record_keys.begin(), record_keys.end());
  std::vector<rocksdb::PinnableSlice> values(keys.size());
  std::vector<rocksdb::Status> statuses(keys.size());
  db_->MultiGet(read, (*handles_)[static_cast<int>(ColumnFamily::kRecords)], keys.size(),
                keys.data(), values.data(), statuses.data());
  keys_read_->fetch_add(keys.size(), std::memory_order_relaxed);
  for (size_t i = 0; i < keys.size(); ++i) {
    if (statuses[i].IsNotFound()) continue;
    if (!statuses[i].ok()) return FromRocks(statuses[i], "reading records");
    absl::Status s = visit(i, absl::string_view(values[i].data(), values[i].size()));
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::StatusOr<bool> ReadView::HasIndexKey(absl::string_view key) const {
  rocksdb::ReadOptions read;
  read.snapshot = snapshot_;
  rocksdb::PinnableSlice value;
  rocksdb::Status s = db_->Get(read, (*handles_)[static_cast<int>(ColumnFamily::kIndex)],
                               rocksdb::Slice(key.data(), key.size()), &value);
  keys_read_->fetch_add(1, std::memory_order_relaxed);
  if (s.IsNotFound()) return false;
  if (!s.ok()) return FromRocks(s, "reading an index key");
  return true;
}

std::unique_ptr<KeyCursor> ReadView::Cursor(ColumnFamily cf, std::string lower, std::string upper,
                                            bool descending) const {
  std::unique_ptr<KeyCursor> c(new KeyCursor());
  c->lower_ = std::move(lower);
  c->upper_ = std::move(upper);
  c->descending_ = descending;
  c->keys_read_ = keys_read_;
  rocksdb::ReadOptions read;
  read.snapshot = snapshot_;
  c->lower_slice_ = std::make_unique<rocksdb::Slice>(c->lower_);
  read.iterate_lower_bound = c->lower_slice_.get();
  if (!c->upper_.empty()) {
    c->upper_slice_ = std::make_unique<rocksdb::Slice>(c->upper_);
    read.iterate_upper_bound = c->upper_slice_.get();
  }
  c->it_.reset(db_->NewIterator(read, (*handles_)[static_cast<int>(cf)]));
  return c;
}

std::unique_ptr<KeyCursor> ReadView::PrefixCursor(ColumnFamily cf, absl::string_view prefix,
                                                  bool descending) const {
  return Cursor(cf, std::string(prefix), PrefixEnd(prefix), descending);
}

absl::Status ReadView::ForEachRecord(
    RecordKind kind, const std::function<bool(const v1::StoredRecord&)>& visit) const {
  std::unique_ptr<KeyCursor> c = PrefixCursor(ColumnFamily::kRecords, RecordPrefix(kind), false);
  v1::StoredRecord record;
  for (c->Rewind(); c->Valid(); c->Next()) {
    if (!record.ParseFromArray(c->value().data(), static_cast<int>(c->value().size()))) {
      return absl::DataLossError("a stored record is unparsable");
    }
    if (!visit(record)) break;
  }
  return c->status();
}

}  // namespace batteryhub::storage
