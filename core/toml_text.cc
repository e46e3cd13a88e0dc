#include "core/toml_text.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace batteryhub {

absl::Status CheckTomlText(absl::string_view text, absl::string_view path) {
  int line = 1;
  auto error = [&](absl::string_view what) {
    return absl::InvalidArgumentError(absl::StrCat(path, ":", line, ": ", what));
  };
  size_t i = absl::StartsWith(text, "\xEF\xBB\xBF") ? 3 : 0;  // a UTF-8 BOM
  // The last character outside strings and blanks: a string may open only
  // where TOML takes a key or a value (line start, '=', '[', '{', ',', '.').
  char previous = '\n';
  while (i < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++line;
      ++i;
      previous = '\n';
    } else if (c == 0) {
      return error("NUL byte");
    } else if (c == ' ' || c == '\t' || c == '\r') {
      ++i;
    } else if (c == '#') {
      while (i < text.size() && text[i] != '\n') ++i;
    } else if (c == '"' || c == '\'') {
      if (absl::string_view("\n=[{,.").find(previous) == absl::string_view::npos) {
        return error("a quote where no key or value may start");
      }
      previous = static_cast<char>(c);
      const bool multi = absl::StartsWith(text.substr(i), c == '"' ? "\"\"\"" : "'''");
      const absl::string_view close = multi ? (c == '"' ? "\"\"\"" : "'''") : text.substr(i, 1);
      i += close.size();
      while (true) {
        if (i >= text.size()) return error("unterminated string");
        if (text[i] == '\n') {
          if (!multi) return error("unterminated string");
          ++line;
        }
        if (c == '"' && text[i] == '\\') {
          i += 2;
          continue;
        }
        if (text.substr(i, close.size()) == close) {
          i += close.size();
          break;
        }
        ++i;
      }
    } else if (c >= 0x80) {
      return error("a non-ASCII character outside a string or comment");
    } else {
      previous = static_cast<char>(c);
      ++i;
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<toml::table> ParseTomlText(const std::string& text, const std::string& path) {
  if (absl::Status s = CheckTomlText(text, path); !s.ok()) return s;
  toml::parse_result parsed = toml::parse(text, path);
  if (!parsed) {
    const toml::parse_error& e = parsed.error();
    return absl::InvalidArgumentError(absl::StrCat(path, ":", e.source().begin.line, ":",
                                                   e.source().begin.column, ": ",
                                                   std::string(e.description())));
  }
  return std::move(parsed.table());
}

}  // namespace batteryhub
