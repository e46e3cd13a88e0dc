// The List filter of the foundation: a conjunction of equalities on the
// owner and on labels (the full AIP-160 language comes with the query work).
//
//   filter := term ( "AND" term )*
//   term   := field "=" value
//   field  := "owner" | "labels." key
//   value  := '"' chars '"' | bare word of [A-Za-z0-9_./-]
#pragma once

#include <map>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace batteryhub {

struct ListFilter {
  // Institution id when the filter says owner = "institutions/{id}" (or "{id}").
  std::optional<std::string> owner;
  std::map<std::string, std::string> labels;
};

// INVALID_ARGUMENT naming the position (1-based column) and what was expected.
absl::StatusOr<ListFilter> ParseListFilter(absl::string_view text);

}  // namespace batteryhub
