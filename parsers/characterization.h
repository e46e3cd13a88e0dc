// Material-characterisation files (X-ray diffraction, particle size, gas
// adsorption, ICP-OES, thermal analysis) read into curves, scalar results
// and conditions, each with its unit. Recognised from content, never from
// the file name; a file that looks like a technique but does not read is an
// INVALID_ARGUMENT saying which line or field and what was expected.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace batteryhub::parsers {

enum class CharTechnique { kXrd, kPsd, kGasAdsorption, kIcpOes, kTga, kDsc };

// "XRD", "PSD", "BET", "ICP_OES", "TGA", "DSC": the suffix of the API's
// TECHNIQUE_* value.
const char* CharTechniqueName(CharTechnique t);

// An x/y curve. Units are symbols the hub knows (core/units.h): "deg",
// "counts", "counts/s", "um", "%", "1", "mmol/g", "cm3(STP)/g", ...
struct CharCurve {
  std::string name;
  std::string x_name, x_unit;
  std::string y_name, y_unit;
  std::vector<double> x, y;
};

struct CharResult {
  std::string name;  // machine name, e.g. "d50", "bet_surface_area"
  double value = 0;
  std::string unit;
  // Computed here from the curves because the file does not report it;
  // `method` says how.
  bool computed = false;
  std::string method;
};

struct CharCondition {
  std::string name;
  std::optional<double> value;  // a quantity when set, else `text`
  std::string unit;
  std::string text;
};

struct ParsedCharacterization {
  CharTechnique technique = CharTechnique::kXrd;
  std::string reader;  // e.g. "panalytical-xrdml": which layout was read
  std::string instrument, software, software_version, operator_name, sample_name;
  std::optional<double> measure_time;  // Unix seconds
  std::vector<CharCurve> curves;       // curves[0] is the main curve
  std::vector<CharResult> results;
  std::vector<CharCondition> conditions;
  std::map<std::string, std::string> metadata;

  const CharResult* FindResult(const std::string& name) const;
  const CharCondition* FindCondition(const std::string& name) const;
  size_t points() const;  // over all curves
};

// Bound on the points one file may yield (over all curves): above it the
// file is refused, not truncated.
inline constexpr size_t kMaxCharacterizationPoints = size_t{4} << 20;

// Whether `bytes` is a characterisation file some reader here recognises
// (cheap: no parse). `what` (optional) gets e.g. "an X-ray diffraction scan
// (PANalytical XRDML)".
bool LooksLikeCharacterization(absl::string_view bytes, std::string* what = nullptr);

// Reads `bytes` (file `name`, for messages). NOT_FOUND when no reader
// recognises the content (so a caller may try other kinds of file);
// INVALID_ARGUMENT when the recognised reader finds it broken, or a
// compressed stream is damaged.
absl::StatusOr<ParsedCharacterization> ParseCharacterization(const std::string& name,
                                                             absl::string_view bytes);

}  // namespace batteryhub::parsers
