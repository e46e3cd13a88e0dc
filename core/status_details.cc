#include "core/status_details.h"

#include "absl/strings/str_cat.h"
#include "core/errors.h"

namespace batteryhub {
namespace {
// Bounds on what an error sends back: a message may quote the caller's
// input, which is untrusted and may be large (the metadata limit of the
// client is 8 KiB for everything).
constexpr size_t kMaxMessageBytes = 1024;
constexpr size_t kMaxViolationBytes = 256;
constexpr size_t kMaxViolations = 32;

std::string Cut(absl::string_view text, size_t limit) {
  if (text.size() <= limit) return std::string(text);
  size_t end = limit;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;  // UTF-8
  return absl::StrCat(text.substr(0, end), "... (cut)");
}

}  // namespace

::batteryhub::v1::Status StatusDetails(const absl::Status& status) {
  ::batteryhub::v1::Status details;
  details.set_code(static_cast<int>(status.code()));
  details.set_message(Cut(status.message(), kMaxMessageBytes));
  if (status.ok()) return details;
  ::batteryhub::v1::ErrorInfo info;
  std::string reason = ReasonOf(status);
  info.set_reason(reason.empty() ? std::string(absl::StatusCodeToString(status.code())) : reason);
  info.set_domain("batteryhub.v1");
  details.add_details()->PackFrom(info);
  std::vector<FieldViolation> violations = ViolationsOf(status);
  if (!violations.empty()) {
    ::batteryhub::v1::BadRequest bad;
    for (size_t i = 0; i < violations.size() && i < kMaxViolations; ++i) {
      auto* fv = bad.add_field_violations();
      fv->set_field(Cut(violations[i].field, kMaxViolationBytes));
      fv->set_description(Cut(violations[i].description, kMaxViolationBytes));
    }
    details.add_details()->PackFrom(bad);
  }
  return details;
}

}  // namespace batteryhub
