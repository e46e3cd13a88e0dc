#include "parsers/table_reader.h"

#include <cmath>
#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/units.h"

namespace batteryhub::parsers {
namespace {

absl::Status Error(const TextFile& file, size_t line_index, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(file.name, ":", line_index + 1, ": ", what));
}

struct Bound {
  size_t field = 0;
  std::optional<CellConverter> convert;
  SeriesColumn column;
};

// "...Z", "...+09:00", "...-0500": a time that says its offset.
bool HasUtcOffset(absl::string_view cell) {
  cell = absl::StripAsciiWhitespace(cell);
  if (absl::EndsWith(cell, "Z")) return cell.size() > 10;
  const size_t sign = cell.find_last_of("+-");
  if (sign == absl::string_view::npos || sign < 10) return false;
  absl::string_view tail = cell.substr(sign + 1);
  size_t digits = 0;
  for (char c : tail) {
    if (absl::ascii_isdigit(static_cast<unsigned char>(c))) ++digits;
    else if (c != ':') return false;
  }
  return digits == 4 || digits == 2;
}

}  // namespace

absl::StatusOr<CellConverter> CellConverter::For(const ColumnRule& rule) {
  CellConverter c(&rule);
  if ((rule.kind == ValueKind::kNumber || rule.kind == ValueKind::kDuration) &&
      !SourceUnitScale(rule.unit, &c.scale_, &c.offset_)) {
    return absl::InvalidArgumentError(absl::StrCat("unknown unit '", rule.unit, "'"));
  }
  return c;
}

std::optional<double> CellConverter::operator()(absl::string_view field, bool decimal_comma) const {
  std::optional<double> v;
  switch (rule_->kind) {
    case ValueKind::kNumber: v = ParseNumber(field, decimal_comma); break;
    case ValueKind::kDuration:
      v = ParseDuration(field, decimal_comma);
      if (!v) v = ParseNumber(field, decimal_comma);
      break;
    case ValueKind::kTimestamp:
      v = ParseTimestamp(field);
      if (!v && absl::StripAsciiWhitespace(field).empty()) v = std::nan("");
      break;
    case ValueKind::kDatenum:
      v = ParseNumber(field, decimal_comma);
      if (v) *v = (*v - 719529.0) * 86400.0;
      break;
    case ValueKind::kExcelDate:
      v = ParseTimestamp(field);
      if (!v && absl::StripAsciiWhitespace(field).empty()) v = std::nan("");
      if (!v) {
        // Serial days since 1899-12-30; years 1927 to 2173 only, to
        // millisecond resolution.
        std::optional<double> days = ParseNumber(field, decimal_comma);
        if (days && *days >= 10000 && *days < 100000) {
          v = std::round((*days - 25569.0) * 86400.0 * 1000.0) / 1000.0;
        }
      }
      break;
  }
  if (!v) return std::nullopt;
  if (rule_->kind != ValueKind::kNumber && rule_->kind != ValueKind::kDuration) return v;
  if (scale_ == 1 && offset_ == 0 && rule_->sign == 1) return v;
  return rule_->sign * (*v * scale_ + offset_);
}

const char* CellConverter::Expected() const {
  switch (rule_->kind) {
    case ValueKind::kNumber: return "a number";
    case ValueKind::kDuration: return "a duration (hh:mm:ss) or seconds";
    case ValueKind::kTimestamp: return "a date and time";
    case ValueKind::kDatenum: return "a MATLAB datenum";
    case ValueKind::kExcelDate: return "a date and time, or an Excel serial date";
  }
  return "";
}

bool SourceUnitScale(const std::string& unit, double* scale, double* offset) {
  static const std::map<std::string, std::string> kAliases = {
      {"mA.h", "mAh"}, {"A.h", "Ah"}, {"W.h", "Wh"}, {"mW.h", "mWh"}, {"C", "degC"},
      {"Ohm", "ohm"}, {"Ohms", "ohm"}, {"mO", "mohm"}, {"sec", "s"}, {"Sec", "s"},
      {"Hours", "h"}, {"", "1"}, {"�C", "degC"}, {"V/s", "V"}, {"mAmps", "mA"},
      {"mAmp-hr", "mAh"}, {"Amp-hr", "Ah"}, {"Watt-hr", "Wh"}, {"Amps", "A"}, {"Volts", "V"},
  };
  auto alias = kAliases.find(unit);
  const std::string symbol = alias == kAliases.end() ? unit : alias->second;
  std::optional<UnitInfo> info = LookupUnit(symbol);
  if (!info) return false;
  *scale = info->scale;
  *offset = info->offset;
  return true;
}

absl::StatusOr<ParsedSeries> ReadTable(const TextFile& file, const Dialect& d) {
  if (d.header_line >= file.lines.size()) {
    return Error(file, d.header_line, "expected a column header line, found the end of the file");
  }
  absl::string_view header_text = file.lines[d.header_line];
  if (!d.header_prefix.empty() && absl::StartsWith(header_text, d.header_prefix)) {
    header_text.remove_prefix(d.header_prefix.size());
  }
  std::vector<std::string> headers = SplitFields(header_text, d.separator);
  std::vector<Bound> bound;
  std::map<std::string, bool> taken;
  int state_field = -1;
  for (size_t i = 0; i < headers.size(); ++i) {
    const std::string norm = NormalizeHeader(headers[i]);
    if (!d.discharge_state_header.empty() && norm == d.discharge_state_header) state_field = i;
    for (const ColumnRule& rule : d.rules) {
      if (rule.header != norm || taken[rule.bdf]) continue;
      Bound b;
      b.field = i;
      absl::StatusOr<CellConverter> convert = CellConverter::For(rule);
      if (!convert.ok()) {
        return Error(file, d.header_line,
                     absl::StrCat("column '", headers[i], "': ", convert.status().message()));
      }
      b.convert = *convert;
      b.column.name = rule.bdf;
      b.column.source_name = headers[i];
      b.column.source_unit = rule.kind == ValueKind::kTimestamp || rule.kind == ValueKind::kExcelDate
                                 ? "datetime"
                                 : rule.unit;
      taken[rule.bdf] = true;
      bound.push_back(std::move(b));
      break;
    }
  }
  for (const std::string& required : d.required) {
    if (taken[required]) continue;
    std::vector<std::string> accepted;
    for (const ColumnRule& rule : d.rules) {
      if (rule.bdf == required) accepted.push_back("'" + rule.header + "'");
    }
    return Error(file, d.header_line,
                 absl::StrCat("no column for ", required, ": expected one of ",
                              absl::StrJoin(accepted, ", "), " (case-insensitive)"));
  }
  const bool negate_on_state = state_field >= 0;
  std::vector<absl::string_view> fields;
  std::vector<std::string> unquoted;
  size_t truncated_last_row = 0;
  size_t needed_fields = 0;
  for (const Bound& b : bound) needed_fields = std::max(needed_fields, b.field + 1);
  if (state_field >= 0) needed_fields = std::max(needed_fields, static_cast<size_t>(state_field) + 1);
  // Names the header gives, without the empty ones a trailing delimiter adds.
  size_t named = headers.size();
  while (named > 0 && absl::StripAsciiWhitespace(headers[named - 1]).empty()) --named;
  for (size_t li = d.first_data_line; li < file.lines.size(); ++li) {
    if (absl::StripAsciiWhitespace(file.lines[li]).empty()) continue;
    // Fields past the last one a column needs are counted, not split, unless
    // the row has more than the header names (then which are empty matters).
    const absl::string_view line = file.lines[li];
    const char blank[] = {d.separator, ' ', '\t', '\r', '\0'};
    if (line.find_first_not_of(blank) == absl::string_view::npos) continue;  // an empty record
    const size_t filled = SplitFieldViews(line, d.separator, &fields, &unquoted, needed_fields);
    if (filled > named && !d.extra_trailing_fields) {
      return Error(file, li, absl::StrCat("row has ", filled, " fields but the header (line ",
                                          d.header_line + 1, ") names ", named,
                                          ": which value belongs to which column cannot be told"));
    }
    if (li + 1 == file.lines.size() && fields.size() < needed_fields && li > d.first_data_line) {
      // A file cut mid-row by whoever published it: keep what is whole.
      truncated_last_row = li + 1;
      break;
    }
    const bool discharge = negate_on_state && static_cast<size_t>(state_field) < fields.size() &&
                           absl::StripAsciiWhitespace(fields[state_field]) == "D";
    for (Bound& b : bound) {
      if (b.field >= fields.size()) {
        return Error(file, li, absl::StrCat("row has ", fields.size(), " fields; expected column '",
                                            b.column.source_name, "' at field ", b.field + 1));
      }
      std::optional<double> v = (*b.convert)(fields[b.field], d.decimal_comma);
      if (!v) {
        return Error(file, li, absl::StrCat("column '", b.column.source_name, "': '",
                                            fields[b.field], "' is not ", b.convert->Expected()));
      }
      double value = *v;
      if (discharge && b.column.name == kCurrentColumn && value > 0) value = -value;
      if (b.column.values.empty() && b.column.source_unit == "datetime" &&
          HasUtcOffset(fields[b.field])) {
        b.column.source_unit = "datetime with UTC offset";  // no --timezone applies
      }
      if (std::isnan(value) && std::find(d.required.begin(), d.required.end(), b.column.name) !=
                                   d.required.end()) {
        return Error(file, li, absl::StrCat("column '", b.column.source_name,
                                            "': a value is required in every row"));
      }
      b.column.values.push_back(value);
    }
  }
  ParsedSeries out;
  out.format = d.format;
  for (Bound& b : bound) out.columns.push_back(std::move(b.column));
  if (truncated_last_row != 0) {
    out.metadata["batteryhub.warning"] = absl::StrCat(
        "line ", truncated_last_row, " (the last) has fewer fields than the header: dropped");
  }
  if (out.rows() == 0) return Error(file, d.first_data_line, "expected data rows, found none");
  return out;
}

}  // namespace batteryhub::parsers
