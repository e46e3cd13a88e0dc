// The path templates of `google.api.http` (http.proto): literals, `*` (one
// segment), `**` (the rest), variables `{field.path=pattern}` (default
// pattern `*`) and an optional `:verb`, e.g.
// `/v1/{name=institutions/*/samples/*}:undelete`.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace batteryhub::http {

class PathTemplate {
 public:
  // INVALID_ARGUMENT with the position for a malformed template.
  static absl::StatusOr<PathTemplate> Parse(absl::string_view text);

  // Field path -> value for each variable, or nothing when `path` (already
  // split from its query) does not match. Values are the matched segments
  // joined by '/'.
  std::optional<std::vector<std::pair<std::string, std::string>>> Match(
      absl::string_view path) const;

  const std::string& text() const { return text_; }
  // Literal segments first: routes are tried most specific first.
  int literal_count() const { return literals_; }
  bool has_verb() const { return !verb_.empty(); }

 private:
  enum class Kind { kLiteral, kStar, kDoubleStar };
  struct Segment {
    Kind kind;
    std::string literal;
  };
  struct Variable {
    std::string field_path;
    size_t begin, end;  // segments [begin, end)
  };
  // `*`, `**` or a literal; false for anything else.
  bool AddSegment(absl::string_view segment);

  std::string text_;
  std::vector<Segment> segments_;
  std::vector<Variable> variables_;
  std::string verb_;
  int literals_ = 0;
};

}  // namespace batteryhub::http
