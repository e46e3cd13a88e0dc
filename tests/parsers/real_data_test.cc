// Conformance over ../shared/data/real (skipped when absent): every text
// export either parses with values that match the file, or is refused with a
// message that says what it is and what to do.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "parsers/parse_export.h"

namespace batteryhub::parsers {
namespace {

namespace fs = std::filesystem;

fs::path RealDataDir() {
  for (fs::path p : {fs::path(BATTERYHUB_SOURCE_DIR) / ".." / "shared" / "data" / "real",
                     fs::path(BATTERYHUB_SOURCE_DIR) / "shared" / "data" / "real"}) {
    if (fs::is_directory(p)) return p;
  }
  return {};
}

std::string Read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Expected {
  Format format;      // kUnknown: refused
  size_t rows;        // 0: do not check
  const char* refusal;
};

// Every file of the dev set and what must happen to it. Row counts are the
// files' own (counted from their data lines; MANIFEST.md's are approximate).
const std::map<std::string, Expected>& Expectations() {
  static const std::map<std::string, Expected> k = {
      {"arbin/FastCharge_000025_CH8.csv", {Format::kArbin, 248, ""}},
      {"arbin/FastCharge_000025_CH8_Metadata.csv", {Format::kUnknown, 0, "Arbin metadata sidecar"}},
      {"arbin/sample_data_arbin.csv", {Format::kArbin, 13, ""}},
      {"basytec/sample_data_basytec.txt", {Format::kBasytec, 74, ""}},
      {"batteryarchive/CALCE_CX2-33_prism_LCO_25C_0-100_0.5-0.5C_d_cycle_data.csv",
       {Format::kUnknown, 0, "per-cycle summary"}},
      {"batteryarchive/CALCE_CX2-33_prism_LCO_25C_0-100_0.5-0.5C_d_timeseries.csv",
       {Format::kBatteryArchive, 15, ""}},
      {"batterydatahub/p492-13-raw.csv", {Format::kBatteryArchive, 2021, ""}},
      {"bdf/SINTEF__LiGrR2032__2024-04-30__25degC__Landt.bdf.csv", {Format::kBdf, 25162, ""}},
      {"bdf/sample.bdf.csv", {Format::kBdf, 3, ""}},
      {"binary/filetype14-0.ndax", {Format::kUnknown, 0, "unsupported: ZIP container"}},
      {"binary/gcpl.issue_149.mpr", {Format::kUnknown, 0, "unsupported: BioLogic binary .mpr"}},
      {"binary/indigo_test_sample.h5", {Format::kUnknown, 0, "unsupported: HDF5"}},
      {"binary/mits7-0.res.gz", {Format::kUnknown, 0, "unsupported: gzip"}},
      {"biologic/Sample_data_biologic_no_header.mpt", {Format::kBiologic, 13, ""}},
      {"biologic/Sample_data_biologic_timestamped.txt", {Format::kBiologic, 8, ""}},
      {"biologic/gcpl.issue_149.mpt", {Format::kBiologic, 132, ""}},
      {"biologic/mb.issue_95.mpt", {Format::kBiologic, 33, ""}},
      {"eis/exampleData.csv", {Format::kEisCsv, 66, ""}},
      {"eis/exampleDataAutolab.txt", {Format::kUnknown, 0, "ZPlot/ZView"}},
      {"eis/exampleDataBioLogic.mpt", {Format::kBiologic, 43, ""}},
      {"eis/exampleDataGamry.DTA", {Format::kGamry, 0, ""}},
      {"eis/exampleDataZPlot.z", {Format::kUnknown, 0, "ZPlot/ZView"}},
      {"eis/maccor_test_file_4267-66-6519.EDA0001.041", {Format::kUnknown, 0, "Maccor AC impedance"}},
      {"eis/peis.mpt", {Format::kBiologic, 32, ""}},
      {"maccor/PredictionDiagnostics_000151_test.052", {Format::kMaccor, 333, ""}},
      {"maccor/maccor_test_file_4267-66-6519.041", {Format::kMaccor, 74, ""}},
      {"maccor/maccor_two.txt", {Format::kMaccor, 213, ""}},
      {"maccor/sample_data_maccor.csv", {Format::kMaccor, 15, ""}},
      {"neware/neware_uio.csv", {Format::kNeware, 9065, ""}},
      {"novonix/sample_data_novonix.csv", {Format::kNovonix, 207, ""}},
      {"pec/Test25195.csv", {Format::kPec, 19, ""}},
      {"psd/example1.csv", {Format::kUnknown, 0, "particle-size report"}},
      {"xrd/210520step1_30min.csv", {Format::kUnknown, 0, "X-ray diffraction"}},
      {"xrd/210520step1_30min.xrdml", {Format::kUnknown, 0, "X-ray diffraction"}},
      {"xrd/210520step1_30min.xy", {Format::kUnknown, 0, "two-column x/y data"}},
      {"xrd/CaNi(PO3)4_800_240_Ca(OH)2_(NH4)2HPO4_NiO.xy", {Format::kUnknown, 0, "two-column x/y"}},
  };
  return k;
}

TEST(RealDataTest, EveryFileParsesOrIsRefusedClearly) {
  const fs::path dir = RealDataDir();
  if (dir.empty()) GTEST_SKIP() << "../shared/data/real is absent";
  int seen = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file() || entry.path().filename() == "MANIFEST.md") continue;
    const std::string rel = fs::relative(entry.path(), dir).string();
    SCOPED_TRACE(rel);
    auto it = Expectations().find(rel);
    ASSERT_NE(it, Expectations().end()) << "no expectation for " << rel;
    ++seen;
    absl::StatusOr<ParsedSeries> parsed = ParseExport(rel, Read(entry.path()));
    const Expected& want = it->second;
    if (want.format == Format::kUnknown) {
      EXPECT_FALSE(parsed.ok()) << "expected a refusal";
      if (parsed.ok()) continue;
      EXPECT_NE(parsed.status().message().find(want.refusal), std::string::npos)
          << parsed.status().message();
      EXPECT_NE(parsed.status().message().find(rel), std::string::npos);
      continue;
    }
    EXPECT_TRUE(parsed.ok()) << parsed.status().message();
    if (!parsed.ok()) continue;
    EXPECT_EQ(parsed->format, want.format);
    if (want.rows) {
      EXPECT_EQ(parsed->rows(), want.rows);
    }
    for (const SeriesColumn& c : parsed->columns) {
      EXPECT_EQ(c.values.size(), parsed->rows()) << c.name;
    }
  }
  EXPECT_EQ(seen, static_cast<int>(Expectations().size()));
}

}  // namespace
}  // namespace batteryhub::parsers

namespace batteryhub::parsers {
namespace {

// Spot values read off the files by hand, after conversion to BDF units.
struct Spot {
  const char* file;
  const char* column;
  size_t row;  // SIZE_MAX: the last row
  double value;
};

TEST(RealDataTest, ValuesMatchTheFiles) {
  const fs::path dir = RealDataDir();
  if (dir.empty()) GTEST_SKIP() << "../shared/data/real is absent";
  const Spot spots[] = {
      {"arbin/FastCharge_000025_CH8.csv", "voltage_volt", 0, 3.3011441},
      {"arbin/FastCharge_000025_CH8.csv", "test_time_second", 0, 10.0024},
      {"arbin/FastCharge_000025_CH8.csv", "unix_time_second", 0, 1494645243.4715},
      {"arbin/sample_data_arbin.csv", "unix_time_second", 0, 1726821154.558},  // 09/20/2024 08:32:34.558
      {"arbin/sample_data_arbin.csv", "surface_temperature_celsius", 0, 24.66422},
      {"maccor/maccor_test_file_4267-66-6519.041", "test_time_second", 1, 1.0},
      {"maccor/maccor_test_file_4267-66-6519.041", "voltage_volt", 0, 3.90806439},
      {"maccor/PredictionDiagnostics_000151_test.052", "current_ampere", 0, -4.8400091554},
      {"maccor/PredictionDiagnostics_000151_test.052", "test_time_second", 0, 769267.24},
      {"maccor/maccor_two.txt", "test_time_second", 1, 60.0},  // "1,000000" minutes
      {"maccor/maccor_two.txt", "voltage_volt", 0, 0.1377},
      {"maccor/sample_data_maccor.csv", "current_ampere", SIZE_MAX, 28.798},
      {"biologic/gcpl.issue_149.mpt", "test_time_second", 0, 30.15299923827115},
      {"biologic/gcpl.issue_149.mpt", "voltage_volt", 0, 3.4228721},
      {"biologic/Sample_data_biologic_timestamped.txt", "test_time_second", SIZE_MAX, 12.464},
      {"biologic/Sample_data_biologic_timestamped.txt", "current_ampere", SIZE_MAX, 0.4499184},
      {"eis/exampleDataBioLogic.mpt", "imaginary_impedance_ohm", SIZE_MAX, -2.3458567},
      {"neware/neware_uio.csv", "test_time_second", SIZE_MAX, 144 * 3600 + 2 * 60 + 18},
      {"neware/neware_uio.csv", "voltage_volt", SIZE_MAX, 0.4251},
      {"novonix/sample_data_novonix.csv", "voltage_volt", 0, 3.84318331},
      {"basytec/sample_data_basytec.txt", "voltage_volt", 0, 3.52575489148741},
      {"basytec/sample_data_basytec.txt", "surface_temperature_celsius", 0, 25.47953},
      {"pec/Test25195.csv", "voltage_volt", 0, 3.5690308},
      {"pec/Test25195.csv", "test_time_second", 0, 0.002},
      {"bdf/sample.bdf.csv", "voltage_volt", 2, 3.5},
      {"bdf/SINTEF__LiGrR2032__2024-04-30__25degC__Landt.bdf.csv", "test_time_second", 1, 15.02},
      {"batteryarchive/CALCE_CX2-33_prism_LCO_25C_0-100_0.5-0.5C_d_timeseries.csv",
       "voltage_volt", 0, 3.843},
      {"batterydatahub/p492-13-raw.csv", "voltage_volt", 0, 3.27603571},
      {"eis/exampleData.csv", "frequency_hertz", 0, 3.162299999999999833e-03},
  };
  for (const Spot& s : spots) {
    SCOPED_TRACE(std::string(s.file) + " " + s.column);
    auto parsed = ParseExport(s.file, Read(dir / s.file));
    ASSERT_TRUE(parsed.ok()) << parsed.status().message();
    const SeriesColumn* c = parsed->Find(s.column);
    ASSERT_NE(c, nullptr);
    const size_t row = s.row == SIZE_MAX ? c->values.size() - 1 : s.row;
    EXPECT_NEAR(c->values.at(row), s.value, std::fabs(s.value) * 1e-12 + 1e-12);
  }
}

TEST(RealDataTest, CurrentSignIsPositiveWhenCharging) {
  const fs::path dir = RealDataDir();
  if (dir.empty()) GTEST_SKIP() << "../shared/data/real is absent";
  // Maccor's .052 slice is all state D with currents already negative: the
  // state-D rule must not flip them back (the positive-D case is in the
  // fixture tests; the real .041 has no D rows).
  auto maccor = ParseExport("m.052", Read(dir / "maccor/PredictionDiagnostics_000151_test.052"));
  ASSERT_TRUE(maccor.ok());
  for (double v : maccor->Find("current_ampere")->values) ASSERT_LT(v, 0);
  // Neware's CC DChg rows carry negative currents already.
  auto neware = ParseExport("n.csv", Read(dir / "neware/neware_uio.csv"));
  ASSERT_TRUE(neware.ok());
  double min_current = 0, max_current = 0;
  for (double v : neware->Find("current_ampere")->values) {
    min_current = std::min(min_current, v);
    max_current = std::max(max_current, v);
  }
  EXPECT_LT(min_current, 0);
  EXPECT_GT(max_current, 0);
}

}  // namespace
}  // namespace batteryhub::parsers
