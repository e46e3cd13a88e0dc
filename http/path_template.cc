#include "http/path_template.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace batteryhub::http {
namespace {

absl::Status Malformed(absl::string_view text, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("path template '", text, "': ", why));
}

bool IsFieldPath(absl::string_view s) {
  if (s.empty()) return false;
  for (absl::string_view part : absl::StrSplit(s, '.')) {
    if (part.empty()) return false;
    for (char c : part) {
      if (!(c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
        return false;
      }
    }
  }
  return true;
}

bool IsLiteral(absl::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c == '/' || c == '{' || c == '}' || c == '*' || c == ':' || c == '=') return false;
  }
  return true;
}

}  // namespace

bool PathTemplate::AddSegment(absl::string_view seg) {
  if (seg == "*") {
    segments_.push_back({Kind::kStar, ""});
  } else if (seg == "**") {
    segments_.push_back({Kind::kDoubleStar, ""});
  } else if (IsLiteral(seg)) {
    segments_.push_back({Kind::kLiteral, std::string(seg)});
    ++literals_;
  } else {
    return false;
  }
  return true;
}

absl::StatusOr<PathTemplate> PathTemplate::Parse(absl::string_view text) {
  PathTemplate t;
  t.text_ = std::string(text);
  if (text.empty() || text[0] != '/') return Malformed(text, "must start with '/'");
  absl::string_view rest = text.substr(1);
  // The verb: a ':' after the last '/' and outside braces.
  const size_t last_close = rest.rfind('}');
  const size_t colon = rest.rfind(':');
  if (colon != absl::string_view::npos && (last_close == absl::string_view::npos || colon > last_close) &&
      rest.find('/', colon) == absl::string_view::npos) {
    t.verb_ = std::string(rest.substr(colon + 1));
    if (!IsLiteral(t.verb_)) return Malformed(text, "the verb must be a literal");
    rest = rest.substr(0, colon);
  }
  size_t i = 0;
  while (i <= rest.size()) {
    if (i < rest.size() && rest[i] == '{') {
      const size_t close = rest.find('}', i);
      if (close == absl::string_view::npos) return Malformed(text, "unclosed '{'");
      absl::string_view inner = rest.substr(i + 1, close - i - 1);
      absl::string_view field = inner, pattern = "*";
      if (size_t eq = inner.find('='); eq != absl::string_view::npos) {
        field = inner.substr(0, eq);
        pattern = inner.substr(eq + 1);
      }
      if (!IsFieldPath(field)) return Malformed(text, absl::StrCat("bad field path '", field, "'"));
      Variable v{std::string(field), t.segments_.size(), 0};
      for (absl::string_view seg : absl::StrSplit(pattern, '/')) {
        if (!t.AddSegment(seg)) return Malformed(text, absl::StrCat("bad segment '", seg, "' in variable"));
      }
      v.end = t.segments_.size();
      t.variables_.push_back(std::move(v));
      i = close + 1;
    } else {
      size_t slash = rest.find('/', i);
      if (slash == absl::string_view::npos) slash = rest.size();
      absl::string_view seg = rest.substr(i, slash - i);
      if (!t.AddSegment(seg)) return Malformed(text, absl::StrCat("bad segment '", seg, "'"));
      i = slash;
    }
    if (i == rest.size()) break;
    if (rest[i] != '/') return Malformed(text, "a variable must be a whole segment");
    ++i;
  }
  for (size_t s = 0; s + 1 < t.segments_.size(); ++s) {
    if (t.segments_[s].kind == Kind::kDoubleStar) return Malformed(text, "'**' must be last");
  }
  return t;
}

std::optional<std::vector<std::pair<std::string, std::string>>> PathTemplate::Match(
    absl::string_view path) const {
  if (path.empty() || path[0] != '/') return std::nullopt;
  path.remove_prefix(1);
  if (!verb_.empty()) {
    const std::string suffix = absl::StrCat(":", verb_);
    if (path.size() <= suffix.size() || path.substr(path.size() - suffix.size()) != suffix) {
      return std::nullopt;
    }
    path.remove_suffix(suffix.size());
  }
  std::vector<absl::string_view> parts = absl::StrSplit(path, '/');
  // Where each template segment's match starts and ends, in `parts`.
  std::vector<size_t> begin(segments_.size()), end(segments_.size());
  size_t p = 0;
  for (size_t s = 0; s < segments_.size(); ++s) {
    const Segment& seg = segments_[s];
    begin[s] = p;
    if (seg.kind == Kind::kDoubleStar) {
      if (p >= parts.size()) return std::nullopt;
      for (; p < parts.size(); ++p) {
        if (parts[p].empty()) return std::nullopt;
      }
    } else {
      if (p >= parts.size() || parts[p].empty()) return std::nullopt;
      if (seg.kind == Kind::kLiteral && parts[p] != seg.literal) return std::nullopt;
      ++p;
    }
    end[s] = p;
  }
  if (p != parts.size()) return std::nullopt;
  std::vector<std::pair<std::string, std::string>> bound;
  for (const Variable& v : variables_) {
    std::vector<absl::string_view> pieces(parts.begin() + static_cast<long>(begin[v.begin]),
                                          parts.begin() + static_cast<long>(end[v.end - 1]));
    bound.emplace_back(v.field_path, absl::StrJoin(pieces, "/"));
  }
  return bound;
}

}  // namespace batteryhub::http
