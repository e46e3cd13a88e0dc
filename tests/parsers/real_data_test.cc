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
#include "tests/parsers/test_files.h"

namespace batteryhub::parsers {
namespace {

namespace fs = std::filesystem;



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
      {"binary/filetype14-0.ndax", {Format::kNeware, 67, ""}},
      {"binary/gcpl.issue_149.mpr", {Format::kBiologic, 132, ""}},
      {"binary/indigo_test_sample.h5", {Format::kUnknown, 0, "unsupported: HDF5"}},
      {"binary/mits7-0.res.gz", {Format::kArbin, 8, ""}},
      {"biologic/Sample_data_biologic_no_header.mpt", {Format::kBiologic, 13, ""}},
      {"biologic/Sample_data_biologic_timestamped.txt", {Format::kBiologic, 8, ""}},
      {"biologic/gcpl.issue_149.mpt", {Format::kBiologic, 132, ""}},
      {"biologic/mb.issue_95.mpt", {Format::kBiologic, 33, ""}},
      {"eis/exampleData.csv", {Format::kEisCsv, 66, ""}},
      {"eis/exampleDataAutolab.txt", {Format::kUnknown, 0, "unsupported: ZPlot/ZView impedance file; export the spectrum"}},
      {"eis/exampleDataBioLogic.mpt", {Format::kBiologic, 43, ""}},
      {"eis/exampleDataGamry.DTA", {Format::kGamry, 0, ""}},
      {"eis/exampleDataZPlot.z", {Format::kUnknown, 0, "ZPlot/ZView"}},
      {"eis/maccor_test_file_4267-66-6519.EDA0001.041", {Format::kUnknown, 0, "unsupported: Maccor AC impedance (EDA) file; export the spec"}},
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
      // Added 2026-12-01 (MANIFEST.md, last section). Text twins that parse
      // carry their MANIFEST row counts; natives and characterisation files
      // are refused, each saying what it is.
      {"arbin/20160805_test001_45_cc_01.cellpy_golden_raw.parquet", {Format::kUnknown, 0, "unsupported: Apache Parquet file"}},
      {"arbin/20160805_test001_45_cc_01.cellpy_golden_raw.parquet.csv", {Format::kUnknown, 0, "gives no unit this reader knows"}},
      {"arbin/20160805_test001_45_cc_01.res", {Format::kArbin, 10261, ""}},
      {"arbin/aux_one_x_dx.res", {Format::kArbin, 7235, ""}},
      {"arbin/bs542_004_gr_li_50ua_50mv_1v_191020_Channel_11.xlsx", {Format::kTable, 4526, ""}},
      {"arbin/galv_arbin.csv", {Format::kArbin, 21, ""}},
      {"batteryarchive/CALCE_CX2-33_prism_LCO_25C_0-100_0.5-0.5C_d_cycle_data.csv", {Format::kUnknown, 0, "a per-cycle summary table, not a time series: upload the tim"}},
      {"batteryarchive/CALCE_CX2-33_prism_LCO_25C_0-100_0.5-0.5C_d_timeseries.csv", {Format::kBatteryArchive, 15, ""}},
      {"batterydatahub/p492-13-summary.csv", {Format::kUnknown, 0, "a per-cycle summary table, not a time series: upload the tim"}},
      {"bdf/SINTEF__G20M7-202512-Gru6mV__20251228__C30__25degC__Neware.bdf.csv", {Format::kBdf, 17587, ""}},
      {"bdf/legacy.bdf.parquet", {Format::kUnknown, 0, "unsupported: Apache Parquet file"}},
      {"bdf/legacy.bdf.parquet.csv", {Format::kBdf, 5000, ""}},
      {"bet/3p_MOF_N2_77K.xlsx", {Format::kUnknown, 0, "no sheet of the workbook reads as a time series (sheet 'Isot"}},
      {"bet/ASch082B_Zndmbdcdabco_C2H4_Exp191004a_weight correction_jis.csv", {Format::kUnknown, 0, "unrecognised export"}},
      {"bet/BF-010-DUT-13-CH4-190K-run1-export.csv", {Format::kUnknown, 0, "unrecognised export"}},
      {"bet/BF001 (Raw Analysis Data).txt", {Format::kUnknown, 0, "unrecognised export"}},
      {"bet/DUT-13-CH4-190K.DAT", {Format::kUnknown, 0, "unrecognised export"}},
      {"bet/DUT-49-SKDM017_N2_77K_run1.DAT", {Format::kUnknown, 0, "unrecognised export"}},
      {"bet/DUT-67-N2_77K.DAT", {Format::kUnknown, 0, "unrecognised export"}},
      {"bet/DUT-6_N2_77K (Raw Analysis Data).txt", {Format::kUnknown, 0, "unrecognised export"}},
      {"bet/RGE-343-DUT32-7dCO2_Nitrogen(BelMax).csv", {Format::kUnknown, 0, "unrecognised export"}},
      {"bet/US_540_DUT75_N2 (Raw Analysis Data).txt", {Format::kUnknown, 0, "unrecognised export"}},
      {"bet/ar_test_77k.aif", {Format::kUnknown, 0, "unrecognised export"}},
      {"bet/bel_Sample_C.xls", {Format::kUnknown, 0, "no sheet of the workbook reads as a time series (sheet 'AdsD"}},
      {"bet/mic_Sample_A.xls", {Format::kUnknown, 0, "no sheet of the workbook reads as a time series (sheet 'Shee"}},
      {"bet/mic_Sample_C.xls", {Format::kUnknown, 0, "no sheet of the workbook reads as a time series (sheet 'Shee"}},
      {"bet/mic_Sample_D.xls", {Format::kUnknown, 0, "no sheet of the workbook reads as a time series (sheet 'MJO-"}},
      {"bet/mic_Sample_E.xls", {Format::kUnknown, 0, "no sheet of the workbook reads as a time series (sheet 'MJO0"}},
      {"bet/mic_Sample_G.xls", {Format::kUnknown, 0, "no sheet of the workbook reads as a time series (sheet 'Shee"}},
      {"bet/smsdvs_13X water 30c.xlsx", {Format::kUnknown, 0, "no sheet of the workbook reads as a time series (sheet 'DVS "}},
      {"biologic/00_test_04_MB_C01.mpr", {Format::kBiologic, 1501, ""}},
      {"biologic/250116_kigr_gen6_01_01_GCPL_CD8.mpl", {Format::kUnknown, 0, "a BioLogic log file (.mpl): it holds the settings, not the d"}},
      {"biologic/250116_kigr_gen6_01_01_GCPL_CD8.mpr", {Format::kBiologic, 392, ""}},
      {"biologic/GCPL-0.mpr", {Format::kBiologic, 4, ""}},
      {"biologic/MB-0.mpr", {Format::kUnknown, 0, "no column for current_ampere (technique Modulo Bat"}},
      {"biologic/MB-1.mpr", {Format::kBiologic, 13, ""}},
      {"biologic/Pt_poly_cv_CUT.mpt", {Format::kBiologic, 223, ""}},
      {"biologic/Sample_data_biologic_02_MB_CA1.txt", {Format::kBiologic, 1397, ""}},
      {"biologic/Sample_data_biologic_CA1.txt", {Format::kBiologic, 1397, ""}},
      {"biologic/bcd.issue_241.mpr", {Format::kBiologic, 2550, ""}},
      {"biologic/bcd.issue_241.mpt", {Format::kBiologic, 2550, ""}},
      {"biologic/ca.issue_149.mpr", {Format::kBiologic, 80, ""}},
      {"biologic/ca.issue_149.mpt", {Format::kBiologic, 80, ""}},
      {"biologic/coc.issue_185.mpr", {Format::kBiologic, 24, ""}},
      {"biologic/coc.issue_185.mpt", {Format::kBiologic, 24, ""}},
      {"biologic/cov.issue_185.mpr", {Format::kBiologic, 23, ""}},
      {"biologic/cov.issue_185.mpt", {Format::kBiologic, 23, ""}},
      {"biologic/cp.issue_61.mpr", {Format::kBiologic, 312, ""}},
      {"biologic/cp.issue_61.mpt", {Format::kBiologic, 312, ""}},
      {"biologic/cv.mpr", {Format::kBiologic, 5103, ""}},
      {"biologic/cv.mpt", {Format::kBiologic, 5103, ""}},
      {"biologic/cva.issue_202.mpr", {Format::kBiologic, 455, ""}},
      {"biologic/cva.issue_202.mpt", {Format::kBiologic, 455, ""}},
      {"biologic/dataset_with_loop_01_01_OCV_DUSB0_C01.mpt", {Format::kBiologic, 21, ""}},
      {"biologic/dataset_with_loop_01_02_CVA_DUSB0_C01.mpt", {Format::kBiologic, 154, ""}},
      {"biologic/gcpl.issue_226.I.mpr", {Format::kBiologic, 15, ""}},
      {"biologic/gcpl.issue_226.I.mpt", {Format::kBiologic, 15, ""}},
      {"biologic/gcpl.pr_182.1.mpr", {Format::kBiologic, 2533, ""}},
      {"biologic/gcpl.pr_182.1.mpt", {Format::kBiologic, 2533, ""}},
      {"biologic/geis.issue_149.mpr", {Format::kBiologic, 84, ""}},
      {"biologic/geis.issue_149.mpt", {Format::kBiologic, 84, ""}},
      {"biologic/lsv.issue_195.mpr", {Format::kBiologic, 999, ""}},
      {"biologic/lsv.issue_195.mpt", {Format::kBiologic, 999, ""}},
      {"biologic/mb.issue_149.mpr", {Format::kBiologic, 564, ""}},
      {"biologic/mb.issue_149.mpt", {Format::kBiologic, 564, ""}},
      {"biologic/ocv.mpr", {Format::kBiologic, 602, ""}},
      {"biologic/ocv.mpt", {Format::kBiologic, 602, ""}},
      {"biologic/peis.issue_149.mpr", {Format::kBiologic, 84, ""}},
      {"biologic/peis.issue_149.mpt", {Format::kBiologic, 84, ""}},
      {"biologic/peis.issue_225.ewe_ece.mpr", {Format::kBiologic, 32, ""}},
      {"biologic/peis.issue_225.ewe_ece.mpt", {Format::kBiologic, 32, ""}},
      {"biologic/peis.mpr", {Format::kBiologic, 32, ""}},
      {"biologic/vsp_ocv_with.mpr", {Format::kBiologic, 13, ""}},
      {"biologic/vsp_ocv_with.mpt", {Format::kUnknown, 0, "no column for current_ampere: expected one of 'i/ma', '<i>/m"}},
      {"biologic/wait.mpr", {Format::kUnknown, 0, "holds no data points"}},
      {"biologic/wait.mpt", {Format::kUnknown, 0, "expected data rows, found none"}},
      {"biologic/zir.mpr", {Format::kBiologic, 1, ""}},
      {"biologic/zir.mpt", {Format::kBiologic, 1, ""}},
      {"custom/custom_data_001.csv", {Format::kUnknown, 0, "gives no unit this reader knows"}},
      {"eis_misc/pyimpspec_data-comma-decimal-separator.csv", {Format::kUnknown, 0, "an impedance spectrum (line 1 names frequency and impedance "}},
      {"eis_misc/pyimpspec_data.P00", {Format::kUnknown, 0, "an impedance spectrum (line 5 names frequency and impedance "}},
      {"eis_misc/pyimpspec_data.dfr", {Format::kUnknown, 0, "unrecognised export"}},
      {"gamry/cv_data.dta", {Format::kGamry, 50, ""}},
      {"gamry/cv_data_incompleteheader.dta", {Format::kUnknown, 0, "a Gamry CV file without a data table (only the experiment's "}},
      {"gamry/eispot_data.dta", {Format::kUnknown, 0, "row has 9 fields"}},
      {"gamry/ocp_data.dta", {Format::kGamry, 21, ""}},
      {"gamry/ocvcurve_data.dta", {Format::kGamry, 11, ""}},
      {"gamry/pyimpspec_data.dta", {Format::kGamry, 29, ""}},
      {"gamry/squarewave_data.dta", {Format::kUnknown, 0, ": no column for voltage_volt: expected one of 'vf' (case-ins"}},
      {"icp/ICP limstest bog envas.csv", {Format::kUnknown, 0, "unrecognised export"}},
      {"icp/ICPlimstest.csv", {Format::kUnknown, 0, "unrecognised export"}},
      {"icp/varian_vistapro_export.csv", {Format::kUnknown, 0, "unrecognised export"}},
      {"ivium/pyimpspec_data.idf", {Format::kUnknown, 0, "binary content, not a text export"}},
      {"landt/SINTEF__LiGrR2032__2024-04-30__25degC__Landt.csv", {Format::kTable, 25162, ""}},
      {"landt/custom_data_002.xlsx", {Format::kTable, 16538, ""}},
      {"maccor/PreDiag_000229_000229_truncated.034", {Format::kMaccor, 4061, ""}},
      {"maccor/PredictionDiagnostics_000109_tztest.010", {Format::kMaccor, 2165, ""}},
      {"maccor/maccor_one.txt", {Format::kMaccor, 4459, ""}},
      {"maccor/xTESLADIAG_000038con.078", {Format::kMaccor, 3873, ""}},
      {"neware/123456789012_Unit27_Example_Data_File.NewareNDA_ref.ftr", {Format::kUnknown, 0, "unsupported: Arrow/Feather file"}},
      {"neware/123456789012_Unit27_Example_Data_File.NewareNDA_ref.ftr.csv", {Format::kUnknown, 0, "gives no unit this reader knows"}},
      {"neware/123456789012_Unit27_Example_Data_File.ndax", {Format::kNeware, 301, ""}},
      {"neware/20250128_161756_270120_0_69_33.ndc", {Format::kUnknown, 0, "a Neware .ndc member on its own (data, step or runInfo part "}},
      {"neware/20250128_161756_270120_0_69_33_runInfo.ndc", {Format::kUnknown, 0, "a Neware .ndc member on its own (data, step or runInfo part "}},
      {"neware/20250128_161756_270120_0_69_33_step.ndc", {Format::kUnknown, 0, "a Neware .ndc member on its own (data, step or runInfo part "}},
      {"neware/TestFile.NewareNDA_ref.ftr", {Format::kUnknown, 0, "unsupported: Arrow/Feather file"}},
      {"neware/TestFile.NewareNDA_ref.ftr.csv", {Format::kUnknown, 0, "gives no unit this reader knows"}},
      {"neware/TestFile.nda", {Format::kNeware, 6670, ""}},
      {"neware/ZZZZZZZZTEST.NewareNDA_ref.ftr", {Format::kUnknown, 0, "unsupported: Arrow/Feather file"}},
      {"neware/ZZZZZZZZTEST.NewareNDA_ref.ftr.csv", {Format::kUnknown, 0, "gives no unit this reader knows"}},
      {"neware/ZZZZZZZZTEST.ndax", {Format::kNeware, 301, ""}},
      {"neware/custom_data_003.xls", {Format::kTable, 2943, ""}},
      {"neware/new_nda_file.NewareNDA_ref.ftr", {Format::kUnknown, 0, "unsupported: Arrow/Feather file"}},
      {"neware/new_nda_file.NewareNDA_ref.ftr.csv", {Format::kUnknown, 0, "gives no unit this reader knows"}},
      {"neware/new_nda_file.nda", {Format::kNeware, 439, ""}},
      {"neware/nw4-120-6-1-36.ndax", {Format::kNeware, 7257, ""}},
      {"palmsens/pyimpspec_data.pssession", {Format::kUnknown, 0, "unsupported: UTF-16 text (PalmSens .pssession, Camsizer .xle"}},
      {"pec/Test25205.csv", {Format::kPec, 489, ""}},
      {"psd/HO16.csv", {Format::kUnknown, 0, "a particle-size report, not a cycler time series: add it to"}},
      {"psd/MS2000 Export.xlsx", {Format::kUnknown, 0, "sheet 'Sheet1': a particle-size report"}},
      {"psd/Silikers_test_200_2012-06-14.#M3.CSV", {Format::kUnknown, 0, "unrecognised export"}},
      {"psd/Silikers_test_30_2012-06-14.#M3.CSV", {Format::kUnknown, 0, "unrecognised export"}},
      {"psd/camsizerX2_1号_xc_min.xle", {Format::kUnknown, 0, "unsupported: UTF-16 text (PalmSens .pssession, Camsizer .xle"}},
      {"psd/example2.xlsx", {Format::kUnknown, 0, "sheet 'Sheet1': a particle-size report"}},
      {"thermal/sample_dsc_tainstruments.txt", {Format::kUnknown, 0, "unrecognised export"}},
      {"thermal/sample_tga_data.csv", {Format::kUnknown, 0, "unrecognised export"}},
      {"voltaiq/VDFMetadata_Voltaiq_EV_HPPC_Cell01-72.csv", {Format::kUnknown, 0, "a table of device metadata (Voltaiq), not a time series: put"}},
      {"xps/mjr9_59c.vms", {Format::kUnknown, 0, "unrecognised export"}},
      {"xps/mjr9_64c.vms", {Format::kUnknown, 0, "unrecognised export"}},
      {"xps/specsxy_example.xy", {Format::kUnknown, 0, "unrecognised export"}},
      {"xrd/23-012-AG_2thomegascan_long.brml", {Format::kUnknown, 0, "an X-ray diffraction scan (Bruker .brml / Rigaku .rasx), not"}},
      {"xrd/BT86.UXD", {Format::kUnknown, 0, "unrecognised export"}},
      {"xrd/BT86.raw", {Format::kUnknown, 0, "an X-ray diffraction scan (Bruker .raw), not a cycler time s"}},
      {"xrd/BT86_.UXD", {Format::kUnknown, 0, "unrecognised export"}},
      {"xrd/Cu3Au-1.raw", {Format::kUnknown, 0, "an X-ray diffraction scan (Bruker .raw), not a cycler time s"}},
      {"xrd/LaB6_d500_si_psd.xye.bz2", {Format::kUnknown, 0, "unsupported: bzip2-compressed file"}},
      {"xrd/Na2Co2TeO6-Zn30pct_20220928_6_C259_(20220927_6_20220926_6)Flat__15-120_026step_30min_1.xrdml", {Format::kUnknown, 0, "unrecognised export"}},
      {"xrd/TwoTheta_scan_powder.rasx", {Format::kUnknown, 0, "an X-ray diffraction scan (Bruker .brml / Rigaku .rasx), not"}},
      {"xrd/TwoTheta_scan_scrambled.raw", {Format::kUnknown, 0, "an X-ray diffraction scan (Bruker .raw), not a cycler time s"}},
      {"xrd/XRD-918-16_10.xrdml", {Format::kUnknown, 0, "an X-ray diffraction scan, not a cycler time series: add it"}},
      {"xrd/bruker_test_sample_unscrambled.raw", {Format::kUnknown, 0, "an X-ray diffraction scan (Bruker .raw), not a cycler time s"}},
      {"xrd/inas_layer_radial_002_004.ras.bz2", {Format::kUnknown, 0, "unsupported: bzip2-compressed file"}},
      {"xrd/m82762_rc1mm_1_16dg_src_slit_phi-101_3dg_-420_mesh_long.xrdml", {Format::kUnknown, 0, "unrecognised export"}},
      {"xrd/rsm_1.xrdml.bz2", {Format::kUnknown, 0, "unsupported: bzip2-compressed file"}},
      {"xrd/xylib_examples.xrdml", {Format::kUnknown, 0, "unrecognised export"}},
      {"zplot/exampleDataZPlot_noComments.z", {Format::kUnknown, 0, "unsupported: ZPlot/ZView impedance file; export the spectrum"}},
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
      // Added 2026-12-01: decimal comma, Latin-1, legacy BDF milliseconds.
      {"biologic/ca.issue_149.mpt", "test_time_second", 0, 20.65059947832196},
      {"biologic/ca.issue_149.mpt", "voltage_volt", 0, 3.4241872},
      {"biologic/ca.issue_149.mpt", "current_ampere", 0, 9.693702445496222e-06},
      {"biologic/Pt_poly_cv_CUT.mpt", "voltage_volt", 0, 0.87869531},
      {"bdf/legacy.bdf.parquet.csv", "test_time_second", 1, 1.0},
      {"pec/Test25205.csv", "voltage_volt", 0, 3.6824952},
      {"pec/Test25205.csv", "test_time_second", 0, 0.002},
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

// A table read by its header vocabulary equals the BDF file SINTEF converted
// from it, column by column.
TEST(RealDataTest, NamedColumnsTableEqualsItsBdfTwin) {
  const fs::path dir = RealDataDir();
  if (dir.empty()) GTEST_SKIP() << "../shared/data/real is absent";
  auto table = ParseExport("l.csv", Read(dir / "landt/SINTEF__LiGrR2032__2024-04-30__25degC__Landt.csv"));
  auto bdf = ParseExport("l.bdf.csv", Read(dir / "bdf/SINTEF__LiGrR2032__2024-04-30__25degC__Landt.bdf.csv"));
  ASSERT_TRUE(table.ok()) << table.status();
  ASSERT_TRUE(bdf.ok()) << bdf.status();
  EXPECT_EQ(table->format, Format::kTable);
  ASSERT_EQ(table->rows(), bdf->rows());
  for (const char* column : {"test_time_second", "voltage_volt", "current_ampere", "step_index",
                             "charging_capacity_ampere_hour", "discharging_capacity_ampere_hour"}) {
    SCOPED_TRACE(column);
    const SeriesColumn* a = table->Find(column);
    const SeriesColumn* b = bdf->Find(column);
    ASSERT_NE(a, nullptr);
    ASSERT_NE(b, nullptr);
    EXPECT_EQ(a->values, b->values);
  }
  EXPECT_EQ(table->Find("unix_time_second")->values[0], 1714487599);  // 04/30/2024 14:33:19
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
