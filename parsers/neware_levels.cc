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

struct RecordColumn {
  const char* header;  // normalised
  const char* bdf;
  const char* unit;
  ValueKind kind;
};

constexpr RecordColumn kRecordColumns[] = {
    {"time(h:min:s.ms)", kTimeColumn, "s", ValueKind::kDuration},
    {"voltage(v)", kVoltageColumn, "V", ValueKind::kNumber},
    {"current(ma)", kCurrentColumn, "mA", ValueKind::kNumber},
    {"current(a)", kCurrentColumn, "A", ValueKind::kNumber},
    {"capacitance_chg(mah)", kChargeCapacity, "mAh", ValueKind::kNumber},
    {"capacitance_dchg(mah)", kDischargeCapacity, "mAh", ValueKind::kNumber},
    {"engy_chg(mwh)", kChargeEnergy, "mWh", ValueKind::kNumber},
    {"engy_dchg(mwh)", kDischargeEnergy, "mWh", ValueKind::kNumber},
    {"realtime", kUnixTime, "", ValueKind::kTimestamp},
    {"temperature(c)", kSurfaceTemperature, "degC", ValueKind::kNumber},
};

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
    const RecordColumn* column;
    double scale = 1, offset = 0;
  };
  std::vector<Bound> bound;
  for (size_t i = 2; i < headers.size(); ++i) {
    for (const RecordColumn& c : kRecordColumns) {
      if (NormalizeHeader(headers[i]) != c.header) continue;
      Bound b{i, &c};
      if (c.kind != ValueKind::kTimestamp) SourceUnitScale(c.unit, &b.scale, &b.offset);
      bound.push_back(b);
    }
  }
  ParsedSeries out;
  out.format = Format::kNeware;
  for (const Bound& b : bound) {
    out.columns.push_back({b.column->bdf, headers[b.field],
                           b.column->kind == ValueKind::kTimestamp ? "datetime" : b.column->unit, {}});
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
      std::optional<double> v;
      absl::string_view text = field(b.field);
      if (b.column->kind == ValueKind::kDuration) {
        v = ParseDuration(text, false);
      } else if (b.column->kind == ValueKind::kTimestamp) {
        v = text.empty() ? std::optional<double>(NAN) : ParseTimestamp(text);
      } else {
        v = ParseNumber(text, false);
      }
      if (!v || (std::isnan(*v) && b.column->kind == ValueKind::kDuration)) {
        return Error(f, li, absl::StrCat("column '", headers[b.field], "': '", text, "' is not ",
                                         b.column->kind == ValueKind::kDuration ? "a duration" : "a number"));
      }
      double value = b.column->kind == ValueKind::kTimestamp ? *v : *v * b.scale + b.offset;
      if (b.column->kind == ValueKind::kDuration) {
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
