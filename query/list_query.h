// List over one kind of record: parses order_by, plans from the filter's
// top-level restrictions which indexes to read (see list_query.cc), applies
// the policy before paging, and issues opaque page tokens bound to the query
// and the caller.
#pragma once

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <google/protobuf/arena.h>

#include "absl/status/statusor.h"
#include "core/cancellation.h"
#include "query/filter.h"
#include "query/list_plan.h"
#include "policy/policy_engine.h"
#include "storage/record_store.h"

namespace batteryhub {

struct ListQuery {
  // Institution id, or "-" for all institutions.
  std::string institution;
  std::string filter;
  std::string order_by;
  int page_size = 0;
  std::string page_token;
  // Also withdrawn records (AIP-164 show_deleted).
  bool show_deleted = false;
  // Polled during the walk: CANCELLED once it says so.
  CancelledFn cancelled = nullptr;
};

struct ListPage {
  // The serialized resources listed, in order, as stored: each is cut to
  // the caller's view with its decision (FieldPolicy::Redact).
  std::vector<std::string> resources;
  std::vector<ReadDecision> decisions;
  std::string next_page_token;
};

inline constexpr int kDefaultPageSize = 50;

// Decides the caller's view of a stored record (under the decision given)
// against the filter; parses on `arena`.
using RecordMatcher = std::function<bool(const storage::StoredRecord&, const ReadDecision&,
                                         google::protobuf::Arena* arena)>;

// The names each function call of a filter admits (descends_from), by call.
using NameSets = query_plan::NameSets;

// `filter` is the parsed query.filter (null: everything); `matches` decides
// a stored record against it (the caller knows how to parse its kind);
// `sets` holds what its calls admit (may be null without calls). The
// indexes only narrow what is read: every record returned satisfies
// `matches` on the caller's view and the policy. A record whose order_by
// field is hidden from the caller (tier, restricted field) is not listed in
// that order: its place would tell the value.
absl::StatusOr<ListPage> RunListQuery(
    const storage::RecordStore& store, const PolicyEngine& policy, const Principal& caller,
    storage::RecordKind kind, const ListQuery& query, int max_page_size, const FilterNode* filter,
    const RecordMatcher& matches, const google::protobuf::Descriptor* descriptor,
    const NameSets* sets);

using query_plan::OrderableFields;

// Page tokens: opaque, authenticated with the hub's secret `key` (an
// HMAC over `fingerprint` and the position, so nobody can mint or alter
// one) and bound to `fingerprint`, which names the query and the caller.
// INVALID_ARGUMENT for a token of another query or caller, or a forged one.
std::string EncodePageToken(absl::string_view key, absl::string_view fingerprint,
                            absl::string_view position);
absl::StatusOr<std::string> DecodePageToken(absl::string_view key, absl::string_view token,
                                            absl::string_view fingerprint);

}  // namespace batteryhub
