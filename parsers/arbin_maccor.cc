// Arbin (legacy/TRI and MITS Pro layouts) and Maccor (MIMS tab text,
// "Name:" preamble variant, CSV variant) dialects.
#include "absl/strings/match.h"
#include "parsers/dialects.h"

namespace batteryhub::parsers {
namespace {

using VK = ValueKind;

const std::vector<ColumnRule>& ArbinRules() {
  static const std::vector<ColumnRule> kRules = {
      {"test_time", kTimeColumn, "s"},
      {"test_time(s)", kTimeColumn, "s"},
      {"test time (s)", kTimeColumn, "s"},
      {"datetime", kUnixTime, "s"},
      {"date time", kUnixTime, "", VK::kTimestamp},
      {"date_time", kUnixTime, "", VK::kTimestamp},
      {"current", kCurrentColumn, "A"},
      {"current(a)", kCurrentColumn, "A"},
      {"current (a)", kCurrentColumn, "A"},
      {"voltage", kVoltageColumn, "V"},
      {"voltage(v)", kVoltageColumn, "V"},
      {"voltage (v)", kVoltageColumn, "V"},
      {"cycle_index", kCycle, ""},
      {"cycle index", kCycle, ""},
      {"step_index", kStep, ""},
      {"step index", kStep, ""},
      {"charge_capacity", kChargeCapacity, "Ah"},
      {"charge_capacity(ah)", kChargeCapacity, "Ah"},
      {"charge capacity (ah)", kChargeCapacity, "Ah"},
      {"discharge_capacity", kDischargeCapacity, "Ah"},
      {"discharge_capacity(ah)", kDischargeCapacity, "Ah"},
      {"discharge capacity (ah)", kDischargeCapacity, "Ah"},
      {"charge_energy", kChargeEnergy, "Wh"},
      {"charge_energy(wh)", kChargeEnergy, "Wh"},
      {"charge energy (wh)", kChargeEnergy, "Wh"},
      {"discharge_energy", kDischargeEnergy, "Wh"},
      {"discharge_energy(wh)", kDischargeEnergy, "Wh"},
      {"discharge energy (wh)", kDischargeEnergy, "Wh"},
      {"internal_resistance", kResistance, "ohm"},
      {"internal_resistance(ohm)", kResistance, "ohm"},
      {"internal resistance (ohm)", kResistance, "ohm"},
      {"temperature", kSurfaceTemperature, "degC"},
      {"aux_temperature_1", kSurfaceTemperature, "degC"},
      {"aux_temperature_1 (c)", kSurfaceTemperature, "degC"},
  };
  return kRules;
}

const std::vector<ColumnRule>& MaccorRules(bool unlabeled_minutes) {
  static const std::vector<ColumnRule> kSeconds = {
      {"testtime", kTimeColumn, "s", VK::kDuration},
      {"test (sec)", kTimeColumn, "s"},
      {"test time (sec)", kTimeColumn, "s"},
      {"test (min)", kTimeColumn, "min"},
      {"dpt time", kUnixTime, "", VK::kTimestamp},
      {"cyc#", kCycle, ""},
      {"cycle c", kCycle, ""},
      {"step", kStep, ""},
      {"amps", kCurrentColumn, "A"},
      {"current", kCurrentColumn, "A"},
      {"current [a]", kCurrentColumn, "A"},
      {"volts", kVoltageColumn, "V"},
      {"voltage", kVoltageColumn, "V"},
      {"voltage [v]", kVoltageColumn, "V"},
      {"temp 1", kSurfaceTemperature, "degC"},
      {"dcir/ohms", kResistance, "ohm"},
  };
  if (!unlabeled_minutes) return kSeconds;
  // The "Name:" variant writes TestTime as plain minutes without a label.
  static const std::vector<ColumnRule> kMinutes = [] {
    std::vector<ColumnRule> rules = kSeconds;
    rules[0] = {"testtime", kTimeColumn, "min", VK::kDuration};
    return rules;
  }();
  return kMinutes;
}

}  // namespace

bool UsesDecimalComma(const TextFile& f, size_t line, char separator) {
  for (size_t i = line; i < f.lines.size() && i < line + 5; ++i) {
    for (const std::string& field : SplitFields(f.lines[i], separator)) {
      const bool comma = field.find(',') != std::string::npos;
      const bool digits = !field.empty() && (isdigit(static_cast<unsigned char>(field[0])) ||
                                             field[0] == '-');
      if (comma && digits && field.find('/') == std::string::npos) return true;
    }
  }
  return false;
}

bool LooksLikeArbin(const TextFile& f) {
  if (f.lines.empty()) return false;
  absl::string_view h = f.lines[0];
  return (absl::StrContains(h, "Data_Point") || absl::StrContains(h, "Data Point")) &&
         (absl::StrContains(h, "Test_Time") || absl::StrContains(h, "Test Time"));
}

absl::StatusOr<Dialect> MakeArbinDialect(const TextFile& f) {
  Dialect d;
  d.format = Format::kArbin;
  d.rules = ArbinRules();
  (void)f;
  return d;
}

bool LooksLikeMaccor(const TextFile& f) {
  if (f.lines.empty()) return false;
  absl::string_view first = f.lines[0];
  if (absl::StartsWith(first, "Today's Date") || absl::StartsWith(first, "Today''s Date")) {
    return true;
  }
  return absl::StartsWith(first, "Name:") &&
         FindLine(f, 1, [](absl::string_view l) { return absl::StartsWith(l, "Rec\t"); }) > 0;
}

absl::StatusOr<Dialect> MakeMaccorDialect(const TextFile& f) {
  Dialect d;
  d.format = Format::kMaccor;
  int header = FindLine(f, 0, [](absl::string_view l) {
    return absl::StartsWith(l, "Rec#") || absl::StartsWith(l, "Rec\t") ||
           absl::StartsWith(l, "Rec,");
  });
  if (header < 0) {
    return absl::InvalidArgumentError(
        f.name + ": Maccor export without a column header line starting with 'Rec'");
  }
  d.header_line = header;
  d.first_data_line = header + 1;
  d.separator = absl::StartsWith(f.lines[header], "Rec,") ? ',' : '\t';
  const bool name_variant = absl::StartsWith(f.lines[0], "Name:");
  int first_data = FindLine(f, header + 1, [](absl::string_view l) { return !l.empty(); });
  d.decimal_comma = d.separator == '\t' && first_data > 0 && UsesDecimalComma(f, first_data, '\t');
  d.rules = MaccorRules(name_variant);
  d.discharge_state_header = name_variant ? "md" : "state";
  return d;
}

}  // namespace batteryhub::parsers
