#include "parsers/biologic_vocabulary.h"

#include <cmath>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/units.h"
#include "parsers/dialects.h"

namespace batteryhub::parsers {

const std::vector<ColumnRule>& BiologicColumnRules() {
  static const std::vector<ColumnRule> kRules = {
      {"time/s", kTimeColumn, "s"},
      {"ewe/v", kVoltageColumn, "V"},
      {"ecell/v", kVoltageColumn, "V"},
      {"<ewe>/v", kVoltageColumn, "V"},
      {"<ewe/v>", kVoltageColumn, "V"},  // EC-Lab's Constant Current export heads it so
      {"i/ma", kCurrentColumn, "mA"},
      {"<i>/ma", kCurrentColumn, "mA"},
      {"cycle number", kCycle, ""},
      {"ns", kStep, ""},
      {"q charge/ma.h", kChargeCapacity, "mA.h"},
      {"q discharge/ma.h", kDischargeCapacity, "mA.h"},
      {"energy charge/w.h", kChargeEnergy, "W.h"},
      {"energy discharge/w.h", kDischargeEnergy, "W.h"},
      {"temperature/°c", kSurfaceTemperature, "degC"},
      {"temperature/\xef\xbf\xbd" "c", kSurfaceTemperature, "degC"},
      {"r/ohm", kResistance, "ohm"},
      {"freq/hz", kFrequency, "Hz"},
      {"re(z)/ohm", kZReal, "ohm"},
      {"-im(z)/ohm", kZImag, "ohm", ValueKind::kNumber, -1},
  };
  return kRules;
}

bool IsRestTechnique(absl::string_view technique) {
  return technique == "Open Circuit Voltage" || technique == "Wait";
}

void AssumeZeroCurrent(absl::string_view technique, ParsedSeries* s) {
  SeriesColumn c{kCurrentColumn, "", absl::StrCat("assumed 0 (", technique, " applies no current)"),
                 std::vector<double>(s->rows(), 0.0)};
  s->columns.push_back(std::move(c));
  s->metadata["batteryhub.assumed"] =
      absl::StrCat("current_ampere = 0 in every row: the file has no current column and its "
                   "technique (", technique, ") applies none");
}

absl::StatusOr<ParsedSeries> MapBiologicColumns(const std::string& name,
                                                absl::string_view technique, ParsedSeries raw) {
  ParsedSeries out;
  out.format = Format::kBiologic;
  out.metadata = std::move(raw.metadata);
  std::map<std::string, bool> taken;
  for (SeriesColumn& col : raw.columns) {
    const std::string norm = NormalizeHeader(col.source_name);
    for (const ColumnRule& rule : BiologicColumnRules()) {
      if (rule.header != norm || taken[rule.bdf] || rule.kind != ValueKind::kNumber) continue;
      double scale = 1, offset = 0;
      if (!SourceUnitScale(rule.unit, &scale, &offset)) {
        return absl::InternalError(absl::StrCat("unit '", rule.unit, "' has no scale"));
      }
      const UnitInfo unit{Dimension{}, scale, offset};
      for (double& v : col.values) v = rule.sign * ToCanonical(unit, v);
      col.name = rule.bdf;
      col.source_unit = rule.unit;
      taken[rule.bdf] = true;
      out.columns.push_back(std::move(col));
      break;
    }
  }
  std::vector<std::string> required = {kTimeColumn, kVoltageColumn, kCurrentColumn};
  if (out.Find(kFrequency) != nullptr) required = {kFrequency, kZReal, kZImag};
  if (out.Find(kFrequency) == nullptr && out.Find(kCurrentColumn) == nullptr &&
      IsRestTechnique(technique)) {
    AssumeZeroCurrent(technique, &out);
  }
  for (const std::string& want : required) {
    const SeriesColumn* c = out.Find(want);
    if (c == nullptr) {
      auto columns = out.metadata.find("biologic.columns");
      return absl::InvalidArgumentError(absl::StrCat(
          name, ": no column for ", want, " (technique ",
          technique.empty() ? "unknown" : std::string(technique), "; columns ",
          columns == out.metadata.end() ? "" : columns->second, ")"));
    }
    for (size_t row = 0; row < c->values.size(); ++row) {
      if (!std::isfinite(c->values[row])) {
        return absl::InvalidArgumentError(absl::StrCat(name, ": row ", row + 1, ": ", want,
                                                       " ('", c->source_name,
                                                       "') is not a finite number"));
      }
    }
  }
  return out;
}

}  // namespace batteryhub::parsers
