// Every parser on the project's own small fixtures (tests/parsers/fixtures),
// which mimic the quirks of the real exports, plus the errors bad files get.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <random>
#include <sstream>

#include "parsers/parse_export.h"
#include "tests/parsers/test_files.h"

namespace batteryhub::parsers {
namespace {


double At(const ParsedSeries& s, const char* column, size_t row) {
  const SeriesColumn* c = s.Find(column);
  EXPECT_NE(c, nullptr) << column;
  return c == nullptr ? NAN : c->values.at(row);
}

struct Case {
  const char* file;
  Format format;
  size_t rows;
  const char* column;
  size_t row;
  double value;
};

TEST(FixturesTest, EachFormatParsesToBdfUnits) {
  const Case cases[] = {
      {"arbin_legacy.csv", Format::kArbin, 3, "current_ampere", 2, -0.5},
      {"named_columns.csv", Format::kTable, 3, "current_ampere", 2, -0.00125},  // mA
      {"gamry_cv.DTA", Format::kGamry, 3, "current_ampere", 2, -2.5e-9},  // CURVE2, decimal comma
      {"gamry_cv.DTA", Format::kGamry, 3, "cycle_count", 2, 2},
      {"gamry_cv.DTA", Format::kGamry, 3, "voltage_volt", 1, 0.5},
      {"named_columns.csv", Format::kTable, 3, "charging_capacity_ampere_hour", 1, 2.08e-5},
      {"named_columns.csv", Format::kTable, 3, "unix_time_second", 1, 1614254460},  // Excel date
      {"arbin_legacy.csv", Format::kArbin, 3, "surface_temperature_celsius", 2, 26.0},
      {"arbin_mits.csv", Format::kArbin, 2, "unix_time_second", 0, 1726821154.558},
      {"maccor_mims.041", Format::kMaccor, 3, "test_time_second", 2, 86402.5},  // 1d 00:00:02.5
      {"maccor_mims.041", Format::kMaccor, 3, "current_ampere", 2, -1.5},       // state D
      {"maccor_mims.041", Format::kMaccor, 3, "unix_time_second", 2, 1478131200},  // bare date
      {"maccor_kit.txt", Format::kMaccor, 2, "test_time_second", 1, 90.0},  // 1,5 minutes
      {"maccor_kit.txt", Format::kMaccor, 2, "current_ampere", 1, -0.25},   // Md D
      {"biologic_gcpl.mpt", Format::kBiologic, 2, "current_ampere", 0, 0.15},  // 1,5E+002 mA
      {"biologic_gcpl.mpt", Format::kBiologic, 2, "charging_capacity_ampere_hour", 1, 0.00125},
      {"biologic_gcpl.mpt", Format::kBiologic, 2, "surface_temperature_celsius", 1, 26.0},
      {"biologic_peis.mpt", Format::kBiologic, 2, "imaginary_impedance_ohm", 1, -2.69},
      {"neware_flat.csv", Format::kNeware, 2, "test_time_second", 1, 518538},
      {"neware_flat.csv", Format::kNeware, 2, "discharging_capacity_ampere_hour", 1, 0.0001},
      {"novonix.csv", Format::kNovonix, 2, "test_time_second", 1, 1800},  // 0.5 h
      {"neware_layered.csv", Format::kNeware, 6, "test_time_second", 4, 30},  // 20 + 10 s
      {"neware_layered.csv", Format::kNeware, 6, "test_time_second", 5, 35.5},
      {"neware_layered.csv", Format::kNeware, 6, "current_ampere", 3, -0.2},
      {"neware_layered.csv", Format::kNeware, 6, "cycle_count", 5, 2},
      {"neware_layered.csv", Format::kNeware, 6, "step_index", 4, 2},
      {"neware_layered.csv", Format::kNeware, 6, "discharging_capacity_ampere_hour", 4, 0.0005556},
      {"basytec.txt", Format::kBasytec, 2, "current_ampere", 1, -0.1},
      {"basytec.txt", Format::kBasytec, 2, "surface_temperature_celsius", 0, 25.47953},
      {"pec.csv", Format::kPec, 2, "charging_capacity_ampere_hour", 1, 0.75},  // 750 mAh
      {"pec.csv", Format::kPec, 2, "charging_energy_watt_hour", 1, 2.8},       // 2800 mWh
      {"pec.csv", Format::kPec, 2, "test_time_second", 1, 3600},
      {"machine.bdf.csv", Format::kBdf, 2, "charging_capacity_ampere_hour", 1, 0.00001},
      {"labels.bdf.csv", Format::kBdf, 2, "test_time_second", 1, 1800},  // hours
      {"labels.bdf.csv", Format::kBdf, 2, "voltage_volt", 0, 3.7},       // mV
      {"labels.bdf.csv", Format::kBdf, 2, "current_ampere", 0, 0.1},     // mA
      {"batteryarchive.csv", Format::kBatteryArchive, 2, "cell_temperature_celsius_missing", 0, 0},
      {"batterydatahub.csv", Format::kBatteryArchive, 2, "unix_time_second", 0, 1577966400},
      {"gamry.DTA", Format::kGamry, 2, "frequency_hertz", 0, 100000},
      {"gamry.DTA", Format::kGamry, 2, "imaginary_impedance_ohm", 1, -2.7},
      {"eis.csv", Format::kEisCsv, 3, "real_impedance_ohm", 2, 4.61e-2},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.file) + " " + c.column);
    absl::StatusOr<ParsedSeries> s = ParseExport(c.file, Fixture(c.file));
    ASSERT_TRUE(s.ok()) << s.status().message();
    EXPECT_EQ(s->format, c.format);
    EXPECT_EQ(s->rows(), c.rows);
    if (std::string(c.column).find("_missing") != std::string::npos) {
      // Empty cells are missing values, not zeros.
      EXPECT_TRUE(std::isnan(At(*s, "surface_temperature_celsius", 0)));
      EXPECT_EQ(At(*s, "surface_temperature_celsius", 1), 26);
      continue;
    }
    EXPECT_NEAR(At(*s, c.column, c.row), c.value, std::fabs(c.value) * 1e-12 + 1e-15);
  }
}

TEST(FixturesTest, ProvenanceOfColumnsAndMetadata) {
  auto s = ParseExport("biologic_gcpl.mpt", Fixture("biologic_gcpl.mpt"));
  ASSERT_TRUE(s.ok());
  const SeriesColumn* current = s->Find("current_ampere");
  EXPECT_EQ(current->source_name, "<I>/mA");
  EXPECT_EQ(current->source_unit, "mA");
  auto kit = ParseExport("maccor_kit.txt", Fixture("maccor_kit.txt"));
  ASSERT_TRUE(kit.ok());
  EXPECT_EQ(kit->metadata.at("Channel"), "81");
  EXPECT_NE(kit->metadata.at("batteryhub.warning").find("line 9 "), std::string::npos);
}

TEST(FixturesTest, FormatOverrideAndRefusals) {
  // --format names the parser; a mismatch gets that parser's precise error.
  auto forced = ParseExport("x.csv", Fixture("neware_flat.csv"), Format::kArbin);
  ASSERT_FALSE(forced.ok());
  EXPECT_NE(forced.status().message().find("x.csv:1: no column for test_time_second"),
            std::string::npos)
      << forced.status().message();
  EXPECT_FALSE(DetectFormat("a.mpr", std::string("BIO-LOGIC MODULAR FILE\0\0", 24)).ok());
  auto unknown = DetectFormat("notes.txt", "hello world\nthis is not data\n");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("unrecognised export"), std::string::npos);
}

TEST(FixturesTest, BadCellsNameLineColumnAndExpectation) {
  struct Bad {
    std::string text;
    const char* expected;
  } cases[] = {
      {"test_time_second,voltage_volt,current_ampere\n0,3.7,0.1\n1,three,0.1\n",
       "f.csv:3: column 'voltage_volt': 'three' is not a number"},
      {"test_time_second,voltage_volt,current_ampere\n0,3.7,0.1\n1,,0.1\n",
       "f.csv:3: column 'voltage_volt': a value is required in every row"},
      {"test_time_second,voltage_volt\n0,3.7\n", "f.csv:1: no column for current_ampere"},
      {"test_time_second,voltage_volt,current_ampere\n", "expected data rows, found none"},
      {"EC-Lab ASCII FILE\nNb header lines : 900\n", "f.csv:2: expected 'Nb header lines : N'"},
      {"DataPoint,Cycle Index,Step Index,Cumulative Time,Current(A),Voltage(V)\n"
       "1,1,1,12:xx:00,0,3.7\n",
       "f.csv:2: column 'Cumulative Time': '12:xx:00' is not a duration"},
  };
  for (const Bad& b : cases) {
    auto s = ParseExport("f.csv", b.text);
    ASSERT_FALSE(s.ok()) << b.text;
    EXPECT_NE(s.status().message().find(b.expected), std::string::npos) << s.status().message();
  }
}

TEST(FixturesTest, MangledFilesNeverCrash) {
  // Truncations and byte flips of every fixture: an error or a parse, never a
  // crash (run under ASan/UBSan in the sanitizer build).
  const char* files[] = {"arbin_legacy.csv", "maccor_mims.041", "maccor_kit.txt", "biologic_gcpl.mpt",
                         "neware_flat.csv",  "neware_layered.csv", "novonix.csv", "basytec.txt",
                         "pec.csv", "labels.bdf.csv", "gamry.DTA", "eis.csv"};
  std::mt19937 rng(11);
  int parsed = 0, refused = 0;
  for (const char* name : files) {
    const std::string original = Fixture(name);
    for (int k = 0; k < 150; ++k) {
      std::string mangled = original.substr(0, rng() % (original.size() + 1));
      for (int flips = rng() % 4; flips > 0 && !mangled.empty(); --flips) {
        mangled[rng() % mangled.size()] = static_cast<char>(rng());
      }
      absl::StatusOr<ParsedSeries> s = ParseExport(name, mangled);
      if (s.ok()) {
        ++parsed;
        for (const SeriesColumn& c : s->columns) ASSERT_EQ(c.values.size(), s->rows());
      } else {
        ++refused;
        EXPECT_FALSE(s.status().message().empty());
      }
    }
  }
  EXPECT_GT(parsed, 0);
  EXPECT_GT(refused, 0);
}

}  // namespace
}  // namespace batteryhub::parsers
