#include "core/series_checks.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "absl/strings/str_cat.h"

namespace batteryhub {
namespace {

using v1::FindingSeverity;

// Bounds no cell, module or pack test reaches.
constexpr double kMaxAbsVoltage = 1000;   // V
constexpr double kMaxAbsCurrent = 10000;  // A
// A single cell: outside this a module or pack, or a wrong unit.
constexpr double kCellVoltageLow = -1, kCellVoltageHigh = 6;
// More than a day between two records.
constexpr double kLongGap = 86400;
// Capacity must move by more than this (Ah) to count against the sign.
constexpr double kCapacityStep = 1e-9;

}  // namespace

const char* SeverityName(FindingSeverity s) {
  switch (s) {
    case v1::FINDING_SEVERITY_ERROR: return "ERROR";
    case v1::FINDING_SEVERITY_WARNING: return "WARNING";
    case v1::FINDING_SEVERITY_INFO: return "INFO";
    default: return "UNSPECIFIED";
  }
}

void SeriesChecker::Note(const char* check, FindingSeverity severity, int64_t row,
                         std::string message) {
  for (v1::SeriesFinding& f : *state_.mutable_findings()) {
    if (f.check() != check) continue;
    f.set_row_count(f.row_count() + 1);
    // Extend the first occurrence while it runs on without a break.
    if (f.last_row() + 1 == row && f.row_count() == row - f.first_row() + 1) f.set_last_row(row);
    return;
  }
  v1::SeriesFinding* f = state_.add_findings();
  f->set_check(check);
  f->set_severity(severity);
  f->set_first_row(row);
  f->set_last_row(row);
  f->set_row_count(1);
  f->set_message(std::move(message));
}

void SeriesChecker::Feed(const CheckRows& rows) {
  if (!state_.has_previous() && state_.rows() == 0) {
    state_.set_min_voltage(std::numeric_limits<double>::infinity());
    state_.set_max_voltage(-std::numeric_limits<double>::infinity());
    state_.set_previous_time(std::numeric_limits<double>::quiet_NaN());
  }
  for (size_t i = 0; i < rows.count; ++i) {
    const int64_t row = rows.first_row + static_cast<int64_t>(i);
    const double t = rows.time[i], v = rows.voltage[i], a = rows.current[i];
    const double q_in = rows.charge_capacity ? rows.charge_capacity[i] : NAN;
    const double q_out = rows.discharge_capacity ? rows.discharge_capacity[i] : NAN;
    if (std::isfinite(v)) {
      state_.set_min_voltage(std::min(state_.min_voltage(), v));
      state_.set_max_voltage(std::max(state_.max_voltage(), v));
    }
    if (std::fabs(v) > kMaxAbsVoltage) {
      Note("voltage-range", v1::FINDING_SEVERITY_ERROR, row,
           absl::StrCat("voltage ", v, " V is beyond what any cell, module or pack reaches (",
                        kMaxAbsVoltage, " V): a wrong unit or a sensor fault"));
    } else if (v < kCellVoltageLow || v > kCellVoltageHigh) {
      Note("voltage-cell-range", v1::FINDING_SEVERITY_INFO, row,
           absl::StrCat("voltage ", v, " V is outside the range of a single cell (",
                        kCellVoltageLow, " to ", kCellVoltageHigh, " V): a module or pack?"));
    }
    if (std::fabs(a) > kMaxAbsCurrent) {
      Note("current-range", v1::FINDING_SEVERITY_ERROR, row,
           absl::StrCat("current ", a, " A is beyond what a cycler channel delivers (",
                        kMaxAbsCurrent, " A): a wrong unit?"));
    }
    if (state_.has_previous()) {
      const double dt = t - state_.previous_time();
      if (dt < 0) {
        Note("time-backwards", v1::FINDING_SEVERITY_WARNING, row,
             absl::StrCat("test time goes back from ", state_.previous_time(), " s to ", t,
                          " s (a reset, or files joined out of order)"));
      } else if (dt == 0 && v == state_.previous_voltage() && a == state_.previous_current()) {
        Note("duplicate-row", v1::FINDING_SEVERITY_INFO, row,
             "a row repeats the one before it (same time, voltage and current)");
      } else if (dt == 0) {
        Note("same-time", v1::FINDING_SEVERITY_INFO, row,
             "two rows with different values at the same test time");
      } else if (dt > kLongGap) {
        Note("time-gap", v1::FINDING_SEVERITY_WARNING, row,
             absl::StrCat("no record for ", dt / 3600, " h (from ", state_.previous_time(),
                          " s): an interruption, or time in the wrong unit"));
      }
      const double dq_in = q_in - state_.previous_charge();
      const double dq_out = q_out - state_.previous_discharge();
      if ((dq_in > kCapacityStep && a < 0) || (dq_out > kCapacityStep && a > 0)) {
        Note("current-sign", v1::FINDING_SEVERITY_WARNING, row,
             "the current's sign contradicts the capacity columns (charge capacity grows while "
             "the current is negative, or discharge capacity while it is positive): BDF counts "
             "charging current positive");
      }
    }
    state_.set_has_previous(true);
    // The last finite time: a row without one does not hide a step back
    // across it (plots rely on "no time-backwards" meaning time never falls).
    if (std::isfinite(t)) state_.set_previous_time(t);
    state_.set_previous_voltage(v);
    state_.set_previous_current(a);
    state_.set_previous_charge(q_in);
    state_.set_previous_discharge(q_out);
  }
  state_.set_rows(state_.rows() + static_cast<int64_t>(rows.count));
}

std::vector<v1::SeriesFinding> SeriesChecker::Findings() const {
  std::vector<v1::SeriesFinding> out(state_.findings().begin(), state_.findings().end());
  // Every voltage between 100 and 6000: millivolts under a volt label. Judged
  // on the whole series so far (its minimum and maximum).
  if (state_.rows() >= 2 && state_.min_voltage() >= 100 && state_.max_voltage() <= 6000) {
    v1::SeriesFinding f;
    f.set_check("millivolts");
    f.set_severity(v1::FINDING_SEVERITY_ERROR);
    f.set_first_row(0);
    f.set_last_row(state_.rows() - 1);
    f.set_row_count(state_.rows());
    f.set_message(absl::StrCat("every voltage lies between ", state_.min_voltage(), " and ",
                               state_.max_voltage(), " V: millivolts under a volt label?"));
    // The range findings say the same thing less precisely.
    out.erase(std::remove_if(out.begin(), out.end(),
                             [](const v1::SeriesFinding& x) {
                               return x.check() == "voltage-range" ||
                                      x.check() == "voltage-cell-range";
                             }),
              out.end());
    out.push_back(std::move(f));
  }
  std::stable_sort(out.begin(), out.end(), [](const v1::SeriesFinding& a, const v1::SeriesFinding& b) {
    return a.severity() > b.severity();
  });
  return out;
}

bool SeriesChecker::HasError(const std::vector<v1::SeriesFinding>& findings) {
  for (const v1::SeriesFinding& f : findings) {
    if (f.severity() == v1::FINDING_SEVERITY_ERROR) return true;
  }
  return false;
}

}  // namespace batteryhub
