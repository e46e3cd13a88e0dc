#include "core/cycle_summarizer.h"

#include <algorithm>
#include <cmath>

namespace batteryhub {
namespace {

using batteryhub::v1::CycleSummary;

// Below this current (A) a row counts as rest for cycle derivation.
constexpr double kRestCurrent = 1e-6;

double SafeRatio(double num, double den) { return den > 0 ? num / den : 0; }

}  // namespace

void CycleSummarizer::StartCycle(int64_t cycle, int64_t row, double time) {
  CycleSummary* c = state_.mutable_open();
  c->Clear();
  c->set_cycle(cycle);
  c->set_first_row(row);
  c->set_start_time_second(time);
}

void CycleSummarizer::Finish(CycleSummary* c) {
  c->set_coulombic_efficiency(
      SafeRatio(c->discharge_capacity_ampere_hour(), c->charge_capacity_ampere_hour()));
  c->set_energy_efficiency(
      SafeRatio(c->discharge_energy_watt_hour(), c->charge_energy_watt_hour()));
  c->set_mean_charge_voltage_volt(
      SafeRatio(c->charge_energy_watt_hour(), c->charge_capacity_ampere_hour()));
  c->set_mean_discharge_voltage_volt(
      SafeRatio(c->discharge_energy_watt_hour(), c->discharge_capacity_ampere_hour()));
}

void CycleSummarizer::Feed(const SeriesRows& rows, std::vector<CycleSummary>* closed) {
  for (size_t i = 0; i < rows.count; ++i) {
    const double t = rows.time[i], current = rows.current[i], v = rows.voltage[i];
    int64_t cycle;
    if (rows.cycle != nullptr && std::isfinite(rows.cycle[i])) {
      cycle = static_cast<int64_t>(std::llround(rows.cycle[i]));
    } else {
      if (current < -kRestCurrent) state_.set_seen_discharge(true);
      if (current > kRestCurrent && state_.seen_discharge()) {
        state_.set_derived_cycle(state_.derived_cycle() + 1);
        state_.set_seen_discharge(false);
      }
      cycle = state_.derived_cycle() + 1;
    }
    const int64_t row = rows.first_row + static_cast<int64_t>(i);
    if (!state_.has_open()) {
      StartCycle(cycle, row, t);
    } else if (state_.open().cycle() != cycle) {
      CycleSummary done = state_.open();
      Finish(&done);
      closed->push_back(std::move(done));
      StartCycle(cycle, row, t);
    }
    CycleSummary* c = state_.mutable_open();
    c->set_row_count(c->row_count() + 1);
    c->set_duration_second(t - c->start_time_second());
    if (rows.temperature != nullptr && std::isfinite(rows.temperature[i])) {
      c->set_max_temperature_celsius(c->has_temperature()
                                         ? std::max(c->max_temperature_celsius(), rows.temperature[i])
                                         : rows.temperature[i]);
      c->set_has_temperature(true);
    }
    if (state_.has_previous()) {
      const double dt = t - state_.previous_time();
      // A time reset or a gap of more than a day is not integrated.
      if (dt > 0 && dt < 86400) {
        const double mean_current = (current + state_.previous_current()) / 2;
        const double mean_power = (current * v + state_.previous_current() * state_.previous_voltage()) / 2;
        const double ah = mean_current * dt / 3600, wh = mean_power * dt / 3600;
        if (mean_current > 0) {
          c->set_charge_capacity_ampere_hour(c->charge_capacity_ampere_hour() + ah);
          c->set_charge_energy_watt_hour(c->charge_energy_watt_hour() + wh);
        } else if (mean_current < 0) {
          c->set_discharge_capacity_ampere_hour(c->discharge_capacity_ampere_hour() - ah);
          c->set_discharge_energy_watt_hour(c->discharge_energy_watt_hour() - wh);
        }
      }
    }
    state_.set_has_previous(true);
    state_.set_previous_time(t);
    state_.set_previous_current(current);
    state_.set_previous_voltage(v);
  }
}

CycleSummary CycleSummarizer::OpenCycle() const {
  CycleSummary c = state_.open();
  Finish(&c);
  return c;
}

batteryhub::v1::CellTestSummary CycleSummarizer::TestSummary(const std::vector<CycleSummary>& cycles) {
  batteryhub::v1::CellTestSummary s;
  s.set_derivation(kSummaryDerivation);
  s.set_cycle_count(static_cast<int32_t>(cycles.size()));
  const CycleSummary* initial = nullptr;
  const CycleSummary* last = nullptr;
  double ce_sum = 0;
  int ce_count = 0;
  for (const CycleSummary& c : cycles) {
    if (c.discharge_capacity_ampere_hour() <= 0) continue;
    if (initial == nullptr) initial = &c;
    last = &c;
    if (s.cycles_to_80_percent() == 0 &&
        c.discharge_capacity_ampere_hour() < 0.8 * initial->discharge_capacity_ampere_hour()) {
      s.set_cycles_to_80_percent(static_cast<int32_t>(c.cycle() - initial->cycle()));
    }
    if (c.charge_capacity_ampere_hour() > 0) {
      ce_sum += c.coulombic_efficiency();
      ++ce_count;
    }
  }
  if (initial != nullptr) {
    s.mutable_initial_discharge_capacity()->set_value(initial->discharge_capacity_ampere_hour());
    s.mutable_initial_discharge_capacity()->set_unit("Ah");
    s.set_capacity_retention(last->discharge_capacity_ampere_hour() /
                             initial->discharge_capacity_ampere_hour());
  }
  if (ce_count > 0) s.set_mean_coulombic_efficiency(ce_sum / ce_count);
  return s;
}

}  // namespace batteryhub
