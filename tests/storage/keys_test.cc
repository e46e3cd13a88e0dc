#include "storage/keys.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

namespace batteryhub::storage {
namespace {

template <typename T, typename Append>
void ExpectOrderPreserved(std::vector<T> values, Append append) {
  std::vector<std::pair<std::string, T>> encoded;
  for (const T& v : values) {
    std::string key;
    append(&key, v);
    encoded.emplace_back(key, v);
  }
  std::sort(values.begin(), values.end());
  std::sort(encoded.begin(), encoded.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  for (size_t i = 0; i < values.size(); ++i) {
    EXPECT_EQ(encoded[i].second, values[i]) << "at " << i;
  }
}

TEST(KeysTest, SignedIntegersSortNumerically) {
  ExpectOrderPreserved<int64_t>({0, -1, 1, std::numeric_limits<int64_t>::min(),
                                 std::numeric_limits<int64_t>::max(), -1000000, 999, -2, 255, 256},
                                AppendI64);
}

TEST(KeysTest, DoublesSortNumerically) {
  ExpectOrderPreserved<double>({0.0, -0.5, 0.5, -1e300, 1e300, -std::numeric_limits<double>::infinity(),
                                std::numeric_limits<double>::infinity(), 1e-300, -1e-300, 4.2, 25.0,
                                -273.15},
                               AppendF64);
}

TEST(KeysTest, StringsSortBytewiseIncludingEmbeddedZeros) {
  ExpectOrderPreserved<std::string>(
      {"", "a", "ab", std::string("a\0", 2), std::string("a\0b", 3), std::string("\0", 1),
       std::string("\0\0", 2), "b", "\xff", "a\xff", "institutions/nrc", "institutions/nrc/x"},
      AppendStr);
}

TEST(KeysTest, RoundTrips) {
  std::mt19937_64 rng(42);
  for (int i = 0; i < 1000; ++i) {
    int64_t n = static_cast<int64_t>(rng());
    double d = std::bit_cast<double>(rng());
    if (std::isnan(d)) continue;
    std::string s(rng() % 8, '\0');
    for (char& c : s) c = static_cast<char>(rng() % 3);  // many zeros
    std::string key;
    AppendI64(&key, n);
    AppendF64(&key, d);
    AppendStr(&key, s);
    absl::string_view in(key);
    int64_t n2;
    double d2;
    std::string s2;
    ASSERT_TRUE(ConsumeI64(&in, &n2) && ConsumeF64(&in, &d2) && ConsumeStr(&in, &s2));
    EXPECT_EQ(n2, n);
    EXPECT_EQ(std::bit_cast<uint64_t>(d2), std::bit_cast<uint64_t>(d));
    EXPECT_EQ(s2, s);
    EXPECT_TRUE(in.empty());
  }
}

TEST(KeysTest, StringEncodingIsPrefixFree) {
  // "a" must not be a key prefix of "ab": otherwise a scan of one record's
  // revisions would run into the next record's.
  EXPECT_LT(RevisionKey(v1::RECORD_KIND_SAMPLE, "institutions/a/samples/x", UINT64_MAX),
            RevisionKey(v1::RECORD_KIND_SAMPLE, "institutions/a/samples/x0", 0));
  EXPECT_NE(RevisionKey(v1::RECORD_KIND_SAMPLE, "institutions/a/samples/x0", 0)
                .rfind(RevisionPrefix(v1::RECORD_KIND_SAMPLE, "institutions/a/samples/x"), 0),
            0u);
}

TEST(KeysTest, RevisionsSortByNumberAndTimeIndexByTime) {
  EXPECT_LT(RevisionKey(v1::RECORD_KIND_SAMPLE, "n", 2), RevisionKey(v1::RECORD_KIND_SAMPLE, "n", 10));
  EXPECT_LT(TimeIndexKey(IndexTag::kCreateTime, v1::RECORD_KIND_SAMPLE, -5, "z"),
            TimeIndexKey(IndexTag::kCreateTime, v1::RECORD_KIND_SAMPLE, 3, "a"));
}

TEST(KeysTest, NameFromIndexKeys) {
  std::string name;
  ASSERT_TRUE(NameFromIndexKey(LabelIndexKey(v1::RECORD_KIND_CELL_TEST, "k", "v", "nm"), &name));
  EXPECT_EQ(name, "nm");
  ASSERT_TRUE(NameFromIndexKey(
      TimeIndexKey(IndexTag::kUpdateTime, v1::RECORD_KIND_SAMPLE, 77, "other"), &name));
  EXPECT_EQ(name, "other");
  EXPECT_FALSE(NameFromIndexKey("l", &name));
}

TEST(KeysTest, OpeningsSortByTimeAndParseBack) {
  const std::string early = OpeningKey(-5, v1::RECORD_KIND_CELL_TEST, "z");
  const std::string late = OpeningKey(1000, v1::RECORD_KIND_SAMPLE, "a");
  EXPECT_LT(early, late);
  EXPECT_LE(OpeningsFrom(1000), late);
  EXPECT_GT(OpeningsFrom(1001), late);
  int64_t micros = 0;
  RecordKind kind;
  std::string name;
  ASSERT_TRUE(ParseOpeningKey(early, &micros, &kind, &name));
  EXPECT_EQ(micros, -5);
  EXPECT_EQ(kind, v1::RECORD_KIND_CELL_TEST);
  EXPECT_EQ(name, "z");
  EXPECT_FALSE(ParseOpeningKey(early.substr(0, early.size() - 1), &micros, &kind, &name));
  EXPECT_FALSE(ParseOpeningKey("r" + early.substr(1), &micros, &kind, &name));

  const std::string member = AgreementRecordKey("agreements/x", v1::RECORD_KIND_SAMPLE, "s");
  EXPECT_EQ(member.rfind(AgreementRecordPrefix("agreements/x"), 0), 0u);
  EXPECT_NE(member.rfind(AgreementRecordPrefix("agreements/"), 0), 0u) << "prefix-free";
  ASSERT_TRUE(ParseAgreementRecordKey(member, &kind, &name));
  EXPECT_EQ(name, "s");
  EXPECT_FALSE(ParseReferenceKey(member, &kind, &name)) << "another index";
}

TEST(KeysTest, PrefixEnd) {
  EXPECT_EQ(PrefixEnd("ab"), "ac");
  EXPECT_EQ(PrefixEnd(std::string("a\xff", 2)), "b");
  EXPECT_EQ(PrefixEnd("\xff\xff"), "");
}

}  // namespace
}  // namespace batteryhub::storage
