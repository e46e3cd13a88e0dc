// Min/max decimation of a series for plotting: the x window is cut into
// equal buckets and each bucket keeps the points of its minimum and its
// maximum (in x order), so a spike of one row survives however many rows a
// pixel holds. While the window has at most 2 x buckets points they are kept
// whole instead.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace batteryhub {

class MinMaxDecimator {
 public:
  // Buckets over [x_start, x_end] (x_start < x_end, or equal for a single x).
  MinMaxDecimator(double x_start, double x_end, int buckets);

  // A point; outside the window or NaN in either coordinate is ignored.
  void Add(double x, double y);
  // Add(x[i], y[i]) for every i < n, in order (the loop a plot runs over
  // millions of rows, kept in this file's tight form).
  void AddMany(const double* x, const double* y, size_t n);

  // Adds the points of `later` (same window and buckets), all of which came
  // after this one's: the same state as if they had been added here.
  void Merge(const MinMaxDecimator& later);

  // Points added inside the window.
  int64_t count() const { return count_; }
  // True when the points are decimated (more than 2 x buckets of them).
  bool decimated() const { return count_ > static_cast<int64_t>(whole_limit_); }
  // The plotted points, in x order (ties in arrival order).
  void Points(std::vector<double>* x, std::vector<double>* y) const;

 private:
  struct Bucket {
    int64_t min_order = -1, max_order = -1;
    double min_x = 0, min_y = 0, max_x = 0, max_y = 0;
  };
  double x_start_, x_end_, scale_;
  int buckets_;
  size_t whole_limit_;
  int64_t count_ = 0;
  std::vector<Bucket> bucket_;
  std::vector<double> whole_x_, whole_y_;
};

}  // namespace batteryhub
