// The column families of the hub's RocksDB, declared once. The order is the
// handle order at open; names are on disk: DO NOT CHANGE, only append.
#pragma once

#include <array>
#include "absl/strings/string_view.h"

namespace batteryhub::storage {

enum class ColumnFamily : int {
  kDefault = 0,  // unused; RocksDB requires it
  kRecords,      // current revision of every record
  kRevisions,    // every revision of every record
  kIndex,        // secondary index entries
  kChanges,      // change feed and ledger, by sequence number
  kMeta,         // ledger head, request ids, tokens
  kSeries,       // series chunks, cycle summaries, series and upload state
  kBlobs,        // raw files by SHA-256
  kAudit,        // audit trail, by sequence
};

inline constexpr std::array<absl::string_view, 9> kColumnFamilyNames = {
    "default", "records", "revisions", "index", "changes", "meta", "series", "blobs", "audit"};

}  // namespace batteryhub::storage
