// The List planner's first pass, on its own: what order a List walks in
// (order_by parsed, each record's key in that order's index), and what the
// filter's top-level terms let the indexes narrow (a name prefix, index
// equalities, key ranges, name sets, and the checks a candidate must pass
// before its resource is read). list_query.cc executes the plan; these are
// the decisions its unit tests check.
#pragma once

#include <google/protobuf/descriptor.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/index_fields.h"
#include "query/filter.h"
#include "storage/keys.h"
#include "storage/record_store.h"

namespace batteryhub::query_plan {

// The names each function call of a filter admits (descends_from), by call.
using NameSets = std::map<const FilterNode*, std::set<std::string>>;

// What a List is ordered by: the record name, or an index whose keys sort
// in the requested order, ties by name.
struct Order {
  bool by_name = true;
  bool descending = false;
  std::string index_prefix;           // every key of the order's index
  storage::IndexTag time_tag = storage::IndexTag::kCreateTime;
  const IndexField* field = nullptr;  // null: a time
};

// The order_by fields of `kind`, for errors and docs.
std::vector<std::string> OrderableFields(storage::RecordKind kind);

// INVALID_ARGUMENT (field order_by) for anything but one orderable field,
// optionally followed by asc or desc.
absl::StatusOr<Order> ParseOrderBy(storage::RecordKind kind, absl::string_view order_by);

// The key `record` has in the order's index (for a field with several
// values, the first in the order's direction; a record without the field
// has the missing key, after every value).
std::string OrderKey(storage::RecordKind kind, const storage::StoredRecord& r, const Order& o);

struct KeyRange {
  std::string lower, upper;  // [lower, upper) of the index family
};

// A term checked on the stored record itself (its labels and indexed
// values) before its resource is parsed.
struct RecordCheck {
  bool is_label = false;
  std::string label_key, label_value;  // a label
  std::string op;                      // an indexed value: op and literal
  storage::v1::IndexedValue value;
};

bool Passes(const RecordCheck& c, const storage::StoredRecord& r);

// What the filter's top-level terms let the indexes narrow.
struct Narrowing {
  std::string name_prefix;  // every match's name starts with it
  bool nothing = false;     // the terms contradict each other
  std::vector<std::string> equalities;   // index prefixes
  std::map<std::string, KeyRange> ranges;  // by the index section ranged over
  std::vector<const std::set<std::string>*> sets;
  std::vector<RecordCheck> checks;  // on every candidate, before its resource
  // The terms decide the filter exactly: a candidate that passes them and
  // the name and set checks matches without its resource being parsed.
  bool exact = false;
};

// The narrowing of a List of `kind` under `institution` ("-": all) by the
// top-level AND terms of `filter` (null: none); `sets` holds what its
// descends_from() calls admit.
Narrowing Narrow(storage::RecordKind kind, const std::string& institution, const FilterNode* filter,
                 const google::protobuf::Descriptor* descriptor, const NameSets* sets);

}  // namespace batteryhub::query_plan
