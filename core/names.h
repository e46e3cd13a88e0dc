// Resource names (AIP-122) and ids (AIP-133).
//
//   institution  = "institutions/" id
//   record       = institution "/" collection "/" id [ "@" revision ]
//   collection   = "samples" | "characterizations" | "cellTests"
//   id           = [a-z0-9] ( [a-z0-9-]{0,61} [a-z0-9] )?      (DNS label)
//   revision     = decimal integer >= 1
#pragma once

#include <cstdint>
#include <string>
#include "absl/strings/string_view.h"

#include "absl/status/statusor.h"

namespace batteryhub {

// True for a DNS-label id: 1-63 of [a-z0-9-], not starting or ending with '-'.
bool IsValidId(absl::string_view id);

struct RecordName {
  std::string institution;  // id only, e.g. "nrc"
  std::string collection;   // e.g. "samples"
  std::string id;
  uint64_t revision = 0;  // 0: the current revision

  // "institutions/{institution}/{collection}/{id}" (no revision).
  std::string Name() const;
  std::string Owner() const { return "institutions/" + institution; }
};

// Parses `name` of the given collection. INVALID_ARGUMENT naming `field`
// and what was expected otherwise. A revision suffix is accepted only when
// `allow_revision`.
absl::StatusOr<RecordName> ParseRecordName(absl::string_view name, absl::string_view collection,
                                           absl::string_view field, bool allow_revision);

// Whether `name` is exactly "institutions/{id}" (no allocation: the policy
// engine asks this per record).
bool NamesInstitution(absl::string_view name, absl::string_view id);

// The id of "institutions/{i}"; empty when `name` is not one.
std::string InstitutionIdOf(absl::string_view name);

// Parses "institutions/{i}" (or "institutions/-" when `allow_wildcard`) and
// returns the id ("-" for the wildcard).
absl::StatusOr<std::string> ParseInstitutionName(absl::string_view name, absl::string_view field,
                                                 bool allow_wildcard);

}  // namespace batteryhub
