// Battery Data Format CSV (machine names "voltage_volt" and labels
// "Voltage / V"), Gamry .DTA impedance tables and headerless EIS CSV.
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
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
  return !f.lines.empty() && absl::StartsWith(f.lines[0], "EXPLAIN") &&
         FindLine(f, 0, [](absl::string_view l) { return absl::StartsWith(l, "ZCURVE\tTABLE"); }) > 0;
}

absl::StatusOr<Dialect> MakeGamryDialect(const TextFile& f) {
  Dialect d;
  d.format = Format::kGamry;
  d.separator = '\t';
  int table =
      FindLine(f, 0, [](absl::string_view l) { return absl::StartsWith(l, "ZCURVE\tTABLE"); });
  d.header_line = table + 1;
  d.first_data_line = table + 3;  // a units row sits under the header
  d.rules = {
      {"freq", kFrequency, "Hz"},     {"zreal", kZReal, "ohm"},   {"zimag", kZImag, "ohm"},
      {"time", kTimeColumn, "s"},     {"vdc", kVoltageColumn, "V"}, {"idc", kCurrentColumn, "A"},
  };
  d.required = {kFrequency, kZReal, kZImag};
  return d;
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
