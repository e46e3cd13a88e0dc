// Bounds-checked little-endian reads from untrusted bytes, for the binary
// readers (.mpr, .nda). Every read says whether it fitted; nothing here
// can read past the end, whatever the bytes declare.
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>

#include "absl/strings/string_view.h"

namespace batteryhub::parsers {

class ByteReader {
 public:
  explicit ByteReader(absl::string_view bytes) : b_(bytes) {}

  size_t size() const { return b_.size(); }
  // The `n` bytes at `offset`, or nullopt when they are not all there.
  std::optional<absl::string_view> Bytes(uint64_t offset, uint64_t n) const {
    if (offset > b_.size() || n > b_.size() - offset) return std::nullopt;
    return b_.substr(static_cast<size_t>(offset), static_cast<size_t>(n));
  }
  template <typename T>
  std::optional<T> Get(uint64_t offset) const {
    std::optional<absl::string_view> s = Bytes(offset, sizeof(T));
    if (!s) return std::nullopt;
    T v;
    std::memcpy(&v, s->data(), sizeof(T));  // x86-64 and aarch64: little-endian
    return v;
  }
  std::optional<uint8_t> U8(uint64_t o) const { return Get<uint8_t>(o); }
  std::optional<uint16_t> U16(uint64_t o) const { return Get<uint16_t>(o); }
  std::optional<uint32_t> U32(uint64_t o) const { return Get<uint32_t>(o); }
  std::optional<double> F64(uint64_t o) const { return Get<double>(o); }
  // A Pascal string (one length byte, then the text) at `offset`.
  std::optional<absl::string_view> Pascal(uint64_t offset) const {
    std::optional<uint8_t> n = U8(offset);
    if (!n) return std::nullopt;
    return Bytes(offset + 1, *n);
  }

 private:
  absl::string_view b_;
};

// A float32 as the shortest decimal that reads back to it (what the vendors'
// own exports print): 3.6f is 3.6, not 3.5999999046325684.
double Float32Decimal(float v);

// raw * scale rounded to 15 significant digits: 911 * 1e-4 is 0.0911, not
// 0.09110000000000001 (an integer count of a unit step is exact in decimal).
double ScaledDecimal(double raw, double scale);

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "the binary readers assume little-endian");

}  // namespace batteryhub::parsers
