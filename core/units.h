// Units the hub understands, and conversion to the canonical unit of each
// dimension (SI / Battery Data Format). An unknown unit is an error, never a
// guess; in particular "C" alone is refused (coulomb, Celsius or C-rate?).
#pragma once

#include <optional>
#include <string>
#include "absl/strings/string_view.h"

namespace batteryhub {

enum class Dimension {
  kTime,
  kVoltage,
  kCurrent,
  kCharge,
  kEnergy,
  kPower,
  kTemperature,
  kLength,
  kMass,
  kArealMass,
  kSpecificArea,
  kSpecificCapacity,
  kDensity,
  kResistance,
  kFrequency,
  kFraction,
  kAngle,
  kCRate,
  kCountRate,          // counts/s (an X-ray detector's rate)
  kPressure,           // Pa
  kSpecificAmount,     // mmol/g: gas adsorbed per mass of sample
  kMassConcentration,  // mg/L: an element in solution (ICP)
  kAngularRate,        // deg/min: a goniometer's scan speed
  kArbitrary,  // counts, arbitrary units: no conversion possible
};

// Canonical unit symbol of a dimension, e.g. "Ah" for kCharge.
absl::string_view CanonicalUnit(Dimension d);

// Human name of a dimension for error messages, e.g. "charge".
absl::string_view DimensionName(Dimension d);

struct UnitInfo {
  Dimension dimension;
  // canonical = value * scale + offset
  double scale;
  double offset;
};

// The unit `symbol` (exact spelling, e.g. "mAh", "°C", "um", "µm"), or
// nullopt when unknown.
std::optional<UnitInfo> LookupUnit(absl::string_view symbol);

// Converts `value` to the canonical unit of its dimension. A real conversion
// is rounded to 15 significant digits, so that 4.2 mAh is 0.0042 Ah and not
// 0.0042000000000000006 (no instrument resolves more than that).
double ToCanonical(const UnitInfo& u, double value);

}  // namespace batteryhub
