// A token bucket: at most `per_second` events a second on average, `burst`
// at once. Thread-safe. Used to bound what unauthenticated or failing
// callers make the hub write (call log lines, audit entries).
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <mutex>

namespace batteryhub {

class RateLimit {
 public:
  RateLimit(double per_second, double burst)
      : per_second_(per_second), burst_(burst), tokens_(burst),
        last_(std::chrono::steady_clock::now()) {}

  // True when one more event may happen now; counts those refused.
  bool Allow() {
    std::lock_guard<std::mutex> lock(mu_);
    const auto now = std::chrono::steady_clock::now();
    tokens_ = std::min(burst_, tokens_ + per_second_ * std::chrono::duration<double>(now - last_).count());
    last_ = now;
    if (tokens_ < 1) {
      ++refused_;
      return false;
    }
    tokens_ -= 1;
    return true;
  }

  // Events refused since the last call (and resets the count).
  uint64_t TakeRefused() {
    std::lock_guard<std::mutex> lock(mu_);
    const uint64_t n = refused_;
    refused_ = 0;
    return n;
  }

 private:
  const double per_second_, burst_;
  double tokens_;
  std::chrono::steady_clock::time_point last_;
  uint64_t refused_ = 0;
  std::mutex mu_;
};

}  // namespace batteryhub
