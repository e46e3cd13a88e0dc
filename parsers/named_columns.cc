#include "parsers/named_columns.h"

#include <map>
#include <optional>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "parsers/dialects.h"

namespace batteryhub::parsers {
namespace {

using VK = ValueKind;

enum class Kind { kTime, kVoltage, kCurrent, kCharge, kEnergy, kTemperature, kCount, kDate };

struct Quantity {
  const char* name;  // lower case, one space between words
  const char* bdf;
  Kind kind;
};

// What cyclers call their columns (after SplitHeaderTerm). Only names that
// mean one thing: "capacity" alone (net, signed by some vendors, not by
// others) and "time" of a step are not here.
constexpr Quantity kQuantities[] = {
    {"test time", kTimeColumn, Kind::kTime},
    {"testtime", kTimeColumn, Kind::kTime},
    {"total time", kTimeColumn, Kind::kTime},
    {"elapsed time", kTimeColumn, Kind::kTime},
    {"run time", kTimeColumn, Kind::kTime},
    {"time", kTimeColumn, Kind::kTime},
    {"voltage", kVoltageColumn, Kind::kVoltage},
    {"cell voltage", kVoltageColumn, Kind::kVoltage},
    {"volts", kVoltageColumn, Kind::kVoltage},
    {"potential", kVoltageColumn, Kind::kVoltage},
    {"ewe", kVoltageColumn, Kind::kVoltage},
    {"ecell", kVoltageColumn, Kind::kVoltage},
    {"current", kCurrentColumn, Kind::kCurrent},
    {"cell current", kCurrentColumn, Kind::kCurrent},
    {"amps", kCurrentColumn, Kind::kCurrent},
    {"cur", kCurrentColumn, Kind::kCurrent},  // Neware BTS 7 "Cur(mA)"
    {"charge capacity", kChargeCapacity, Kind::kCharge},
    {"chg capacity", kChargeCapacity, Kind::kCharge},
    {"capc", kChargeCapacity, Kind::kCharge},
    {"discharge capacity", kDischargeCapacity, Kind::kCharge},
    {"dchg capacity", kDischargeCapacity, Kind::kCharge},
    {"capd", kDischargeCapacity, Kind::kCharge},
    {"charge energy", kChargeEnergy, Kind::kEnergy},
    {"chg energy", kChargeEnergy, Kind::kEnergy},
    {"energyc", kChargeEnergy, Kind::kEnergy},
    {"discharge energy", kDischargeEnergy, Kind::kEnergy},
    {"dchg energy", kDischargeEnergy, Kind::kEnergy},
    {"energyd", kDischargeEnergy, Kind::kEnergy},
    {"temperature", kSurfaceTemperature, Kind::kTemperature},
    {"cell temperature", kSurfaceTemperature, Kind::kTemperature},
    {"temperature 1", kSurfaceTemperature, Kind::kTemperature},
    {"auxtemp", kSurfaceTemperature, Kind::kTemperature},
    {"ambient temperature", kAmbientTemperature, Kind::kTemperature},
    {"cycle", kCycle, Kind::kCount},
    {"cycle index", kCycle, Kind::kCount},
    {"cycle-index", kCycle, Kind::kCount},
    {"cycle number", kCycle, Kind::kCount},
    {"cycle no", kCycle, Kind::kCount},
    {"step", kStep, Kind::kCount},
    {"step index", kStep, Kind::kCount},
    {"step number", kStep, Kind::kCount},
    {"step no", kStep, Kind::kCount},
    {"date time", kUnixTime, Kind::kDate},
    {"datetime", kUnixTime, Kind::kDate},
    {"date", kUnixTime, Kind::kDate},
    {"timestamp", kUnixTime, Kind::kDate},
    {"time stamp", kUnixTime, Kind::kDate},
    {"date stamp", kUnixTime, Kind::kDate},
    {"systime", kUnixTime, Kind::kDate},
    {"absolute time", kUnixTime, Kind::kDate},
    {"real time", kUnixTime, Kind::kDate},
    {"date time iso string", kUnixTime, Kind::kDate},
};

const Quantity* FindQuantity(const std::string& name) {
  for (const Quantity& q : kQuantities) {
    if (name == q.name) return &q;
  }
  return nullptr;
}

// Unit spellings -> the symbol SourceUnitScale knows, per kind of quantity
// (so that "C" is a temperature only where a temperature is meant).
std::optional<std::string> CanonicalUnit(Kind kind, absl::string_view written) {
  std::string u = absl::AsciiStrToLower(absl::StripAsciiWhitespace(written));
  static const std::map<Kind, std::map<std::string, std::string>> kUnits = {
      {Kind::kTime, {{"s", "s"}, {"sec", "s"}, {"secs", "s"}, {"second", "s"}, {"seconds", "s"},
                     {"ms", "ms"}, {"min", "min"}, {"mins", "min"}, {"minutes", "min"},
                     {"h", "h"}, {"hr", "h"}, {"hrs", "h"}, {"hour", "h"}, {"hours", "h"},
                     {"d", "d"}, {"days", "d"}}},
      {Kind::kVoltage, {{"v", "V"}, {"mv", "mV"}}},
      {Kind::kCurrent, {{"a", "A"}, {"ma", "mA"}, {"ua", "uA"}, {"µa", "uA"}}},
      {Kind::kCharge, {{"ah", "Ah"}, {"a.h", "Ah"}, {"mah", "mAh"}, {"ma.h", "mAh"}}},
      {Kind::kEnergy, {{"wh", "Wh"}, {"w.h", "Wh"}, {"mwh", "mWh"}, {"mw.h", "mWh"},
                       {"kwh", "kWh"}}},
      {Kind::kTemperature, {{"c", "degC"}, {"°c", "degC"}, {"degc", "degC"}, {"deg c", "degC"},
                            {"k", "K"}}},
  };
  auto units = kUnits.find(kind);
  if (units == kUnits.end()) return std::nullopt;
  auto it = units->second.find(u);
  if (it == units->second.end()) return std::nullopt;
  return it->second;
}

// Suffix units written after an underscore or a space ("current_A",
// "Time_s"): only these short, unambiguous tokens.
bool IsSuffixUnit(absl::string_view u) {
  static const std::set<std::string> kTokens = {"s", "sec", "h", "min", "ms", "v", "mv", "a",
                                                "ma", "ah", "mah", "wh", "mwh", "c", "degc", "k"};
  return kTokens.count(absl::AsciiStrToLower(u)) > 0;
}

std::string Words(absl::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '_' || c == ' ' || c == '\t') {
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
    } else {
      out.push_back(absl::ascii_tolower(static_cast<unsigned char>(c)));
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

struct Mapped {
  size_t field;
  const Quantity* quantity;
  std::string unit;  // canonical, "" for counts and dates
  std::string header;
};

struct Candidate {
  size_t line = 0;
  char separator = ',';
  std::vector<Mapped> columns;
  std::vector<std::string> unreadable;  // columns named but with a unit not understood
  // Time (or, failing it, a date and time to count from), voltage and current.
  bool complete() const {
    bool t = false, v = false, i = false;
    for (const Mapped& m : columns) {
      t |= m.quantity->bdf == std::string(kTimeColumn) || m.quantity->bdf == std::string(kUnixTime);
      v |= m.quantity->bdf == std::string(kVoltageColumn);
      i |= m.quantity->bdf == std::string(kCurrentColumn);
    }
    return t && v && i;
  }
  bool has_time() const {
    for (const Mapped& m : columns) {
      if (m.quantity->bdf == std::string(kTimeColumn)) return true;
    }
    return false;
  }
};

// With `units_optional`, quantities without a readable unit are mapped too
// (and listed as unreadable): to tell the user what is missing.
Candidate MapHeader(absl::string_view line, char separator, bool units_optional) {
  Candidate c;
  c.separator = separator;
  std::set<std::string> taken;
  const std::vector<std::string> fields = SplitFields(line, separator);
  for (size_t i = 0; i < fields.size(); ++i) {
    HeaderTerm term = SplitHeaderTerm(fields[i]);
    const Quantity* q = FindQuantity(term.quantity);
    if (q == nullptr || taken.count(q->bdf)) continue;
    Mapped m{i, q, "", fields[i]};
    if (q->kind != Kind::kCount && q->kind != Kind::kDate) {
      std::optional<std::string> unit = CanonicalUnit(q->kind, term.unit);
      if (!unit && !units_optional) {
        c.unreadable.push_back(fields[i]);
        continue;
      }
      if (!unit) c.unreadable.push_back(fields[i]);
      m.unit = unit.value_or("");
    }
    taken.insert(q->bdf);
    c.columns.push_back(std::move(m));
  }
  return c;
}

std::optional<Candidate> FindHeader(const TextFile& f, bool units_optional = false) {
  std::optional<Candidate> best;
  for (size_t i = 0; i < f.lines.size() && i < 200; ++i) {
    for (char sep : {',', ';', '\t'}) {
      if (f.lines[i].find(sep) == absl::string_view::npos) continue;
      Candidate c = MapHeader(f.lines[i], sep, units_optional);
      c.line = i;
      if (!c.complete()) continue;
      if (!best || c.columns.size() > best->columns.size()) best = std::move(c);
    }
  }
  return best;
}

}  // namespace

HeaderTerm SplitHeaderTerm(absl::string_view header) {
  absl::string_view h = absl::StripAsciiWhitespace(header);
  // "Name (unit)", "Name(unit)", "Name [unit]"
  if (!h.empty() && (h.back() == ')' || h.back() == ']')) {
    const char open = h.back() == ')' ? '(' : '[';
    const size_t at = h.rfind(open);
    if (at != absl::string_view::npos && at > 0) {
      return {Words(h.substr(0, at)), std::string(absl::StripAsciiWhitespace(
                                          h.substr(at + 1, h.size() - at - 2)))};
    }
  }
  // "Name/unit" (EC-Lab, Landt): the part after the last slash.
  if (const size_t at = h.rfind('/'); at != absl::string_view::npos && at > 0) {
    return {Words(h.substr(0, at)), std::string(h.substr(at + 1))};
  }
  // "name_unit", "Name unit"
  if (const size_t at = h.find_last_of("_ "); at != absl::string_view::npos && at > 0 &&
                                               IsSuffixUnit(h.substr(at + 1))) {
    return {Words(h.substr(0, at)), std::string(h.substr(at + 1))};
  }
  return {Words(h), ""};
}

bool LooksLikeNamedColumns(const TextFile& f) { return FindHeader(f).has_value(); }

std::string MissingUnits(const TextFile& f) {
  std::optional<Candidate> c = FindHeader(f, /*units_optional=*/true);
  if (!c || c->unreadable.empty()) return "";
  return absl::StrCat(f.name, ":", c->line + 1, ": the header names time, voltage and current, "
                      "but gives no unit this reader knows for ", absl::StrJoin(c->unreadable, ", "),
                      " (expected e.g. 'Current (mA)', 'current_A', 'Voltage/V'); name the vendor "
                      "with --format if it is one");
}

absl::StatusOr<Dialect> MakeNamedColumnsDialect(const TextFile& f) {
  std::optional<Candidate> c = FindHeader(f);
  if (!c) {
    return absl::InvalidArgumentError(absl::StrCat(
        f.name, ": no header line names time, voltage and current with their units (e.g. "
                "'Test Time (s)', 'Voltage/V', 'current_mA')"));
  }
  Dialect d;
  d.format = Format::kTable;
  d.separator = c->separator;
  d.header_line = c->line;
  d.first_data_line = c->line + 1;
  if (d.separator != ',') d.decimal_comma = UsesDecimalComma(f, d.first_data_line, d.separator);
  for (const Mapped& m : c->columns) {
    ColumnRule rule{NormalizeHeader(m.header), m.quantity->bdf, m.unit};
    if (m.quantity->kind == Kind::kDate) rule.kind = VK::kExcelDate;
    // "hh:mm:ss" cells are durations; a plain number is in the column's unit.
    if (m.quantity->kind == Kind::kTime && m.unit == "s") rule.kind = VK::kDuration;
    d.rules.push_back(std::move(rule));
  }
  // Without a test time column the test time is counted from the first
  // timestamp (ParseExport).
  if (!c->has_time()) d.required = {kUnixTime, kVoltageColumn, kCurrentColumn};
  if (!c->unreadable.empty()) {
    d.note = absl::StrCat("columns with a unit this reader does not know were left out: ",
                          absl::StrJoin(c->unreadable, ", "));
  }
  return d;
}

}  // namespace batteryhub::parsers
