// AIP-160 filters: parsing and evaluation against a resource message.
//
//   expression := factor ( ["AND"] factor )*          (juxtaposition is AND)
//   factor     := term ( "OR" term )*                  (OR binds tighter, as in AIP-160:
//                                                        `a AND b OR c` is `a AND (b OR c)`)
//   term       := ( "NOT" | "-" ) term | "(" expression ")" | function | restriction
//   function   := name "(" value ")"                   (descends_from("institutions/…"))
//   restriction:= path ( "=" | "!=" | "<" | "<=" | ">" | ">=" | ":" ) value
//   path       := name ( "." name )*                   (labels.project, cell.chemistry)
//   value      := "string" | number [unit] | true | false | bare word | "*" (with ":")
//                 (a unit is converted: `results.d50 < 12 um` compares 1.2e-05 m)
//
// At most kMaxFilterBytes of text and kMaxFilterDepth levels of parentheses
// and NOT; every walk of the tree is linear in its size.
//
// Field paths resolve through the message by reflection: nested messages,
// map keys (labels.x), repeated fields (any element matches), enums (by
// full name, e.g. SAMPLE_KIND_CELL, or without its prefix, CELL), Quantity
// (compared on its canonical value: protocol.temperature >= 25), Timestamp
// (RFC 3339 literals). ':' tests presence (`x:*`), map keys (`labels:k`),
// membership in repeated fields and equality otherwise.
#pragma once

#include <google/protobuf/message.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/field_paths.h"

namespace batteryhub {

// Bounds on an untrusted filter (INVALID_ARGUMENT naming the limit).
inline constexpr size_t kMaxFilterBytes = 8192;
inline constexpr int kMaxFilterDepth = 64;

// AND and OR nodes hold any number of children (a chain is one node).
struct FilterNode {
  enum class Kind { kAnd, kOr, kNot, kRestriction, kFunction };
  Kind kind = Kind::kRestriction;
  std::vector<std::unique_ptr<FilterNode>> children;
  // Restriction:
  std::vector<std::string> path;
  std::string op;  // "=", "!=", "<", "<=", ">", ">=", ":"
  std::string value;
  // A unit written after a number (`12 um`): `value` is then the number in
  // the canonical unit of that dimension, which is how quantities are stored.
  std::string unit;
  bool quoted = false;
  size_t column = 0;  // 1-based, for errors
  bool grouped = false;  // came in parentheses: a chain does not absorb it
};

// INVALID_ARGUMENT (field "filter") naming the column and what was expected.
absl::StatusOr<std::unique_ptr<FilterNode>> ParseFilter(absl::string_view text);

// Checks paths and literal types against `descriptor` (unknown field, bad
// number, bad enum value...) so errors come before any record is read.
absl::Status CheckFilter(const FilterNode& node, const google::protobuf::Descriptor* descriptor);

// Decides function nodes (e.g. descends_from) for `message`.
using FilterFunction =
    std::function<bool(const FilterNode& call, const google::protobuf::Message& message)>;

// True when `message` satisfies the filter (null filter: everything).
// Function nodes need `functions`; without it they match nothing.
bool MatchesFilter(const FilterNode* node, const google::protobuf::Message& message,
                   const FilterFunction& functions = nullptr);

// The function nodes of a filter (to prepare what they need once per query).
std::vector<const FilterNode*> FilterFunctions(const FilterNode* node);

// Restrictions and function calls at the top level of AND: (path, op,
// value), for index planning. A call has op "()" and its name as path.
struct TopLevelRestriction {
  std::string path;
  std::string op;
  std::string value;
  const FilterNode* node = nullptr;
};
std::vector<TopLevelRestriction> TopLevelRestrictions(const FilterNode* node);

// True when the filter is nothing but its top-level restrictions and calls
// (no OR, no NOT); a null filter is one.
bool IsConjunction(const FilterNode* node);

}  // namespace batteryhub
