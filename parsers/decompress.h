// Compressed files as published (.gz, .bz2): inflated in memory, to a
// bound, so that a small hostile file cannot make us hold gigabytes.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace batteryhub::parsers {

bool IsGzip(absl::string_view b);
bool IsBzip2(absl::string_view b);

// The inflated content, to at most 1 GiB and 200 times the compressed size;
// INVALID_ARGUMENT "NAME: ..." for a damaged, truncated or too large stream.
absl::StatusOr<std::string> Gunzip(const std::string& name, absl::string_view b);
absl::StatusOr<std::string> Bunzip2(const std::string& name, absl::string_view b);

}  // namespace batteryhub::parsers
