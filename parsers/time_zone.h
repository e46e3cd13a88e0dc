// Wall-clock timestamps of an export in the zone they were written in. The
// readers take a zone-less date and time as UTC; ApplyTimeZone reinterprets
// those columns (source unit "datetime") as local time in an IANA zone and
// stores UTC. In a daylight-saving fall-back an hour repeats: each repeated
// time takes the offset that keeps it in step with the file's test time.
// A local time that does not exist (the spring-forward gap) is an error.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "parsers/parsed_series.h"

namespace batteryhub::parsers {

// `zone`: an IANA name ("Europe/Oslo", "Asia/Tokyo", "UTC"). Records the
// zone in metadata "timezone" and in the column's source unit.
absl::Status ApplyTimeZone(const std::string& name, const std::string& zone, ParsedSeries* s);

}  // namespace batteryhub::parsers
