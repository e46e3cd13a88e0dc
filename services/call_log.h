// One JSON line per RPC on stderr: time, method, principal, resource,
// code, duration.
#pragma once

#include <chrono>
#include <string>

#include "absl/status/status.h"

namespace batteryhub {

void LogCall(const std::string& method, const std::string& principal, const std::string& resource,
             const absl::Status& status, std::chrono::steady_clock::duration elapsed);

}  // namespace batteryhub
