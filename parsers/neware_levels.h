// Neware's layered (cycle/step/record) CSV export.
#pragma once

#include "absl/status/statusor.h"
#include "parsers/parsed_series.h"
#include "parsers/text_file.h"

namespace batteryhub::parsers {

bool LooksLikeNewareLayered(const TextFile& f);
// The record rows with cycle and step numbers from their enclosing rows.
absl::StatusOr<ParsedSeries> ParseNewareLayered(const TextFile& f);

}  // namespace batteryhub::parsers
