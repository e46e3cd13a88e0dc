#include "parsers/text_file.h"

#include <cmath>
#include <cstdlib>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"

namespace batteryhub::parsers {
namespace {

bool IsValidUtf8(absl::string_view s) {
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    int n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (int k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += n;
  }
  return true;
}

std::string Latin1ToUtf8(absl::string_view s) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (c < 0x80) {
      out.push_back(ch);
    } else {
      out.push_back(static_cast<char>(0xC0 | (c >> 6)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
  return out;
}

absl::string_view Trim(absl::string_view s) {
  return absl::StripAsciiWhitespace(s);
}

}  // namespace

absl::StatusOr<TextFile> LoadText(const std::string& name, absl::string_view bytes) {
  TextFile file;
  file.name = name;
  if (bytes.find('\0') != absl::string_view::npos) {
    return absl::InvalidArgumentError(absl::StrCat(name, ": binary content, not a text export"));
  }
  if (absl::StartsWith(bytes, "\xEF\xBB\xBF")) bytes.remove_prefix(3);
  std::string text;
  if (IsValidUtf8(bytes)) {
    text = std::string(bytes);
  } else {
    text = Latin1ToUtf8(bytes);
    file.latin1 = true;
  }
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    while (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    file.lines.emplace_back(line);
  }
  while (!file.lines.empty() && Trim(file.lines.back()).empty()) file.lines.pop_back();
  return file;
}

std::vector<std::string> SplitFields(absl::string_view line, char separator) {
  std::vector<std::string> fields;
  std::string current;
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (separator == ',' && c == '"') {
      if (quoted && i + 1 < line.size() && line[i + 1] == '"') {
        current.push_back('"');
        ++i;
      } else {
        quoted = !quoted;
      }
    } else if (c == separator && !quoted) {
      fields.emplace_back(Trim(current));
      current.clear();
    } else {
      current.push_back(c);
    }
  }
  fields.emplace_back(Trim(current));
  return fields;
}

std::optional<double> ParseNumber(absl::string_view field, bool decimal_comma) {
  field = Trim(field);
  if (field.empty() || field == "N/A" || field == "NaN" || field == "nan" || field == "<NONE>" ||
      field == "-" || field == "NA") {
    return std::nan("");
  }
  std::string text(field);
  if (decimal_comma) {
    for (char& c : text) {
      if (c == ',') c = '.';
    }
  }
  double value;
  if (!absl::SimpleAtod(text, &value)) return std::nullopt;
  return value;
}

std::optional<double> ParseDuration(absl::string_view field, bool decimal_comma) {
  field = Trim(field);
  double days = 0;
  if (size_t d = field.find('d'); d != absl::string_view::npos) {
    if (!absl::SimpleAtod(field.substr(0, d), &days)) return std::nullopt;
    field = Trim(field.substr(d + 1));
  }
  std::vector<absl::string_view> parts = absl::StrSplit(field, ':');
  if (parts.size() != 3) return std::nullopt;
  double h, m;
  std::optional<double> s = ParseNumber(parts[2], decimal_comma);
  if (!absl::SimpleAtod(parts[0], &h) || !absl::SimpleAtod(parts[1], &m) || !s ||
      std::isnan(*s)) {
    return std::nullopt;
  }
  return days * 86400 + h * 3600 + m * 60 + *s;
}

std::optional<double> ParseTimestamp(absl::string_view field) {
  field = Trim(field);
  static const char* kLayouts[] = {
      "%Y-%m-%d %H:%M:%E*S", "%Y-%m-%dT%H:%M:%E*S", "%m/%d/%Y %H:%M:%E*S",
      "%d-%b-%y %I:%M:%E*S %p", "%Y/%m/%d %H:%M:%E*S", "%d.%m.%Y %H:%M:%E*S",
      // Maccor writes midnight as the bare date.
      "%m/%d/%Y", "%Y-%m-%d",
  };
  for (const char* layout : kLayouts) {
    absl::Time t;
    std::string err;
    if (absl::ParseTime(layout, std::string(field), absl::UTCTimeZone(), &t, &err)) {
      return absl::ToDoubleSeconds(t - absl::UnixEpoch());
    }
  }
  return std::nullopt;
}

bool SplitKeyValue(absl::string_view line, std::string* key, std::string* value) {
  size_t pos = line.find_first_of(":\t,");
  if (pos == absl::string_view::npos) return false;
  *key = std::string(Trim(line.substr(0, pos)));
  absl::string_view rest = line.substr(pos + 1);
  while (!rest.empty() && (rest.front() == '\t' || rest.front() == ',' || rest.front() == ' ')) {
    rest.remove_prefix(1);
  }
  *value = std::string(Trim(rest));
  return !key->empty();
}

std::string NormalizeHeader(absl::string_view header) {
  std::string out;
  bool space = false;
  for (char c : Trim(header)) {
    if (c == ' ' || c == '\t') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out.push_back(' ');
    space = false;
    out.push_back(absl::ascii_tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

}  // namespace batteryhub::parsers
