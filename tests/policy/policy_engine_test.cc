// The policy engine and field policy alone: no store, no server. The rules
// of policy_engine.h are checked as properties over random accesses,
// readers and times, not by replaying examples:
//   - the owner sees everything, whatever the access says;
//   - a decision is the widest of its routes: deciding the whole access
//     equals the maximum over accesses that each keep one route;
//   - each single route admits exactly whom its rule names;
//   - time only opens (grants' embargoes, releases), never closes, while no
//     agreement ends;
//   - restricted fields open only through a grant that says so;
//   - field policy cuts exactly the paths it reports hidden, a higher tier
//     hides a subset of what a lower one hides, and a cut view carries no
//     digest.
#include <gtest/gtest.h>
#include <google/protobuf/util/time_util.h>

#include <random>

#include "absl/strings/str_cat.h"
#include "batteryhub/v1/characterization.pb.h"
#include "policy/field_policy.h"
#include "policy/policy_engine.h"

namespace batteryhub {
namespace {

namespace v1 = ::batteryhub::v1;
using google::protobuf::util::TimeUtil;

const char* kInstitutions[] = {"aist", "nedo", "libtec", "nrc", "outsider"};
constexpr int64_t kDay = 86400LL * 1000000;
constexpr int64_t kNow = 1790000000LL * 1000000;

class PolicyEngineTest : public ::testing::Test {
 protected:
  std::mt19937 rng_{20261202};
  int64_t now_ = kNow;
  // "outsider" is no member of the consortium.
  PolicyEngine engine_{{"aist", "nedo", "libtec", "nrc"}, [this] { return now_; }};

  int Pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  bool Coin(double p = 0.5) { return std::bernoulli_distribution(p)(rng_); }
  v1::Tier RandomTier(bool unspecified) {
    const v1::Tier tiers[] = {v1::TIER_UNSPECIFIED, v1::TIER_METADATA, v1::TIER_SUMMARY,
                              v1::TIER_FULL};
    return unspecified ? tiers[Pick(4)] : tiers[1 + Pick(3)];
  }
  google::protobuf::Timestamp At(int64_t micros) {
    return TimeUtil::MicrosecondsToTimestamp(micros);
  }

  void RandomAgreements() {
    std::map<std::string, AgreementRule> rules;
    for (int a = 0; a < 3; ++a) {
      AgreementRule r;
      for (int i = 0; i < 4; ++i) {
        if (Coin(0.6)) r.members.insert(kInstitutions[i]);
      }
      if (Coin(0.3)) r.kinds.insert(Coin() ? storage::v1::RECORD_KIND_SAMPLE
                                           : storage::v1::RECORD_KIND_CHARACTERIZATION);
      if (Coin(0.3)) r.labels["project"] = "p" + std::to_string(Pick(2));
      r.tier = RandomTier(false);
      r.start_micros = kNow + (Coin(0.8) ? -10 : 10) * kDay;
      rules["agreements/a" + std::to_string(a)] = r;
    }
    engine_.SetAgreements(std::move(rules));
  }

  storage::StoredRecord RandomRecord() {
    storage::StoredRecord r;
    r.set_kind(Coin() ? storage::v1::RECORD_KIND_SAMPLE : storage::v1::RECORD_KIND_CHARACTERIZATION);
    const std::string owner = kInstitutions[Pick(4)];
    r.set_owner("institutions/" + owner);
    r.set_name(absl::StrCat("institutions/", owner, "/samples/x", Pick(1000)));
    if (Coin(0.6)) (*r.mutable_labels())["project"] = "p" + std::to_string(Pick(2));
    v1::Access* a = r.mutable_access();
    const v1::Visibility vis[] = {v1::VISIBILITY_PRIVATE, v1::VISIBILITY_AGREEMENT,
                                  v1::VISIBILITY_CONSORTIUM, v1::VISIBILITY_PUBLIC};
    a->set_visibility(vis[Pick(4)]);
    a->set_tier(RandomTier(true));
    if (a->visibility() == v1::VISIBILITY_AGREEMENT) {
      for (int i = 0; i < 3; ++i) {
        if (Coin()) a->add_agreements("agreements/a" + std::to_string(i));
      }
    }
    for (const char* i : kInstitutions) {
      if (!Coin(0.3)) continue;
      v1::Grant* g = a->add_grants();
      g->set_institution(absl::StrCat("institutions/", i));
      g->set_tier(RandomTier(true));
      g->set_restricted_fields(Coin());
      if (Coin(0.4)) *g->mutable_start_time() = At(kNow + (Pick(11) - 5) * kDay);
    }
    if (Coin(0.3)) {
      a->mutable_release()->set_visibility(Coin() ? v1::VISIBILITY_CONSORTIUM : v1::VISIBILITY_PUBLIC);
      *a->mutable_release()->mutable_time() = At(kNow + (Pick(11) - 5) * kDay);
    }
    return r;
  }

  // Accesses that each keep one route of `r`'s access (the rest private).
  std::vector<storage::StoredRecord> SingleRoutes(const storage::StoredRecord& r) {
    std::vector<storage::StoredRecord> out;
    auto base = [&] {
      storage::StoredRecord one = r;
      v1::Access* a = one.mutable_access();
      a->set_visibility(v1::VISIBILITY_PRIVATE);
      a->clear_agreements();
      a->clear_grants();
      a->clear_release();
      return one;
    };
    {
      storage::StoredRecord one = base();
      one.mutable_access()->set_visibility(r.access().visibility());
      if (r.access().visibility() != v1::VISIBILITY_AGREEMENT) out.push_back(one);
    }
    if (r.access().has_release()) {
      storage::StoredRecord one = base();
      *one.mutable_access()->mutable_release() = r.access().release();
      out.push_back(one);
    }
    for (const std::string& agreement : r.access().agreements()) {
      storage::StoredRecord one = base();
      one.mutable_access()->set_visibility(v1::VISIBILITY_AGREEMENT);
      one.mutable_access()->add_agreements(agreement);
      out.push_back(one);
    }
    for (const v1::Grant& g : r.access().grants()) {
      storage::StoredRecord one = base();
      *one.mutable_access()->add_grants() = g;
      out.push_back(one);
    }
    return out;
  }
};

TEST_F(PolicyEngineTest, TheOwnerSeesEverything) {
  for (int i = 0; i < 500; ++i) {
    storage::StoredRecord r = RandomRecord();
    const std::string owner = r.owner().substr(strlen("institutions/"));
    const ReadDecision d = engine_.DecideFor(owner, r);
    EXPECT_EQ(d.tier, v1::TIER_FULL);
    EXPECT_TRUE(d.owner && d.restricted && d.whole());
  }
}

TEST_F(PolicyEngineTest, ADecisionIsTheWidestOfItsRoutes) {
  RandomAgreements();
  for (int i = 0; i < 3000; ++i) {
    const storage::StoredRecord r = RandomRecord();
    const std::string reader = Pick(6) == 5 ? "" : kInstitutions[Pick(5)];
    if (r.owner() == "institutions/" + reader) continue;
    const ReadDecision whole = engine_.DecideFor(reader, r);
    Tier widest = v1::TIER_UNSPECIFIED;
    bool restricted = false;
    for (const storage::StoredRecord& one : SingleRoutes(r)) {
      const ReadDecision d = engine_.DecideFor(reader, one);
      widest = std::max(widest, d.tier);
      restricted |= d.restricted;
    }
    ASSERT_EQ(whole.tier, widest) << r.ShortDebugString() << " for '" << reader << "'";
    ASSERT_EQ(whole.restricted, restricted) << r.ShortDebugString() << " for '" << reader << "'";
    EXPECT_FALSE(whole.owner);
  }
}

TEST_F(PolicyEngineTest, EachRouteAdmitsWhomItsRuleNames) {
  RandomAgreements();
  const auto rules = engine_.agreements();
  for (int i = 0; i < 3000; ++i) {
    const storage::StoredRecord r = RandomRecord();
    const std::string reader = Pick(6) == 5 ? "" : kInstitutions[Pick(5)];
    if (r.owner() == "institutions/" + reader) continue;
    const bool member = reader != "" && reader != "outsider";
    const v1::Access& a = r.access();
    const Tier open = a.tier() == v1::TIER_UNSPECIFIED ? v1::TIER_FULL : a.tier();
    for (const storage::StoredRecord& one : SingleRoutes(r)) {
      const v1::Access& o = one.access();
      Tier expected = v1::TIER_UNSPECIFIED;
      if (o.has_release()) {
        const bool admits = o.release().visibility() == v1::VISIBILITY_PUBLIC ||
                            (o.release().visibility() == v1::VISIBILITY_CONSORTIUM && member);
        if (admits && now_ >= TimeUtil::TimestampToMicroseconds(o.release().time())) expected = open;
      } else if (o.grants_size() == 1) {
        const v1::Grant& g = o.grants(0);
        const bool started = !g.has_start_time() || now_ >= TimeUtil::TimestampToMicroseconds(g.start_time());
        if (!reader.empty() && g.institution() == "institutions/" + reader && started) expected = g.tier();
      } else if (o.agreements_size() == 1) {
        const AgreementRule& rule = rules->at(o.agreements(0));
        const std::string owner = r.owner().substr(strlen("institutions/"));
        bool labelled = true;
        for (const auto& [k, v] : rule.labels) {
          labelled &= r.labels().count(k) > 0 && r.labels().at(k) == v;
        }
        if (member && rule.members.count(reader) && rule.members.count(owner) &&
            (rule.kinds.empty() || rule.kinds.count(r.kind())) && now_ >= rule.start_micros &&
            labelled) {
          expected = rule.tier;
        }
      } else if (o.visibility() == v1::VISIBILITY_PUBLIC ||
                 (o.visibility() == v1::VISIBILITY_CONSORTIUM && member)) {
        expected = open;
      }
      ASSERT_EQ(engine_.DecideFor(reader, one).tier, expected)
          << one.ShortDebugString() << " for '" << reader << "'";
    }
  }
}

TEST_F(PolicyEngineTest, TimeOnlyOpensWhileNoAgreementEnds) {
  RandomAgreements();
  for (int i = 0; i < 1000; ++i) {
    const storage::StoredRecord r = RandomRecord();
    const std::string reader = kInstitutions[Pick(5)];
    Tier before = v1::TIER_UNSPECIFIED;
    bool restricted_before = false;
    for (int day = -12; day <= 12; day += 3) {
      now_ = kNow + day * kDay;
      const ReadDecision d = engine_.DecideFor(reader, r);
      ASSERT_GE(d.tier, before) << r.ShortDebugString() << " on day " << day;
      ASSERT_TRUE(d.restricted || !restricted_before);
      before = d.tier;
      restricted_before = d.restricted;
    }
    now_ = kNow;
  }
}

TEST_F(PolicyEngineTest, AnEndedAgreementClosesAndAnAdminHasNoGrant) {
  AgreementRule rule;
  rule.members = {"aist", "nrc"};
  rule.tier = v1::TIER_SUMMARY;
  rule.start_micros = kNow - kDay;
  rule.end_micros = kNow + kDay;
  engine_.SetAgreements({{"agreements/a0", rule}});
  storage::StoredRecord r;
  r.set_kind(storage::v1::RECORD_KIND_SAMPLE);
  r.set_owner("institutions/aist");
  r.mutable_access()->set_visibility(v1::VISIBILITY_AGREEMENT);
  r.mutable_access()->add_agreements("agreements/a0");
  v1::Grant* g = r.mutable_access()->add_grants();
  g->set_institution("institutions/");
  g->set_tier(v1::TIER_FULL);
  EXPECT_EQ(engine_.DecideFor("nrc", r).tier, v1::TIER_SUMMARY);
  EXPECT_FALSE(engine_.DecideFor("nedo", r).visible());
  EXPECT_FALSE(engine_.DecideFor("", r).visible());
  now_ = kNow + kDay;  // the end is exclusive
  EXPECT_FALSE(engine_.DecideFor("nrc", r).visible());
}

// Field policy over a characterization, which has tiered fields (results
// SUMMARY, curves and attachments FULL) and restrictable paths.
v1::Characterization FullCharacterization() {
  v1::Characterization c;
  c.set_name("institutions/aist/characterizations/c");
  c.set_sample("institutions/aist/samples/s");
  c.set_technique(v1::TECHNIQUE_BET);
  c.set_etag("3-abc");
  c.mutable_provenance()->set_content_digest("abc");
  auto* res = c.add_results();
  res->set_name("surface_area");
  res->mutable_value()->set_value(0.6);
  res->mutable_value()->set_unit("m2/g");
  auto* curve = c.add_curves();
  curve->set_name("isotherm");
  curve->add_x(1);
  curve->add_y(2);
  c.add_attachments()->set_sha256(std::string(64, 'a'));
  (*c.mutable_labels())["project"] = "p1";
  c.mutable_access()->set_visibility(v1::VISIBILITY_CONSORTIUM);
  return c;
}

TEST(FieldPolicyTest, ItCutsExactlyWhatItReportsHiddenAndTiersNest) {
  const FieldPolicy& policy = FieldPolicy::For(v1::Characterization::descriptor());
  const v1::Characterization full = FullCharacterization();
  std::vector<std::string> previous;
  for (Tier t : {v1::TIER_FULL, v1::TIER_SUMMARY, v1::TIER_METADATA}) {
    ReadDecision d;
    d.tier = t;
    const std::vector<std::string> hidden = policy.HiddenPaths(d, full.access());
    // A lower tier hides at least what a higher one hides.
    for (const std::string& p : previous) {
      EXPECT_NE(std::find(hidden.begin(), hidden.end(), p), hidden.end()) << p;
    }
    previous = hidden;
    v1::Characterization cut = full;
    policy.Redact(d, "nrc", &cut);
    const auto* desc = v1::Characterization::descriptor();
    for (int i = 0; i < desc->field_count(); ++i) {
      const auto* f = desc->field(i);
      if (f->name() == "etag" || f->name() == "provenance" || f->name() == "access") continue;
      const bool is_hidden = std::find(hidden.begin(), hidden.end(), f->name()) != hidden.end();
      const auto* r = cut.GetReflection();
      const bool present = f->is_repeated() ? r->FieldSize(cut, f) > 0 : r->HasField(cut, f);
      const bool was = f->is_repeated() ? r->FieldSize(full, f) > 0 : r->HasField(full, f);
      EXPECT_EQ(present, was && !is_hidden) << f->name() << " at tier " << t;
      // A filter on a hidden field must not admit the record.
      EXPECT_EQ(policy.Hides(f->name(), d, full.access()), is_hidden) << f->name();
    }
    // Something was cut: the digests go; nothing was: they stay.
    EXPECT_EQ(cut.etag().empty(), !hidden.empty()) << t;
    EXPECT_EQ(cut.provenance().content_digest().empty(), !hidden.empty()) << t;
    // Cutting again changes nothing.
    v1::Characterization twice = cut;
    policy.Redact(d, "nrc", &twice);
    EXPECT_EQ(twice.SerializeAsString(), cut.SerializeAsString());
  }
  EXPECT_TRUE(PathsOverlap("results", "results.value"));
  EXPECT_FALSE(PathsOverlap("results", "resultsx"));
}

}  // namespace
}  // namespace batteryhub
