// Encoding of one column of a series chunk. Bit-exact: Decode(Encode(v))
// reproduces every double, NaN payloads and -0.0 included.
//
//   column   := flags:u8 count:varint body          (flags bit 0: body is zstd)
//   body     := codec:u8 payload
//   codec 0  CONSTANT  bits:u64le                   (every value identical)
//   codec 1  SCALED    k:u8 order:u8 ints           value = int / 10^k exactly;
//                      ints = zigzag varints of the first value, then of the
//                      1st (order 1) or 2nd (order 2) differences
//   codec 2  XOR       bits:u64le, then per value x = bits ^ previous:
//                      0x00 when x == 0, else (0x80 | lead<<4 | trail):u8 and the
//                      8-lead-trail middle bytes of x, big-endian
//
// Cycler columns are mostly decimals written with a fixed number of digits
// (SCALED: 1-3 bytes a value before zstd); anything else falls back to XOR.
// Codec numbers are on disk: DO NOT CHANGE them.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "absl/strings/string_view.h"

namespace batteryhub::storage {

// A stored column holds at most this many values (uploads send chunks of at
// most 2^18 rows).
inline constexpr uint64_t kMaxColumnValues = uint64_t{1} << 20;

std::string EncodeColumn(absl::Span<const double> values);

// DATA_LOSS on malformed input, including a count over kMaxColumnValues or
// one the bytes cannot hold: memory is bounded by the input's size.
absl::StatusOr<std::vector<double>> DecodeColumn(absl::string_view encoded);

// The number of values of an encoded column, from its header alone (what
// DecodeColumn would return the size of, without decoding). DATA_LOSS as
// DecodeColumn for a malformed header.
absl::StatusOr<uint64_t> ColumnValueCount(absl::string_view encoded);

}  // namespace batteryhub::storage
