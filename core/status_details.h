// absl::Status -> batteryhub.v1.Status (wire-compatible with google.rpc.Status):
// the code, the message and, as details, an ErrorInfo with the reason and,
// for bad input, a BadRequest with the field violations. The gRPC services
// send it as the status details; the HTTP API as the JSON error body.
// Messages and violations are cut to bounds (they may quote the caller's
// input, which is untrusted).
#pragma once

#include "absl/status/status.h"
#include "batteryhub/v1/common.pb.h"

namespace batteryhub {

::batteryhub::v1::Status StatusDetails(const absl::Status& status);

}  // namespace batteryhub
