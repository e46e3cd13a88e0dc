// Vendor dialects: how to recognise each export and where its columns are.
// Each Make*Dialect inspects the file (header position, separator, decimal
// comma, column set) and returns the dialect, or INVALID_ARGUMENT saying what
// was expected where.
#pragma once

#include "absl/status/statusor.h"
#include "parsers/table_reader.h"

namespace batteryhub::parsers {

// Cheap content checks, most specific first in detect.cc.
bool LooksLikeArbin(const TextFile& f);
bool LooksLikeMaccor(const TextFile& f);
bool LooksLikeBiologic(const TextFile& f);
bool LooksLikeNeware(const TextFile& f);
bool LooksLikeNovonix(const TextFile& f);
bool LooksLikeBasytec(const TextFile& f);
bool LooksLikePec(const TextFile& f);
bool LooksLikeBdf(const TextFile& f);
bool LooksLikeBatteryArchive(const TextFile& f);
bool LooksLikeGamry(const TextFile& f);
bool LooksLikeEisCsv(const TextFile& f);

absl::StatusOr<Dialect> MakeArbinDialect(const TextFile& f);
absl::StatusOr<Dialect> MakeMaccorDialect(const TextFile& f);
absl::StatusOr<Dialect> MakeBiologicDialect(const TextFile& f);
absl::StatusOr<Dialect> MakeNewareDialect(const TextFile& f);
absl::StatusOr<Dialect> MakeNovonixDialect(const TextFile& f);
absl::StatusOr<Dialect> MakeBasytecDialect(const TextFile& f);
absl::StatusOr<Dialect> MakePecDialect(const TextFile& f);
absl::StatusOr<Dialect> MakeBdfDialect(const TextFile& f);
absl::StatusOr<Dialect> MakeBatteryArchiveDialect(const TextFile& f);
absl::StatusOr<Dialect> MakeGamryDialect(const TextFile& f);
// A Gamry .DTA: its impedance table, or else its curves (CV cycles joined
// with a cycle column; open-circuit curves with current 0 assumed).
absl::StatusOr<ParsedSeries> ParseGamryCurves(const TextFile& f);

// Index of the first line at or after `from` for which `pred` holds, or -1.
template <typename Pred>
int FindLine(const TextFile& f, size_t from, Pred pred) {
  for (size_t i = from; i < f.lines.size(); ++i) {
    if (pred(f.lines[i])) return static_cast<int>(i);
  }
  return -1;
}

// True when the first data row (at `line`) writes decimals with commas.
bool UsesDecimalComma(const TextFile& f, size_t line, char separator);

// BDF names used beyond the required three.
inline constexpr const char* kUnixTime = "unix_time_second";
inline constexpr const char* kCycle = "cycle_count";
inline constexpr const char* kStep = "step_index";
inline constexpr const char* kChargeCapacity = "charging_capacity_ampere_hour";
inline constexpr const char* kDischargeCapacity = "discharging_capacity_ampere_hour";
inline constexpr const char* kChargeEnergy = "charging_energy_watt_hour";
inline constexpr const char* kDischargeEnergy = "discharging_energy_watt_hour";
inline constexpr const char* kAmbientTemperature = "ambient_temperature_celsius";
inline constexpr const char* kSurfaceTemperature = "surface_temperature_celsius";
inline constexpr const char* kResistance = "internal_resistance_ohm";
inline constexpr const char* kFrequency = "frequency_hertz";
inline constexpr const char* kZReal = "real_impedance_ohm";
inline constexpr const char* kZImag = "imaginary_impedance_ohm";

}  // namespace batteryhub::parsers
