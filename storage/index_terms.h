// The secondary index entries of a stored record.
#pragma once

#include <string>
#include <vector>

#include "batteryhub/storage/v1/stored.pb.h"

namespace batteryhub::storage {

// Every index key (see keys.h) the record needs, in no particular order.
std::vector<std::string> IndexTerms(const batteryhub::storage::v1::StoredRecord& record);

// The raw files (SHA-256 hex) a stored cell test's series names; none for
// other kinds, or for a view without the series.
std::vector<std::string> RawFilesOf(const batteryhub::storage::v1::StoredRecord& record);

}  // namespace batteryhub::storage
