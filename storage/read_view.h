// A consistent snapshot of the record store for reads that take several
// steps (query plans): point lookups of records and index keys, and cursors
// over key ranges, all seeing the same moment. Every key a view touches is
// counted in RecordStore::KeysRead().
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "batteryhub/storage/v1/stored.pb.h"
#include "storage/column_families.h"
#include "storage/keys.h"

namespace rocksdb {
class DB;
class ColumnFamilyHandle;
class Iterator;
class Slice;
class Snapshot;
}  // namespace rocksdb

namespace batteryhub::storage {

// Keys of one column family in [lower, upper), ascending or descending.
class KeyCursor {
 public:
  ~KeyCursor();
  KeyCursor(const KeyCursor&) = delete;
  KeyCursor& operator=(const KeyCursor&) = delete;

  bool Valid() const;
  absl::string_view key() const;
  absl::string_view value() const;
  // The next key in the cursor's direction.
  void Next();
  // The first key at or after `target` in the cursor's direction (>= when
  // ascending, <= when descending).
  void Seek(absl::string_view target);
  // Back to the first key in the cursor's direction.
  void Rewind();
  // Not OK when the store failed underneath.
  absl::Status status() const;

 private:
  friend class ReadView;
  KeyCursor() = default;
  void Count();

  std::string lower_, upper_;
  bool descending_ = false;
  // The iterator's bounds point at these: declared before it, freed after.
  std::unique_ptr<rocksdb::Slice> lower_slice_, upper_slice_;
  std::unique_ptr<rocksdb::Iterator> it_;
  std::atomic<uint64_t>* keys_read_ = nullptr;
};

// A record by kind and name (what an index entry names).
struct IndexedRecord {
  RecordKind kind;
  std::string name;
};

class ReadView {
 public:
  ~ReadView();
  ReadView(const ReadView&) = delete;
  ReadView& operator=(const ReadView&) = delete;

  // The current revision of a record; nullopt when it does not exist.
  absl::StatusOr<std::optional<v1::StoredRecord>> Record(RecordKind kind,
                                                         absl::string_view name) const;
  // Parses the current revision into `*into` (which may live on an
  // arena); false when the record does not exist.
  absl::StatusOr<bool> ReadRecord(RecordKind kind, absl::string_view name,
                                  v1::StoredRecord* into) const;
  // Reads many records in one batched lookup (RocksDB MultiGet): calls
  // `visit` with the index into `records` and the stored bytes of each one
  // that exists, in order.
  absl::Status ReadRecords(
      const std::vector<IndexedRecord>& records,
      const std::function<absl::Status(size_t i, absl::string_view value)>& visit) const;
  // Whether the index family holds `key`.
  absl::StatusOr<bool> HasIndexKey(absl::string_view key) const;
  // A cursor over [lower, upper) of `cf` (empty upper: to the end).
  std::unique_ptr<KeyCursor> Cursor(ColumnFamily cf, std::string lower, std::string upper,
                                    bool descending) const;
  // A cursor over every key starting with `prefix`.
  std::unique_ptr<KeyCursor> PrefixCursor(ColumnFamily cf, absl::string_view prefix,
                                          bool descending) const;
  // The current revision of every record of `kind`, in name order;
  // `visit` returns false to stop. DATA_LOSS for an unparsable record.
  absl::Status ForEachRecord(RecordKind kind,
                             const std::function<bool(const v1::StoredRecord&)>& visit) const;

 private:
  friend class RecordStore;
  ReadView() = default;

  rocksdb::DB* db_ = nullptr;
  const std::vector<rocksdb::ColumnFamilyHandle*>* handles_ = nullptr;
  const rocksdb::Snapshot* snapshot_ = nullptr;
  std::atomic<uint64_t>* keys_read_ = nullptr;
};

}  // namespace batteryhub::storage
