// JSON text of what bhub prints and keeps: file names and messages may hold
// bytes that are not UTF-8 (a Latin-1 file name on a cycler PC's share),
// which JSON cannot carry; they become U+FFFD rather than an exception.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace batteryhub::cli {

inline std::string JsonText(const nlohmann::json& value, int indent = -1) {
  return value.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace batteryhub::cli
