// Conformance of the characterisation readers over every material file of
// ../shared/data/real (skipped when absent): what each file gives (technique,
// points) or why it is refused, values spot-checked by hand from the files,
// twins equal, and reported results equal to an independent computation
// from the file's own distribution.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <map>

#include "parsers/characterization.h"
#include "tests/parsers/test_files.h"

namespace batteryhub::parsers {
namespace {

namespace fs = std::filesystem;

struct CharExpected {
  const char* technique;  // "" : refused
  size_t points;          // over all curves
  const char* refusal;    // prefix of the message after "NAME: " / "NAME line N: "
};

const std::map<std::string, CharExpected>& CharExpectations() {
  static const std::map<std::string, CharExpected> k = {
      {"xrd/210520step1_30min.csv", {"XRD", 4489, ""}},
      {"xrd/210520step1_30min.xrdml", {"XRD", 4489, ""}},
      {"xrd/210520step1_30min.xy", {"XRD", 4489, ""}},
      {"xrd/CaNi(PO3)4_800_240_Ca(OH)2_(NH4)2HPO4_NiO.xy", {"XRD", 8301, ""}},
      {"xrd/23-012-AG_2thomegascan_long.brml", {"XRD", 2001, ""}},
      {"xrd/BT86.UXD", {"XRD", 2374, ""}},
      {"xrd/BT86_.UXD", {"XRD", 2374, ""}},
      {"xrd/BT86.raw", {"XRD", 2374, ""}},
      {"xrd/Cu3Au-1.raw", {"XRD", 3901, ""}},
      // Scrambled by its publisher: read without harm (its values mean nothing).
      {"xrd/TwoTheta_scan_scrambled.raw", {"XRD", 7134, ""}},
      {"xrd/bruker_test_sample_unscrambled.raw", {"XRD", 7134, ""}},
      {"xrd/LaB6_d500_si_psd.xye.bz2", {"XRD", 2 * 17381, ""}},
      {"xrd/Na2Co2TeO6-Zn30pct_20220928_6_C259_(20220927_6_20220926_6)Flat__15-120_026step_30min_1.xrdml",
       {"XRD", 3998, ""}},
      {"xrd/xylib_examples.xrdml", {"XRD", 3998, ""}},
      {"xrd/TwoTheta_scan_powder.rasx", {"XRD", 2726, ""}},
      {"xrd/XRD-918-16_10.xrdml", {"XRD", 5027, ""}},
      {"xrd/inas_layer_radial_002_004.ras.bz2", {"XRD", 1501 + 2501, ""}},
      {"xrd/m82762_rc1mm_1_16dg_src_slit_phi-101_3dg_-420_mesh_long.xrdml", {"XRD", 101 * 255, ""}},
      {"xrd/rsm_1.xrdml.bz2", {"XRD", 401 * 255, ""}},
      {"psd/HO16.csv", {"PSD", 200, ""}},
      {"psd/example1.csv", {"PSD", 200, ""}},
      {"psd/MS2000 Export.xlsx", {"", 0, "173 measurement rows"}},
      {"psd/example2.xlsx", {"", 0, "173 measurement rows"}},
      {"psd/Silikers_test_200_2012-06-14.#M3.CSV", {"PSD", 3 * 256, ""}},
      {"psd/Silikers_test_30_2012-06-14.#M3.CSV", {"PSD", 3 * 256, ""}},
      {"psd/camsizerX2_1号_xc_min.xle", {"PSD", 0, ""}},
      {"bet/ASch082B_Zndmbdcdabco_C2H4_Exp191004a_weight correction_jis.csv", {"BET", 72, ""}},
      {"bet/BF-010-DUT-13-CH4-190K-run1-export.csv", {"BET", 89, ""}},
      {"bet/RGE-343-DUT32-7dCO2_Nitrogen(BelMax).csv", {"BET", 297, ""}},
      {"bet/DUT-13-CH4-190K.DAT", {"BET", 109, ""}},
      {"bet/DUT-49-SKDM017_N2_77K_run1.DAT", {"BET", 134, ""}},
      {"bet/DUT-67-N2_77K.DAT", {"BET", 86, ""}},
      {"bet/BF001 (Raw Analysis Data).txt", {"BET", 82, ""}},
      {"bet/DUT-6_N2_77K (Raw Analysis Data).txt", {"BET", 106, ""}},
      {"bet/US_540_DUT75_N2 (Raw Analysis Data).txt", {"BET", 132, ""}},
      {"bet/ar_test_77k.aif", {"BET", 150, ""}},
      {"bet/3p_MOF_N2_77K.xlsx", {"BET", 119, ""}},
      {"bet/bel_Sample_C.xls", {"BET", 21, ""}},
      {"bet/mic_Sample_A.xls", {"BET", 84, ""}},
      {"bet/mic_Sample_C.xls", {"BET", 66, ""}},
      {"bet/mic_Sample_D.xls", {"BET", 66, ""}},
      {"bet/mic_Sample_E.xls", {"BET", 66, ""}},
      {"bet/mic_Sample_G.xls", {"BET", 108, ""}},
      {"bet/smsdvs_13X water 30c.xlsx", {"", 0, "not a characterisation file this hub reads"}},
      {"icp/ICP limstest bog envas.csv", {"", 0, "an ICP-OES run report of"}},
      {"icp/ICPlimstest.csv", {"", 0, "an ICP-OES run report of"}},
      {"icp/varian_vistapro_export.csv", {"", 0, "an ICP-OES run report of"}},
      {"thermal/sample_dsc_tainstruments.txt", {"DSC", 2 * 19000, ""}},
      {"thermal/sample_tga_data.csv", {"", 0, "not a characterisation file this hub reads"}},
      {"xps/mjr9_59c.vms", {"", 0, "not a characterisation file this hub reads"}},
      {"xps/mjr9_64c.vms", {"", 0, "not a characterisation file this hub reads"}},
      {"xps/specsxy_example.xy", {"", 0, "not a characterisation file this hub reads"}},
  };
  return k;
}

class CharacterizationRealTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = RealDataDir();
    if (dir_.empty()) GTEST_SKIP() << "../shared/data/real is absent";
  }
  ParsedCharacterization Parse(const std::string& rel) {
    absl::StatusOr<ParsedCharacterization> p = ParseCharacterization(rel, Read(dir_ / rel));
    EXPECT_TRUE(p.ok()) << p.status();
    return p.ok() ? *p : ParsedCharacterization{};
  }
  fs::path dir_;
};

TEST_F(CharacterizationRealTest, EveryMaterialFileReadsOrIsRefusedAsExpected) {
  size_t seen = 0;
  for (const char* folder : {"xrd", "psd", "bet", "icp", "thermal", "xps"}) {
    if (!fs::is_directory(dir_ / folder)) continue;
    for (const auto& e : fs::directory_iterator(dir_ / folder)) {
      const std::string rel = std::string(folder) + "/" + e.path().filename().string();
      SCOPED_TRACE(rel);
      auto it = CharExpectations().find(rel);
      ASSERT_NE(it, CharExpectations().end()) << "no expectation for " << rel;
      ++seen;
      absl::StatusOr<ParsedCharacterization> p = ParseCharacterization(rel, Read(e.path()));
      const CharExpected& want = it->second;
      if (std::string(want.technique).empty()) {
        ASSERT_FALSE(p.ok()) << "read as " << p->reader;
        EXPECT_NE(std::string(p.status().message()).find(want.refusal), std::string::npos) << p.status();
        continue;
      }
      ASSERT_TRUE(p.ok()) << p.status();
      EXPECT_EQ(CharTechniqueName(p->technique), std::string(want.technique));
      if (want.points > 0) {
        EXPECT_NEAR(static_cast<double>(p->points()), static_cast<double>(want.points),
                    std::string(want.technique) == "DSC" ? 100 : 0);
      }
    }
  }
  EXPECT_EQ(seen, CharExpectations().size());
}

TEST_F(CharacterizationRealTest, ThePanalyticalScanIsTheSameInItsThreeFormats) {
  ParsedCharacterization xrdml = Parse("xrd/210520step1_30min.xrdml");
  ParsedCharacterization csv = Parse("xrd/210520step1_30min.csv");
  ParsedCharacterization xy = Parse("xrd/210520step1_30min.xy");
  ASSERT_FALSE(xrdml.curves.empty() || csv.curves.empty() || xy.curves.empty());
  // By hand from the files: the first point is 5.008355630 deg, 1719 counts;
  // the last 80.008530800, 288.
  EXPECT_NEAR(xrdml.curves[0].x[0], 5.00835563, 1e-8);
  EXPECT_EQ(xrdml.curves[0].y[0], 1719);
  EXPECT_EQ(xrdml.curves[0].y.back(), 288);
  for (const ParsedCharacterization* other : {&csv, &xy}) {
    ASSERT_EQ(other->curves[0].x.size(), xrdml.curves[0].x.size());
    for (size_t i = 0; i < xrdml.curves[0].x.size(); ++i) {
      ASSERT_NEAR(other->curves[0].x[i], xrdml.curves[0].x[i], 1e-6) << i;
      ASSERT_EQ(other->curves[0].y[i], xrdml.curves[0].y[i]) << i;
    }
  }
  EXPECT_DOUBLE_EQ(*xrdml.FindCondition("wavelength_k_alpha1")->value, 1.540598);
  EXPECT_DOUBLE_EQ(*csv.FindCondition("wavelength_k_alpha2")->value, 1.544426);
  EXPECT_EQ(csv.FindCondition("anode")->text, "Cu");
  EXPECT_DOUBLE_EQ(*xrdml.FindCondition("counting_time")->value, 50.165);
}

TEST_F(CharacterizationRealTest, TwinsReadTheSame) {
  for (auto [a, b] : {std::pair{"xrd/BT86.UXD", "xrd/BT86_.UXD"},
                      {"xrd/xylib_examples.xrdml",
                       "xrd/Na2Co2TeO6-Zn30pct_20220928_6_C259_(20220927_6_20220926_6)Flat__15-120_026step_30min_1.xrdml"}}) {
    SCOPED_TRACE(a);
    ParsedCharacterization p = Parse(a), q = Parse(b);
    ASSERT_EQ(p.curves.size(), q.curves.size());
    ASSERT_FALSE(p.curves.empty());
    EXPECT_EQ(p.curves[0].x, q.curves[0].x);
    EXPECT_EQ(p.curves[0].y, q.curves[0].y);
  }
  // The RAW binary and its UXD export: the same counts; the UXD prints 2θ
  // with four significant digits (9.985, 10.02).
  ParsedCharacterization raw = Parse("xrd/BT86.raw"), text = Parse("xrd/BT86.UXD");
  ASSERT_FALSE(raw.curves.empty() || text.curves.empty());
  ASSERT_EQ(raw.curves[0].x.size(), text.curves[0].x.size());
  for (size_t i = 0; i < raw.curves[0].x.size(); ++i) {
    ASSERT_NEAR(raw.curves[0].x[i], text.curves[0].x[i], text.curves[0].x[i] >= 10 ? 6e-3 : 6e-4) << i;
    ASSERT_EQ(raw.curves[0].y[i], text.curves[0].y[i]) << i;
  }
  EXPECT_DOUBLE_EQ(*raw.FindCondition("wavelength_k_alpha1")->value, 1.5406);
  ParsedCharacterization uxd = Parse("xrd/BT86.UXD");
  ASSERT_FALSE(uxd.curves.empty());
  EXPECT_DOUBLE_EQ(uxd.curves[0].x[0], 3.0);  // "3.000\t187"
  EXPECT_DOUBLE_EQ(uxd.curves[0].y[0], 187);
  EXPECT_DOUBLE_EQ(*uxd.FindCondition("wavelength_k_alpha1")->value, 1.5406);
}

// Percentile of the cumulative curve the reader built, by linear
// interpolation in size (not the reader's log interpolation): independent
// enough to catch a wrong bin-edge alignment, which moves it by a class.
double Percentile(const CharCurve& cumulative, double lower0, double pct) {
  double prev_x = lower0, prev_y = 0;
  for (size_t i = 0; i < cumulative.x.size(); ++i) {
    if (cumulative.y[i] >= pct) {
      return prev_x + (pct - prev_y) / (cumulative.y[i] - prev_y) * (cumulative.x[i] - prev_x);
    }
    prev_x = cumulative.x[i];
    prev_y = cumulative.y[i];
  }
  return cumulative.x.back();
}

TEST_F(CharacterizationRealTest, ReportedPercentilesAgreeWithTheFilesDistribution) {
  // The Mastersizer's d(0.5) 74.796 um and the Camsizer's x(Q3=50 %) 367.27 um.
  for (auto [f, d50, lower0] : {std::tuple{"psd/example1.csv", 74.796, 0.01}, {"psd/HO16.csv", 74.796, 0.01},
                                {"psd/camsizerX2_1号_xc_min.xle", 367.27, 0.0}}) {
    SCOPED_TRACE(f);
    ParsedCharacterization p = Parse(f);
    ASSERT_NE(p.FindResult("d50"), nullptr);
    EXPECT_DOUBLE_EQ(p.FindResult("d50")->value, d50);
    EXPECT_FALSE(p.FindResult("d50")->computed);
    ASSERT_GE(p.curves.size(), 2u);
    EXPECT_NEAR(Percentile(p.curves[1], lower0, 50), d50, d50 * 0.03);
  }
  ParsedCharacterization ms = Parse("psd/example1.csv");
  EXPECT_DOUBLE_EQ(ms.FindResult("d10")->value, 53.5);
  EXPECT_DOUBLE_EQ(ms.FindResult("d90")->value, 104.309);
  EXPECT_DOUBLE_EQ(ms.FindResult("specific_surface_area")->value, 0.0339);
  EXPECT_EQ(ms.FindResult("specific_surface_area")->unit, "m2/g");
}

TEST_F(CharacterizationRealTest, BetAreasComeWithTheirFitAndOnlyForKnownAdsorptives) {
  ParsedCharacterization dut = Parse("bet/DUT-67-N2_77K.DAT");
  // By hand from the file: N2 at 77.00 K, 0.03870 g; first point 23.222 cm3(STP)/g.
  EXPECT_EQ(dut.FindCondition("adsorptive")->text, "N2");
  EXPECT_DOUBLE_EQ(*dut.FindCondition("temperature")->value, 77.0);
  ASSERT_FALSE(dut.curves.empty());
  EXPECT_NEAR(dut.curves[0].y[0], 23.222 / 22.413969545, 1e-9);
  const CharResult* area = dut.FindResult("bet_surface_area");
  ASSERT_NE(area, nullptr);
  EXPECT_TRUE(area->computed);
  // Recompute the area from the fit's own numbers: n_m N_A sigma.
  EXPECT_NEAR(area->value, dut.FindResult("bet_monolayer_capacity")->value * 1e-3 * 6.02214076e23 * 0.162e-18, 1e-6);
  EXPECT_GT(dut.FindResult("bet_c_constant")->value, 0);
  const double c = dut.FindResult("bet_c_constant")->value;
  EXPECT_GE(1 / (std::sqrt(c) + 1), dut.FindResult("bet_fit_p_low")->value);
  EXPECT_LE(1 / (std::sqrt(c) + 1), dut.FindResult("bet_fit_p_high")->value);
  ParsedCharacterization ch4 = Parse("bet/DUT-13-CH4-190K.DAT");
  EXPECT_EQ(ch4.FindResult("bet_surface_area"), nullptr);
  EXPECT_NE(ch4.metadata["bet.not_computed"].find("CH4"), std::string::npos);
  // The file name says 190 K; the header says 111 K, and the header wins.
  EXPECT_DOUBLE_EQ(*ch4.FindCondition("temperature")->value, 111.0);
}

TEST_F(CharacterizationRealTest, ReportedBetAreasAreTheFilesAndTheIsothermItsTable) {
  // By hand from the Micromeritics summary pages ("BET Surface Area: 594.9649 m²/g").
  for (auto [f, area] : {std::pair{"bet/mic_Sample_A.xls", 194.7493}, {"bet/mic_Sample_C.xls", 594.9649},
                         {"bet/mic_Sample_D.xls", 935.5162}, {"bet/mic_Sample_G.xls", 68.3322},
                         {"bet/3p_MOF_N2_77K.xlsx", 1534.746}}) {
    SCOPED_TRACE(f);
    ParsedCharacterization p = Parse(f);
    const CharResult* r = p.FindResult("bet_surface_area");
    ASSERT_NE(r, nullptr);
    EXPECT_DOUBLE_EQ(r->value, area);
    EXPECT_FALSE(r->computed);
    ASSERT_EQ(p.curves.size(), 2u);
    ASSERT_NE(p.FindCondition("adsorptive"), nullptr);
    EXPECT_EQ(p.FindCondition("adsorptive")->text, "N2");
    // The Micromeritics pages state the bath temperature; the 3P workbook does not.
    if (std::string(f).find("3p_") == std::string::npos) {
      ASSERT_NE(p.FindCondition("temperature"), nullptr);
      EXPECT_NEAR(*p.FindCondition("temperature")->value, 77.3, 0.1);  // D says -195.780 °C
    }
  }
  // Sample D's table, first row: 0.00983337685130033, 2.4404238659481523 mmol/g.
  ParsedCharacterization d = Parse("bet/mic_Sample_D.xls");
  EXPECT_DOUBLE_EQ(d.curves[0].x[0], 0.00983337685130033);
  EXPECT_DOUBLE_EQ(d.curves[0].y[0], 2.4404238659481523);
  // The BEL workbook: 21 adsorption points, C3H8 at 303 K, first 7.4821 cm3(STP)/g.
  ParsedCharacterization bel = Parse("bet/bel_Sample_C.xls");
  ASSERT_NE(bel.FindCondition("adsorptive"), nullptr);
  ASSERT_FALSE(bel.curves.empty());
  EXPECT_EQ(bel.FindCondition("adsorptive")->text, "C3H8");
  EXPECT_DOUBLE_EQ(*bel.FindCondition("temperature")->value, 303);
  EXPECT_NEAR(bel.curves[0].y[0], 7.4821 / 22.413969545, 1e-12);
}

}  // namespace
}  // namespace batteryhub::parsers
