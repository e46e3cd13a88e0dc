#include "core/list_filter.h"

#include <gtest/gtest.h>

#include "core/errors.h"

namespace batteryhub {
namespace {

TEST(ListFilterTest, EmptyMatchesEverything) {
  auto f = ParseListFilter("  ");
  ASSERT_TRUE(f.ok());
  EXPECT_FALSE(f->owner.has_value());
  EXPECT_TRUE(f->labels.empty());
}

TEST(ListFilterTest, OwnerAndLabels) {
  auto f = ParseListFilter(R"(owner = "institutions/nrc" AND labels.project = "jp-ca" AND labels.stage=cell)");
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_EQ(*f->owner, "nrc");
  EXPECT_EQ(f->labels.at("project"), "jp-ca");
  EXPECT_EQ(f->labels.at("stage"), "cell");
}

TEST(ListFilterTest, ErrorsNamePositionAndExpectation) {
  struct Case {
    const char* filter;
    const char* expected;
  } cases[] = {
      {"owner", "column 6: expected '='"},
      {"colour = \"red\"", "column 1: unknown field 'colour'"},
      {"owner = \"nrc\" OR owner = \"aist\"", "column 15: expected AND"},
      {"labels.x = \"open", "column 12: unterminated string"},
      {"owner = \"Not An Id\"", "column 9: expected institutions/{institution}"},
  };
  for (const Case& c : cases) {
    auto f = ParseListFilter(c.filter);
    ASSERT_EQ(f.status().code(), absl::StatusCode::kInvalidArgument) << c.filter;
    auto violations = ViolationsOf(f.status());
    ASSERT_EQ(violations.size(), 1u);
    EXPECT_EQ(violations[0].field, "filter");
    EXPECT_NE(violations[0].description.find(c.expected), std::string::npos)
        << c.filter << " -> " << violations[0].description;
  }
}

}  // namespace
}  // namespace batteryhub
