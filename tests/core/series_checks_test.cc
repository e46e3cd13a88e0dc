// SeriesChecker: each check fires on the rows it describes and on no
// others; and, generatively, feeding a random series in random pieces gives
// exactly the findings of feeding it whole.
#include "core/series_checks.h"

#include <gtest/gtest.h>

#include <random>

namespace batteryhub {
namespace {

struct Series {
  std::vector<double> t, v, i, qin, qout;
  void Add(double time, double volt, double amp, double in = 0, double out = 0) {
    t.push_back(time);
    v.push_back(volt);
    i.push_back(amp);
    qin.push_back(in);
    qout.push_back(out);
  }
  CheckRows Rows(size_t from, size_t n) const {
    return {static_cast<int64_t>(from), n, t.data() + from, v.data() + from, i.data() + from,
            qin.data() + from, qout.data() + from};
  }
};

std::vector<v1::SeriesFinding> Check(const Series& s) {
  SeriesChecker c;
  c.Feed(s.Rows(0, s.t.size()));
  return c.Findings();
}

const v1::SeriesFinding* Find(const std::vector<v1::SeriesFinding>& f, const std::string& check) {
  for (const auto& x : f) {
    if (x.check() == check) return &x;
  }
  return nullptr;
}

TEST(SeriesChecksTest, ACleanSeriesHasNoFindings) {
  Series s;
  for (int k = 0; k < 100; ++k) s.Add(k, 3.0 + k * 0.01, 0.5, k * 0.5 / 3600, 0);
  EXPECT_TRUE(Check(s).empty());
}

TEST(SeriesChecksTest, EachCheckFiresWhereItShould) {
  Series s;
  s.Add(0, 3.5, 0);
  s.Add(10, 3.6, 1, 0.001, 0);
  s.Add(5, 3.6, 1, 0.002, 0);       // row 2: time back
  s.Add(5, 3.6, 1, 0.002, 0);       // row 3: duplicate
  s.Add(5, 3.7, 1, 0.002, 0);       // row 4: same time, other values
  s.Add(200000, 3.7, 1, 0.003, 0);  // row 5: gap of more than a day
  s.Add(200001, 3.7, -1, 0.004, 0); // row 6: charge grows under negative current
  s.Add(200002, 12, -1, 0.004, 0);  // row 7: not a single cell
  s.Add(200003, 2000, 20000, 0.004, 0);  // row 8: beyond any cell or channel
  const auto f = Check(s);
  const std::pair<const char*, int64_t> want[] = {
      {"time-backwards", 2}, {"duplicate-row", 3}, {"same-time", 4}, {"time-gap", 5},
      {"current-sign", 6},   {"voltage-cell-range", 7}, {"voltage-range", 8}, {"current-range", 8}};
  for (const auto& [check, row] : want) {
    SCOPED_TRACE(check);
    const v1::SeriesFinding* x = Find(f, check);
    ASSERT_NE(x, nullptr);
    EXPECT_EQ(x->first_row(), row);
    EXPECT_EQ(x->row_count(), 1);
  }
  EXPECT_EQ(f.size(), 8u);
  EXPECT_EQ(f[0].severity(), v1::FINDING_SEVERITY_ERROR);  // most severe first
  EXPECT_TRUE(SeriesChecker::HasError(f));
}

TEST(SeriesChecksTest, MillivoltsUnderAVoltLabel) {
  Series s;
  for (int k = 0; k < 10; ++k) s.Add(k, 3000 + k, 0.1);
  const auto f = Check(s);
  const v1::SeriesFinding* x = Find(f, "millivolts");
  ASSERT_NE(x, nullptr);
  EXPECT_EQ(x->row_count(), 10);
  EXPECT_EQ(x->severity(), v1::FINDING_SEVERITY_ERROR);
  EXPECT_EQ(Find(f, "voltage-range"), nullptr);  // 3 kV is possible for nothing, but one finding says it
}

TEST(SeriesChecksTest, AFirstRunOfRowsIsOneRangeLaterOnesOnlyCount) {
  Series s;
  s.Add(0, 3.5, 0);
  for (int k = 0; k < 3; ++k) s.Add(0, 3.5, 0);  // rows 1-3 repeat row 0
  s.Add(1, 3.5, 0);
  s.Add(1, 3.5, 0);  // row 5 again
  const auto findings = Check(s);
  const v1::SeriesFinding* x = Find(findings, "duplicate-row");
  ASSERT_NE(x, nullptr);
  EXPECT_EQ(x->first_row(), 1);
  EXPECT_EQ(x->last_row(), 3);
  EXPECT_EQ(x->row_count(), 4);
}

TEST(SeriesChecksTest, PiecesGiveTheFindingsOfTheWhole) {
  std::mt19937 rng(5);
  for (int round = 0; round < 200; ++round) {
    Series s;
    const int n = 1 + rng() % 300;
    double t = 0, qin = 0, qout = 0;
    for (int k = 0; k < n; ++k) {
      const int event = rng() % 20;
      t += event == 0 ? -5.0 : event == 1 ? 0.0 : event == 2 ? 90000.0 : 1.0;
      const double amp = event == 3 ? 50000 : (rng() % 3) - 1.0;
      if (event == 4) qin += 0.01;
      if (event == 5) qout += 0.01;
      s.Add(t, event == 6 ? 4000 : 3.5, amp, qin, qout);
    }
    SeriesChecker whole;
    whole.Feed(s.Rows(0, s.t.size()));
    SeriesChecker pieces;
    for (size_t from = 0; from < s.t.size();) {
      const size_t len = std::min<size_t>(s.t.size() - from, rng() % 40);
      pieces.Feed(s.Rows(from, len));
      pieces = SeriesChecker(pieces.state());  // as if saved and loaded between chunks
      from += len;
    }
    const auto a = whole.Findings(), b = pieces.Findings();
    ASSERT_EQ(a.size(), b.size()) << round;
    for (size_t k = 0; k < a.size(); ++k) {
      EXPECT_EQ(a[k].SerializeAsString(), b[k].SerializeAsString()) << round << " " << a[k].check();
    }
  }
}

}  // namespace
}  // namespace batteryhub
