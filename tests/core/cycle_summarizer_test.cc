#include "core/cycle_summarizer.h"

#include <gtest/gtest.h>

#include <cmath>

namespace batteryhub {
namespace {

// Three cycles of 1 h charge at +1 A (3.7 V) then discharge at -0.9, -0.85,
// -0.7 A for 1 h (3.5 V), sampled every 60 s.
struct Synthetic {
  std::vector<double> t, i, v;
  Synthetic() {
    const double discharge[] = {0.9, 0.85, 0.7};
    double time = 0;
    for (double d : discharge) {
      for (int k = 0; k < 60; ++k, time += 60) Add(time, 1.0, 3.7);
      for (int k = 0; k < 60; ++k, time += 60) Add(time, -d, 3.5);
    }
  }
  void Add(double time, double current, double voltage) {
    t.push_back(time);
    i.push_back(current);
    v.push_back(voltage);
  }
  SeriesRows Rows(size_t from, size_t to) const {
    return SeriesRows{static_cast<int64_t>(from), to - from, t.data() + from, i.data() + from,
                      v.data() + from, nullptr, nullptr};
  }
};

std::vector<v1::CycleSummary> All(const Synthetic& s, const std::vector<size_t>& cuts) {
  CycleSummarizer summarizer;
  std::vector<v1::CycleSummary> cycles;
  size_t from = 0;
  for (size_t cut : cuts) {
    summarizer.Feed(s.Rows(from, cut), &cycles);
    // Continue from the saved state, as an append after a restart does.
    summarizer = CycleSummarizer(summarizer.state());
    from = cut;
  }
  cycles.push_back(summarizer.OpenCycle());
  return cycles;
}

TEST(CycleSummarizerTest, CoulombCountsEachDerivedCycle) {
  Synthetic s;
  std::vector<v1::CycleSummary> cycles = All(s, {s.t.size()});
  ASSERT_EQ(cycles.size(), 3u);
  EXPECT_EQ(cycles[0].cycle(), 1);
  EXPECT_EQ(cycles[0].row_count(), 120);
  EXPECT_EQ(cycles[1].first_row(), 120);
  // 59 charge intervals of 60 s at 1 A plus half of the step interval.
  EXPECT_NEAR(cycles[0].charge_capacity_ampere_hour(), 59.0 / 60, 0.01);
  EXPECT_NEAR(cycles[1].discharge_capacity_ampere_hour(), 0.85 * 59.5 / 60, 0.01);
  EXPECT_NEAR(cycles[0].mean_charge_voltage_volt(), 3.7, 0.02);
  EXPECT_NEAR(cycles[2].coulombic_efficiency(),
              cycles[2].discharge_capacity_ampere_hour() / cycles[2].charge_capacity_ampere_hour(),
              1e-12);
}

TEST(CycleSummarizerTest, PiecewiseFeedingEqualsWholeFeeding) {
  Synthetic s;
  std::vector<v1::CycleSummary> whole = All(s, {s.t.size()});
  std::vector<v1::CycleSummary> pieces = All(s, {1, 7, 119, 120, 121, 250, s.t.size()});
  ASSERT_EQ(whole.size(), pieces.size());
  for (size_t k = 0; k < whole.size(); ++k) {
    EXPECT_EQ(whole[k].SerializeAsString(), pieces[k].SerializeAsString()) << k;
  }
}

TEST(CycleSummarizerTest, TestLevelFigures) {
  Synthetic s;
  v1::CellTestSummary summary = CycleSummarizer::TestSummary(All(s, {s.t.size()}));
  EXPECT_EQ(summary.cycle_count(), 3);
  EXPECT_EQ(summary.initial_discharge_capacity().unit(), "Ah");
  EXPECT_NEAR(summary.capacity_retention(), 0.7 / 0.9, 0.01);
  EXPECT_EQ(summary.cycles_to_80_percent(), 2);  // cycle 3 holds 78 % of cycle 1
  EXPECT_EQ(summary.derivation(), kSummaryDerivation);
}

TEST(CycleSummarizerTest, UsesTheFilesCycleColumnAndTemperature) {
  std::vector<double> t = {0, 1, 2, 3}, i = {1, 1, -1, -1}, v = {3, 3, 3, 3}, c = {0, 0, 5, 5},
                      temp = {25, 31, NAN, 28};
  CycleSummarizer summarizer;
  std::vector<v1::CycleSummary> closed;
  summarizer.Feed({0, 4, t.data(), i.data(), v.data(), c.data(), temp.data()}, &closed);
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_EQ(closed[0].cycle(), 0);
  EXPECT_EQ(closed[0].max_temperature_celsius(), 31);
  EXPECT_EQ(summarizer.OpenCycle().cycle(), 5);
  EXPECT_EQ(summarizer.OpenCycle().max_temperature_celsius(), 28);
}

}  // namespace
}  // namespace batteryhub
