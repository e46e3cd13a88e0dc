// One JSON line per RPC on stderr: time, method, principal, resource,
// code, duration; at most 500 lines a second (bursts of 2,000), the next
// line written says how many were suppressed ("suppressed_before").
#pragma once

#include <chrono>
#include <string>

#include "absl/status/status.h"

namespace batteryhub {

void LogCall(const std::string& method, const std::string& principal, const std::string& resource,
             const absl::Status& status, std::chrono::steady_clock::duration elapsed);

}  // namespace batteryhub
