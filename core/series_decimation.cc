#include "core/series_decimation.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace batteryhub {

MinMaxDecimator::MinMaxDecimator(double x_start, double x_end, int buckets)
    : x_start_(x_start),
      x_end_(x_end),
      scale_(x_end > x_start ? buckets / (x_end - x_start) : 0),
      buckets_(std::max(1, buckets)),
      whole_limit_(2 * static_cast<size_t>(std::max(1, buckets))),
      bucket_(static_cast<size_t>(std::max(1, buckets))) {}

void MinMaxDecimator::Add(double x, double y) {
  if (std::isnan(x) || std::isnan(y) || x < x_start_ || x > x_end_) return;
  const int64_t order = count_++;
  if (whole_x_.size() <= whole_limit_) {
    whole_x_.push_back(x);
    whole_y_.push_back(y);
  }
  const int64_t i = std::min<int64_t>(buckets_ - 1, static_cast<int64_t>((x - x_start_) * scale_));
  Bucket& b = bucket_[static_cast<size_t>(std::max<int64_t>(0, i))];
  if (b.min_order < 0 || y < b.min_y) b.min_order = order, b.min_x = x, b.min_y = y;
  if (b.max_order < 0 || y > b.max_y) b.max_order = order, b.max_x = x, b.max_y = y;
}

void MinMaxDecimator::AddMany(const double* x, const double* y, size_t n) {
  size_t i = 0;
  // While the points may still be kept whole, one at a time.
  for (; i < n && whole_x_.size() <= whole_limit_; ++i) Add(x[i], y[i]);
  const double x0 = x_start_, x1 = x_end_, scale = scale_;
  const int64_t last = buckets_ - 1;
  auto accepted = [&](size_t k) { return x[k] >= x0 && x[k] <= x1 && !std::isnan(y[k]); };
  auto bucket_of = [&](size_t k) {
    return std::min<int64_t>(last, static_cast<int64_t>((x[k] - x0) * scale));
  };
  int64_t order = count_;
  while (i < n) {
    if (!accepted(i)) {  // NaN x fails both comparisons too
      ++i;
      continue;
    }
    // A run of accepted points in one bucket (x in order makes runs long):
    // its minimum and maximum, the first of equals, then one bucket update.
    const int64_t k = bucket_of(i);
    double lo = y[i], hi = y[i];
    size_t at_lo = i, at_hi = i, j = i + 1;
    for (; j < n && accepted(j) && bucket_of(j) == k; ++j) {
      const double v = y[j];
      if (v < lo) lo = v, at_lo = j;
      if (v > hi) hi = v, at_hi = j;
    }
    Bucket& b = bucket_[static_cast<size_t>(k)];
    const int64_t order_lo = order + static_cast<int64_t>(at_lo - i);
    const int64_t order_hi = order + static_cast<int64_t>(at_hi - i);
    if (b.min_order < 0 || lo < b.min_y) b.min_order = order_lo, b.min_x = x[at_lo], b.min_y = lo;
    if (b.max_order < 0 || hi > b.max_y) b.max_order = order_hi, b.max_x = x[at_hi], b.max_y = hi;
    order += static_cast<int64_t>(j - i);
    i = j;
  }
  count_ = order;
}

void MinMaxDecimator::Merge(const MinMaxDecimator& later) {
  const int64_t offset = count_;
  for (size_t k = 0; k < bucket_.size() && k < later.bucket_.size(); ++k) {
    const Bucket& o = later.bucket_[k];
    if (o.min_order < 0) continue;
    Bucket& b = bucket_[k];
    // Strictly smaller or larger: on a tie the earlier point stays, as in Add.
    if (b.min_order < 0 || o.min_y < b.min_y) b.min_order = o.min_order + offset, b.min_x = o.min_x, b.min_y = o.min_y;
    if (b.max_order < 0 || o.max_y > b.max_y) b.max_order = o.max_order + offset, b.max_x = o.max_x, b.max_y = o.max_y;
  }
  // Kept whole: every point of both while there are few enough (then each
  // side holds all of its own).
  for (size_t i = 0; i < later.whole_x_.size() && whole_x_.size() <= whole_limit_; ++i) {
    whole_x_.push_back(later.whole_x_[i]);
    whole_y_.push_back(later.whole_y_[i]);
  }
  count_ += later.count_;
}

void MinMaxDecimator::Points(std::vector<double>* x, std::vector<double>* y) const {
  x->clear();
  y->clear();
  if (!decimated()) {
    // Whole: in x order, stable for equal x.
    std::vector<size_t> order(whole_x_.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return whole_x_[a] < whole_x_[b]; });
    for (size_t i : order) x->push_back(whole_x_[i]), y->push_back(whole_y_[i]);
    return;
  }
  for (const Bucket& b : bucket_) {
    if (b.min_order < 0) continue;
    const bool min_first = b.min_x < b.max_x || (b.min_x == b.max_x && b.min_order <= b.max_order);
    if (b.min_order == b.max_order) {
      x->push_back(b.min_x), y->push_back(b.min_y);
    } else if (min_first) {
      x->push_back(b.min_x), y->push_back(b.min_y);
      x->push_back(b.max_x), y->push_back(b.max_y);
    } else {
      x->push_back(b.max_x), y->push_back(b.max_y);
      x->push_back(b.min_x), y->push_back(b.min_y);
    }
  }
}

}  // namespace batteryhub
