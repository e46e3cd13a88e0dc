// BioLogic EC-Lab / BT-Lab ASCII exports (.mpt, .txt): "Nb header lines : N"
// gives the header position; a stripped file starts at its column header.
// Latin-1, decimal commas and impedance (PEIS) tables are handled.
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "parsers/biologic_vocabulary.h"
#include "parsers/dialects.h"

namespace batteryhub::parsers {
namespace {

using VK = ValueKind;

// The technique EC-Lab names on its own line after "Nb header lines".
std::string TechniqueLine(const TextFile& f, size_t header_line) {
  for (size_t i = 2; i < header_line && i < 6 && i < f.lines.size(); ++i) {
    absl::string_view l = absl::StripAsciiWhitespace(f.lines[i]);
    if (l.empty()) continue;
    if (absl::StrContains(l, ":") || absl::StrContains(l, "\t")) return "";
    return std::string(l);
  }
  return "";
}

// The header position: from "Nb header lines : N", or the first line that
// names a time column when the preamble was stripped.
absl::StatusOr<size_t> HeaderLine(const TextFile& f) {
  if (f.lines.size() > 1 && absl::StartsWith(f.lines[1], "Nb header lines")) {
    size_t colon = f.lines[1].find(':');
    int n = 0;
    if (colon == std::string::npos ||
        !absl::SimpleAtoi(absl::StripAsciiWhitespace(f.lines[1].substr(colon + 1)), &n) || n < 2 ||
        static_cast<size_t>(n) > f.lines.size()) {
      return absl::InvalidArgumentError(absl::StrCat(
          f.name, ":2: expected 'Nb header lines : N' with N between 2 and the line count"));
    }
    return static_cast<size_t>(n - 1);
  }
  int header = FindLine(f, 0, [](absl::string_view l) {
    return absl::StrContains(l, "time/s\t") || absl::StrContains(l, "freq/Hz\t");
  });
  if (header < 0) {
    return absl::InvalidArgumentError(f.name + ": BioLogic export without a column header");
  }
  return static_cast<size_t>(header);
}

}  // namespace

bool LooksLikeBiologic(const TextFile& f) {
  if (f.lines.empty()) return false;
  if (absl::StrContains(f.lines[0], "ASCII FILE") &&
      (absl::StrContains(f.lines[0], "EC-Lab") || absl::StrContains(f.lines[0], "EC-LAB") ||
       absl::StrContains(f.lines[0], "BT-Lab"))) {
    return true;
  }
  // Header stripped: a tab-separated column line with BioLogic "name/unit" columns.
  return absl::StrContains(f.lines[0], "time/s\t") &&
         (absl::StrContains(f.lines[0], "Ewe/V") || absl::StrContains(f.lines[0], "Ecell/V"));
}

absl::StatusOr<Dialect> MakeBiologicDialect(const TextFile& f) {
  Dialect d;
  d.format = Format::kBiologic;
  d.separator = '\t';
  absl::StatusOr<size_t> header = HeaderLine(f);
  if (!header.ok()) return header.status();
  d.header_line = *header;
  d.first_data_line = *header + 1;
  d.decimal_comma = UsesDecimalComma(f, d.first_data_line, '\t');
  d.rules = BiologicColumnRules();
  d.technique = TechniqueLine(f, d.header_line);
  if (IsRestTechnique(d.technique)) d.required = {kTimeColumn, kVoltageColumn};
  const std::string norm = NormalizeHeader(f.lines[d.header_line]);
  if (absl::StrContains(norm, "freq/hz")) {
    d.required = {kFrequency, kZReal, kZImag};
    return d;
  }
  // BT-Lab "absolute time" exports write timestamps under time/s.
  std::vector<std::string> headers = SplitFields(f.lines[d.header_line], '\t');
  if (d.first_data_line < f.lines.size()) {
    std::vector<std::string> row = SplitFields(f.lines[d.first_data_line], '\t');
    for (size_t i = 0; i < headers.size() && i < row.size(); ++i) {
      if (NormalizeHeader(headers[i]) == "time/s" && !ParseNumber(row[i], d.decimal_comma) &&
          ParseTimestamp(row[i])) {
        d.rules.insert(d.rules.begin(), {"time/s", kUnixTime, "", VK::kTimestamp});
        d.rules.erase(d.rules.begin() + 1);  // the numeric time/s rule
        d.required = {kUnixTime, kVoltageColumn, kCurrentColumn};
      }
    }
  }
  return d;
}

}  // namespace batteryhub::parsers
