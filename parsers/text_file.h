// Reading vendor text exports: encoding, lines, fields, numbers, durations
// and timestamps. Nothing here knows a vendor.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace batteryhub::parsers {

// A text file as lines. UTF-8 BOM removed; a file that is not valid UTF-8
// is read as Latin-1 (EC-Lab, Gamry, Maccor) and converted; CR, CRLF and
// CRCRLF line ends all work.
struct TextFile {
  std::string name;
  // Views into `text`, which never moves (so TextFile can be moved freely).
  std::vector<absl::string_view> lines;
  std::shared_ptr<const std::string> text;
};

// INVALID_ARGUMENT for binary content (NUL bytes).
absl::StatusOr<TextFile> LoadText(const std::string& name, absl::string_view bytes);

// Splits on `separator`; with ',' honours double quotes ("a,b" is one field).
// Fields are trimmed of spaces and tabs... except that a TAB separator keeps
// leading spaces out of fields too.
std::vector<std::string> SplitFields(absl::string_view line, char separator);

// SplitFields without allocating per field and without trimming: views into
// `line`, or into `*storage` when quotes had to be removed. For per-row use.
// With `max_fields`, stops after that many (the rest are not needed).
// Returns how many fields the line has, not counting trailing blank ones (a
// trailing delimiter adds no field).
size_t SplitFieldViews(absl::string_view line, char separator, std::vector<absl::string_view>* out,
                       std::vector<std::string>* storage, size_t max_fields = SIZE_MAX);

// A number as vendors write it: "3.42", "3,42" (decimal_comma), "1E-05",
// "3,015E+001". Placeholders ("", "N/A", "NaN", "<NONE>", "-") give NaN;
// anything else nullopt.
std::optional<double> ParseNumber(absl::string_view field, bool decimal_comma);

// A duration in seconds: "144:02:18", "00:00:00.002", "0d 00:00:01.0000",
// "1d 02:03:04". nullopt when not a duration.
std::optional<double> ParseDuration(absl::string_view field, bool decimal_comma);

// A wall-clock timestamp without zone (taken as UTC) in Unix seconds:
// "2022-05-18 16:27:52", "09/20/2024 08:32:34.558" (MM/DD/YYYY),
// "23-Nov-23 3:56:08 PM". nullopt when none of the layouts fits.
std::optional<double> ParseTimestamp(absl::string_view field);

// "Key: value" / "Key<TAB>value" / "Key,value" preamble line -> pair.
bool SplitKeyValue(absl::string_view line, std::string* key, std::string* value);

// Lower-cased, trimmed, inner runs of spaces folded: for header matching.
std::string NormalizeHeader(absl::string_view header);

}  // namespace batteryhub::parsers
