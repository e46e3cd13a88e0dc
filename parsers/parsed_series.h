// A cycler or impedance export after parsing: numeric columns under their
// Battery Data Format (BDF) machine names, in BDF units, with where each
// column came from.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace batteryhub::parsers {

enum class Format {
  kUnknown,
  kArbin,
  kMaccor,
  kBiologic,
  kNeware,
  kNovonix,
  kBasytec,
  kPec,
  kBdf,
  kBatteryArchive,  // batteryarchive.org and DOE Battery Data Hub CSV
  kGamry,           // Gamry .DTA impedance
  kEisCsv,          // headerless frequency, Z', Z'' CSV
  kTable,           // any table whose headers name quantities and units
};

// "arbin", "maccor", ... as used by `bhub upload --format`.
const char* FormatName(Format f);
// Inverse of FormatName; kUnknown for anything else (including "auto").
Format ParseFormatName(const std::string& name);

struct SeriesColumn {
  std::string name;         // BDF machine name, e.g. "voltage_volt"
  std::string source_name;  // header as written in the file, e.g. "Ewe/V"
  std::string source_unit;  // unit as written or implied, e.g. "mA.h"
  std::vector<double> values;
};

struct ParsedSeries {
  Format format = Format::kUnknown;
  std::vector<SeriesColumn> columns;
  // Key/value facts from the file's preamble (start time, channel, ...).
  std::map<std::string, std::string> metadata;
  size_t rows() const { return columns.empty() ? 0 : columns[0].values.size(); }
  // The column with this BDF name, or nullptr.
  const SeriesColumn* Find(const std::string& name) const;
};

// BDF names of the columns every time series must have.
inline constexpr const char* kTimeColumn = "test_time_second";
inline constexpr const char* kVoltageColumn = "voltage_volt";
inline constexpr const char* kCurrentColumn = "current_ampere";

}  // namespace batteryhub::parsers
