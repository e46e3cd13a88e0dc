// How long-running work (list scans, lineage walks) learns that its call
// was cancelled or passed its deadline: a function it polls every few
// hundred steps. Null: the work is never cancelled.
#pragma once

#include <cstdint>
#include <functional>

#include "absl/status/status.h"

namespace batteryhub {

using CancelledFn = std::function<bool()>;

// Polls `cancelled` every `every` calls of Check.
class CancelCheck {
 public:
  explicit CancelCheck(const CancelledFn* cancelled, uint32_t every = 256)
      : cancelled_(cancelled), every_(every) {}

  // CANCELLED once the call is cancelled (or past its deadline).
  absl::Status Check() {
    if (cancelled_ == nullptr || !*cancelled_ || ++count_ % every_ != 0) return absl::OkStatus();
    return Now();
  }
  // Polls now.
  absl::Status Now() const {
    if (cancelled_ != nullptr && *cancelled_ && (*cancelled_)()) {
      return absl::CancelledError("the call was cancelled or passed its deadline");
    }
    return absl::OkStatus();
  }

 private:
  const CancelledFn* cancelled_;
  uint32_t every_;
  uint32_t count_ = 0;
};

}  // namespace batteryhub
