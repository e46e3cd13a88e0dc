// Bounds on what one request may carry into a stored record, checked by
// walking the message (every kind, every field, no list to keep up):
//   strings               at most kMaxStringBytes (16 KiB)
//   repeated fields       at most kMaxRepeated (1,000) elements; packed
//                         numbers (curve points) at most kMaxPoints (200,000)
//   maps (labels)         at most kMaxMapEntries (64), keys 63 bytes, values 256
//   access                restricted_fields 64, agreements 32, grants 64
//   Timestamps            0001-01-01 to 9999-12-31, nanos in [0, 1e9)
//   doubles               finite; NaN only in repeated numbers (a missing
//                         point of a curve)
// INVALID_ARGUMENT names the field path and the bound; each violation once.
#pragma once

#include <google/protobuf/message.h>

#include <string>

#include "absl/status/status.h"

namespace batteryhub {

inline constexpr size_t kMaxStringBytes = 16 << 10;
inline constexpr int kMaxRepeated = 1000;
inline constexpr int kMaxPoints = 200000;
inline constexpr int kMaxMapEntries = 64;

absl::Status CheckRequestBounds(const google::protobuf::Message& message,
                                const std::string& what = "request");

}  // namespace batteryhub
