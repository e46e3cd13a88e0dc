// absl::Status -> grpc::Status, once, at the service boundary. Details go
// out as a batteryhub.v1.Status (wire-compatible with google.rpc.Status)
// holding an ErrorInfo with the reason and, for bad input, a BadRequest.
#pragma once

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace batteryhub {

grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace batteryhub
