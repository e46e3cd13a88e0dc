// The demo's instrument files read through the same readers as a lab's, and
// give back the values they were written from.
#include <gtest/gtest.h>

#include "clients/cli/characterization_upload.h"
#include "clients/cli/demo_files.h"
#include "parsers/characterization.h"

namespace batteryhub::cli {
namespace {

TEST(DemoFilesTest, EveryXrdLayoutReadsToTheSamePattern) {
  std::vector<double> first_y;
  for (int layout = 0; layout < 4; ++layout) {
    SCOPED_TRACE(layout);
    DemoFile f = DemoXrdFile("lot-1", layout);
    absl::StatusOr<parsers::ParsedCharacterization> p = parsers::ParseCharacterization(f.name, f.bytes);
    ASSERT_TRUE(p.ok()) << p.status();
    EXPECT_EQ(p->technique, parsers::CharTechnique::kXrd);
    ASSERT_FALSE(p->curves.empty());
    EXPECT_EQ(p->curves[0].x.size(), 1401u);
    EXPECT_NEAR(p->curves[0].x.back(), 80, 1e-9);
    if (first_y.empty()) first_y = p->curves[0].y;
    EXPECT_EQ(p->curves[0].y, first_y);
    EXPECT_EQ(p->FindCondition("anode")->text, "Cu");
  }
}

TEST(DemoFilesTest, ParticleSizeAndBetFilesGiveTheirValues) {
  DemoFile psd = DemoPsdFile("lot-1", 11.0);
  absl::StatusOr<parsers::ParsedCharacterization> p = parsers::ParseCharacterization(psd.name, psd.bytes);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_NEAR(p->FindResult("d50")->value, 11.0, 1e-3);
  DemoFile bet = DemoBetFile("lot-1", 0.42);
  p = parsers::ParseCharacterization(bet.name, bet.bytes);
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_NE(p->FindResult("bet_surface_area"), nullptr);
  EXPECT_NEAR(p->FindResult("bet_surface_area")->value, 0.42, 1e-3);
  EXPECT_NEAR(p->FindResult("bet_c_constant")->value, 120, 0.5);
  // The record a demo load sends names the file and says how BET was found.
  v1::Characterization record = CharacterizationOf(*p, bet.name, bet.bytes);
  EXPECT_EQ(record.technique(), v1::TECHNIQUE_BET);
  EXPECT_EQ(record.attachments(0).file_name(), "bet-cam-1.DAT");
  EXPECT_EQ(record.provenance().source().file_sha256(), record.attachments(0).sha256());
  bool method = false;
  for (const auto& r : record.results()) method |= r.name() == "bet_surface_area" && !r.method().empty();
  EXPECT_TRUE(method);
}

}  // namespace
}  // namespace batteryhub::cli
