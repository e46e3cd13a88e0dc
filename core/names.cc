#include "core/names.h"

#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "core/errors.h"

namespace batteryhub {
namespace {

absl::Status BadName(absl::string_view field, absl::string_view name, absl::string_view expected) {
  return InvalidField(std::string(field),
                      absl::StrCat("'", name, "' is not a valid name: expected ", expected), "name");
}

}  // namespace

bool IsValidId(absl::string_view id) {
  if (id.empty() || id.size() > 63 || id.front() == '-' || id.back() == '-') return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string RecordName::Name() const {
  return absl::StrCat("institutions/", institution, "/", collection, "/", id);
}

absl::StatusOr<RecordName> ParseRecordName(absl::string_view name, absl::string_view collection,
                                           absl::string_view field, bool allow_revision) {
  const std::string expected =
      absl::StrCat("institutions/{institution}/", collection, "/{id}",
                   allow_revision ? " with an optional @{revision}" : "",
                   ", ids of 1-63 characters [a-z0-9-]");
  RecordName out;
  absl::string_view path = name;
  if (size_t at = name.find('@'); at != absl::string_view::npos) {
    if (!allow_revision || !absl::SimpleAtoi(name.substr(at + 1), &out.revision) ||
        out.revision == 0) {
      return BadName(field, name, expected);
    }
    path = name.substr(0, at);
  }
  std::vector<absl::string_view> parts = absl::StrSplit(path, '/');
  if (parts.size() != 4 || parts[0] != "institutions" || parts[2] != collection ||
      !IsValidId(parts[1]) || !IsValidId(parts[3])) {
    return BadName(field, name, expected);
  }
  out.institution = std::string(parts[1]);
  out.collection = std::string(parts[2]);
  out.id = std::string(parts[3]);
  return out;
}

namespace {
constexpr absl::string_view kInstitutionsPrefix = "institutions/";
}  // namespace

bool NamesInstitution(absl::string_view name, absl::string_view id) {
  return !id.empty() && name.size() == kInstitutionsPrefix.size() + id.size() &&
         absl::StartsWith(name, kInstitutionsPrefix) && absl::EndsWith(name, id);
}

std::string InstitutionIdOf(absl::string_view name) {
  if (!absl::StartsWith(name, kInstitutionsPrefix)) return "";
  absl::string_view id = name.substr(kInstitutionsPrefix.size());
  return IsValidId(id) ? std::string(id) : "";
}

absl::StatusOr<std::string> ParseInstitutionName(absl::string_view name, absl::string_view field,
                                                 bool allow_wildcard) {
  std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  if (parts.size() == 2 && parts[0] == "institutions" &&
      (IsValidId(parts[1]) || (allow_wildcard && parts[1] == "-"))) {
    return std::string(parts[1]);
  }
  return BadName(field, name,
                 allow_wildcard ? "institutions/{institution} or institutions/-"
                                : "institutions/{institution}");
}

}  // namespace batteryhub
