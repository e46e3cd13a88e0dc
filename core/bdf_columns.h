// The Battery Data Format columns the hub knows: machine name, the quantity
// it measures (the name without its unit) and its human label. One table for
// the parsers (header matching), the series service (column validation) and
// bhub (BDF-labelled export).
#pragma once

#include <vector>

#include "absl/strings/string_view.h"

namespace batteryhub {

struct BdfColumn {
  absl::string_view name;      // "voltage_volt"
  absl::string_view quantity;  // "voltage"
  absl::string_view label;     // "Voltage / V"
};

const std::vector<BdfColumn>& BdfColumns();

// nullptr when unknown.
const BdfColumn* FindBdfColumn(absl::string_view name);
const BdfColumn* FindBdfQuantity(absl::string_view quantity);

}  // namespace batteryhub
