// The Neware .nda reader: the project's own fixtures (BTS 7/8 and BTS 9.1
// layouts) read exactly; mangled files are refused without a crash; and,
// where ../shared/data/real is present, each .nda equals the reference table
// NewareNDA's tests compare against, value by value.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "parsers/neware_nda.h"
#include "parsers/parse_export.h"
#include "tests/parsers/test_files.h"

namespace batteryhub::parsers {
namespace {

namespace fs = std::filesystem;




TEST(NewareNdaTest, Bts8RecordsScaleByTheCurrentRange) {
  auto s = ParseExport("bts8.nda", Fixture("neware_bts8.nda"));
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->format, Format::kNeware);
  EXPECT_EQ(Values(*s, "test_time_second"), (std::vector<double>{0, 1.5, 3}));
  EXPECT_EQ(Values(*s, "voltage_volt"), (std::vector<double>{3.6, 3.65, 3.5}));
  EXPECT_EQ(Values(*s, "current_ampere"), (std::vector<double>{0, 0.001, -0.002}));
  EXPECT_EQ(Values(*s, "charging_capacity_ampere_hour"), (std::vector<double>{0, 1e-6, 1e-6}));
  EXPECT_EQ(Values(*s, "discharging_capacity_ampere_hour"), (std::vector<double>{0, 0, 2e-6}));
  EXPECT_EQ(Values(*s, "unix_time_second"),
            (std::vector<double>{1704888000, 1704888001, 1704888003}));
  EXPECT_EQ(Values(*s, "step_index"), (std::vector<double>{1, 2, 3}));
  EXPECT_EQ(s->metadata.at("neware.nda_version"), "29");
  EXPECT_EQ(s->metadata.at("neware.step_types"), "CC_Chg, CC_DChg, Rest");
  EXPECT_NE(s->metadata.at("batteryhub.warning").find("1 auxiliary-channel records"),
            std::string::npos);
}

TEST(NewareNdaTest, Bts91FloatRecordsSplitSignedCapacity) {
  auto s = ParseExport("bts91.nda", Fixture("neware_bts91.nda"));
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(Values(*s, "test_time_second"), (std::vector<double>{0.01, 10, 20}));
  EXPECT_EQ(Values(*s, "current_ampere"), (std::vector<double>{0, 0.0025, -0.0025}));
  EXPECT_EQ(Values(*s, "charging_capacity_ampere_hour"), (std::vector<double>{0, 2.5e-5, 0}));
  EXPECT_EQ(Values(*s, "discharging_capacity_ampere_hour"), (std::vector<double>{0, 0, 5e-5}));
  EXPECT_EQ(Values(*s, "discharging_energy_watt_hour"), (std::vector<double>{0, 0, 1.8e-4}));
  EXPECT_EQ(Values(*s, "cycle_count"), (std::vector<double>{1, 1, 2}));
  EXPECT_EQ(Values(*s, "surface_temperature_celsius"), (std::vector<double>{25.5, 25.75, 26}));
  EXPECT_EQ(Values(*s, "unix_time_second"),
            (std::vector<double>{1704888000.5, 1704888010.5, 1704888020.5}));
}

TEST(NewareNdaTest, UnknownLayoutsAndRangesAreRefusedByName) {
  std::string b = Fixture("neware_bts8.nda");
  b[14] = 8;
  auto s = ParseExport("v8.nda", b);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("nda version 8 is not one this reader knows"),
            std::string::npos) << s.status();
  b = Fixture("neware_bts91.nda");
  b[1024] = 0x00;
  b[1028] = 0x55;
  s = ParseExport("bts90.nda", b);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("BTS 9.0 record layout"), std::string::npos) << s.status();
  // The first record's current range becomes 7 mA, which no channel has.
  b = Fixture("neware_bts8.nda");
  const size_t first = b.find(std::string("\0\0\0\0\x55\x00", 6)) + 4;
  const int32_t range = 7;
  std::memcpy(&b[first + 78], &range, 4);
  s = ParseExport("range.nda", b);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("current range 7"), std::string::npos) << s.status();
}

TEST(NewareNdaTest, NdaxJoinsRecordsRunInfoStepsAndTemperature) {
  auto s = ParseExport("v14.ndax", Fixture("neware_v14.ndax"));
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->format, Format::kNeware);
  EXPECT_EQ(Values(*s, "voltage_volt"), (std::vector<double>{3.5, 3.5, 3.6, 3.7, 3.8}));
  EXPECT_EQ(Values(*s, "current_ampere"), (std::vector<double>{0, 0, 0.5, 0.5, 0.5}));
  // Records 3 and 4 have no runInfo: between record 2 (10 s) and 5 (40.5 s).
  EXPECT_EQ(Values(*s, "test_time_second"), (std::vector<double>{0, 10, 20.167, 30.333, 40.5}));
  EXPECT_EQ(Values(*s, "step_index"), (std::vector<double>{1, 2, 2, 2, 2}));
  EXPECT_EQ(Values(*s, "surface_temperature_celsius"), (std::vector<double>{25, 25.5, 26, 26.5, 27}));
  const std::vector<double> q = Values(*s, "charging_capacity_ampere_hour");
  EXPECT_EQ(q[4], 0.5);
  EXPECT_TRUE(std::isnan(q[2]));  // not recorded, not made up
  EXPECT_EQ(s->metadata.at("neware.step_types"), "CC_Chg, Rest");
  EXPECT_NE(s->metadata.at("batteryhub.derived").find("2 of 5 records interpolated"),
            std::string::npos);
}


TEST(NewareNdaTest, TruncatedAndMangledFilesNeverCrash) {
  std::mt19937 rng(7);
  for (const char* name : {"neware_bts8.nda", "neware_bts91.nda", "neware_v14.ndax"}) {
    SCOPED_TRACE(name);
    const std::string original = Fixture(name);
    ASSERT_FALSE(original.empty());
    for (size_t n = 0; n < original.size(); ++n) ExpectSane(ParseExport("cut.nda", original.substr(0, n)));
    for (int i = 0; i < 3000; ++i) {
      std::string b = original;
      for (int e = 0; e < 1 + static_cast<int>(rng() % 4); ++e) {
        const size_t at = rng() % b.size();
        if (rng() % 2) {
          b[at] = static_cast<char>(rng());
        } else {
          b.erase(at, 1 + rng() % 8);
        }
      }
      ExpectSane(ParseExport("mangled.nda", b));
    }
  }
}

// ---- the dev set's reference tables -----------------------------------------



TEST(NewareNdaTest, EachNdaAndNdaxEqualsItsReferenceTable) {
  const fs::path dir = RealDataDir();
  if (dir.empty()) GTEST_SKIP() << "../shared/data/real is absent";
  struct Check {
    const char* ref;      // column of the reference CSV
    const char* bdf;
    double scale;         // reference unit -> BDF unit
  };
  const Check checks[] = {
      {"Time", "test_time_second", 1},
      {"Voltage", "voltage_volt", 1},
      {"Current(mA)", "current_ampere", 1e-3},
      {"Charge_Capacity(mAh)", "charging_capacity_ampere_hour", 1e-3},
      {"Discharge_Capacity(mAh)", "discharging_capacity_ampere_hour", 1e-3},
      {"Charge_Energy(mWh)", "charging_energy_watt_hour", 1e-3},
      {"Discharge_Energy(mWh)", "discharging_energy_watt_hour", 1e-3},
      {"Timestamp", "unix_time_second", 1e-3},
      {"Step_Index", "step_index", 1},
      {"T1", "surface_temperature_celsius", 1},
      {"Cycle", "cycle_count", 1},
  };
  for (const char* file : {"neware/TestFile.nda", "neware/new_nda_file.nda",
                           "neware/ZZZZZZZZTEST.ndax", "neware/123456789012_Unit27_Example_Data_File.ndax"}) {
    SCOPED_TRACE(file);
    const std::string stem = std::string(file).substr(0, std::string(file).rfind('.'));
    auto s = ParseExport(file, Read(dir / file));
    ASSERT_TRUE(s.ok()) << s.status();
    std::vector<std::string> lines =
        absl::StrSplit(Read(dir / (stem + ".NewareNDA_ref.ftr.csv")), '\n', absl::SkipEmpty());
    ASSERT_EQ(s->rows() + 1, lines.size());
    std::vector<std::string> header = absl::StrSplit(lines[0], ',');
    int compared = 0;
    for (const Check& c : checks) {
      const auto at = std::find(header.begin(), header.end(), c.ref);
      const SeriesColumn* mine = s->Find(c.bdf);
      if (at == header.end() || mine == nullptr) continue;
      SCOPED_TRACE(c.ref);
      const size_t field = static_cast<size_t>(at - header.begin());
      for (size_t r = 0; r < s->rows(); ++r) {
        if (std::isnan(mine->values[r])) continue;  // not recorded (ndax capacities)
        std::vector<std::string> cells = absl::StrSplit(lines[r + 1], ',');
        double want = 0;
        ASSERT_TRUE(absl::SimpleAtod(cells.at(field), &want)) << cells.at(field);
        ASSERT_TRUE(CloseAtFloat32(mine->values[r], want * c.scale))
            << "row " << r << ": " << mine->values[r] << " vs " << want * c.scale;
      }
      ++compared;
    }
    EXPECT_GE(compared, 9);
  }
}

}  // namespace
}  // namespace batteryhub::parsers
