#include "parsers/text_file.h"

#include <fast_float/fast_float.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstring>
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
    // Fast path: eight ASCII bytes at a time.
    if (i + 8 <= s.size()) {
      uint64_t word;
      std::memcpy(&word, s.data() + i, 8);
      if ((word & 0x8080808080808080ull) == 0) {
        i += 8;
        continue;
      }
    }
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

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; }

absl::string_view Trim(absl::string_view s) {
  size_t a = 0, b = s.size();
  while (a < b && IsSpace(s[a])) ++a;
  while (b > a && IsSpace(s[b - 1])) --b;
  return s.substr(a, b - a);
}

}  // namespace

absl::StatusOr<TextFile> LoadText(const std::string& name, absl::string_view bytes) {
  TextFile file;
  file.name = name;
  // A stray NUL (an export padded or cut by its writer) is dropped; many are
  // binary content.
  std::string without_nul;
  if (const size_t nuls = static_cast<size_t>(std::count(bytes.begin(), bytes.end(), '\0'))) {
    if (nuls > 16 || (nuls > 2 && nuls * 1000 > bytes.size())) {
      return absl::InvalidArgumentError(absl::StrCat(name, ": binary content, not a text export"));
    }
    without_nul.reserve(bytes.size());
    for (char c : bytes) {
      if (c != '\0') without_nul.push_back(c);
    }
    bytes = without_nul;
  }
  if (absl::StartsWith(bytes, "\xEF\xBB\xBF")) bytes.remove_prefix(3);
  auto text = std::make_shared<std::string>();
  if (IsValidUtf8(bytes)) {
    *text = std::string(bytes);
  } else {
    *text = Latin1ToUtf8(bytes);
  }
  // Classic Mac line ends (CR only, e.g. Beckman Multisizer): CR is the break.
  if (text->find('\n') == std::string::npos) std::replace(text->begin(), text->end(), '\r', '\n');
  absl::string_view rest(*text);
  file.lines.reserve(rest.size() / 64 + 1);
  while (!rest.empty()) {
    const size_t nl = rest.find('\n');
    absl::string_view line = rest.substr(0, nl);
    while (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    file.lines.push_back(line);
    if (nl == absl::string_view::npos) break;
    rest.remove_prefix(nl + 1);
  }
  while (!file.lines.empty() && Trim(file.lines.back()).empty()) file.lines.pop_back();
  file.text = std::move(text);
  return file;
}

size_t SplitFieldViews(absl::string_view line, char separator, std::vector<absl::string_view>* out,
                       std::vector<std::string>* storage, size_t max_fields) {
  out->clear();
  if (separator == ',' && std::memchr(line.data(), '"', line.size()) != nullptr) {
    *storage = SplitFields(line, separator);
    size_t filled = storage->size();
    while (filled > 0 && (*storage)[filled - 1].empty()) --filled;
    for (const std::string& f : *storage) {
      if (out->size() == max_fields) break;
      out->push_back(f);
    }
    return filled;
  }
  // Not trimmed: the converters trim the fields they use.
  const char* p = line.data();
  const char* const end = p + line.size();
  const char* start = p;
  for (; p != end && out->size() + 1 < max_fields; ++p) {
    if (*p == separator) {
      out->emplace_back(start, static_cast<size_t>(p - start));
      start = p + 1;
    }
  }
  if (p == end) {
    out->emplace_back(start, static_cast<size_t>(end - start));
    size_t filled = out->size();
    while (filled > 0 && Trim((*out)[filled - 1]).empty()) --filled;
    return filled;
  }
  // The last field wanted ends at the next separator; the rest are counted
  // up to the last character that is neither blank nor a separator.
  const char* next = static_cast<const char*>(std::memchr(p, separator, static_cast<size_t>(end - p)));
  out->emplace_back(start, static_cast<size_t>((next ? next : end) - start));
  if (next == nullptr) return Trim(out->back()).empty() ? out->size() - 1 : out->size();
  const char* last = end;
  while (last > next && (*(last - 1) == separator || IsSpace(*(last - 1)))) --last;
  if (last == next) {  // nothing after the wanted fields
    size_t filled = out->size();
    while (filled > 0 && Trim((*out)[filled - 1]).empty()) --filled;
    return filled;
  }
  return out->size() + static_cast<size_t>(std::count(next, last, separator));
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
  if (field.empty()) return std::nan("");
  const char first = field[0];
  if ((first < '0' || first > '9') && first != '.' && first != '+' &&
      (field == "N/A" || field == "NaN" || field == "nan" || field == "<NONE>" || field == "-" ||
       field == "NA")) {
    return std::nan("");
  }
  // fast_float takes no leading '+'; an exponent's sign it takes.
  const char* p = field.data();
  const char* end = p + field.size();
  if (*p == '+') ++p;
  double value;
  const fast_float::parse_options options(fast_float::chars_format::general,
                                          decimal_comma ? ',' : '.');
  const fast_float::from_chars_result r = fast_float::from_chars_advanced(p, end, value, options);
  if (r.ec != std::errc() || r.ptr != end) return std::nullopt;
  return value;
}

std::optional<double> ParseDuration(absl::string_view field, bool decimal_comma) {
  field = Trim(field);
  double days = 0;
  if (size_t d = field.find('d'); d != absl::string_view::npos) {
    std::optional<double> n = ParseNumber(field.substr(0, d), false);
    if (!n || std::isnan(*n)) return std::nullopt;
    days = *n;
    field = Trim(field.substr(d + 1));
  }
  const size_t a = field.find(':');
  const size_t b = a == absl::string_view::npos ? a : field.find(':', a + 1);
  if (b == absl::string_view::npos || field.find(':', b + 1) != absl::string_view::npos) {
    return std::nullopt;
  }
  std::optional<double> h = ParseNumber(field.substr(0, a), false);
  std::optional<double> m = ParseNumber(field.substr(a + 1, b - a - 1), false);
  std::optional<double> s = ParseNumber(field.substr(b + 1), decimal_comma);
  if (!h || !m || !s || std::isnan(*h) || std::isnan(*m) || std::isnan(*s)) return std::nullopt;
  return days * 86400 + *h * 3600 + *m * 60 + *s;
}

namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

bool Digits(absl::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

// "YYYY-MM-DD HH:MM:SS[.f]" and "MM/DD/YYYY HH:MM:SS[.f]" without absl::ParseTime.
std::optional<double> FastTimestamp(absl::string_view s) {
  int y, mo, d, h, mi, sec;
  size_t time_at;
  if (s.size() >= 19 && s[4] == '-' && s[7] == '-' && (s[10] == ' ' || s[10] == 'T')) {
    if (!Digits(s, 0, 4, &y) || !Digits(s, 5, 2, &mo) || !Digits(s, 8, 2, &d)) return std::nullopt;
    time_at = 11;
  } else if (s.size() >= 19 && s[2] == '/' && s[5] == '/' && s[10] == ' ') {
    if (!Digits(s, 0, 2, &mo) || !Digits(s, 3, 2, &d) || !Digits(s, 6, 4, &y)) return std::nullopt;
    time_at = 11;
  } else {
    return std::nullopt;
  }
  if (s[time_at + 2] != ':' || s[time_at + 5] != ':' || !Digits(s, time_at, 2, &h) ||
      !Digits(s, time_at + 3, 2, &mi) || !Digits(s, time_at + 6, 2, &sec) || mo < 1 || mo > 12 ||
      d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) {
    return std::nullopt;
  }
  double fraction = 0;
  absl::string_view rest = s.substr(time_at + 8);
  if (!rest.empty()) {
    if (rest[0] != '.' || rest.size() < 2) return std::nullopt;
    double scale = 0.1;
    for (size_t i = 1; i < rest.size(); ++i, scale /= 10) {
      if (rest[i] < '0' || rest[i] > '9') return std::nullopt;
      fraction += (rest[i] - '0') * scale;
    }
  }
  const int64_t days = DaysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  const double whole = static_cast<double>(days * 86400 + h * 3600 + mi * 60 + sec);
  return fraction == 0 ? whole : std::round((whole + fraction) * 1e6) / 1e6;
}

}  // namespace

std::optional<double> ParseTimestamp(absl::string_view field) {
  field = Trim(field);
  if (std::optional<double> fast = FastTimestamp(field)) return fast;
  static const char* kLayouts[] = {
      "%Y-%m-%d %H:%M:%E*S", "%Y-%m-%dT%H:%M:%E*S", "%m/%d/%Y %H:%M:%E*S",
      "%d-%b-%y %I:%M:%E*S %p", "%Y/%m/%d %H:%M:%E*S", "%d.%m.%Y %H:%M:%E*S",
      // ISO 8601 with its offset or Z: an absolute time (no zone applies).
      "%Y-%m-%dT%H:%M:%E*S%Ez", "%Y-%m-%dT%H:%M:%E*SZ", "%Y-%m-%d %H:%M:%E*S%Ez",
      // 12-hour clocks, month names.
      "%m/%d/%Y %I:%M:%E*S %p", "%Y-%m-%d %I:%M:%E*S %p", "%d-%b-%Y %H:%M:%E*S",
      "%d-%b-%Y %I:%M:%E*S %p", "%b %d, %Y %I:%M:%E*S %p", "%b %d %Y %H:%M:%E*S",
      "%d %b %Y %H:%M:%E*S",
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
