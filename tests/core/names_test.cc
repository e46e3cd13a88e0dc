#include "core/names.h"

#include <gtest/gtest.h>

namespace batteryhub {
namespace {

TEST(NamesTest, ValidIdsAreDnsLabels) {
  EXPECT_TRUE(IsValidId("lot-7"));
  EXPECT_TRUE(IsValidId("a"));
  EXPECT_TRUE(IsValidId(std::string(63, 'a')));
  EXPECT_FALSE(IsValidId(std::string(64, 'a')));
  EXPECT_FALSE(IsValidId(""));
  EXPECT_FALSE(IsValidId("-lot"));
  EXPECT_FALSE(IsValidId("lot-"));
  EXPECT_FALSE(IsValidId("Lot"));
  EXPECT_FALSE(IsValidId("lot_7"));
  EXPECT_FALSE(IsValidId("lot/7"));
  EXPECT_FALSE(IsValidId(std::string("lot\0x", 5)));
}

TEST(NamesTest, ParsesRecordNamesWithRevisions) {
  auto n = ParseRecordName("institutions/nrc/samples/lot-7@3", "samples", "name", true);
  ASSERT_TRUE(n.ok()) << n.status();
  EXPECT_EQ(n->institution, "nrc");
  EXPECT_EQ(n->id, "lot-7");
  EXPECT_EQ(n->revision, 3u);
  EXPECT_EQ(n->Name(), "institutions/nrc/samples/lot-7");
  EXPECT_EQ(n->Owner(), "institutions/nrc");
}

TEST(NamesTest, RejectsMalformedNames) {
  for (const char* bad : {"institutions/nrc/samples", "institutions/nrc/cellTests/x",
                          "institution/nrc/samples/x", "institutions/NRC/samples/x",
                          "institutions/nrc/samples/x@0", "institutions/nrc/samples/x@-1",
                          "institutions/nrc/samples/x/y", "institutions/nrc/samples/x@1"}) {
    auto n = ParseRecordName(bad, "samples", "name", std::string(bad).find("@1") == std::string::npos);
    EXPECT_EQ(n.status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
}

TEST(NamesTest, InstitutionNamesAndWildcard) {
  EXPECT_EQ(*ParseInstitutionName("institutions/aist", "parent", false), "aist");
  EXPECT_EQ(*ParseInstitutionName("institutions/-", "parent", true), "-");
  EXPECT_FALSE(ParseInstitutionName("institutions/-", "parent", false).ok());
  EXPECT_FALSE(ParseInstitutionName("aist", "parent", true).ok());
}

}  // namespace
}  // namespace batteryhub
