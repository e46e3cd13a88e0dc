// Min/max decimation against brute force on random series: every point
// kept is a point of the input, the extremes of every bucket survive, at
// most two points a bucket, in x order; small windows come back whole.
#include "core/series_decimation.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <set>

namespace batteryhub {
namespace {

TEST(MinMaxDecimatorTest, KeepsEachBucketsExtremesAndOnlyInputPoints) {
  std::mt19937 rng(11);
  for (int round = 0; round < 200; ++round) {
    const int buckets = 1 + static_cast<int>(rng() % 60);
    const int n = static_cast<int>(rng() % 2000);
    const double x0 = -5.0 + (rng() % 10), x1 = x0 + 1 + (rng() % 100);
    std::vector<std::pair<double, double>> points;
    std::uniform_real_distribution<double> u(x0 - 2, x1 + 2), v(-1, 1);
    for (int i = 0; i < n; ++i) {
      double y = v(rng);
      if (rng() % 97 == 0) y = 1e6;         // a spike
      if (rng() % 89 == 0) y = std::nan("");  // a gap
      points.push_back({u(rng), y});
    }
    if (rng() % 2) std::sort(points.begin(), points.end());
    MinMaxDecimator d(x0, x1, buckets);
    for (auto [x, y] : points) d.Add(x, y);
    std::vector<double> xs, ys;
    d.Points(&xs, &ys);
    ASSERT_EQ(xs.size(), ys.size());
    ASSERT_TRUE(std::is_sorted(xs.begin(), xs.end()));
    std::set<std::pair<double, double>> input;
    std::vector<double> lo(buckets, INFINITY), hi(buckets, -INFINITY);
    int64_t inside = 0;
    for (auto [x, y] : points) {
      if (std::isnan(y) || x < x0 || x > x1) continue;
      ++inside;
      input.insert({x, y});
      const int b = std::min(buckets - 1, static_cast<int>((x - x0) * buckets / (x1 - x0)));
      lo[b] = std::min(lo[b], y), hi[b] = std::max(hi[b], y);
    }
    EXPECT_EQ(d.count(), inside);
    for (size_t i = 0; i < xs.size(); ++i) EXPECT_TRUE(input.count({xs[i], ys[i]}));
    if (inside <= 2 * buckets) {
      EXPECT_FALSE(d.decimated());
      EXPECT_EQ(static_cast<int64_t>(xs.size()), inside);
      continue;
    }
    EXPECT_TRUE(d.decimated());
    EXPECT_LE(xs.size(), static_cast<size_t>(2 * buckets));
    std::multiset<double> kept(ys.begin(), ys.end());
    for (int b = 0; b < buckets; ++b) {
      if (lo[b] == INFINITY) continue;
      EXPECT_TRUE(kept.count(lo[b])) << "bucket " << b << " lost its minimum";
      EXPECT_TRUE(kept.count(hi[b])) << "bucket " << b << " lost its maximum";
    }
  }
}

// AddMany is Add in a loop, and so is a Merge of two halves, whatever the
// input: sorted or shuffled x,
// NaN in either coordinate, points outside the window, ties, calls split
// anywhere.
TEST(MinMaxDecimatorTest, AddManyEqualsAddOneAtATime) {
  std::mt19937 rng(5);
  for (int round = 0; round < 300; ++round) {
    const int buckets = 1 + static_cast<int>(rng() % 50);
    const size_t n = rng() % 3000;
    const bool sorted = rng() % 2 == 0;
    std::vector<double> x(n), y(n);
    for (size_t i = 0; i < n; ++i) {
      x[i] = sorted ? static_cast<double>(i) / 10 : static_cast<double>(rng() % 400) / 1.3;
      y[i] = static_cast<double>(rng() % 7);  // ties on purpose
      if (rng() % 50 == 0) x[i] = NAN;
      if (rng() % 50 == 0) y[i] = NAN;
    }
    const double x0 = static_cast<double>(rng() % 50), x1 = x0 + static_cast<double>(rng() % 300);
    MinMaxDecimator one(x0, x1, buckets), many(x0, x1, buckets), head(x0, x1, buckets),
        tail(x0, x1, buckets);
    for (size_t i = 0; i < n; ++i) one.Add(x[i], y[i]);
    for (size_t from = 0; from < n;) {
      const size_t len = std::min(n - from, static_cast<size_t>(1 + rng() % 700));
      many.AddMany(x.data() + from, y.data() + from, len);
      from += len;
    }
    // Two halves decimated apart, then merged (as PlotSeries does on two threads).
    const size_t split = n == 0 ? 0 : rng() % (n + 1);
    head.AddMany(x.data(), y.data(), split);
    tail.AddMany(x.data() + split, y.data() + split, n - split);
    head.Merge(tail);
    std::vector<double> ax, ay, bx, by, cx, cy;
    one.Points(&ax, &ay);
    many.Points(&bx, &by);
    head.Points(&cx, &cy);
    ASSERT_EQ(one.count(), many.count()) << "round " << round;
    ASSERT_EQ(one.decimated(), many.decimated()) << "round " << round;
    ASSERT_EQ(ax, bx) << "round " << round;
    ASSERT_EQ(ay, by) << "round " << round;
    ASSERT_EQ(one.count(), head.count()) << "round " << round;
    ASSERT_EQ(one.decimated(), head.decimated()) << "round " << round;
    ASSERT_EQ(ax, cx) << "round " << round << " split " << split;
    ASSERT_EQ(ay, cy) << "round " << round << " split " << split;
  }
}

}  // namespace
}  // namespace batteryhub
