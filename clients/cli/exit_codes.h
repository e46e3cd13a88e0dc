// Exit codes of bhub (DESIGN.md section 11), after sysexits.h.
#pragma once

#include <grpcpp/support/status.h>

namespace batteryhub::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitOther = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitDataErr = 65;      // bad input data
inline constexpr int kExitNoInput = 66;      // input file missing
inline constexpr int kExitUnavailable = 69;  // hub unavailable
inline constexpr int kExitNoPerm = 77;       // unauthenticated, denied or not found

inline int ExitCodeFor(const grpc::Status& status) {
  switch (status.error_code()) {
    case grpc::StatusCode::OK: return kExitOk;
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::OUT_OF_RANGE:
    case grpc::StatusCode::RESOURCE_EXHAUSTED: return kExitDataErr;
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DEADLINE_EXCEEDED: return kExitUnavailable;
    case grpc::StatusCode::UNAUTHENTICATED:
    case grpc::StatusCode::PERMISSION_DENIED:
    case grpc::StatusCode::NOT_FOUND: return kExitNoPerm;
    default: return kExitOther;
  }
}

}  // namespace batteryhub::cli
