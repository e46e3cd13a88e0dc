// Battery Data Format CSV (machine names "voltage_volt" and labels
// "Voltage / V"), Gamry .DTA impedance tables and headerless EIS CSV.
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "core/bdf_columns.h"
#include "parsers/dialects.h"

namespace batteryhub::parsers {
namespace {

// Unit suffixes of machine names and the unit symbol they stand for.
constexpr std::pair<const char*, const char*> kSuffixes[] = {
    {"_millisecond", "ms"}, {"_second", "s"},          {"_minute", "min"},
    {"_hour", "h"},         {"_millivolt", "mV"},      {"_volt", "V"},
    {"_milliampere_hour", "mAh"}, {"_ampere_hour", "Ah"}, {"_ah", "Ah"},
    {"_milliampere", "mA"}, {"_ampere", "A"},          {"_milliwatt_hour", "mWh"},
    {"_watt_hour", "Wh"},   {"_wh", "Wh"},             {"_celsius", "degC"},
    {"_kelvin", "K"},       {"_ohm", "ohm"},           {"_watt", "W"},
    {"", ""},
};

// A rule for one BDF header, machine-name or "Label / unit" style.
std::optional<ColumnRule> BdfRule(const std::string& header) {
  const std::string norm = NormalizeHeader(header);
  if (size_t slash = norm.find(" / "); slash != std::string::npos) {
    std::string base = absl::StrReplaceAll(norm.substr(0, slash), {{" ", "_"}});
    std::string unit(absl::StripAsciiWhitespace(header.substr(header.find(" / ") + 3)));
    if (const BdfColumn* c = FindBdfQuantity(base)) {
      if (unit == "1" || unit == "-") unit = "";
      return ColumnRule{norm, std::string(c->name), unit};
    }
    return std::nullopt;
  }
  for (const auto& [suffix, unit] : kSuffixes) {
    if (!absl::EndsWith(norm, suffix)) continue;
    const std::string base = norm.substr(0, norm.size() - std::string(suffix).size());
    if (const BdfColumn* c = FindBdfQuantity(base)) return ColumnRule{norm, std::string(c->name), unit};
  }
  return std::nullopt;
}

}  // namespace

bool LooksLikeBdf(const TextFile& f) {
  if (f.lines.empty()) return false;
  const std::string h = NormalizeHeader(f.lines[0]);
  return absl::StrContains(h, "test_time_") || absl::StrContains(h, "test time / ");
}

absl::StatusOr<Dialect> MakeBdfDialect(const TextFile& f) {
  Dialect d;
  d.format = Format::kBdf;
  for (const std::string& header : SplitFields(f.lines[0], ',')) {
    if (std::optional<ColumnRule> rule = BdfRule(header)) d.rules.push_back(*rule);
  }
  return d;
}

bool LooksLikeGamry(const TextFile& f) {
  return f.lines.size() > 1 && absl::StartsWith(f.lines[0], "EXPLAIN") &&
         absl::StartsWith(f.lines[1], "TAG\t");
}

namespace {

bool IsTableLine(absl::string_view l, absl::string_view table) {
  return absl::StartsWith(l, table) && l.size() > table.size() && l[table.size()] == '\t' &&
         absl::StartsWith(l.substr(table.size() + 1), "TABLE");
}

}  // namespace

absl::StatusOr<Dialect> MakeGamryDialect(const TextFile& f) {
  Dialect d;
  d.format = Format::kGamry;
  d.separator = '\t';
  int table = FindLine(f, 0, [](absl::string_view l) { return IsTableLine(l, "ZCURVE"); });
  if (table < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        f.name, ": a Gamry file without an impedance table (ZCURVE); its curves are read as a "
                "time series"));
  }
  d.header_line = table + 1;
  d.first_data_line = table + 3;  // a units row sits under the header
  d.decimal_comma = UsesDecimalComma(f, d.first_data_line, '\t');
  d.rules = {
      {"freq", kFrequency, "Hz"},     {"zreal", kZReal, "ohm"},   {"zimag", kZImag, "ohm"},
      {"time", kTimeColumn, "s"},     {"vdc", kVoltageColumn, "V"}, {"idc", kCurrentColumn, "A"},
  };
  d.required = {kFrequency, kZReal, kZImag};
  return d;
}

absl::StatusOr<ParsedSeries> ParseGamryCurves(const TextFile& f) {
  if (FindLine(f, 0, [](absl::string_view l) { return IsTableLine(l, "ZCURVE"); }) >= 0) {
    absl::StatusOr<Dialect> d = MakeGamryDialect(f);
    if (!d.ok()) return d.status();
    return ReadTable(f, *d);
  }
  const std::string tag(absl::StripAsciiWhitespace(f.lines[1].substr(4)));
  // The measurement's curves: CURVE, or CURVE1, CURVE2, ... (one per cycle
  // of a CV), joined into one table with a cycle column.
  std::vector<size_t> tables;
  for (size_t i = 0; i < f.lines.size(); ++i) {
    absl::string_view l = f.lines[i];
    if (!absl::StartsWith(l, "CURVE")) continue;
    const size_t tab = l.find('\t');
    if (tab == absl::string_view::npos || !absl::StartsWith(l.substr(tab + 1), "TABLE")) continue;
    bool digits = true;
    for (char c : l.substr(5, tab - 5)) digits &= absl::ascii_isdigit(static_cast<unsigned char>(c));
    if (digits) tables.push_back(i);
  }
  bool ocv = false;
  if (tables.empty()) {
    int at = FindLine(f, 0, [](absl::string_view l) { return IsTableLine(l, "OCVCURVE"); });
    if (at >= 0) {
      tables.push_back(static_cast<size_t>(at));
      ocv = true;
    }
  }
  if (tables.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        f.name, ": a Gamry ", tag, " file without a data table (only the experiment's header): "
                "nothing to read"));
  }
  auto text = std::make_shared<std::string>();
  const size_t header = tables[0] + 1;
  if (header + 1 >= f.lines.size()) {
    return absl::InvalidArgumentError(absl::StrCat(f.name, ":", header + 1, ": expected the "
                                                   "curve's column header and units"));
  }
  absl::StrAppend(&*text, f.lines[header], "\tCycle\n");
  for (size_t t = 0; t < tables.size(); ++t) {
    const size_t end = t + 1 < tables.size() ? tables[t + 1] : f.lines.size();
    for (size_t i = tables[t] + 3; i < end; ++i) {
      absl::string_view l = f.lines[i];
      if (!absl::StartsWith(l, "\t")) break;  // the table ends where its rows do
      absl::StrAppend(&*text, l, "\t", t + 1, "\n");
    }
  }
  TextFile joined;
  joined.name = f.name;
  joined.text = text;
  for (absl::string_view l : absl::StrSplit(*text, '\n', absl::SkipEmpty())) joined.lines.push_back(l);
  Dialect d;
  d.format = Format::kGamry;
  d.separator = '\t';
  d.header_line = 0;
  d.first_data_line = 1;
  d.decimal_comma = UsesDecimalComma(joined, 1, '\t');
  d.rules = {{"t", kTimeColumn, "s"}, {"vf", kVoltageColumn, "V"}, {"im", kCurrentColumn, "A"}};
  if (tables.size() > 1) d.rules.push_back({"cycle", kCycle, ""});
  // Open-circuit measurements apply no current.
  const bool rest = ocv || tag == "CORPOT";
  if (rest) d.required = {kTimeColumn, kVoltageColumn};
  absl::StatusOr<ParsedSeries> s = ReadTable(joined, d);
  if (!s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(s.status().message(), " (a Gamry ", tag,
                                                   " curve)"));
  }
  s->metadata["technique"] = tag;
  if (rest && s->Find(kCurrentColumn) == nullptr) {
    s->columns.push_back({kCurrentColumn, "", absl::StrCat("assumed 0 (", tag,
                                                            ": open circuit, no current)"),
                          std::vector<double>(s->rows(), 0.0)});
    s->metadata["batteryhub.assumed"] = absl::StrCat(
        "current_ampere = 0 in every row: an open-circuit curve (", tag, ") has no current");
  }
  return s;
}

bool LooksLikeEisCsv(const TextFile& f) {
  if (f.lines.size() < 3) return false;
  for (size_t i = 0; i < f.lines.size() && i < 5; ++i) {
    std::vector<std::string> fields = SplitFields(f.lines[i], ',');
    if (fields.size() != 3) return false;
    for (const std::string& field : fields) {
      std::optional<double> v = ParseNumber(field, false);
      if (!v || std::isnan(*v)) return false;
    }
  }
  return true;
}

}  // namespace batteryhub::parsers
