// The characterisation readers, one per file layout, behind
// ParseCharacterization (characterization.cc). Each has a cheap `looks`
// check on content and a `read` that parses or says precisely why not.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "parsers/characterization.h"
#include "parsers/text_file.h"

namespace batteryhub::parsers {

// A file as the readers see it: decompressed bytes, and the text when the
// bytes are text (UTF-16 converted to UTF-8, Latin-1 to UTF-8).
struct Sheet;

struct CharInput {
  std::string name;
  absl::string_view bytes;
  std::optional<TextFile> text;
  // For a workbook's sheet: every sheet of the workbook (a reader may take
  // facts from a sibling sheet), else null.
  const std::vector<Sheet>* workbook = nullptr;
};

struct CharReader {
  const char* what;  // "an X-ray diffraction scan (PANalytical XRDML)"
  bool (*looks)(const CharInput&);
  absl::StatusOr<ParsedCharacterization> (*read)(const CharInput&);
};

// Bruker DIFFRAC RAW binaries (bruker_raw.cc).
bool LooksBrukerRaw(const CharInput& in);
absl::StatusOr<ParsedCharacterization> ReadBrukerRaw(const CharInput& in);

// Readers by technique, most specific layout first.
const std::vector<CharReader>& XrdReaders();
const std::vector<CharReader>& PsdReaders();
const std::vector<CharReader>& AdsorptionReaders();
const std::vector<CharReader>& IcpThermalReaders();

// "NAME: what".
absl::Status CharError(const std::string& name, absl::string_view what);
// "NAME line N: what".
absl::Status CharLineError(const std::string& name, size_t line_index, absl::string_view what);

// The first `n` lines of a text input (or none), for `looks` checks.
bool AnyLineStartsWith(const CharInput& in, size_t n, absl::string_view prefix);
bool AnyLineContains(const CharInput& in, size_t n, absl::string_view needle);

// Numbers of a line split on whitespace (or `sep`); nullopt when a field is
// not a number.
std::optional<std::vector<double>> LineNumbers(absl::string_view line, char sep = 0,
                                               bool decimal_comma = false);

// A plain number ("1.5405980", " 45", "1.2E-05"), finite; nullopt otherwise
// (no placeholders, no decimal comma: these files write points).
std::optional<double> CharNumber(absl::string_view s);

// Checks the bound on points and that x and y are finite and paired.
absl::Status CheckCurve(const std::string& name, const CharCurve& c);

// Percentile sizes of a size distribution: `upper_edges[i]` is the upper
// bound of bin i, `fraction[i]` its share (any scale); the size below which
// `p` (0..1) of the total lies, interpolated linearly in log(size) between
// edges (ISO 9276-2); nullopt when the distribution is empty. `lower0` is
// the lower bound of bin 0.
std::optional<double> DistributionPercentile(double lower0, const std::vector<double>& upper_edges,
                                             const std::vector<double>& fraction, double p);

// Adds d10, d50, d90 and span computed from a distribution, for each one the
// file does not report.
void AddComputedPercentiles(double lower0, const std::vector<double>& upper_edges,
                            const std::vector<double>& fraction, ParsedCharacterization* out);

// A multipoint BET fit of an adsorption branch (relative pressure, amount
// in mmol/g), range chosen by the Rouquerol criteria.
struct BetFit {
  double monolayer_mmol_per_g = 0;
  double c_constant = 0;
  double p_low = 0, p_high = 0;  // fit range, relative pressure
  size_t points = 0;
  double r_squared = 0;
};
std::optional<BetFit> FitBet(const std::vector<double>& relative_pressure,
                             const std::vector<double>& amount_mmol_per_g);

// Molecular cross-section (nm^2) of an adsorptive for BET areas, by name or
// formula ("N2", "nitrogen", "Ar", "Kr", "CO2"); nullopt when unknown.
std::optional<double> CrossSectionNm2(absl::string_view adsorptive);

// Adds the BET results (computed, with method) of the adsorption branch
// `curves[0]` when the adsorptive's cross-section is known; else states in
// metadata why not.
void AddComputedBet(const std::string& adsorptive, ParsedCharacterization* out);

}  // namespace batteryhub::parsers

namespace batteryhub::parsers {

// "2020-08-04T19:53:22+02:00", "2021-05-05T10:35:31Z", "2023-01-26T15:23:09.837152+01:00"
// (no zone: UTC) in Unix seconds.
std::optional<double> ParseIsoTimestamp(absl::string_view text);

// Adds a quantity or text condition (text when `unit` is empty and the
// value is not a number).
void AddQuantity(ParsedCharacterization* out, const std::string& name, double value,
                 const std::string& unit);
void AddText(ParsedCharacterization* out, const std::string& name, absl::string_view text);

}  // namespace batteryhub::parsers
