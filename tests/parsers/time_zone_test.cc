// Wall-clock columns reinterpreted in a time zone: offsets, the repeated
// hour of a fall-back resolved by test time, the skipped hour refused.
#include "parsers/time_zone.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "parsers/parse_export.h"

namespace batteryhub::parsers {
namespace {

namespace fs = std::filesystem;

ParsedSeries Series(std::vector<double> test_time, std::vector<double> wall_as_utc) {
  ParsedSeries s;
  s.columns.push_back({"test_time_second", "t", "s", std::move(test_time)});
  s.columns.push_back({"unix_time_second", "Date", "datetime", std::move(wall_as_utc)});
  return s;
}

// 2024-10-27 in Europe/Oslo: 03:00 CEST becomes 02:00 CET; 02:00-03:00 repeats.
constexpr double k0230 = 1729996200;  // 2024-10-27 02:30:00 read as UTC
constexpr double k0130 = k0230 - 3600;

TEST(TimeZoneTest, OffsetsAndTheRepeatedHourFollowTestTime) {
  // 01:30 (CEST), 02:30 (CEST, an hour later), 02:30 again (CET, an hour later).
  ParsedSeries s = Series({0, 3600, 7200}, {k0130, k0230, k0230});
  ASSERT_TRUE(ApplyTimeZone("f", "Europe/Oslo", &s).ok());
  const std::vector<double>& t = s.columns[1].values;
  EXPECT_EQ(t[0], k0130 - 7200);  // UTC+2
  EXPECT_EQ(t[1], k0230 - 7200);
  EXPECT_EQ(t[2], k0230 - 3600);  // UTC+1: the second 02:30
  EXPECT_EQ(s.metadata.at("timezone"), "Europe/Oslo");
  EXPECT_EQ(s.columns[1].source_unit, "datetime, local time in Europe/Oslo");
}

TEST(TimeZoneTest, ATimeTheClockSkippedIsRefused) {
  // 2024-03-31 02:30 does not exist in Europe/Oslo.
  ParsedSeries s = Series({0}, {1711852200});
  absl::Status st = ApplyTimeZone("f.csv", "Europe/Oslo", &s);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("f.csv: row 1: 2024-03-31T02:30:00 does not exist in Europe/Oslo"),
            std::string::npos) << st;
  EXPECT_NE(ApplyTimeZone("f", "Mars/Olympus", &s).message().find("unknown time zone"),
            std::string::npos);
}

TEST(TimeZoneTest, UnixTimesAreLeftAlone) {
  ParsedSeries s = Series({0}, {k0230});
  s.columns[1].source_unit = "";  // already UTC (e.g. BTS 9.1)
  ASSERT_TRUE(ApplyTimeZone("f", "Asia/Tokyo", &s).ok());
  EXPECT_EQ(s.columns[1].values[0], k0230);
}

TEST(TimeZoneTest, MaccorDaylightSavingFallBack) {
  const fs::path f = fs::path(BATTERYHUB_SOURCE_DIR) / ".." / "shared" / "data" / "real" / "maccor" /
                     "PredictionDiagnostics_000109_tztest.010";
  if (!fs::exists(f)) GTEST_SKIP() << "../shared/data/real is absent";
  std::ifstream in(f, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  auto s = ParseExport("tz.010", bytes.str());
  ASSERT_TRUE(s.ok()) << s.status();
  auto backwards = [](const ParsedSeries& p) {
    const auto& t = p.Find("unix_time_second")->values;
    int n = 0;
    for (size_t r = 1; r < t.size(); ++r) n += t[r] < t[r - 1];
    return n;
  };
  EXPECT_EQ(backwards(*s), 1);  // as UTC, the wall clock goes back an hour
  ASSERT_TRUE(ApplyTimeZone("tz.010", "America/Los_Angeles", &*s).ok());
  EXPECT_EQ(backwards(*s), 0);
  // Across the fall-back the stamps advance as the test time does.
  const auto& t = s->Find("unix_time_second")->values;
  const auto& test = s->Find("test_time_second")->values;
  for (size_t r = 1; r < t.size(); ++r) {
    ASSERT_NEAR(t[r] - t[r - 1], test[r] - test[r - 1], 1.5) << r;
  }
}

}  // namespace
}  // namespace batteryhub::parsers
