// Neware (flat BTS export), Novonix, BaSyTec, PEC, Battery Data Format and
// Battery Archive / Battery Data Hub dialects.
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "parsers/dialects.h"

namespace batteryhub::parsers {
namespace {

using VK = ValueKind;

bool HeaderHas(const TextFile& f, size_t line, std::initializer_list<const char*> parts) {
  if (line >= f.lines.size()) return false;
  for (const char* p : parts) {
    if (!absl::StrContains(f.lines[line], p)) return false;
  }
  return true;
}

}  // namespace

bool LooksLikeNeware(const TextFile& f) {
  return HeaderHas(f, 0, {"DataPoint", "Cycle Index", "Step Index"});
}

absl::StatusOr<Dialect> MakeNewareDialect(const TextFile&) {
  Dialect d;
  d.format = Format::kNeware;
  d.rules = {
      {"cumulative time", kTimeColumn, "s", VK::kDuration},
      {"total time", kTimeColumn, "s", VK::kDuration},
      {"current(a)", kCurrentColumn, "A"},
      {"current(ma)", kCurrentColumn, "mA"},
      {"voltage(v)", kVoltageColumn, "V"},
      {"cycle index", kCycle, ""},
      {"step index", kStep, ""},
      {"chg. cap.(ah)", kChargeCapacity, "Ah"},
      {"dchg. cap.(ah)", kDischargeCapacity, "Ah"},
      {"chg. cap.(mah)", kChargeCapacity, "mAh"},
      {"dchg. cap.(mah)", kDischargeCapacity, "mAh"},
      {"chg. energy(wh)", kChargeEnergy, "Wh"},
      {"dchg. energy(wh)", kDischargeEnergy, "Wh"},
      {"date", kUnixTime, "", VK::kTimestamp},
      {"realtime", kUnixTime, "", VK::kTimestamp},
  };
  return d;
}

bool LooksLikeNovonix(const TextFile& f) {
  return !f.lines.empty() && absl::StartsWith(f.lines[0], "[Summary]") &&
         FindLine(f, 0, [](absl::string_view l) { return absl::StartsWith(l, "[Data]"); }) > 0;
}

absl::StatusOr<Dialect> MakeNovonixDialect(const TextFile& f) {
  Dialect d;
  d.format = Format::kNovonix;
  int data = FindLine(f, 0, [](absl::string_view l) { return absl::StartsWith(l, "[Data]"); });
  d.header_line = data + 1;
  d.first_data_line = data + 2;
  d.rules = {
      {"run time (h)", kTimeColumn, "h"},
      {"potential (v)", kVoltageColumn, "V"},
      {"current (a)", kCurrentColumn, "A"},
      {"cycle number", kCycle, ""},
      {"step number", kStep, ""},
      {"date and time", kUnixTime, "", VK::kTimestamp},
      {"temperature (°c)", kSurfaceTemperature, "degC"},
  };
  return d;
}

bool LooksLikeBasytec(const TextFile& f) {
  return !f.lines.empty() && absl::StartsWith(f.lines[0], "~") &&
         FindLine(f, 0, [](absl::string_view l) { return absl::StartsWith(l, "~Time[s]"); }) >= 0;
}

absl::StatusOr<Dialect> MakeBasytecDialect(const TextFile& f) {
  Dialect d;
  d.format = Format::kBasytec;
  d.separator = '\t';
  int header =
      FindLine(f, 0, [](absl::string_view l) { return absl::StartsWith(l, "~Time[s]"); });
  d.header_line = header;
  d.first_data_line = header + 1;
  d.header_prefix.assign(1, '~');
  d.rules = {
      {"time[s]", kTimeColumn, "s"},
      {"u[v]", kVoltageColumn, "V"},
      {"i[a]", kCurrentColumn, "A"},
      {"cyc-count", kCycle, ""},
      {"line", kStep, ""},
      {"t1[°c]", kSurfaceTemperature, "degC"},
      {"t1[\xef\xbf\xbd" "c]", kSurfaceTemperature, "degC"},
  };
  return d;
}

bool LooksLikePec(const TextFile& f) {
  return FindLine(f, 0, [](absl::string_view l) { return absl::StartsWith(l, "Test,Cell,Rack"); }) >= 0;
}

absl::StatusOr<Dialect> MakePecDialect(const TextFile& f) {
  Dialect d;
  d.format = Format::kPec;
  d.extra_trailing_fields = true;  // PEC rows carry unnamed trailing fields
  int header =
      FindLine(f, 0, [](absl::string_view l) { return absl::StartsWith(l, "Test,Cell,Rack"); });
  d.header_line = header;
  d.first_data_line = header + 1;
  d.rules = {
      {"total time (hours in hh:mm:ss.xxx)", kTimeColumn, "s", VK::kDuration},
      {"voltage (v)", kVoltageColumn, "V"},
      {"current (a)", kCurrentColumn, "A"},
      {"cycle", kCycle, ""},
      {"step", kStep, ""},
      {"charge capacity (mah)", kChargeCapacity, "mAh"},
      {"discharge capacity (mah)", kDischargeCapacity, "mAh"},
      {"charge energy (mwh)", kChargeEnergy, "mWh"},
      {"discharge energy (mwh)", kDischargeEnergy, "mWh"},
  };
  return d;
}

bool LooksLikeBatteryArchive(const TextFile& f) {
  return HeaderHas(f, 0, {"Cycle_Index", "Test_Time (s)", "Date_Time"}) ||
         HeaderHas(f, 0, {"Cycle_Index", "Time_s", "Voltage_V", "Current_A"});
}

absl::StatusOr<Dialect> MakeBatteryArchiveDialect(const TextFile&) {
  Dialect d;
  d.format = Format::kBatteryArchive;
  d.rules = {
      {"test_time (s)", kTimeColumn, "s"},
      {"time_s", kTimeColumn, "s"},
      {"date_time", kUnixTime, "", VK::kTimestamp},
      {"datenum_d", kUnixTime, "", VK::kDatenum},
      {"cycle_index", kCycle, ""},
      {"step", kStep, ""},
      {"current (a)", kCurrentColumn, "A"},
      {"current_a", kCurrentColumn, "A"},
      {"voltage (v)", kVoltageColumn, "V"},
      {"voltage_v", kVoltageColumn, "V"},
      {"charge_capacity (ah)", kChargeCapacity, "Ah"},
      {"charge_capacity_ah", kChargeCapacity, "Ah"},
      {"discharge_capacity (ah)", kDischargeCapacity, "Ah"},
      {"discharge_capacity_ah", kDischargeCapacity, "Ah"},
      {"charge_energy (wh)", kChargeEnergy, "Wh"},
      {"charge_energy_wh", kChargeEnergy, "Wh"},
      {"discharge_energy (wh)", kDischargeEnergy, "Wh"},
      {"discharge_energy_wh", kDischargeEnergy, "Wh"},
      {"environment_temperature (c)", kAmbientTemperature, "degC"},
      {"cell_temperature (c)", kSurfaceTemperature, "degC"},
      {"cell_temperature_c", kSurfaceTemperature, "degC"},
  };
  return d;
}

}  // namespace batteryhub::parsers
