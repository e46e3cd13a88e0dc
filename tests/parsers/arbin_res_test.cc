// The Arbin .res reader (Access databases through mdbtools): the dev set's
// .res equals cellpy's parsed twin value by value, the auxiliary table is
// pivoted into a temperature column, gzip is inflated, and mangled databases
// are refused without a crash. (The project has no .res fixture of its own:
// Debian has no tool that writes Jet databases; these tests skip without
// ../shared/data/real.)
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "parsers/arbin_res.h"
#include "parsers/parse_export.h"
#include "tests/parsers/test_files.h"

namespace batteryhub::parsers {
namespace {

namespace fs = std::filesystem;




TEST(ArbinResTest, EqualsCellpysParsedTwin) {
  const fs::path dir = RealDataDir();
  if (dir.empty()) GTEST_SKIP() << "../shared/data/real is absent";
  auto s = ParseExport("r.res", Read(dir / "arbin/20160805_test001_45_cc_01.res"));
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->format, Format::kArbin);
  std::vector<std::string> lines = absl::StrSplit(
      Read(dir / "arbin/20160805_test001_45_cc_01.cellpy_golden_raw.parquet.csv"), '\n',
      absl::SkipEmpty());
  ASSERT_EQ(lines.size(), s->rows() + 1);
  std::vector<std::string> header = absl::StrSplit(lines[0], ',');
  const std::pair<const char*, const char*> columns[] = {
      {"test_time", "test_time_second"}, {"voltage", "voltage_volt"},
      {"current", "current_ampere"}, {"charge_capacity", "charging_capacity_ampere_hour"},
      {"discharge_capacity", "discharging_capacity_ampere_hour"},
      {"charge_energy", "charging_energy_watt_hour"},
      {"discharge_energy", "discharging_energy_watt_hour"}, {"step_index", "step_index"},
      {"cycle_index", "cycle_count"}, {"internal_resistance", "internal_resistance_ohm"}};
  for (const auto& [ref, bdf] : columns) {
    SCOPED_TRACE(ref);
    const size_t field = std::find(header.begin(), header.end(), ref) - header.begin();
    ASSERT_LT(field, header.size());
    const SeriesColumn* mine = s->Find(bdf);
    ASSERT_NE(mine, nullptr);
    for (size_t r = 0; r < s->rows(); ++r) {
      std::vector<std::string> cells = absl::StrSplit(lines[r + 1], ',');
      double want = 0;
      ASSERT_TRUE(absl::SimpleAtod(cells[field], &want));
      ASSERT_TRUE(CloseAtFloat32(mine->values[r], want)) << "row " << r << ": " << mine->values[r]
                                                << " vs " << want;
    }
  }
  // date_time, e.g. 2016-08-05T16:21:23.000Z, against the Excel serial day.
  const size_t field = std::find(header.begin(), header.end(), "date_time") - header.begin();
  for (size_t r = 0; r < s->rows(); r += 97) {
    std::vector<std::string> cells = absl::StrSplit(lines[r + 1], ',');
    absl::Time t;
    std::string err;
    ASSERT_TRUE(absl::ParseTime("%Y-%m-%dT%H:%M:%E*SZ", cells[field], &t, &err)) << err;
    EXPECT_NEAR(s->Find("unix_time_second")->values[r], absl::ToUnixMillis(t) / 1000.0, 0.0015);
  }
}

TEST(ArbinResTest, AuxiliaryTableBecomesATemperatureColumn) {
  const fs::path dir = RealDataDir();
  if (dir.empty()) GTEST_SKIP() << "../shared/data/real is absent";
  auto s = ParseExport("aux.res", Read(dir / "arbin/aux_one_x_dx.res"));
  ASSERT_TRUE(s.ok()) << s.status();
  ASSERT_EQ(s->rows(), 7235u);
  const SeriesColumn* t = s->Find("surface_temperature_celsius");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->source_name, "Aux_Temperature_1 (C)");
  EXPECT_EQ(t->values[0], 24.406582);  // Auxiliary_Table: data point 1, X
  EXPECT_EQ(t->values[2], 24.481707);
}

TEST(ArbinResTest, GzippedResIsInflated) {
  const fs::path dir = RealDataDir();
  if (dir.empty()) GTEST_SKIP() << "../shared/data/real is absent";
  auto s = ParseExport("m.res.gz", Read(dir / "binary/mits7-0.res.gz"));
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->format, Format::kArbin);
  EXPECT_EQ(s->rows(), 8u);
  EXPECT_EQ(s->Find("voltage_volt")->values[0], 0.13026524);
}

TEST(ArbinResTest, MangledDatabasesAreRefusedWithoutACrash) {
  const fs::path dir = RealDataDir();
  if (dir.empty()) GTEST_SKIP() << "../shared/data/real is absent";
  auto inflated = ParseExport("m.res.gz", Read(dir / "binary/mits7-0.res.gz"));
  ASSERT_TRUE(inflated.ok());
  const std::string original = Read(dir / "arbin/aux_one_x_dx.res");
  std::mt19937 rng(3);
  for (int i = 0; i < 60; ++i) {
    std::string b = original;
    if (i % 3 == 0) b.resize(rng() % b.size());
    for (int e = 0; e < 8; ++e) b[32 + rng() % (b.size() - 32)] = static_cast<char>(rng());
    auto s = ParseExport("mangled.res", b);
    if (!s.ok()) {
      EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument) << s.status();
      continue;
    }
    for (const SeriesColumn& c : s->columns) ASSERT_EQ(c.values.size(), s->rows());
  }
}

}  // namespace
}  // namespace batteryhub::parsers
