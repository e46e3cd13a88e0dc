// Tables read by their header vocabulary: the header term splitter, and a
// generative check — random spellings of the quantities and units real
// exports use, random separators, preambles and unit scales — that the
// values come out in BDF units, or the file is refused naming what is
// missing.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "parsers/named_columns.h"
#include "parsers/parse_export.h"
#include "parsers/text_file.h"

namespace batteryhub::parsers {
namespace {

TEST(NamedColumnsTest, SplitsTheUnitFormsExportsUse) {
  struct Case {
    const char* header;
    const char* quantity;
    const char* unit;
  } cases[] = {
      {"Test_Time(s)", "test time", "s"},
      {"Test Time (s)", "test time", "s"},
      {"TestTime/Sec", "testtime", "Sec"},
      {"Voltage [V]", "voltage", "V"},
      {"current_A", "current", "A"},
      {"test_time_s", "test time", "s"},
      {"Current/mA", "current", "mA"},
      {"discharge_capacity_Ah", "discharge capacity", "Ah"},
      {"Cycle-Index", "cycle-index", ""},
      {"SysTime", "systime", ""},
      {"Voltage", "voltage", ""},
      {"  Charge Energy (mWh) ", "charge energy", "mWh"},
      {"Step_Index", "step index", ""},  // "index" is no unit
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.header);
    HeaderTerm t = SplitHeaderTerm(c.header);
    EXPECT_EQ(t.quantity, c.quantity);
    EXPECT_EQ(t.unit, c.unit);
  }
}

struct Spelling {
  const char* quantity;
  const char* unit;
  double to_bdf;  // factor from the file's unit to the BDF unit
};

std::string Header(std::mt19937& rng, const Spelling& s) {
  switch (rng() % 4) {
    case 0: return absl::StrCat(s.quantity, " (", s.unit, ")");
    case 1: return absl::StrCat(s.quantity, "(", s.unit, ")");
    case 2: return absl::StrCat(s.quantity, "/", s.unit);
    default: return absl::StrCat(s.quantity, " [", s.unit, "]");
  }
}

TEST(NamedColumnsTest, RandomSpellingsAndUnitsComeOutInBdfUnits) {
  const Spelling times[] = {{"Test Time", "s", 1}, {"TestTime", "Sec", 1}, {"Total Time", "h", 3600},
                            {"Elapsed time", "min", 60}, {"test_time", "ms", 1e-3}};
  const Spelling volts[] = {{"Voltage", "V", 1}, {"Cell Voltage", "mV", 1e-3}, {"Potential", "V", 1}};
  const Spelling amps[] = {{"Current", "A", 1}, {"Current", "mA", 1e-3}, {"Amps", "uA", 1e-6}};
  const Spelling caps[] = {{"Charge Capacity", "mAh", 1e-3}, {"Chg Capacity", "Ah", 1}};
  std::mt19937 rng(42);
  for (int round = 0; round < 300; ++round) {
    SCOPED_TRACE(round);
    const char sep = ",;\t"[rng() % 3];
    const Spelling& t = times[rng() % 5];
    const Spelling& v = volts[rng() % 3];
    const Spelling& i = amps[rng() % 3];
    const Spelling& q = caps[rng() % 2];
    std::vector<std::pair<const Spelling*, std::string>> columns = {
        {&t, Header(rng, t)}, {&v, Header(rng, v)}, {&i, Header(rng, i)}, {&q, Header(rng, q)}};
    std::shuffle(columns.begin(), columns.end(), rng);
    std::vector<std::string> names;
    for (auto& c : columns) names.push_back(c.second);
    names.push_back("Comment");  // a column nobody maps
    std::string file;
    const int preamble = rng() % 4;
    for (int p = 0; p < preamble; ++p) {
      file += absl::StrCat("Operator", std::string(1, sep), "someone", p, "\n");
    }
    file += absl::StrJoin(names, std::string(1, sep)) + "\n";
    const int rows = 1 + rng() % 20;
    std::vector<std::vector<double>> written(columns.size());
    for (int r = 0; r < rows; ++r) {
      std::vector<std::string> cells;
      for (size_t c = 0; c < columns.size(); ++c) {
        const double value = static_cast<int>(rng() % 20001) - 10000;  // exact in any decimal
        written[c].push_back(value / 8);
        cells.push_back(absl::StrFormat("%.3f", value / 8));
      }
      cells.push_back("x");
      file += absl::StrJoin(cells, std::string(1, sep)) + "\n";
    }
    auto s = ParseExport("gen.txt", file);
    ASSERT_TRUE(s.ok()) << s.status() << "\n" << file;
    ASSERT_EQ(s->rows(), static_cast<size_t>(rows));
    for (size_t c = 0; c < columns.size(); ++c) {
      const Spelling& sp = *columns[c].first;
      const char* bdf = &sp == &t   ? "test_time_second"
                        : &sp == &v ? "voltage_volt"
                        : &sp == &i ? "current_ampere"
                                    : "charging_capacity_ampere_hour";
      const SeriesColumn* col = s->Find(bdf);
      ASSERT_NE(col, nullptr) << bdf << "\n" << file;
      for (int r = 0; r < rows; ++r) {
        const double want = written[c][r] * sp.to_bdf;
        EXPECT_NEAR(col->values[r], want, std::fabs(want) * 1e-12) << bdf;
      }
    }
  }
}

TEST(NamedColumnsTest, MissingOrUnknownUnitsAreNamed) {
  auto s = ParseExport("nounit.csv", "time,voltage,current\n1,3.5,0.1\n");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("gives no unit this reader knows for time, voltage, current"),
            std::string::npos) << s.status();
  s = ParseExport("furlong.csv", "Time (s),Voltage (V),Current (furlongs)\n1,3.5,0.1\n");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("Current (furlongs)"), std::string::npos) << s.status();
  // An optional column with an unknown unit is left out, and said so.
  s = ParseExport("aux.csv", "Time (s),Voltage (V),Current (A),AuxTemp/dC.\n1,3.5,0.1,25\n");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->metadata.at("batteryhub.left_out"),
            "columns with a unit this reader does not know were left out: AuxTemp/dC.");
}

TEST(NamedColumnsTest, ARowWithMoreFieldsThanNamesIsAnErrorNeverAShift) {
  auto s = ParseExport("shift.csv", "Time (s),Voltage (V),Current (A)\n1,3.5,0.1\n2,3.6,7,0.2\n");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("shift.csv:3: row has 4 fields but the header (line 1) names 3"),
            std::string::npos) << s.status();
  // Trailing delimiters and records of delimiters only are not fields.
  s = ParseExport("trail.csv", "Time (s);Voltage (V);Current (A);;\n1;3,5;0,1;;\n;;;;\n2;3,6;0,2;\n;;;;;\n");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->Find("voltage_volt")->values, (std::vector<double>{3.5, 3.6}));
}

TEST(NamedColumnsTest, TheClockAndDateFormsExportsUse) {
  const std::pair<const char*, double> cases[] = {
      {"01/05/2024 15:04:05", 1704467045},       {"1/5/2024 3:04:05 PM", 1704467045},
      {"2024-01-05 3:04:05 PM", 1704467045},     {"05-Jan-2024 15:04:05", 1704467045},
      {"5-Jan-24 3:04:05 PM", 1704467045},       {"Jan 5, 2024 3:04:05 PM", 1704467045},
      {"05.01.2024 15:04:05", 1704467045},       {"2024/1/5 15:04:05", 1704467045},
      {"2024-01-05T15:04:05Z", 1704467045},      {"2024-01-06T00:04:05+09:00", 1704467045},
      {"2024-01-05 15:04:05.25", 1704467045.25}, {"2024-01-05", 1704412800},
  };
  for (const auto& [text, want] : cases) {
    SCOPED_TRACE(text);
    std::optional<double> got = ParseTimestamp(text);
    ASSERT_TRUE(got.has_value());
    EXPECT_DOUBLE_EQ(*got, want);
  }
  EXPECT_FALSE(ParseTimestamp("yesterday at noon").has_value());
  // A column whose times give their offset is left alone by --timezone.
  auto s = ParseExport("iso.csv", "Time (s),Voltage (V),Current (A),Timestamp\n"
                                  "0,3.5,0,2024-01-06T00:04:05+09:00\n");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->Find("unix_time_second")->source_unit, "datetime with UTC offset");
}

TEST(NamedColumnsTest, AStrayNulIsNotBinaryManyAre) {
  std::string text = "Time (s),Voltage (V),Current (A)\n0,3.5,0\n1,3.6,0\n";
  text.push_back('\0');  // as the Horiba export of the dev set ends
  auto s = ParseExport("nul.csv", text);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->rows(), 2u);
  std::string binary = text + std::string(64, '\0');
  s = ParseExport("bin.csv", binary);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("binary content"), std::string::npos) << s.status();
}

TEST(NamedColumnsTest, ExcelSerialDatesAndDurations) {
  auto s = ParseExport("landt.csv",
                       "Record,TestTime/Sec,Current/mA,Voltage/V,SysTime\n"
                       "1,0,0,2.8,44252.5\n"
                       "2,1.5,-0.25,2.79,44252.50001157407\n");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->format, Format::kTable);
  EXPECT_EQ(s->Find("unix_time_second")->values,
            (std::vector<double>{1614254400, 1614254401}));  // 2021-02-25 12:00:00 UTC
  EXPECT_EQ(s->Find("current_ampere")->values, (std::vector<double>{0, -0.00025}));
  s = ParseExport("dur.csv", "Total Time (s),Voltage (V),Current (A)\n00:00:01,3.5,0\n1:02:03.5,3.6,0\n");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->Find("test_time_second")->values, (std::vector<double>{1, 3723.5}));
}

}  // namespace
}  // namespace batteryhub::parsers
