// The BioLogic .mpr reader: the project's own fixtures (both module-header
// layouts) read exactly; mangled files are refused without a crash; and,
// where ../shared/data/real is present, every .mpr equals its .mpt twin
// value by value.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "parsers/biologic_mpr.h"
#include "parsers/parse_export.h"
#include "tests/parsers/test_files.h"

namespace batteryhub::parsers {
namespace {

namespace fs = std::filesystem;




// Where the data module's data starts, and its header layout.
struct DataModule {
  size_t header = 0;  // just after "MODULE"
  size_t data = 0;
  bool new_layout = false;
};

DataModule FindDataModule(const std::string& b, bool new_layout) {
  const size_t at = b.find("MODULEVMP data");
  EXPECT_NE(at, std::string::npos);
  DataModule m;
  m.header = at + 6;
  m.new_layout = new_layout;
  m.data = m.header + (new_layout ? 59 : 51);
  return m;
}

void PutU32(std::string* b, size_t at, uint32_t v) { std::memcpy(&(*b)[at], &v, 4); }
void PutU16(std::string* b, size_t at, uint16_t v) { std::memcpy(&(*b)[at], &v, 2); }

TEST(BiologicMprTest, NewLayoutGcplReadsExactlyAndDerivesCurrentLikeTheExport) {
  auto s = ParseExport("gcpl.mpr", Fixture("biologic_gcpl.mpr"));
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->format, Format::kBiologic);
  EXPECT_EQ(Values(*s, "test_time_second"), (std::vector<double>{0, 10, 20, 30}));
  EXPECT_EQ(Values(*s, "voltage_volt"), (std::vector<double>{3.5, 3.6, 3.75, 3.5}));
  EXPECT_EQ(Values(*s, "current_ampere"), (std::vector<double>{0, 0.0036, 0.0072, -0.0018}));
  EXPECT_EQ(Values(*s, "step_index"), (std::vector<double>{0, 0, 1, 1}));
  EXPECT_EQ(s->metadata.at("technique"), "Galvanostatic Cycling with Potential Limitation");
  EXPECT_EQ(s->metadata.at("acquisition_start_local"), "2024-01-10 12:00:00.000");
  EXPECT_EQ(s->metadata.at("ec_lab_version"), "11.50");
  EXPECT_EQ(s->metadata.at("biologic.layout"), "EC-Lab 11.50 or later");
  EXPECT_NE(s->metadata.at("batteryhub.derived").find("dq/mA.h"), std::string::npos);
  EXPECT_EQ(s->metadata.at("biologic.columns"),
            "131 Ns, 4 time/s, 7 dq/mA.h, 6 Ewe/V, 467 Q charge/discharge/mA.h");
}

TEST(BiologicMprTest, OldLayoutOcvRecordsTheAssumedZeroCurrent) {
  auto s = ParseExport("ocv.mpr", Fixture("biologic_ocv.mpr"));
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(Values(*s, "voltage_volt"), (std::vector<double>{0.25, 0.2625, 0.275}));
  EXPECT_EQ(Values(*s, "current_ampere"), (std::vector<double>{0, 0, 0}));
  EXPECT_NE(s->Find("current_ampere")->source_unit.find("assumed 0"), std::string::npos);
  EXPECT_NE(s->metadata.at("batteryhub.assumed").find("Open Circuit Voltage"), std::string::npos);
  EXPECT_EQ(s->metadata.at("biologic.layout"), "EC-Lab before 11.50");
}

TEST(BiologicMprTest, VersionTwoImpedanceFlipsTheImaginarySign) {
  auto s = ParseExport("peis.mpr", Fixture("biologic_peis.mpr"));
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(Values(*s, "frequency_hertz"), (std::vector<double>{1000, 100}));
  EXPECT_EQ(Values(*s, "real_impedance_ohm"), (std::vector<double>{10, 12}));
  EXPECT_EQ(Values(*s, "imaginary_impedance_ohm"), (std::vector<double>{-2.5, -4}));
  EXPECT_EQ(Values(*s, "current_ampere"), (std::vector<double>{0.0005, 0.00025}));
}

TEST(BiologicMprTest, WithoutCurrentAndNotARestTechniqueIsRefused) {
  std::string b = Fixture("biologic_ocv.mpr");
  const size_t set = b.find("MODULEVMP Set");
  ASSERT_NE(set, std::string::npos);
  b[set + 6 + 51] = 0x04;  // the technique byte: GCPL, which applies current
  auto s = ParseExport("gcpl-without-current.mpr", b);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("no column for current_ampere (technique Galvanostatic"),
            std::string::npos) << s.status();
}

TEST(BiologicMprTest, HugeDeclaredLengthsAreRefusedByOffset) {
  const std::string original = Fixture("biologic_gcpl.mpr");
  const DataModule m = FindDataModule(original, true);
  std::string b = original;
  PutU32(&b, m.header + 39, 0xFFFFFFF0u);  // module length
  auto s = ParseExport("long.mpr", b);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("module 'VMP data' declares a length"), std::string::npos)
      << s.status();
  b = original;
  PutU32(&b, m.data, 0xFFFFFFFFu);  // point count
  s = ParseExport("points.mpr", b);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("4294967295 points"), std::string::npos) << s.status();
  b = original;
  PutU16(&b, m.data + 4, 60000);  // column count
  s = ParseExport("columns.mpr", b);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("column count"), std::string::npos) << s.status();
}

TEST(BiologicMprTest, OneUnknownColumnIsSkippedByItsWidthTwoAreRefused) {
  const std::string original = Fixture("biologic_gcpl.mpr");
  const DataModule m = FindDataModule(original, true);
  // Ids: 1 2 3 21 31 65 131 4 7 6 467; the last (8 bytes) becomes unknown.
  std::string b = original;
  PutU16(&b, m.data + 6 + 2 * 10, 999);
  auto s = ParseExport("unknown.mpr", b);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->metadata.at("biologic.unread_columns"), "999 (unknown id, 8 bytes per row)");
  EXPECT_EQ(Values(*s, "voltage_volt"), (std::vector<double>{3.5, 3.6, 3.75, 3.5}));
  PutU16(&b, m.data + 6 + 2 * 9, 998);  // Ewe/V too
  s = ParseExport("unknown2.mpr", b);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("998, 999 unknown to this reader"), std::string::npos)
      << s.status();
}


TEST(BiologicMprTest, TruncatedAndMangledFilesNeverCrash) {
  std::mt19937 rng(20261201);
  for (const char* name : {"biologic_gcpl.mpr", "biologic_ocv.mpr", "biologic_peis.mpr"}) {
    SCOPED_TRACE(name);
    const std::string original = Fixture(name);
    ASSERT_FALSE(original.empty());
    auto full = ParseExport("full.mpr", original);
    ASSERT_TRUE(full.ok());
    for (size_t n = 0; n < original.size(); ++n) {
      auto s = ParseExport("cut.mpr", original.substr(0, n));
      ExpectSane(s);
      // A cut inside a module is refused; a cut between modules loses the
      // later ones (the log) and must still give the same rows.
      if (!s.ok()) continue;
      ASSERT_EQ(original.compare(n, 6, "MODULE"), 0) << "parsed a file cut at " << n;
      ASSERT_EQ(s->columns.size(), full->columns.size());
      for (size_t c = 0; c < s->columns.size(); ++c) {
        ASSERT_EQ(s->columns[c].values, full->columns[c].values);
      }
    }
    for (int i = 0; i < 3000; ++i) {
      std::string b = original;
      const int edits = 1 + static_cast<int>(rng() % 4);
      for (int e = 0; e < edits; ++e) {
        const size_t at = rng() % b.size();
        switch (rng() % 3) {
          case 0: b[at] = static_cast<char>(rng()); break;
          case 1:
            if (at + 4 <= b.size()) PutU32(&b, at, rng() % 2 ? 0xFFFFFFFFu : rng());
            break;
          default: b.erase(at, 1 + rng() % 8); break;
        }
      }
      ExpectSane(ParseExport("mangled.mpr", b));
    }
  }
}

// ---- the dev set's twins ----------------------------------------------------


// float32 in the .mpr against the 7-8 digits the .mpt prints.
bool Close(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  return std::fabs(a - b) <= 2e-7 * std::max(std::fabs(a), std::fabs(b)) + 1e-12;
}

TEST(BiologicMprTest, EveryMprEqualsItsMptTwin) {
  const fs::path dir = RealDataDir();
  if (dir.empty()) GTEST_SKIP() << "../shared/data/real is absent";
  std::vector<std::pair<std::string, std::string>> twins = {
      {"binary/gcpl.issue_149.mpr", "biologic/gcpl.issue_149.mpt"}};
  for (const auto& e : fs::directory_iterator(dir / "biologic")) {
    if (e.path().extension() != ".mpr") continue;
    fs::path mpt = e.path();
    mpt.replace_extension(".mpt");
    if (fs::exists(mpt)) {
      twins.emplace_back(fs::relative(e.path(), dir).string(), fs::relative(mpt, dir).string());
    }
  }
  ASSERT_GE(twins.size(), 19u);
  int compared_pairs = 0;
  for (const auto& [mpr_name, mpt_name] : twins) {
    SCOPED_TRACE(mpr_name);
    auto mpr = ParseExport(mpr_name, Read(dir / mpr_name));
    auto mpt = ParseExport(mpt_name, Read(dir / mpt_name));
    if (!mpt.ok()) {
      // The text twin is refused (empty WAIT, or an OCV export whose header
      // names no technique): the binary may know more, never less.
      EXPECT_TRUE(mpr.ok() || mpr.status().message().find("no data points") != std::string::npos)
          << mpr.status();
      continue;
    }
    ASSERT_TRUE(mpr.ok()) << mpr.status();
    ASSERT_EQ(mpr->rows(), mpt->rows());
    int columns = 0;
    for (const SeriesColumn& b : mpr->columns) {
      const SeriesColumn* t = mpt->Find(b.name);
      if (t == nullptr) continue;
      SCOPED_TRACE(b.name);
      ++columns;
      for (size_t r = 0; r < b.values.size(); ++r) {
        ASSERT_TRUE(Close(b.values[r], t->values[r]))
            << "row " << r << ": mpr " << b.values[r] << " mpt " << t->values[r];
      }
    }
    EXPECT_GE(columns, 3);
    ++compared_pairs;
  }
  EXPECT_GE(compared_pairs, 17);
}

}  // namespace
}  // namespace batteryhub::parsers
