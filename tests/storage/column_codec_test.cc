#include "storage/column_codec.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <limits>
#include <random>

namespace batteryhub::storage {
namespace {

void ExpectBitExact(const std::vector<double>& values) {
  absl::StatusOr<std::vector<double>> back = DecodeColumn(EncodeColumn(values));
  ASSERT_TRUE(back.ok()) << back.status();
  ASSERT_EQ(back->size(), values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    ASSERT_EQ(std::bit_cast<uint64_t>((*back)[i]), std::bit_cast<uint64_t>(values[i])) << "at " << i;
  }
}

TEST(ColumnCodecTest, RoundTripsEdgeCases) {
  const double inf = std::numeric_limits<double>::infinity();
  ExpectBitExact({});
  ExpectBitExact({3.7});
  ExpectBitExact({0.0, -0.0, 0.0});
  ExpectBitExact({std::nan(""), 1.5, -std::nan(""), inf, -inf, 5e-324, 1.7976931348623157e308});
  ExpectBitExact({1, 2, 3, 4, 5, 6, 7, 8, 9});
  ExpectBitExact(std::vector<double>(1000, 4.2));
}

TEST(ColumnCodecTest, RoundTripsRandomDoublesAndDecimals) {
  std::mt19937_64 rng(7);
  std::vector<double> raw, decimals, time;
  for (int i = 0; i < 20000; ++i) {
    raw.push_back(std::bit_cast<double>(rng()));
    decimals.push_back(static_cast<double>(static_cast<int64_t>(rng() % 5000000) - 2500000) / 1e6);
    time.push_back(10.0024 + i * 10.0);
  }
  ExpectBitExact(raw);
  ExpectBitExact(decimals);
  ExpectBitExact(time);
}

TEST(ColumnCodecTest, CyclerPrecisionIsCompact) {
  // A voltage written with 4 decimals and a regular time base.
  std::vector<double> voltage, time;
  for (int i = 0; i < 32768; ++i) {
    voltage.push_back(std::round((3.0 + 1.2 * std::sin(i / 500.0)) * 1e4) / 1e4);
    time.push_back(i * 15.0 + 0.02);
  }
  EXPECT_LT(EncodeColumn(voltage).size(), voltage.size() * 2);  // < 2 bytes a value
  EXPECT_LT(EncodeColumn(time).size(), 200u);                   // constant step
  ExpectBitExact(voltage);
}

TEST(ColumnCodecTest, CorruptInputIsAnErrorNotACrash) {
  std::string good = EncodeColumn({1.5, 2.5, 3.25, 1e-7, std::nan("")});
  for (size_t cut = 0; cut < good.size(); ++cut) {
    auto decoded = DecodeColumn(good.substr(0, cut));
    if (decoded.ok()) {
      EXPECT_NE(decoded->size(), 5u) << cut;
    }
  }
  std::mt19937 rng(3);
  for (int i = 0; i < 2000; ++i) {
    std::string junk(rng() % 40, '\0');
    for (char& c : junk) c = static_cast<char>(rng());
    (void)DecodeColumn(junk);  // must not crash or over-allocate
  }
}

}  // namespace
}  // namespace batteryhub::storage

namespace batteryhub::storage {
namespace {

// Found by fuzz_column_codec: 8 bytes claimed 2^29 values and the decoder
// reserved 4 GiB before reading them. Counts are bounded by the input now.
TEST(ColumnCodecBoundsTest, ACountTheBytesCannotHoldIsCorruptWithoutAllocating) {
  const std::string oom("\x68\xa9\xfe\xf8\xfb\x01\x01\x40", 8);
  EXPECT_EQ(DecodeColumn(oom).status().code(), absl::StatusCode::kDataLoss);
  std::string huge;
  huge.push_back(0);  // flags
  uint64_t v = kMaxColumnValues + 1;
  for (; v >= 0x80; v >>= 7) huge.push_back(static_cast<char>(0x80 | (v & 0x7f)));
  huge.push_back(static_cast<char>(v));
  huge.push_back(0);  // CONSTANT
  huge.append(8, '\0');
  EXPECT_EQ(DecodeColumn(huge).status().code(), absl::StatusCode::kDataLoss);
  const std::vector<double> many(1 << 18, 2.5);
  auto back = DecodeColumn(EncodeColumn(many));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->size(), many.size());
}

}  // namespace
}  // namespace batteryhub::storage
