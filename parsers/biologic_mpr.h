// BioLogic EC-Lab / BT-Lab binary files (.mpr, "BIO-LOGIC MODULAR FILE"):
// a sequence of modules (settings, data, log, loops, external devices).
// Both module-header layouts (before and after EC-Lab 11.50) are read; the
// data rows are laid out from the column ids, and the layout must fill the
// data module exactly or the file is refused.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "parsers/parsed_series.h"

namespace batteryhub::parsers {

inline constexpr absl::string_view kMprMagic = "BIO-LOGIC MODULAR FILE\x1a";

// The series of an .mpr, with the same BDF columns the .mpt export of the
// same measurement gives. INVALID_ARGUMENT naming the byte offset and what
// was expected for a file that does not hold together.
absl::StatusOr<ParsedSeries> ParseBiologicMpr(const std::string& name, absl::string_view bytes);

}  // namespace batteryhub::parsers
