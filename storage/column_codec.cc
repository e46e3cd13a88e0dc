#include "storage/column_codec.h"

#include <zstd.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace batteryhub::storage {
namespace {

enum Codec : uint8_t { kConstant = 0, kScaled = 1, kXor = 2 };
constexpr uint8_t kZstdFlag = 1;
constexpr int kZstdLevel = 3;
constexpr double kPow10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
constexpr int kMaxExponent = 9;

void PutVarint(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

bool GetVarint(absl::string_view* in, uint64_t* v) {
  uint64_t result = 0;
  for (int shift = 0; shift <= 63 && !in->empty(); shift += 7) {
    uint8_t byte = static_cast<uint8_t>(in->front());
    in->remove_prefix(1);
    result |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if (byte < 0x80) {
      *v = result;
      return true;
    }
  }
  return false;
}

uint64_t ZigZag(int64_t v) { return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63); }
int64_t UnZigZag(uint64_t v) { return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1); }

void PutU64(std::string* out, uint64_t v) {
  char b[8];
  std::memcpy(b, &v, 8);
  out->append(b, 8);
}

bool GetU64(absl::string_view* in, uint64_t* v) {
  if (in->size() < 8) return false;
  std::memcpy(v, in->data(), 8);
  in->remove_prefix(8);
  return true;
}

// The smallest k with every value == int / 10^k exactly, or -1.
int ScaleExponent(absl::Span<const double> values, std::vector<int64_t>* ints) {
  for (int k = 0; k <= kMaxExponent; ++k) {
    ints->clear();
    bool ok = true;
    for (double v : values) {
      const double scaled = v * kPow10[k];
      if (!(std::fabs(scaled) < 9.0e15)) {
        ok = false;
        break;
      }
      const int64_t i = std::llround(scaled);
      if (std::bit_cast<uint64_t>(static_cast<double>(i) / kPow10[k]) !=
          std::bit_cast<uint64_t>(v)) {
        ok = false;
        break;
      }
      ints->push_back(i);
    }
    if (ok) return k;
  }
  return -1;
}

std::string ScaledPayload(const std::vector<int64_t>& ints, int order) {
  std::string out;
  int64_t prev = 0, prev_delta = 0;
  for (size_t i = 0; i < ints.size(); ++i) {
    const int64_t delta = ints[i] - prev;
    PutVarint(&out, ZigZag(order == 2 && i > 0 ? delta - prev_delta : (i == 0 ? ints[0] : delta)));
    prev_delta = i == 0 ? 0 : delta;
    prev = ints[i];
  }
  return out;
}

std::string XorPayload(absl::Span<const double> values) {
  std::string out;
  uint64_t prev = 0;
  for (size_t i = 0; i < values.size(); ++i) {
    const uint64_t bits = std::bit_cast<uint64_t>(values[i]);
    if (i == 0) {
      PutU64(&out, bits);
    } else {
      const uint64_t x = bits ^ prev;
      if (x == 0) {
        out.push_back('\0');
      } else {
        const int lead = std::countl_zero(x) / 8, trail = std::countr_zero(x) / 8;
        out.push_back(static_cast<char>(0x80 | lead << 4 | trail));
        for (int b = 7 - lead; b >= trail; --b) out.push_back(static_cast<char>(x >> (8 * b)));
      }
    }
    prev = bits;
  }
  return out;
}

std::string Body(absl::Span<const double> values) {
  std::string body;
  const uint64_t first = values.empty() ? 0 : std::bit_cast<uint64_t>(values[0]);
  bool constant = true;
  for (double v : values) constant = constant && std::bit_cast<uint64_t>(v) == first;
  if (constant) {
    body.push_back(static_cast<char>(kConstant));
    PutU64(&body, first);
    return body;
  }
  std::vector<int64_t> ints;
  const int k = ScaleExponent(values, &ints);
  if (k < 0) {
    body.push_back(static_cast<char>(kXor));
    return body + XorPayload(values);
  }
  std::string first_order = ScaledPayload(ints, 1), second_order = ScaledPayload(ints, 2);
  const bool use_second = second_order.size() < first_order.size();
  body.push_back(static_cast<char>(kScaled));
  body.push_back(static_cast<char>(k));
  body.push_back(static_cast<char>(use_second ? 2 : 1));
  return body + (use_second ? second_order : first_order);
}

absl::Status Corrupt() { return absl::DataLossError("corrupt series column"); }

}  // namespace

std::string EncodeColumn(absl::Span<const double> values) {
  const std::string body = Body(values);
  std::string header;
  std::string compressed(ZSTD_compressBound(body.size()), '\0');
  const size_t n = ZSTD_compress(compressed.data(), compressed.size(), body.data(), body.size(),
                                 kZstdLevel);
  const bool use_zstd = !ZSTD_isError(n) && n + 4 < body.size();
  header.push_back(static_cast<char>(use_zstd ? kZstdFlag : 0));
  PutVarint(&header, values.size());
  if (use_zstd) {
    compressed.resize(n);
    return header + compressed;
  }
  return header + body;
}

absl::StatusOr<uint64_t> ColumnValueCount(absl::string_view in) {
  if (in.empty()) return Corrupt();
  in.remove_prefix(1);
  uint64_t count;
  if (!GetVarint(&in, &count) || count > kMaxColumnValues) return Corrupt();
  return count;
}

absl::StatusOr<std::vector<double>> DecodeColumn(absl::string_view in) {
  if (in.empty()) return Corrupt();
  const uint8_t flags = static_cast<uint8_t>(in.front());
  in.remove_prefix(1);
  uint64_t count;
  if (!GetVarint(&in, &count) || count > kMaxColumnValues) return Corrupt();
  std::string inflated;
  if (flags & kZstdFlag) {
    // No body is larger than 9 bytes a value plus its header: a frame that
    // claims more is corrupt, whatever it says (bounded memory).
    const unsigned long long size = ZSTD_getFrameContentSize(in.data(), in.size());
    if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN ||
        size > count * 10 + 32) {
      return Corrupt();
    }
    inflated.resize(size);
    const size_t n = ZSTD_decompress(inflated.data(), inflated.size(), in.data(), in.size());
    if (ZSTD_isError(n) || n != size) return Corrupt();
    in = inflated;
  }
  if (in.empty()) return Corrupt();
  const uint8_t codec = static_cast<uint8_t>(in.front());
  in.remove_prefix(1);
  // SCALED and XOR spend at least a byte a value after the first.
  if (codec != kConstant && count > in.size() + 1) return Corrupt();
  std::vector<double> out;
  out.reserve(count);
  if (codec == kConstant) {
    uint64_t bits;
    if (!GetU64(&in, &bits)) return Corrupt();
    out.assign(count, std::bit_cast<double>(bits));
    return out;
  }
  if (codec == kScaled) {
    if (in.size() < 2) return Corrupt();
    const int k = static_cast<uint8_t>(in[0]), order = static_cast<uint8_t>(in[1]);
    in.remove_prefix(2);
    if (k > kMaxExponent || (order != 1 && order != 2)) return Corrupt();
    int64_t value = 0, delta = 0;
    for (uint64_t i = 0; i < count; ++i) {
      uint64_t z;
      if (!GetVarint(&in, &z)) return Corrupt();
      const int64_t d = UnZigZag(z);
      if (i == 0) {
        value = d;
      } else {
        delta = order == 2 && i > 1 ? delta + d : d;
        value += delta;
      }
      out.push_back(static_cast<double>(value) / kPow10[k]);
    }
    return out;
  }
  if (codec != kXor) return Corrupt();
  uint64_t prev;
  if (count == 0) return out;
  if (!GetU64(&in, &prev)) return Corrupt();
  out.push_back(std::bit_cast<double>(prev));
  for (uint64_t i = 1; i < count; ++i) {
    if (in.empty()) return Corrupt();
    const uint8_t tag = static_cast<uint8_t>(in.front());
    in.remove_prefix(1);
    uint64_t x = 0;
    if (tag != 0) {
      if (!(tag & 0x80)) return Corrupt();
      const int lead = (tag >> 4) & 7, trail = tag & 15;
      const int bytes = 8 - lead - trail;
      if (lead > 7 || trail > 7 || bytes <= 0 || in.size() < static_cast<size_t>(bytes)) {
        return Corrupt();
      }
      for (int b = 0; b < bytes; ++b) x = (x << 8) | static_cast<uint8_t>(in[b]);
      x <<= 8 * trail;
      in.remove_prefix(bytes);
    }
    prev ^= x;
    out.push_back(std::bit_cast<double>(prev));
  }
  return out;
}

}  // namespace batteryhub::storage
