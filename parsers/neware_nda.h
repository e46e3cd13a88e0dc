// Neware BTS binary files (.nda, "NEWARE"): the record layout of BTS 7/8
// (file version below 130: 86-byte records with integer fields scaled by
// the current range) and of BTS 9.1 (version 130: float records whose length
// the file gives). Other layouts are refused, naming their version.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "parsers/parsed_series.h"

namespace batteryhub::parsers {

inline constexpr absl::string_view kNdaMagic = "NEWARE";

// BTSDA's name of a step type code ("CC_Chg", "Rest", ...), or nullptr.
const char* NewareStepType(int code);

absl::StatusOr<ParsedSeries> ParseNewareNda(const std::string& name, absl::string_view bytes);

}  // namespace batteryhub::parsers
