// The hub's wall clock, in one place (commit times, token times).
#pragma once

#include <chrono>
#include <cstdint>

namespace batteryhub {

// Microseconds since the Unix epoch.
inline int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace batteryhub
