// The characterisation readers on the project's own fixtures
// (make_characterization_fixtures.py): the same XRD scan in seven layouts
// reads the same, computed results match independent computations, the BET
// fit recovers the parameters of isotherms drawn from the BET equation, and
// mangled files never crash a reader.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <random>

#include "parsers/characterization.h"
#include "parsers/characterization_readers.h"
#include "tests/parsers/test_files.h"

namespace batteryhub::parsers {
namespace {

std::string CharFixture(const std::string& name) { return Fixture("characterization/" + name); }

absl::StatusOr<ParsedCharacterization> ParseFixture(const std::string& name) {
  return ParseCharacterization(name, CharFixture(name));
}

// The scan the generator wrote: 10-30° in 0.5° steps, a Gaussian at 20°.
std::vector<double> ScanCounts() {
  std::vector<double> c;
  for (int i = 0; i <= 40; ++i) {
    const double t = 10 + 0.5 * i;
    c.push_back(std::floor(100 + 900 * std::exp(-(t - 20) * (t - 20) / 2)));
  }
  return c;
}

TEST(CharacterizationTest, TheSameScanReadsTheSameInEveryXrdLayout) {
  const std::vector<double> counts = ScanCounts();
  for (const char* f : {"scan.xrdml", "scan_panalytical.csv", "scan.uxd", "scan.ras.bz2", "scan.rasx",
                        "scan.brml", "scan.xye", "scan_v3.raw", "scan_v4.raw", "scan_table.csv"}) {
    SCOPED_TRACE(f);
    absl::StatusOr<ParsedCharacterization> p = ParseFixture(f);
    ASSERT_TRUE(p.ok()) << p.status();
    EXPECT_EQ(p->technique, CharTechnique::kXrd);
    ASSERT_FALSE(p->curves.empty());
    const CharCurve& c = p->curves[0];
    EXPECT_EQ(c.x_name, "two_theta");
    EXPECT_EQ(c.x_unit, "deg");
    EXPECT_EQ(c.y_unit, std::string(f) == "scan_table.csv" ? "counts/s" : "counts");
    ASSERT_EQ(c.x.size(), counts.size());
    for (size_t i = 0; i < counts.size(); ++i) {
      EXPECT_NEAR(c.x[i], 10 + 0.5 * static_cast<double>(i), 1e-9) << i;
      EXPECT_NEAR(c.y[i], counts[i], 1e-9) << i;
    }
    const CharCondition* start = p->FindCondition("scan_start");
    ASSERT_NE(start, nullptr);
    EXPECT_NEAR(*start->value, 10, 1e-9);
    EXPECT_NEAR(*p->FindCondition("scan_step")->value, 0.5, 1e-9);
  }
}

TEST(CharacterizationTest, BrukerRawHeadersGiveWavelengthsAndTubeAndCutFilesAreRefused) {
  for (const char* f : {"scan_v3.raw", "scan_v4.raw"}) {
    SCOPED_TRACE(f);
    const std::string bytes = CharFixture(f);
    absl::StatusOr<ParsedCharacterization> p = ParseCharacterization(f, bytes);
    ASSERT_TRUE(p.ok()) << p.status();
    EXPECT_DOUBLE_EQ(*p->FindCondition("wavelength_k_alpha1")->value, 1.540598);
    EXPECT_EQ(p->FindCondition("anode")->text, "Cu");
    EXPECT_DOUBLE_EQ(*p->FindCondition("tube_voltage")->value, 45);
    // Cut anywhere in the counts: refused, saying where, never read past.
    absl::StatusOr<ParsedCharacterization> cut = ParseCharacterization(f, bytes.substr(0, bytes.size() - 6));
    ASSERT_FALSE(cut.ok());
    EXPECT_NE(cut.status().message().find("run past the end"), std::string::npos) << cut.status();
  }
  EXPECT_EQ(ParseFixture("scan_v3.raw")->sample_name, "NMC811 lot 7");
}

TEST(CharacterizationTest, OnlyATableWhoseHeaderNamesAnAngleAndAnIntensityIsReadAsXrd) {
  std::string rows;
  for (int i = 0; i < 30; ++i) rows += std::to_string(10 + i) + "," + std::to_string(100 + i) + "\n";
  EXPECT_TRUE(LooksLikeCharacterization("2theta,intensity\n" + rows));
  EXPECT_TRUE(LooksLikeCharacterization("# 2Theta Counts\n" + std::string(rows).replace(2, 1, " ")));
  // Binding energy, wavelength or q are not 2θ; nor is an unnamed column.
  EXPECT_FALSE(LooksLikeCharacterization("Binding Energy,Intensity\n" + rows));
  EXPECT_FALSE(LooksLikeCharacterization("q (1/nm),Intensity\n" + rows));
  EXPECT_FALSE(LooksLikeCharacterization("2theta,temperature\n" + rows));
}

TEST(CharacterizationTest, XrdmlCarriesWavelengthsAnodeTimeAndInstrument) {
  absl::StatusOr<ParsedCharacterization> p = ParseFixture("scan.xrdml");
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_DOUBLE_EQ(*p->FindCondition("wavelength_k_alpha1")->value, 1.540598);
  EXPECT_DOUBLE_EQ(*p->FindCondition("wavelength_k_alpha2")->value, 1.544426);
  EXPECT_DOUBLE_EQ(*p->FindCondition("ratio_k_alpha2_k_alpha1")->value, 0.5);
  EXPECT_EQ(p->FindCondition("anode")->text, "Cu");
  EXPECT_DOUBLE_EQ(*p->FindCondition("tube_voltage")->value, 45);
  EXPECT_DOUBLE_EQ(*p->FindCondition("scan_time")->value, 1800);
  ASSERT_TRUE(p->measure_time.has_value());
  EXPECT_DOUBLE_EQ(*p->measure_time, 1777856400);  // 2026-05-04T10:00:00+09:00
  EXPECT_EQ(p->sample_name, "NMC811 lot 7");
  EXPECT_EQ(p->operator_name, "Sato");
}

// d(p) of the log-normal the generator drew (median 10 µm, σ 0.5), by
// bisection on the CDF: an independent computation.
double LogNormalQuantile(double p) {
  double lo = 0.01, hi = 1000;
  for (int i = 0; i < 200; ++i) {
    const double mid = std::sqrt(lo * hi);
    const double cdf = 0.5 * (1 + std::erf(std::log(mid / 10) / (0.5 * std::sqrt(2.0))));
    (cdf < p ? lo : hi) = mid;
  }
  return std::sqrt(lo * hi);
}

TEST(CharacterizationTest, PercentilesAreComputedOnlyWhenNotReportedAndMatchTheDistribution) {
  absl::StatusOr<ParsedCharacterization> reported = ParseFixture("psd_mastersizer.csv");
  ASSERT_TRUE(reported.ok()) << reported.status();
  ASSERT_NE(reported->FindResult("d50"), nullptr);
  EXPECT_FALSE(reported->FindResult("d50")->computed);
  EXPECT_DOUBLE_EQ(reported->FindResult("d50")->value, 10.0);
  for (const char* f : {"psd_mastersizer_no_results.csv", "psd.#M3.CSV", "psd_camsizer.xle"}) {
    SCOPED_TRACE(f);
    absl::StatusOr<ParsedCharacterization> p = ParseFixture(f);
    ASSERT_TRUE(p.ok()) << p.status();
    EXPECT_EQ(p->technique, CharTechnique::kPsd);
    for (auto [name, q] : {std::pair{"d10", 0.1}, {"d50", 0.5}, {"d90", 0.9}}) {
      const CharResult* r = p->FindResult(name);
      ASSERT_NE(r, nullptr) << name;
      EXPECT_EQ(r->unit, "um");
      EXPECT_NEAR(r->value, LogNormalQuantile(q), LogNormalQuantile(q) * 0.01) << name;
    }
    const CharResult* span = p->FindResult("span");
    ASSERT_NE(span, nullptr);
    EXPECT_NEAR(span->value, (LogNormalQuantile(0.9) - LogNormalQuantile(0.1)) / 10, 0.03);
    ASSERT_GE(p->curves.size(), 2u);
    EXPECT_NEAR(p->curves[1].y.back(), 100, 1e-6);  // cumulative ends at 100 %
  }
}

TEST(CharacterizationTest, PercentileOfAUniformClassIsInterpolatedInLogSize) {
  // One class 1-100 µm holding everything: d50 is the geometric mean, 10 µm.
  std::optional<double> d50 = DistributionPercentile(1, {100}, {1}, 0.5);
  ASSERT_TRUE(d50.has_value());
  EXPECT_NEAR(*d50, 10, 1e-9);
  EXPECT_FALSE(DistributionPercentile(1, {100}, {0}, 0.5).has_value());
  EXPECT_FALSE(DistributionPercentile(1, {100}, {-1}, 0.5).has_value());
}

double Bet(double nm, double c, double x) { return nm * c * x / ((1 - x) * (1 - x + c * x)); }

TEST(CharacterizationTest, BetFitRecoversRandomMonolayerAndC) {
  std::mt19937 rng(17);
  std::uniform_real_distribution<double> nm_d(0.05, 60), logc(std::log(5.0), std::log(2000.0)), px(0.001, 0.95);
  for (int trial = 0; trial < 200; ++trial) {
    const double nm = nm_d(rng), c = std::exp(logc(rng));
    std::vector<double> x;
    for (int i = 0; i < 8 + trial % 30; ++i) x.push_back(px(rng));
    x.push_back(1 / (std::sqrt(c) + 1));  // the monolayer point is measured
    std::sort(x.begin(), x.end());
    x.erase(std::unique(x.begin(), x.end()), x.end());
    std::vector<double> n;
    for (double v : x) n.push_back(Bet(nm, c, v));
    std::optional<BetFit> fit = FitBet(x, n);
    ASSERT_TRUE(fit.has_value()) << "nm " << nm << " C " << c;
    EXPECT_NEAR(fit->monolayer_mmol_per_g, nm, nm * 1e-6) << trial;
    EXPECT_NEAR(fit->c_constant, c, c * 1e-5) << trial;
    EXPECT_GE(fit->points, 3u);
    const double xm = 1 / (std::sqrt(fit->c_constant) + 1);
    EXPECT_GE(xm, fit->p_low * (1 - 1e-9));
    EXPECT_LE(xm, fit->p_high * (1 + 1e-9));
  }
}

TEST(CharacterizationTest, IsothermsOfThreeMakersReadTheSameAndGiveTheBetArea) {
  for (auto [f, sigma] : {std::pair{"isotherm_bel.DAT", 0.162}, {"isotherm_quantachrome.txt", 0.162},
                          {"isotherm.aif", 0.142}}) {
    SCOPED_TRACE(f);
    absl::StatusOr<ParsedCharacterization> p = ParseFixture(f);
    ASSERT_TRUE(p.ok()) << p.status();
    EXPECT_EQ(p->technique, CharTechnique::kGasAdsorption);
    ASSERT_EQ(p->curves.size(), 2u);
    const CharCurve& ads = p->curves[0];
    EXPECT_EQ(ads.name, "adsorption");
    EXPECT_EQ(ads.x.size(), 17u);
    EXPECT_EQ(p->curves[1].x.size(), 4u);
    for (size_t i = 0; i < ads.x.size(); ++i) {
      EXPECT_NEAR(ads.y[i], Bet(10, 100, ads.x[i]), Bet(10, 100, ads.x[i]) * 1e-4) << i;
    }
    const CharResult* area = p->FindResult("bet_surface_area");
    ASSERT_NE(area, nullptr);
    EXPECT_TRUE(area->computed);
    EXPECT_NE(area->method.find("Rouquerol"), std::string::npos);
    EXPECT_NEAR(area->value, 10e-3 * 6.02214076e23 * sigma * 1e-18, 0.5);
    EXPECT_NEAR(p->FindResult("bet_c_constant")->value, 100, 0.5);
  }
}

TEST(CharacterizationTest, AReportedBetAreaIsKeptAndAgreesWithAnIndependentFit) {
  for (const char* f : {"isotherm_micromeritics.xlsx", "isotherm_3p.xlsx"}) {
  SCOPED_TRACE(f);
  absl::StatusOr<ParsedCharacterization> p = ParseFixture(f);
  ASSERT_TRUE(p.ok()) << p.status();
  const CharResult* area = p->FindResult("bet_surface_area");
  ASSERT_NE(area, nullptr);
  EXPECT_FALSE(area->computed);
  EXPECT_DOUBLE_EQ(area->value, 975.587);
  EXPECT_EQ(p->FindResult("bet_c_constant"), nullptr);  // not reported, not computed over a report
  ASSERT_EQ(p->curves.size(), 2u);
  EXPECT_EQ(p->curves[0].x.size(), 17u);
  std::optional<BetFit> fit = FitBet(p->curves[0].x, p->curves[0].y);
  ASSERT_TRUE(fit.has_value());
  EXPECT_NEAR(fit->monolayer_mmol_per_g * 1e-3 * 6.02214076e23 * 0.162e-18, area->value, 0.01);
  EXPECT_EQ(p->curves[1].x.size(), 4u);
  }
}

TEST(CharacterizationTest, ThermalAnalysisLeavesOutRowsBeforeTheRun) {
  absl::StatusOr<ParsedCharacterization> p = ParseFixture("dsc_ta.txt");
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->technique, CharTechnique::kDsc);
  ASSERT_FALSE(p->curves.empty());
  EXPECT_EQ(p->curves[0].x.size(), 50u);
  EXPECT_EQ(p->curves[0].x_unit, "degC");
  EXPECT_EQ(p->curves[0].y_unit, "mW");
  EXPECT_DOUBLE_EQ(p->curves[0].x.back(), 74);
  EXPECT_DOUBLE_EQ(*p->FindCondition("sample_mass")->value, 5);
}

TEST(CharacterizationTest, RefusalsSayWhatAndWhere) {
  std::string xrdml = CharFixture("scan.xrdml");
  std::string bad = xrdml;
  bad.replace(bad.find("<counts unit=\"counts\">"), 22, "<counts unit=\"furlongs\">");
  absl::StatusOr<ParsedCharacterization> p = ParseCharacterization("bad.xrdml", bad);
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("intensity unit 'furlongs' unknown"), std::string::npos) << p.status();

  std::string two = CharFixture("psd_mastersizer.csv");
  two += two.substr(two.rfind('\n', two.size() - 2) + 1);  // the measurement row twice
  p = ParseCharacterization("two.csv", two);
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("2 measurement rows"), std::string::npos) << p.status();

  std::string uxd = CharFixture("scan.uxd");
  uxd += "31.000\tlots\n";
  p = ParseCharacterization("bad.uxd", uxd);
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("bad.uxd line 57"), std::string::npos) << p.status();

  p = ParseCharacterization("notes.txt", "just some text\nnothing to see\n");
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("not a characterisation file"), std::string::npos);
  EXPECT_TRUE(absl::IsNotFound(p.status())) << p.status();  // callers may try other kinds
  // A recognised layout that is broken, or a damaged stream, is INVALID_ARGUMENT.
  EXPECT_TRUE(absl::IsInvalidArgument(ParseCharacterization("bad.uxd", uxd).status()));
  std::string bz = CharFixture("scan.ras.bz2");
  EXPECT_TRUE(absl::IsInvalidArgument(ParseCharacterization("cut.bz2", bz.substr(0, bz.size() / 2)).status()));
  EXPECT_FALSE(LooksLikeCharacterization("just some text\n"));
}

// Truncations and byte flips of every fixture: a reader answers (parsed or
// refused), never crashes, and what it answers is consistent.
TEST(CharacterizationTest, MangledFixturesNeverCrashAReader) {
  std::mt19937 rng(5);
  for (const auto& e : std::filesystem::directory_iterator(std::filesystem::path(BATTERYHUB_SOURCE_DIR) /
                                                           "tests/parsers/fixtures/characterization")) {
    const std::string bytes = Read(e.path());
    SCOPED_TRACE(e.path().filename().string());
    for (int k = 0; k < 60; ++k) {
      std::string m = bytes;
      if (k % 2 == 0) {
        m.resize(std::uniform_int_distribution<size_t>(0, m.size())(rng));
      } else {
        for (int f = 0; f < 1 + k % 7; ++f) {
          m[std::uniform_int_distribution<size_t>(0, m.size() - 1)(rng)] = static_cast<char>(rng());
        }
      }
      absl::StatusOr<ParsedCharacterization> p = ParseCharacterization("m", m);
      if (!p.ok()) {
        EXPECT_FALSE(p.status().message().empty());
        continue;
      }
      for (const CharCurve& c : p->curves) {
        ASSERT_EQ(c.x.size(), c.y.size());
        for (size_t i = 0; i < c.x.size(); ++i) ASSERT_TRUE(std::isfinite(c.x[i]) && std::isfinite(c.y[i]));
      }
    }
  }
}

}  // namespace
}  // namespace batteryhub::parsers
