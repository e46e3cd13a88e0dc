// Arbin MITS Pro result files (.res: a Microsoft Access / Jet database),
// read with mdbtools: Channel_Normal_Table as the series, Auxiliary_Table
// pivoted into one column per auxiliary channel (temperature channels by
// the unit Aux_Global_Data_Table gives them).
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "parsers/parsed_series.h"

namespace batteryhub::parsers {

// True for the header of a Jet (Access 97-2003) or ACE (2007+) database.
bool LooksLikeAccessDatabase(absl::string_view bytes);

absl::StatusOr<ParsedSeries> ParseArbinRes(const std::string& name, absl::string_view bytes);

}  // namespace batteryhub::parsers
