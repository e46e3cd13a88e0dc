#include "core/errors.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace batteryhub {
namespace {

// Payload grammar: violations joined by '\n', each "field\tdescription".
// Descriptions never hold '\n' or '\t' (they are built here from our text).
std::string Sanitize(std::string s) {
  for (char& c : s) {
    if (c == '\n' || c == '\t') c = ' ';
  }
  return s;
}

}  // namespace

absl::Status Violations::ToStatus(absl::string_view what) const {
  if (list_.empty()) return absl::OkStatus();
  std::string message = absl::StrCat("invalid ", what, ": ");
  std::string payload;
  for (size_t i = 0; i < list_.size(); ++i) {
    if (i > 0) {
      absl::StrAppend(&message, "; ");
      payload.push_back('\n');
    }
    absl::StrAppend(&message, list_[i].field, ": ", list_[i].description);
    absl::StrAppend(&payload, Sanitize(list_[i].field), "\t", Sanitize(list_[i].description));
  }
  absl::Status status = absl::InvalidArgumentError(message);
  status.SetPayload(kViolationsPayload, absl::Cord(payload));
  return WithReason(std::move(status), "INVALID_FIELD");
}

absl::Status InvalidField(std::string field, std::string description, absl::string_view what) {
  Violations v;
  v.Add(std::move(field), std::move(description));
  return v.ToStatus(what);
}

absl::Status WithReason(absl::Status status, absl::string_view reason) {
  status.SetPayload(kReasonPayload, absl::Cord(reason));
  return status;
}

std::string ReasonOf(const absl::Status& status) {
  auto payload = status.GetPayload(kReasonPayload);
  return payload ? std::string(*payload) : std::string();
}

std::vector<FieldViolation> ViolationsOf(const absl::Status& status) {
  std::vector<FieldViolation> out;
  auto payload = status.GetPayload(kViolationsPayload);
  if (!payload) return out;
  for (absl::string_view line : absl::StrSplit(std::string(*payload), '\n')) {
    std::pair<std::string, std::string> parts = absl::StrSplit(line, absl::MaxSplits('\t', 1));
    out.push_back({parts.first, parts.second});
  }
  return out;
}

absl::Status NotVisible(absl::string_view name) {
  return WithReason(absl::PermissionDeniedError(absl::StrCat(
                        "permission denied on resource '", name, "' (or it might not exist)")),
                    "NOT_VISIBLE");
}

}  // namespace batteryhub
