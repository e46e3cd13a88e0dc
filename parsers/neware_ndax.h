// Neware BTS 8+ files (.ndax: a ZIP of .ndc members). data.ndc holds
// voltage and current per record, data_runInfo.ndc time, capacities and
// timestamps per record, data_step.ndc the cycle, step and step type per
// step; auxiliary .ndc members hold temperatures (TestInfo.xml says which
// channel is what). ndc versions 14 and 16 are read; others are refused by
// version.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "parsers/parsed_series.h"

namespace batteryhub::parsers {

absl::StatusOr<ParsedSeries> ParseNewareNdax(const std::string& name, absl::string_view bytes);

}  // namespace batteryhub::parsers
