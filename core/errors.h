// Error construction shared by every layer. A status may carry two payloads,
// turned into google.rpc-compatible details at the gRPC boundary:
//   kReasonPayload     -> batteryhub.v1.ErrorInfo (reason)
//   kViolationsPayload -> batteryhub.v1.BadRequest (field violations)
#pragma once

#include <string>
#include "absl/strings/string_view.h"
#include <vector>

#include "absl/status/status.h"

namespace batteryhub {

inline constexpr absl::string_view kReasonPayload = "type.googleapis.com/batteryhub.v1.ErrorInfo";
inline constexpr absl::string_view kViolationsPayload =
    "type.googleapis.com/batteryhub.v1.BadRequest";

struct FieldViolation {
  std::string field;
  std::string description;
};

// Collects every problem of one request, so the caller learns all at once.
class Violations {
 public:
  void Add(std::string field, std::string description) {
    list_.push_back({std::move(field), std::move(description)});
  }
  bool empty() const { return list_.empty(); }

  // OK when empty; otherwise INVALID_ARGUMENT naming each field, with the
  // violations as payload.
  absl::Status ToStatus(absl::string_view what) const;

 private:
  std::vector<FieldViolation> list_;
};

// INVALID_ARGUMENT with the one violation `field`: `description`.
absl::Status InvalidField(std::string field, std::string description,
                          absl::string_view what = "request");

// `status` with a machine-readable UPPER_SNAKE reason attached.
absl::Status WithReason(absl::Status status, absl::string_view reason);

// The reason attached by WithReason, or "" when none.
std::string ReasonOf(const absl::Status& status);

// The violations attached by Violations::ToStatus, or none.
std::vector<FieldViolation> ViolationsOf(const absl::Status& status);

// AIP-211: the one answer for a resource that is hidden or absent.
absl::Status NotVisible(absl::string_view name);

}  // namespace batteryhub
