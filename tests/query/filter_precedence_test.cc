// AIP-160 precedence: OR binds tighter than AND (and juxtaposition), NOT
// applies to the term after it.
#include <gtest/gtest.h>

#include "query/filter.h"

namespace batteryhub {
namespace {

// The tree as text: AND(a, OR(b, c)); a restriction as its field name.
std::string Shape(const FilterNode& n) {
  switch (n.kind) {
    case FilterNode::Kind::kRestriction:
    case FilterNode::Kind::kFunction:
      return n.path.back();
    case FilterNode::Kind::kNot:
      return "NOT(" + Shape(*n.children[0]) + ")";
    default: {
      std::string out = n.kind == FilterNode::Kind::kAnd ? "AND(" : "OR(";
      for (size_t i = 0; i < n.children.size(); ++i) {
        out += (i ? ", " : "") + Shape(*n.children[i]);
      }
      return out + ")";
    }
  }
}

std::string ShapeOf(const std::string& filter) {
  auto parsed = ParseFilter(filter);
  EXPECT_TRUE(parsed.ok()) << filter << ": " << parsed.status();
  return parsed.ok() && *parsed ? Shape(**parsed) : "";
}

TEST(FilterPrecedenceTest, OrBindsTighterThanAnd) {
  EXPECT_EQ(ShapeOf("a = 1 AND b = 1 OR c = 1"), "AND(a, OR(b, c))");
  EXPECT_EQ(ShapeOf("a = 1 OR b = 1 AND c = 1"), "AND(OR(a, b), c)");
  EXPECT_EQ(ShapeOf("a = 1 b = 1 OR c = 1"), "AND(a, OR(b, c))");
  EXPECT_EQ(ShapeOf("a = 1 OR b = 1 OR c = 1"), "OR(a, b, c)");
  EXPECT_EQ(ShapeOf("(a = 1 AND b = 1) OR c = 1"), "OR(AND(a, b), c)");
  EXPECT_EQ(ShapeOf("NOT a = 1 OR b = 1"), "OR(NOT(a), b)");
  EXPECT_EQ(ShapeOf("-a = 1 b = 1"), "AND(NOT(a), b)");
}

// The examples of AIP-160's text.
TEST(FilterPrecedenceTest, TheAipExamples) {
  // "New York Giants OR Yankees": New AND York AND (Giants OR Yankees).
  EXPECT_EQ(ShapeOf("new = 1 york = 1 giants = 1 OR yankees = 1"),
            "AND(new, york, OR(giants, yankees))");
  // "a b AND c AND d": equivalent to a AND b AND c AND d.
  EXPECT_EQ(ShapeOf("a = 1 b = 1 AND c = 1 AND d = 1"), "AND(a, b, c, d)");
  // "NOT (a OR b)".
  EXPECT_EQ(ShapeOf("NOT (a = 1 OR b = 1)"), "NOT(OR(a, b))");
  // "a < 10 OR a >= 100".
  EXPECT_EQ(ShapeOf("a < 10 OR a >= 100"), "OR(a, a)");
}

}  // namespace
}  // namespace batteryhub
