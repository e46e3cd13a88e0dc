// Entry point of the parsers: recognise a vendor export from its content
// (never its file name) and parse it into BDF columns.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "parsers/parsed_series.h"

namespace batteryhub::parsers {

// Which format `bytes` hold. INVALID_ARGUMENT naming what the content looks
// like when it is a recognised but unsupported file (binary vendor formats:
// "unsupported: export it as …"; XRD, PSD, sidecars: not a time series), or
// when nothing matches.
absl::StatusOr<Format> DetectFormat(const std::string& name, absl::string_view bytes);

// Parses `bytes` (file `name`, for messages) as `format`, or as the detected
// format when `format` is kUnknown. Errors name the file, line, column and
// what was expected.
absl::StatusOr<ParsedSeries> ParseExport(const std::string& name, absl::string_view bytes,
                                         Format format = Format::kUnknown);

}  // namespace batteryhub::parsers
