// Workbooks: the record sheet is found and read like a text export of the
// same layout; mangled workbooks are refused without a crash.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <cstring>
#include <random>
#include <sstream>

#include "parsers/parse_export.h"
#include "parsers/spreadsheet.h"
#include "tests/parsers/test_files.h"

namespace batteryhub::parsers {
namespace {

namespace fs = std::filesystem;



TEST(SpreadsheetTest, ExcelDatesAsText) {
  EXPECT_EQ(ExcelDateText(45301.5, false), "2024-01-10 12:00:00.000");
  EXPECT_EQ(ExcelDateText(1.25, true), "1904-01-02 06:00:00.000");
}

TEST(SpreadsheetTest, TheRecordSheetOfAWorkbookIsRead) {
  auto sheets = ReadXlsx("wb.xlsx", Fixture("arbin_channel.xlsx"));
  ASSERT_TRUE(sheets.ok()) << sheets.status();
  ASSERT_EQ(sheets->size(), 2u);
  EXPECT_EQ((*sheets)[0].name, "Global_Info");
  EXPECT_EQ((*sheets)[0].text, "\tTEST REPORT\t\tmade by batteryhub tests\n");  // B1 and D1
  auto s = ParseExport("wb.xlsx", Fixture("arbin_channel.xlsx"));
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->metadata.at("spreadsheet.sheet"), "Channel_1_1");
  EXPECT_EQ(s->Find("unix_time_second")->values, (std::vector<double>{1704888000, 1704888001}));
  EXPECT_EQ(s->Find("current_ampere")->values, (std::vector<double>{0, 0.5}));
  EXPECT_EQ(s->Find("charging_capacity_ampere_hour")->values[1], 0.000138888888888889);
}

TEST(SpreadsheetTest, Biff8WorkbooksAreReadLikeTheirTextExports) {
  auto sheets = ReadXls("wb.xls", Fixture("neware_detail.xls"));
  ASSERT_TRUE(sheets.ok()) << sheets.status();
  ASSERT_EQ(sheets->size(), 2u);
  EXPECT_EQ((*sheets)[0].text, "Testing Information\n");  // a string split by CONTINUE
  EXPECT_EQ((*sheets)[1].text.substr(0, 53),
            "Record Index\tStatus\tCur(mA)\tVoltage(V)\tAbsolute Time\n");
  auto s = ParseExport("wb.xls", Fixture("neware_detail.xls"));
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->metadata.at("spreadsheet.sheet"), "Detail_14_1_3");
  EXPECT_EQ(s->Find("voltage_volt")->values, (std::vector<double>{3.5, 3.6, 3.71}));  // MULRK
  EXPECT_EQ(s->Find("current_ampere")->values, (std::vector<double>{0, 0.00025, 0.00025}));
  // Absolute Time (a date format; the last one a formula's cached value)
  // gives the test time.
  EXPECT_EQ(s->Find("test_time_second")->values, (std::vector<double>{0, 1, 2}));
  EXPECT_EQ(s->Find("unix_time_second")->values[0], 1704888000);
}

TEST(SpreadsheetTest, MangledBiff8NeverCrashes) {
  const std::string original = Fixture("neware_detail.xls");
  ASSERT_FALSE(original.empty());
  std::mt19937 rng(12);
  for (size_t n = 0; n < original.size(); n += 13) {
    auto s = ParseExport("cut.xls", original.substr(0, n));
    if (!s.ok()) {
      ASSERT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument) << s.status();
    }
  }
  for (int i = 0; i < 3000; ++i) {
    std::string b = original;
    for (int e = 0; e < 1 + static_cast<int>(rng() % 4); ++e) {
      const size_t at = 8 + rng() % (b.size() - 8);
      if (rng() % 3 == 0 && at + 4 <= b.size()) {
        const uint32_t v = rng() % 2 ? 0xFFFFFFF0u : rng();
        std::memcpy(&b[at], &v, 4);
      } else {
        b[at] = static_cast<char>(rng());
      }
    }
    auto s = ParseExport("mangled.xls", b);
    if (!s.ok()) {
      ASSERT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument) << s.status();
      continue;
    }
    for (const SeriesColumn& c : s->columns) ASSERT_EQ(c.values.size(), s->rows());
  }
}

TEST(SpreadsheetTest, ABrokenContainerIsRefusedByName) {
  auto s = ParseExport("info.xlsx", std::string("PK\x03\x04") + "garbage xl/workbook");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("not a readable ZIP container"), std::string::npos)
      << s.status();
}

TEST(SpreadsheetTest, TruncatedAndMangledWorkbooksNeverCrash) {
  const std::string original = Fixture("arbin_channel.xlsx");
  ASSERT_FALSE(original.empty());
  std::mt19937 rng(11);
  for (size_t n = 0; n < original.size(); n += 7) ExpectSane(ParseExport("cut.xlsx", original.substr(0, n)));
  for (int i = 0; i < 1500; ++i) {
    std::string b = original;
    for (int e = 0; e < 1 + static_cast<int>(rng() % 3); ++e) {
      b[4 + rng() % (b.size() - 4)] = static_cast<char>(rng());  // keep the ZIP magic
    }
    ExpectSane(ParseExport("mangled.xlsx", b));
  }
}


TEST(SpreadsheetTest, VendorWorkbooksOfTheDevSet) {
  const fs::path dir = RealDataDir();
  if (dir.empty()) GTEST_SKIP() << "../shared/data/real is absent";
  auto arbin = ParseExport("a.xlsx", Read(dir / "arbin/bs542_004_gr_li_50ua_50mv_1v_191020_Channel_11.xlsx"));
  ASSERT_TRUE(arbin.ok()) << arbin.status();
  EXPECT_EQ(arbin->metadata.at("spreadsheet.sheet"), "Channel_11_1");
  EXPECT_EQ(arbin->rows(), 4526u);
  // Row 2 of the sheet: 44123.480400253473 (10/19/2020 11:31:46.582), 1.001 s, 2.637298583984375 V.
  EXPECT_EQ(arbin->Find("unix_time_second")->values[0], 1603107106.582);
  EXPECT_EQ(arbin->Find("test_time_second")->values[0], 1.001);
  EXPECT_EQ(arbin->Find("voltage_volt")->values[0], 2.637298583984375);
  auto landt = ParseExport("l.xlsx", Read(dir / "landt/custom_data_002.xlsx"));
  ASSERT_TRUE(landt.ok()) << landt.status();
  EXPECT_EQ(landt->metadata.at("spreadsheet.sheet"), "Record-Tab");
  EXPECT_EQ(landt->rows(), 16538u);
  EXPECT_EQ(landt->Find("voltage_volt")->values[0], 2.81529);  // "2.8152900000000001"
  auto neware = ParseExport("n.xls", Read(dir / "neware/custom_data_003.xls"));
  ASSERT_TRUE(neware.ok()) << neware.status();
  EXPECT_EQ(neware->metadata.at("spreadsheet.sheet"), "Detail_14_1_3");
  EXPECT_EQ(neware->rows(), 2943u);
  // Record 2: Cur(mA) 0, Voltage(V) 2.3316, Absolute Time 2021-05-20 23:37:54.
  EXPECT_EQ(neware->Find("voltage_volt")->values[1], 2.3316);
  EXPECT_EQ(neware->Find("test_time_second")->values[1], 96);
}

}  // namespace
}  // namespace batteryhub::parsers
