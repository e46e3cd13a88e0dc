// Series rows as text, the one form `bhub series`, `bhub parse` and the HTTP
// API (`…/series?alt=csv|bdf|json`) write: csv (a header of BDF machine
// names), bdf (a header of BDF labels, "Voltage / V") or json (an object a
// row, JSON lines). Numbers in their shortest round-trip form; a missing
// value (NaN) is an empty field, or null in json.
#pragma once

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace batteryhub {

bool IsRowFormat(absl::string_view format);

// The header line ("" for json), with its newline.
std::string RowHeader(absl::string_view format, const std::vector<std::string>& names);

// Appends one row; `value(i)` is its value of column i.
template <typename Value>
void AppendRow(absl::string_view format, const std::vector<std::string>& names, Value&& value,
               std::string* line);

// Shortest text that reads back as `v` ("nan" for NaN).
std::string RowNumber(double v);
void AppendRowNumber(double v, std::string* out);

template <typename Value>
void AppendRow(absl::string_view format, const std::vector<std::string>& names, Value&& value,
               std::string* line) {
  const bool json = format == "json";
  if (json) *line += "{";
  for (size_t i = 0; i < names.size(); ++i) {
    if (i) *line += ",";
    if (json) {
      *line += "\"";
      *line += names[i];
      *line += "\":";
    }
    const double v = value(i);
    if (v == v && v - v == 0) {
      AppendRowNumber(v, line);
    } else if (json) {
      *line += "null";
    }
  }
  if (json) *line += "}";
  *line += "\n";
}

}  // namespace batteryhub
