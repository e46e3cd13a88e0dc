// A guard in front of toml++ (Debian's 3.x): its whitespace check reaches
// __builtin_unreachable() for many non-ASCII characters outside strings
// (found by fuzz_hub_config), which is undefined behaviour. TOML allows
// non-ASCII only in strings and comments, so such text is refused here,
// with its line, before toml++ sees it.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/toml.h"

namespace batteryhub {

// INVALID_ARGUMENT "`path`:LINE: ..." when `text` holds a non-ASCII byte
// outside a string or comment, a NUL byte, or an unterminated string.
absl::Status CheckTomlText(absl::string_view text, absl::string_view path);

// CheckTomlText, then toml++: the table, or INVALID_ARGUMENT
// "`path`:LINE[:COLUMN]: what is wrong".
absl::StatusOr<toml::table> ParseTomlText(const std::string& text, const std::string& path);

}  // namespace batteryhub
