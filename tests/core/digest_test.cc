#include "core/digest.h"

#include <gtest/gtest.h>

#include "batteryhub/v1/sample.pb.h"
#include "core/sha256.h"

namespace batteryhub {
namespace {

batteryhub::v1::Sample Lot() {
  batteryhub::v1::Sample s;
  s.set_name("institutions/nrc/samples/lot-1");
  s.set_kind(batteryhub::v1::SAMPLE_KIND_MATERIAL_LOT);
  s.mutable_material_lot()->set_material("NMC811");
  (*s.mutable_labels())["project"] = "a";
  (*s.mutable_labels())["stage"] = "b";
  (*s.mutable_labels())["site"] = "c";
  return s;
}

TEST(Sha256Test, KnownVectors) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_TRUE(IsSha256Hex(Sha256Hex("x")));
  EXPECT_FALSE(IsSha256Hex("abc"));
  EXPECT_FALSE(IsSha256Hex(std::string(63, 'a') + "g"));
}

TEST(DigestTest, DeterministicAcrossMapInsertionOrder) {
  batteryhub::v1::Sample a = Lot();
  batteryhub::v1::Sample b;
  b.set_name(a.name());
  b.set_kind(a.kind());
  b.mutable_material_lot()->set_material("NMC811");
  (*b.mutable_labels())["site"] = "c";
  (*b.mutable_labels())["stage"] = "b";
  (*b.mutable_labels())["project"] = "a";
  EXPECT_EQ(ContentDigest(a), ContentDigest(b));
}

TEST(DigestTest, IgnoresBookkeepingButCoversContent) {
  batteryhub::v1::Sample a = Lot();
  batteryhub::v1::Sample b = a;
  b.set_etag("2-abc");
  b.set_revision_id("2");
  b.mutable_update_time()->set_seconds(12345);
  b.mutable_provenance()->set_content_digest("ff");
  b.mutable_provenance()->set_ledger_sequence(9);
  EXPECT_EQ(ContentDigest(a), ContentDigest(b));
  b.mutable_material_lot()->set_material("NMC622");
  EXPECT_NE(ContentDigest(a), ContentDigest(b));
  batteryhub::v1::Sample c = a;
  c.mutable_provenance()->set_submitted_by("institutions/nrc/principals/other");
  EXPECT_NE(ContentDigest(a), ContentDigest(c));
}

}  // namespace
}  // namespace batteryhub
