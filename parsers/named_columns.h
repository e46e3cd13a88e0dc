// Tables no vendor dialect claims, read by what their headers say: each
// header cell is split into a quantity and a unit ("Test_Time(s)",
// "TestTime/Sec", "current_A", "Voltage [V]"), the quantity is looked up in
// a vocabulary of the names cyclers use, and the unit must be one the hub
// converts. The header is the line, among the first 200, that names the
// most quantities (time, voltage and current at least) under one separator.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "parsers/table_reader.h"

namespace batteryhub::parsers {

// A header cell as quantity (lower case, words separated by one space) and
// unit as written ("" when the cell gives none).
struct HeaderTerm {
  std::string quantity;
  std::string unit;
};
HeaderTerm SplitHeaderTerm(absl::string_view header);

bool LooksLikeNamedColumns(const TextFile& f);
absl::StatusOr<Dialect> MakeNamedColumnsDialect(const TextFile& f);

// When a header names time, voltage and current but not all of their units:
// the refusal that says which; "" otherwise.
std::string MissingUnits(const TextFile& f);

}  // namespace batteryhub::parsers
