#include "core/units.h"

#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace batteryhub {
namespace {

struct UnitRow {
  absl::string_view symbol;
  Dimension dimension;
  double scale;
  double offset;
};

constexpr std::array kUnits = {
    UnitRow{"s", Dimension::kTime, 1, 0},
    UnitRow{"ms", Dimension::kTime, 1e-3, 0},
    UnitRow{"min", Dimension::kTime, 60, 0},
    UnitRow{"h", Dimension::kTime, 3600, 0},
    UnitRow{"d", Dimension::kTime, 86400, 0},
    UnitRow{"V", Dimension::kVoltage, 1, 0},
    UnitRow{"mV", Dimension::kVoltage, 1e-3, 0},
    UnitRow{"A", Dimension::kCurrent, 1, 0},
    UnitRow{"mA", Dimension::kCurrent, 1e-3, 0},
    UnitRow{"uA", Dimension::kCurrent, 1e-6, 0},
    UnitRow{"µA", Dimension::kCurrent, 1e-6, 0},
    UnitRow{"Ah", Dimension::kCharge, 1, 0},
    UnitRow{"mAh", Dimension::kCharge, 1e-3, 0},
    UnitRow{"As", Dimension::kCharge, 1.0 / 3600, 0},
    UnitRow{"Wh", Dimension::kEnergy, 1, 0},
    UnitRow{"mWh", Dimension::kEnergy, 1e-3, 0},
    UnitRow{"kWh", Dimension::kEnergy, 1e3, 0},
    UnitRow{"J", Dimension::kEnergy, 1.0 / 3600, 0},
    UnitRow{"W", Dimension::kPower, 1, 0},
    UnitRow{"mW", Dimension::kPower, 1e-3, 0},
    UnitRow{"degC", Dimension::kTemperature, 1, 0},
    UnitRow{"°C", Dimension::kTemperature, 1, 0},
    UnitRow{"K", Dimension::kTemperature, 1, -273.15},
    UnitRow{"m", Dimension::kLength, 1, 0},
    UnitRow{"mm", Dimension::kLength, 1e-3, 0},
    UnitRow{"um", Dimension::kLength, 1e-6, 0},
    UnitRow{"µm", Dimension::kLength, 1e-6, 0},
    UnitRow{"nm", Dimension::kLength, 1e-9, 0},
    UnitRow{"kg", Dimension::kMass, 1, 0},
    UnitRow{"g", Dimension::kMass, 1e-3, 0},
    UnitRow{"mg", Dimension::kMass, 1e-6, 0},
    UnitRow{"kg/m2", Dimension::kArealMass, 1, 0},
    UnitRow{"g/m2", Dimension::kArealMass, 1e-3, 0},
    UnitRow{"mg/cm2", Dimension::kArealMass, 1e-2, 0},
    UnitRow{"m2/g", Dimension::kSpecificArea, 1, 0},
    UnitRow{"cm2/g", Dimension::kSpecificArea, 1e-4, 0},
    UnitRow{"mAh/g", Dimension::kSpecificCapacity, 1, 0},
    UnitRow{"Ah/kg", Dimension::kSpecificCapacity, 1, 0},
    UnitRow{"g/cm3", Dimension::kDensity, 1, 0},
    UnitRow{"kg/m3", Dimension::kDensity, 1e-3, 0},
    UnitRow{"ohm", Dimension::kResistance, 1, 0},
    UnitRow{"Ω", Dimension::kResistance, 1, 0},
    UnitRow{"mohm", Dimension::kResistance, 1e-3, 0},
    UnitRow{"mΩ", Dimension::kResistance, 1e-3, 0},
    UnitRow{"Hz", Dimension::kFrequency, 1, 0},
    UnitRow{"mHz", Dimension::kFrequency, 1e-3, 0},
    UnitRow{"kHz", Dimension::kFrequency, 1e3, 0},
    UnitRow{"MHz", Dimension::kFrequency, 1e6, 0},
    UnitRow{"1", Dimension::kFraction, 1, 0},
    UnitRow{"%", Dimension::kFraction, 1e-2, 0},
    UnitRow{"wt%", Dimension::kFraction, 1e-2, 0},
    UnitRow{"at%", Dimension::kFraction, 1e-2, 0},
    UnitRow{"ppm", Dimension::kFraction, 1e-6, 0},
    UnitRow{"deg", Dimension::kAngle, 1, 0},
    UnitRow{"°", Dimension::kAngle, 1, 0},
    UnitRow{"C-rate", Dimension::kCRate, 1, 0},
    UnitRow{"counts", Dimension::kArbitrary, 1, 0},
    UnitRow{"a.u.", Dimension::kArbitrary, 1, 0},
    UnitRow{"counts/s", Dimension::kCountRate, 1, 0},
    UnitRow{"cps", Dimension::kCountRate, 1, 0},
    UnitRow{"Pa", Dimension::kPressure, 1, 0},
    UnitRow{"kPa", Dimension::kPressure, 1e3, 0},
    UnitRow{"MPa", Dimension::kPressure, 1e6, 0},
    UnitRow{"bar", Dimension::kPressure, 1e5, 0},
    UnitRow{"mbar", Dimension::kPressure, 1e2, 0},
    UnitRow{"Torr", Dimension::kPressure, 101325.0 / 760, 0},
    UnitRow{"atm", Dimension::kPressure, 101325, 0},
    UnitRow{"mmol/g", Dimension::kSpecificAmount, 1, 0},
    UnitRow{"mol/kg", Dimension::kSpecificAmount, 1, 0},
    // Gas volume at STP (273.15 K, 101.325 kPa): 22.413969545 cm3 per mmol.
    UnitRow{"cm3(STP)/g", Dimension::kSpecificAmount, 1 / 22.413969545, 0},
    UnitRow{"mg/L", Dimension::kMassConcentration, 1, 0},
    UnitRow{"ug/L", Dimension::kMassConcentration, 1e-3, 0},
    UnitRow{"µg/L", Dimension::kMassConcentration, 1e-3, 0},
    UnitRow{"g/L", Dimension::kMassConcentration, 1e3, 0},
    UnitRow{"kV", Dimension::kVoltage, 1e3, 0},
    UnitRow{"angstrom", Dimension::kLength, 1e-10, 0},
    UnitRow{"Å", Dimension::kLength, 1e-10, 0},
    UnitRow{"deg/min", Dimension::kAngularRate, 1, 0},
    UnitRow{"1/min", Dimension::kFrequency, 1.0 / 60, 0},
};

struct DimensionRow {
  Dimension dimension;
  absl::string_view canonical;
  absl::string_view name;
};

constexpr std::array kDimensions = {
    DimensionRow{Dimension::kTime, "s", "time"},
    DimensionRow{Dimension::kVoltage, "V", "voltage"},
    DimensionRow{Dimension::kCurrent, "A", "current"},
    DimensionRow{Dimension::kCharge, "Ah", "charge"},
    DimensionRow{Dimension::kEnergy, "Wh", "energy"},
    DimensionRow{Dimension::kPower, "W", "power"},
    DimensionRow{Dimension::kTemperature, "degC", "temperature"},
    DimensionRow{Dimension::kLength, "m", "length"},
    DimensionRow{Dimension::kMass, "kg", "mass"},
    DimensionRow{Dimension::kArealMass, "kg/m2", "areal mass"},
    DimensionRow{Dimension::kSpecificArea, "m2/g", "specific surface area"},
    DimensionRow{Dimension::kSpecificCapacity, "mAh/g", "specific capacity"},
    DimensionRow{Dimension::kDensity, "g/cm3", "density"},
    DimensionRow{Dimension::kResistance, "ohm", "resistance"},
    DimensionRow{Dimension::kFrequency, "Hz", "frequency"},
    DimensionRow{Dimension::kFraction, "1", "fraction"},
    DimensionRow{Dimension::kAngle, "deg", "angle"},
    DimensionRow{Dimension::kCRate, "C-rate", "C-rate"},
    DimensionRow{Dimension::kCountRate, "counts/s", "count rate"},
    DimensionRow{Dimension::kPressure, "Pa", "pressure"},
    DimensionRow{Dimension::kSpecificAmount, "mmol/g", "amount per mass"},
    DimensionRow{Dimension::kMassConcentration, "mg/L", "mass concentration"},
    DimensionRow{Dimension::kAngularRate, "deg/min", "angular rate"},
    DimensionRow{Dimension::kArbitrary, "a.u.", "arbitrary"},
};

const DimensionRow& RowOf(Dimension d) {
  for (const DimensionRow& row : kDimensions) {
    if (row.dimension == d) return row;
  }
  return kDimensions.back();
}

}  // namespace

absl::string_view CanonicalUnit(Dimension d) { return RowOf(d).canonical; }

absl::string_view DimensionName(Dimension d) { return RowOf(d).name; }

double ToCanonical(const UnitInfo& u, double value) {
  if (u.scale == 1 && u.offset == 0) return value;
  const double converted = value * u.scale + u.offset;
  if (!std::isfinite(converted)) return converted;
  char text[32];
  std::snprintf(text, sizeof(text), "%.15g", converted);
  return std::strtod(text, nullptr);
}

std::optional<UnitInfo> LookupUnit(absl::string_view symbol) {
  for (const UnitRow& row : kUnits) {
    if (row.symbol == symbol) return UnitInfo{row.dimension, row.scale, row.offset};
  }
  return std::nullopt;
}

}  // namespace batteryhub
