#include "core/toml_text.h"

#include <gtest/gtest.h>

namespace batteryhub {
namespace {

TEST(TomlTextTest, NonAsciiOnlyInStringsAndComments) {
  EXPECT_TRUE(CheckTomlText("a = \"µm ° 号\"  # température\nb = 'é'\nc = \"\"\"\nΩ\n\"\"\"\n", "f").ok());
  EXPECT_TRUE(CheckTomlText("\xEF\xBB\xBF" "a = 1\n", "f").ok());  // BOM
  EXPECT_TRUE(CheckTomlText("a = \"x \\\" y\"\n", "f").ok());     // escaped quote
  // Found by fuzz_hub_config: toml++ reaches __builtin_unreachable() here.
  auto s = CheckTomlText("\xEF\xBB\xBD" "as3_fra!", "hub.toml");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(), "hub.toml:1: a non-ASCII character outside a string or comment");
  EXPECT_EQ(CheckTomlText("a = 1\nb = é\n", "f").message(),
            "f:2: a non-ASCII character outside a string or comment");
  EXPECT_EQ(CheckTomlText("a = \"open\nb = 2", "f").message(), "f:1: unterminated string");
  EXPECT_FALSE(CheckTomlText(std::string("a = 1\0", 6), "f").ok());
  // Found by fuzz_hub_config too: a quote toml++ does not take as a string.
  EXPECT_EQ(CheckTomlText("k =-\":C7CO.\xD0\x8Empos\"\"\"ial l", "f").message(),
            "f:1: a quote where no key or value may start");
  EXPECT_TRUE(CheckTomlText("[\"t\".\"u\"]\na = [\"x\", 'y']\nb = { \"c\" = \"d\" }\n\"k\".e = 1\n",
                            "f").ok());
}

}  // namespace
}  // namespace batteryhub
