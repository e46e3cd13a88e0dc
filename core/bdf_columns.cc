#include "core/bdf_columns.h"

namespace batteryhub {

const std::vector<BdfColumn>& BdfColumns() {
  static const std::vector<BdfColumn> k = {
      {"test_time_second", "test_time", "Test Time / s"},
      {"unix_time_second", "unix_time", "Unix Time / s"},
      {"voltage_volt", "voltage", "Voltage / V"},
      {"current_ampere", "current", "Current / A"},
      {"cycle_count", "cycle_count", "Cycle Count / 1"},
      {"step_count", "step_count", "Step Count / 1"},
      {"step_index", "step_index", "Step Index / 1"},
      {"ambient_temperature_celsius", "ambient_temperature", "Ambient Temperature / degC"},
      {"surface_temperature_celsius", "surface_temperature", "Surface Temperature / degC"},
      {"charging_capacity_ampere_hour", "charging_capacity", "Charging Capacity / Ah"},
      {"discharging_capacity_ampere_hour", "discharging_capacity", "Discharging Capacity / Ah"},
      {"charging_energy_watt_hour", "charging_energy", "Charging Energy / Wh"},
      {"discharging_energy_watt_hour", "discharging_energy", "Discharging Energy / Wh"},
      {"internal_resistance_ohm", "internal_resistance", "Internal Resistance / Ohm"},
      {"power_watt", "power", "Power / W"},
      {"frequency_hertz", "frequency", "Frequency / Hz"},
      {"real_impedance_ohm", "real_impedance", "Real Impedance / Ohm"},
      {"imaginary_impedance_ohm", "imaginary_impedance", "Imaginary Impedance / Ohm"},
  };
  return k;
}

const BdfColumn* FindBdfColumn(absl::string_view name) {
  for (const BdfColumn& c : BdfColumns()) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

const BdfColumn* FindBdfQuantity(absl::string_view quantity) {
  for (const BdfColumn& c : BdfColumns()) {
    if (c.quantity == quantity) return &c;
  }
  return nullptr;
}

}  // namespace batteryhub
