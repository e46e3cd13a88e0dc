#pragma once

#include "absl/strings/string_view.h"

namespace batteryhub {

// True for an officially assigned ISO 3166-1 alpha-2 code ("CA", "JP", ...).
bool IsIsoCountryCode(absl::string_view code);

}  // namespace batteryhub
