// Neware BTSDA "layered" CSV export: three header lines, one per level —
//   Cycle ID,...                      (cycle rows: first field set)
//   ,Step ID,Step Name,...            (step rows: first field empty)
//   ,,Record ID,Time(h:min:s.ms),...  (record rows: first two fields empty)
// Record times restart with every step, so test time is accumulated from
// the step times; cycle and step numbers come from the enclosing rows.
#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "parsers/dialects.h"
#include "parsers/neware_levels.h"

namespace batteryhub::parsers {
namespace {

const std::vector<ColumnRule>& RecordColumns() {
  static const std::vector<ColumnRule> k = {
      {"time(h:min:s.ms)", kTimeColumn, "s", ValueKind::kDuration},
      {"voltage(v)", kVoltageColumn, "V"},
      {"current(ma)", kCurrentColumn, "mA"},
      {"current(a)", kCurrentColumn, "A"},
      {"capacitance_chg(mah)", kChargeCapacity, "mAh"},
      {"capacitance_dchg(mah)", kDischargeCapacity, "mAh"},
      {"engy_chg(mwh)", kChargeEnergy, "mWh"},
      {"engy_dchg(mwh)", kDischargeEnergy, "mWh"},
      {"realtime", kUnixTime, "", ValueKind::kTimestamp},
      {"temperature(c)", kSurfaceTemperature, "degC"},
  };
  return k;
}

absl::Status Error(const TextFile& f, size_t line, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(f.name, ":", line + 1, ": ", what));
}

}  // namespace

bool LooksLikeNewareLayered(const TextFile& f) {
  return f.lines.size() > 3 && absl::StartsWith(f.lines[0], "Cycle ID") &&
         absl::StartsWith(f.lines[1], ",Step ID") && absl::StartsWith(f.lines[2], ",,Record ID");
}

absl::StatusOr<ParsedSeries> ParseNewareLayered(const TextFile& f) {
  const std::vector<std::string> headers = SplitFields(f.lines[2], ',');
  struct Bound {
    size_t field;
    CellConverter convert;
  };
  std::vector<Bound> bound;
  ParsedSeries out;
  out.format = Format::kNeware;
  for (size_t i = 2; i < headers.size(); ++i) {
    for (const ColumnRule& rule : RecordColumns()) {
      if (NormalizeHeader(headers[i]) != rule.header) continue;
      absl::StatusOr<CellConverter> convert = CellConverter::For(rule);
      if (!convert.ok()) return Error(f, 2, convert.status().message());
      bound.push_back({i, *convert});
      out.columns.push_back({rule.bdf, headers[i],
                             rule.kind == ValueKind::kTimestamp ? "datetime" : rule.unit, {}});
    }
  }
  for (const char* required : {kTimeColumn, kVoltageColumn, kCurrentColumn}) {
    if (out.Find(required) == nullptr) {
      return Error(f, 2, absl::StrCat("no record column for ", required,
                                      ": expected Time(h:min:s.ms), Voltage(V), Current(mA)"));
    }
  }
  out.columns.push_back({kCycle, "Cycle ID", "", {}});
  out.columns.push_back({kStep, "Step ID", "", {}});
  double cycle = NAN, step = NAN, step_offset = 0, last_time = 0;
  std::vector<absl::string_view> fields;
  std::vector<std::string> unquoted;
  for (size_t li = 3; li < f.lines.size(); ++li) {
    if (absl::StripAsciiWhitespace(f.lines[li]).empty()) continue;
    SplitFieldViews(f.lines[li], ',', &fields, &unquoted);
    auto field = [&](size_t i) { return i < fields.size() ? absl::StripAsciiWhitespace(fields[i]) : ""; };
    if (!field(0).empty()) {
      std::optional<double> id = ParseNumber(field(0), false);
      if (!id || std::isnan(*id)) return Error(f, li, absl::StrCat("cycle row: '", field(0), "' is not a cycle number"));
      cycle = *id;
      continue;
    }
    if (!field(1).empty()) {
      std::optional<double> id = ParseNumber(field(1), false);
      if (!id || std::isnan(*id)) return Error(f, li, absl::StrCat("step row: '", field(1), "' is not a step number"));
      step = *id;
      step_offset = last_time;  // the new step's times count from here
      continue;
    }
    for (size_t k = 0; k < bound.size(); ++k) {
      const Bound& b = bound[k];
      absl::string_view text = field(b.field);
      std::optional<double> v = b.convert(text, false);
      const bool duration = b.convert.rule().kind == ValueKind::kDuration;
      if (!v || (std::isnan(*v) && duration)) {
        return Error(f, li, absl::StrCat("column '", headers[b.field], "': '", text, "' is not ",
                                         b.convert.Expected()));
      }
      double value = *v;
      if (duration) {
        value += step_offset;
        last_time = value;
      }
      out.columns[k].values.push_back(value);
    }
    out.columns[bound.size()].values.push_back(cycle);
    out.columns[bound.size() + 1].values.push_back(step);
  }
  if (out.rows() == 0) return Error(f, 3, "expected record rows, found none");
  return out;
}

}  // namespace batteryhub::parsers
