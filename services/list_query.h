// List over one kind of record: parses filter and order_by, picks a scan
// (owner prefix, label index or time index), applies the policy before
// paging, and issues opaque page tokens bound to the query and the caller.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/filter.h"
#include "services/policy_engine.h"
#include "storage/record_store.h"

namespace batteryhub {

struct ListQuery {
  // Institution id, or "-" for all institutions.
  std::string institution;
  std::string filter;
  std::string order_by;
  int page_size = 0;
  std::string page_token;
};

struct ListPage {
  std::vector<storage::StoredRecord> records;
  std::string next_page_token;
};

inline constexpr int kDefaultPageSize = 50;

// `filter` is the parsed query.filter (null: everything); `matches` decides
// a stored record against it (the caller knows how to parse its kind). Top
// level equalities on owner and labels narrow the scan.
absl::StatusOr<ListPage> RunListQuery(
    const storage::RecordStore& store, const PolicyEngine& policy, const Principal& caller,
    storage::RecordKind kind, const ListQuery& query, int max_page_size, const FilterNode* filter,
    const std::function<bool(const storage::StoredRecord&)>& matches,
    const google::protobuf::Descriptor* descriptor);

// Page tokens: opaque, bound to `fingerprint`. INVALID_ARGUMENT for a token
// of another query or a malformed one.
std::string EncodePageToken(absl::string_view fingerprint, absl::string_view position);
absl::StatusOr<std::string> DecodePageToken(absl::string_view token,
                                            absl::string_view fingerprint);

}  // namespace batteryhub
