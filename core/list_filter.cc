#include "core/list_filter.h"

#include <cctype>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "core/errors.h"
#include "core/names.h"

namespace batteryhub {
namespace {

class Lexer {
 public:
  explicit Lexer(absl::string_view text) : text_(text) {}

  void SkipSpace() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }
  bool AtEnd() {
    SkipSpace();
    return pos_ >= text_.size();
  }
  size_t column() const { return pos_ + 1; }

  // A run of word characters (field paths, bare values, AND).
  std::string Word() {
    SkipSpace();
    size_t start = pos_;
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.' && c != '/' &&
          c != '-') {
        break;
      }
      ++pos_;
    }
    return std::string(text_.substr(start, pos_ - start));
  }

  bool Consume(char c) {
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  // A quoted string with \" and \\ escapes, or a bare word.
  absl::StatusOr<std::string> Value() {
    SkipSpace();
    if (pos_ >= text_.size() || text_[pos_] != '"') return Word();
    std::string out;
    for (++pos_; pos_ < text_.size(); ++pos_) {
      char c = text_[pos_];
      if (c == '"') {
        ++pos_;
        return out;
      }
      if (c == '\\' && pos_ + 1 < text_.size()) c = text_[++pos_];
      out.push_back(c);
    }
    return absl::InvalidArgumentError("unterminated string");
  }

 private:
  absl::string_view text_;
  size_t pos_ = 0;
};

absl::Status FilterError(size_t column, absl::string_view what) {
  Violations v;
  v.Add("filter", absl::StrCat("column ", column, ": ", what));
  return v.ToStatus("filter");
}

}  // namespace

absl::StatusOr<ListFilter> ParseListFilter(absl::string_view text) {
  ListFilter filter;
  Lexer lex(text);
  if (lex.AtEnd()) return filter;
  while (true) {
    size_t column = (lex.SkipSpace(), lex.column());
    std::string field = lex.Word();
    if (field.empty()) return FilterError(column, "expected a field: owner or labels.{key}");
    if (!lex.Consume('=')) {
      return FilterError(lex.column(), "expected '=' (only equality on owner and labels for now)");
    }
    size_t value_column = (lex.SkipSpace(), lex.column());
    absl::StatusOr<std::string> value = lex.Value();
    if (!value.ok()) return FilterError(value_column, value.status().message());
    if (field == "owner") {
      std::string id = *value;
      if (absl::StartsWith(id, "institutions/")) id = id.substr(13);
      if (!IsValidId(id)) return FilterError(value_column, "expected institutions/{institution}");
      filter.owner = id;
    } else if (absl::StartsWith(field, "labels.") && field.size() > 7) {
      filter.labels[field.substr(7)] = *value;
    } else {
      return FilterError(column, absl::StrCat("unknown field '", field,
                                              "': expected owner or labels.{key}"));
    }
    if (lex.AtEnd()) return filter;
    size_t and_column = (lex.SkipSpace(), lex.column());
    if (lex.Word() != "AND") return FilterError(and_column, "expected AND or the end");
  }
}

}  // namespace batteryhub
