// What BioLogic calls its columns and techniques, shared by the text
// (.mpt) and binary (.mpr) readers so that both forms of one measurement
// give the same BDF columns.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "parsers/table_reader.h"

namespace batteryhub::parsers {

// Header (as NormalizeHeader gives it) -> BDF column, for both forms.
const std::vector<ColumnRule>& BiologicColumnRules();

// Techniques that apply no current: Open Circuit Voltage, Wait. Their files
// may have no current column; it is then recorded as 0, and said so.
bool IsRestTechnique(absl::string_view technique);

// Adds current_ampere = 0 in every row, with the reason in its source unit
// and in metadata "batteryhub.assumed".
void AssumeZeroCurrent(absl::string_view technique, ParsedSeries* s);

// Maps columns named as in the .mpt (source_name set, values in the file's
// units) to BDF columns, in file order, first match wins; then checks that
// the required ones (time, voltage, current; or frequency and impedance) are
// there and finite in every row.
absl::StatusOr<ParsedSeries> MapBiologicColumns(const std::string& name,
                                                absl::string_view technique, ParsedSeries raw);

}  // namespace batteryhub::parsers
