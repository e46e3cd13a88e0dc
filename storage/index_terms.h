// The secondary index entries of a stored record.
#pragma once

#include <string>
#include <vector>

#include "batteryhub/storage/v1/stored.pb.h"

namespace batteryhub::storage {

// Every index key (see keys.h) the record needs, in no particular order.
std::vector<std::string> IndexTerms(const batteryhub::storage::v1::StoredRecord& record);

}  // namespace batteryhub::storage
