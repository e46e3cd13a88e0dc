// Bulk loading of entries that arrive in key order (a replica's series
// chunks): written straight into an SST file and ingested into the store,
// without the write-ahead log or the memtable — the log's CRC32C is computed
// in software by Debian's portable RocksDB build and dominated such copies.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "storage/column_families.h"

namespace rocksdb {
class DB;
class ColumnFamilyHandle;
class SstFileWriter;
}  // namespace rocksdb

namespace batteryhub::storage {

class SortedIngest {
 public:
  ~SortedIngest();  // an unfinished file is removed, nothing ingested
  SortedIngest(const SortedIngest&) = delete;
  SortedIngest& operator=(const SortedIngest&) = delete;

  // Keys must be strictly increasing (INVALID_ARGUMENT otherwise).
  absl::Status Add(absl::string_view key, absl::string_view value);
  // Ingests what was added, durably (nothing to do when nothing was).
  absl::Status Finish();
  uint64_t entries() const { return entries_; }

 private:
  friend class RecordStore;
  SortedIngest() = default;

  rocksdb::DB* db_ = nullptr;
  rocksdb::ColumnFamilyHandle* handle_ = nullptr;
  std::string path_;
  std::unique_ptr<rocksdb::SstFileWriter> writer_;
  uint64_t entries_ = 0;
  bool finished_ = false;
};

}  // namespace batteryhub::storage
