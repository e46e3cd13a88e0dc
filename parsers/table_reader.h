// The engine under every delimited-text parser: a vendor dialect says where
// the header is, how fields are separated, and how its columns map to BDF
// names and units; ReadTable does the rest with precise errors.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "parsers/parsed_series.h"
#include "parsers/text_file.h"

namespace batteryhub::parsers {

enum class ValueKind {
  kNumber,     // plain number in `unit`
  kDuration,   // "hh:mm:ss(.f)" or "Nd hh:mm:ss(.f)", to seconds
  kTimestamp,  // wall-clock text, to Unix seconds
  kDatenum,    // MATLAB datenum days, to Unix seconds
  kExcelDate,  // wall-clock text, or an Excel serial day number (1900 system), to Unix seconds
};

struct ColumnRule {
  std::string header;  // as NormalizeHeader() gives it
  std::string bdf;     // BDF machine name
  std::string unit;    // unit of the values in the file (see SourceUnitScale)
  ValueKind kind = ValueKind::kNumber;
  double sign = 1;     // e.g. -1 for a "-Im(Z)" column
};

struct Dialect {
  Format format = Format::kUnknown;
  char separator = ',';
  bool decimal_comma = false;
  size_t header_line = 0;      // 0-based index in TextFile::lines
  size_t first_data_line = 1;  // rows start here; blank lines are skipped
  std::vector<ColumnRule> rules;
  // Maccor: a state column ("C"/"D"/"R") whose "D" rows carry positive
  // discharge currents to be negated.
  std::string discharge_state_header;
  // BaSyTec: the header line starts with this prefix, to be dropped.
  std::string header_prefix;
  // The technique the header names (BioLogic: "Open Circuit Voltage"), or "".
  std::string technique;
  // Rows may carry more fields than the header names (PEC writes unnamed
  // trailing fields); otherwise such a row is an error, never a shift.
  bool extra_trailing_fields = false;
  // Said to the user with the rows (metadata "batteryhub.left_out").
  std::string note;
  // BDF names that must be present and finite in every row.
  std::vector<std::string> required = {kTimeColumn, kVoltageColumn, kCurrentColumn};
};

// Converts the cells of one column to BDF units, as its rule says.
class CellConverter {
 public:
  // INVALID_ARGUMENT naming the unit when `rule.unit` is unknown.
  static absl::StatusOr<CellConverter> For(const ColumnRule& rule);
  // The value, NaN for placeholders, or nullopt when the cell does not parse.
  std::optional<double> operator()(absl::string_view cell, bool decimal_comma) const;
  // What a cell of this column must be: "a number", "a date and time", ...
  const char* Expected() const;
  const ColumnRule& rule() const { return *rule_; }

 private:
  explicit CellConverter(const ColumnRule* rule) : rule_(rule) {}
  const ColumnRule* rule_;
  double scale_ = 1;
  double offset_ = 0;
};

// Parses the table. INVALID_ARGUMENT as "file:line: column 'name': what was
// expected" on any cell that does not parse, and when a required column is
// missing ("… expected one of: …").
absl::StatusOr<ParsedSeries> ReadTable(const TextFile& file, const Dialect& dialect);

// Multiplier and offset that bring a value in `unit` to the BDF unit of its
// quantity (s, V, A, Ah, Wh, degC, ohm, Hz, W). False for unknown units.
bool SourceUnitScale(const std::string& unit, double* scale, double* offset);

}  // namespace batteryhub::parsers
