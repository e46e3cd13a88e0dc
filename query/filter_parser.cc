// ParseFilter: a recursive-descent parser over a small tokenizer.
//
// Untrusted input: the text is at most kMaxFilterBytes, nesting (parentheses
// and NOT) at most kMaxFilterDepth levels, so the recursion here and in
// every walk of the tree is bounded; AND and OR chains are one n-ary node,
// so a long chain is flat and every walk is linear in the filter's size.
#include <cctype>

#include "absl/strings/str_cat.h"
#include "core/errors.h"
#include "query/filter.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "core/units.h"
#include "core/status_macros.h"

namespace batteryhub {
namespace {

struct Token {
  enum class Type { kEnd, kWord, kString, kOp, kLParen, kRParen };
  Type type = Type::kEnd;
  std::string text;
  size_t column = 0;
};

absl::Status Error(size_t column, absl::string_view what) {
  return InvalidField("filter", absl::StrCat("column ", column, ": ", what), "filter");
}

// Input echoed in an error, cut to a few dozen characters.
std::string Shown(absl::string_view text) {
  constexpr size_t kShown = 40;
  if (text.size() <= kShown) return std::string(text);
  return absl::StrCat(text.substr(0, kShown), "...");
}

absl::StatusOr<std::vector<Token>> Tokenize(absl::string_view s) {
  std::vector<Token> out;
  size_t i = 0;
  while (true) {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    Token t;
    t.column = i + 1;
    if (i >= s.size()) {
      out.push_back(t);
      return out;
    }
    const char c = s[i];
    if (c == '(' || c == ')') {
      t.type = c == '(' ? Token::Type::kLParen : Token::Type::kRParen;
      t.text = std::string(1, c);
      ++i;
    } else if (c == '"' || c == '\'') {
      t.type = Token::Type::kString;
      for (++i; i < s.size() && s[i] != c; ++i) {
        if (s[i] == '\\' && i + 1 < s.size()) ++i;
        t.text.push_back(s[i]);
      }
      if (i >= s.size()) return Error(t.column, "unterminated string");
      ++i;
    } else if (c == '-' && i + 1 < s.size() &&
               (std::isalpha(static_cast<unsigned char>(s[i + 1])) || s[i + 1] == '(')) {
      t.type = Token::Type::kWord;  // negation: -field = x, -(a OR b)
      t.text = "-";
      ++i;
    } else if (c == '=' || c == ':' || c == '<' || c == '>' || c == '!') {
      t.type = Token::Type::kOp;
      t.text = std::string(1, c);
      if (i + 1 < s.size() && s[i + 1] == '=' && c != '=' && c != ':') t.text.push_back('=');
      if (t.text == "!") return Error(t.column, "expected '!='");
      i += t.text.size();
    } else {
      t.type = Token::Type::kWord;
      while (i < s.size() && !std::isspace(static_cast<unsigned char>(s[i])) &&
             std::string("()=:<>!\"'").find(s[i]) == std::string::npos) {
        t.text.push_back(s[i++]);
      }
      if (t.text.empty()) return Error(t.column, absl::StrCat("unexpected '", std::string(1, c), "'"));
    }
    out.push_back(std::move(t));
  }
}

class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}

  absl::StatusOr<std::unique_ptr<FilterNode>> Parse() {
    auto e = Expression();
    if (!e.ok()) return e;
    if (Peek().type != Token::Type::kEnd) {
      return Error(Peek().column, absl::StrCat("expected AND, OR or the end, found '", Shown(Peek().text), "'"));
    }
    return e;
  }

 private:
  const Token& Peek() const { return tokens_[pos_]; }
  Token Next() { return tokens_[pos_ < tokens_.size() - 1 ? pos_++ : pos_]; }
  bool IsWord(const char* w) const { return Peek().type == Token::Type::kWord && Peek().text == w; }

  // Appends `b` to the n-ary `kind` node `a` (made when `a` is another kind).
  static std::unique_ptr<FilterNode> Join(FilterNode::Kind kind, std::unique_ptr<FilterNode> a,
                                          std::unique_ptr<FilterNode> b) {
    if (a->kind != kind || a->grouped) {
      auto n = std::make_unique<FilterNode>();
      n->kind = kind;
      n->children.push_back(std::move(a));
      a = std::move(n);
    }
    a->children.push_back(std::move(b));
    return a;
  }

  // Enters one level of nesting; INVALID_ARGUMENT past the limit.
  absl::Status Enter(size_t column) {
    if (++depth_ > kMaxFilterDepth) {
      return Error(column, absl::StrCat("nested deeper than ", kMaxFilterDepth,
                                        " levels (parentheses and NOT)"));
    }
    return absl::OkStatus();
  }

  // AIP-160: OR binds tighter than AND, and juxtaposition is AND:
  //   expression := factor ( ["AND"] factor )*
  //   factor     := term ( "OR" term )*
  // so `a AND b OR c` is `a AND (b OR c)`.
  absl::StatusOr<std::unique_ptr<FilterNode>> Expression() {
    auto left = Factor();
    if (!left.ok()) return left;
    std::unique_ptr<FilterNode> node = std::move(*left);
    while (Peek().type != Token::Type::kEnd && Peek().type != Token::Type::kRParen) {
      if (IsWord("AND")) Next();
      auto right = Factor();
      if (!right.ok()) return right;
      node = Join(FilterNode::Kind::kAnd, std::move(node), std::move(*right));
    }
    return node;
  }

  absl::StatusOr<std::unique_ptr<FilterNode>> Factor() {
    auto left = Term();
    if (!left.ok()) return left;
    std::unique_ptr<FilterNode> node = std::move(*left);
    while (IsWord("OR")) {
      Next();
      auto right = Term();
      if (!right.ok()) return right;
      node = Join(FilterNode::Kind::kOr, std::move(node), std::move(*right));
    }
    return node;
  }

  absl::StatusOr<std::unique_ptr<FilterNode>> Term() {
    if (IsWord("NOT") || (Peek().type == Token::Type::kWord && Peek().text == "-")) {
      RETURN_IF_ERROR(Enter(Next().column));
      auto inner = Term();
      --depth_;
      if (!inner.ok()) return inner;
      auto n = std::make_unique<FilterNode>();
      n->kind = FilterNode::Kind::kNot;
      n->children.push_back(std::move(*inner));
      return n;
    }
    if (Peek().type == Token::Type::kLParen) {
      const size_t column = Next().column;
      RETURN_IF_ERROR(Enter(column));
      auto inner = Expression();
      --depth_;
      if (!inner.ok()) return inner;
      (*inner)->grouped = true;
      if (Peek().type != Token::Type::kRParen) {
        return Error(Peek().column, absl::StrCat("expected ')' closing the '(' at column ", column));
      }
      Next();
      return inner;
    }
    if (Peek().type == Token::Type::kWord && pos_ + 1 < tokens_.size() &&
        tokens_[pos_ + 1].type == Token::Type::kLParen) {
      return Function();
    }
    return Restriction();
  }

  absl::StatusOr<std::unique_ptr<FilterNode>> Function() {
    const Token name = Next();
    Next();  // (
    const Token arg = Next();
    if (arg.type != Token::Type::kString && arg.type != Token::Type::kWord) {
      return Error(arg.column, absl::StrCat("expected an argument to ", Shown(name.text), "()"));
    }
    if (Peek().type != Token::Type::kRParen) {
      return Error(Peek().column, absl::StrCat("expected ')' after the argument of ", Shown(name.text)));
    }
    Next();
    auto n = std::make_unique<FilterNode>();
    n->kind = FilterNode::Kind::kFunction;
    n->column = name.column;
    n->path = {name.text};
    n->value = arg.text;
    n->quoted = arg.type == Token::Type::kString;
    return n;
  }

  absl::StatusOr<std::unique_ptr<FilterNode>> Restriction() {
    const Token field = Next();
    if (field.type != Token::Type::kWord) {
      return Error(field.column, "expected a field such as owner, labels.project or cell.chemistry");
    }
    const Token op = Next();
    if (op.type != Token::Type::kOp) {
      return Error(op.column, absl::StrCat("expected a comparison (=, !=, <, <=, >, >=, :) after '",
                                           Shown(field.text), "'"));
    }
    const Token value = Next();
    if (value.type != Token::Type::kWord && value.type != Token::Type::kString) {
      return Error(value.column, absl::StrCat("expected a value after '", op.text, "'"));
    }
    auto n = std::make_unique<FilterNode>();
    n->column = field.column;
    n->op = op.text;
    n->value = value.text;
    n->quoted = value.type == Token::Type::kString;
    // `12 um`: a unit after a number (and not the field of a next restriction).
    double number;
    if (!n->quoted && Peek().type == Token::Type::kWord && absl::SimpleAtod(value.text, &number) &&
        !(pos_ + 1 < tokens_.size() && tokens_[pos_ + 1].type == Token::Type::kOp)) {
      if (std::optional<UnitInfo> unit = LookupUnit(Peek().text)) {
        n->unit = Next().text;
        n->value = absl::StrFormat("%.17g", ToCanonical(*unit, number));
      }
    }
    size_t start = 0;
    while (true) {
      const size_t dot = field.text.find('.', start);
      n->path.push_back(field.text.substr(start, dot == std::string::npos ? dot : dot - start));
      if (n->path.back().empty()) return Error(field.column, "empty name in field path");
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
    return n;
  }

  std::vector<Token> tokens_;
  size_t pos_ = 0;
  int depth_ = 0;
};

}  // namespace

absl::StatusOr<std::unique_ptr<FilterNode>> ParseFilter(absl::string_view text) {
  if (text.size() > kMaxFilterBytes) {
    return InvalidField("filter",
                        absl::StrCat("is ", text.size(), " bytes; at most ", kMaxFilterBytes,
                                     " are accepted"),
                        "filter");
  }
  absl::StatusOr<std::vector<Token>> tokens = Tokenize(text);
  if (!tokens.ok()) return tokens.status();
  if (tokens->size() == 1) return std::unique_ptr<FilterNode>();  // empty: everything
  return Parser(std::move(*tokens)).Parse();
}

namespace {

void CollectNodes(const FilterNode* node, FilterNode::Kind kind,
                  std::vector<const FilterNode*>* out) {
  if (node == nullptr) return;
  if (node->kind == kind) out->push_back(node);
  for (const auto& child : node->children) CollectNodes(child.get(), kind, out);
}

}  // namespace

std::vector<const FilterNode*> FilterFunctions(const FilterNode* node) {
  std::vector<const FilterNode*> out;
  CollectNodes(node, FilterNode::Kind::kFunction, &out);
  return out;
}

namespace {

void CollectTopLevel(const FilterNode* node, std::vector<TopLevelRestriction>* out) {
  if (node == nullptr) return;
  if (node->kind == FilterNode::Kind::kAnd) {
    for (const auto& child : node->children) CollectTopLevel(child.get(), out);
  } else if (node->kind == FilterNode::Kind::kRestriction ||
             node->kind == FilterNode::Kind::kFunction) {
    std::string path;
    for (const std::string& p : node->path) path += (path.empty() ? "" : ".") + p;
    out->push_back({path, node->kind == FilterNode::Kind::kFunction ? "()" : node->op,
                    node->value, node});
  }
}

}  // namespace

std::vector<TopLevelRestriction> TopLevelRestrictions(const FilterNode* node) {
  std::vector<TopLevelRestriction> out;
  CollectTopLevel(node, &out);
  return out;
}

bool IsConjunction(const FilterNode* node) {
  if (node == nullptr || node->kind == FilterNode::Kind::kRestriction ||
      node->kind == FilterNode::Kind::kFunction) {
    return true;
  }
  if (node->kind != FilterNode::Kind::kAnd) return false;
  for (const auto& child : node->children) {
    if (!IsConjunction(child.get())) return false;
  }
  return true;
}

}  // namespace batteryhub
