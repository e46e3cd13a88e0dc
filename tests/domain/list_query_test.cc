// The query library's planner and executors against brute force, with no
// server: random samples in a real store (random owners, visibility, tiers,
// grants with embargoes, restricted fields, labels), random callers and
// random filters, orders and page sizes. For each, the pages of List,
// joined, must equal the model: every record whose Get view (the domain's
// own) the filter admits, in the order asked for, ties by name — minus, for
// an order on a field, the records whose value of that field the caller may
// not see. Whatever index the planner picks, only the order of reading may
// differ, never the answer.
// Seeded and reproducible: BATTERYHUB_QUERY_SEEDS=N runs seeds 1..N (CI: 3).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <random>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/clock.h"
#include "domain/record_stamp.h"
#include "policy/field_policy.h"
#include "tests/domain/domain_fixture.h"

namespace batteryhub::testing {
namespace {

namespace v1 = ::batteryhub::v1;

const char* kMaterials[] = {"NMC811", "LFP", "NCA", "LMFP", "LCO"};
const char* kCountries[] = {"JP", "CA", "AU", "CL"};

class ListQueryTest : public DomainFixture {
 protected:
  std::mt19937 rng_;
  std::vector<std::string> names_;

  int Pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  bool Coin(double p = 0.5) { return std::bernoulli_distribution(p)(rng_); }

  v1::Sample RandomSample(const std::string& owner) {
    v1::Sample s;
    s.set_kind(v1::SAMPLE_KIND_MATERIAL_LOT);
    s.set_description(Coin() ? "lot" : "precursor lot");
    auto* lot = s.mutable_material_lot();
    lot->set_material_class(Coin() ? v1::MATERIAL_CLASS_PRECURSOR : v1::MATERIAL_CLASS_CATHODE_ACTIVE);
    lot->set_material(kMaterials[Pick(5)]);
    if (Coin(0.8)) lot->mutable_origin()->set_country(kCountries[Pick(4)]);
    lot->mutable_origin()->set_supplier("supplier-" + std::to_string(Pick(3)));
    if (Coin(0.7)) (*s.mutable_labels())["project"] = "p" + std::to_string(Pick(3));
    v1::Access* a = s.mutable_access();
    const v1::Visibility vis[] = {v1::VISIBILITY_PRIVATE, v1::VISIBILITY_CONSORTIUM,
                                  v1::VISIBILITY_PUBLIC};
    a->set_visibility(vis[Pick(3)]);
    const v1::Tier tiers[] = {v1::TIER_METADATA, v1::TIER_SUMMARY, v1::TIER_FULL};
    if (Coin()) a->set_tier(tiers[Pick(3)]);
    for (const std::string& i : Institutions()) {
      if (i == owner || !Coin(0.3)) continue;
      v1::Grant* g = a->add_grants();
      g->set_institution("institutions/" + i);
      g->set_tier(tiers[Pick(3)]);
      g->set_restricted_fields(Coin());
      if (Coin(0.3)) *g->mutable_start_time() = MicrosToTimestamp(NowMicros() + (Coin() ? -1 : 1) * 86400000000LL);
    }
    if (Coin(0.3)) a->add_restricted_fields("material_lot.origin.country");
    return s;
  }

  void Populate(int n) {
    for (int i = 0; i < n; ++i) {
      const std::string owner = Institutions()[Pick(4)];
      absl::StatusOr<v1::Sample> made = samples().Create(
          Caller(owner, v1::ROLE_SUBMITTER), "institutions/" + owner, RandomSample(owner),
          "s" + std::to_string(i), {});
      ASSERT_TRUE(made.ok()) << made.status();
      names_.push_back(made->name());
    }
  }

  std::string Atom() {
    switch (Pick(8)) {
      case 0: return absl::StrCat("material_lot.material = \"", kMaterials[Pick(5)], "\"");
      case 1: return absl::StrCat("material_lot.origin.country = ", kCountries[Pick(4)]);
      case 2: return absl::StrCat("labels.project = p", Pick(3));
      case 3: return absl::StrCat("material_lot.material != ", kMaterials[Pick(5)]);
      case 4: return "material_lot.material_class = MATERIAL_CLASS_PRECURSOR";
      case 5: return absl::StrCat("owner = \"institutions/", Institutions()[Pick(4)], "\"");
      case 6: return absl::StrCat("material_lot.origin.country >= ", kCountries[Pick(4)]);
      default: return "description : \"precursor\"";
    }
  }

  std::string RandomFilter() {
    switch (Pick(6)) {
      case 0: return "";
      case 1: return Atom();
      case 2: return Atom() + " AND " + Atom();
      case 3: return Atom() + " OR " + Atom();
      case 4: return "NOT " + Atom();
      default: return "(" + Atom() + " OR " + Atom() + ") AND " + Atom();
    }
  }

  // The sort key of a view for an order column, as the model sees it: a
  // value (strings sort as bytes), or missing.
  static std::pair<int, std::string> ValueOf(const v1::Sample& s, const std::string& column) {
    if (column == "material_lot.material") {
      return s.material_lot().material().empty() ? std::make_pair(1, std::string())
                                                 : std::make_pair(0, s.material_lot().material());
    }
    const std::string& c = s.material_lot().origin().country();
    return c.empty() ? std::make_pair(1, std::string()) : std::make_pair(0, c);
  }

  void RunSeed(int seed) {
    SCOPED_TRACE(absl::StrCat("seed ", seed));
    rng_.seed(static_cast<unsigned>(seed));
    Populate(120);
    const char* orders[] = {"", "name desc", "create_time", "create_time desc",
                            "material_lot.material", "material_lot.origin.country desc"};
    for (int round = 0; round < 60; ++round) {
      const std::string institution = Coin(0.1) ? "" : Institutions()[Pick(4)];
      const Principal caller = institution.empty() ? Admin() : Caller(institution, v1::ROLE_VIEWER);
      const std::string filter = RandomFilter();
      const std::string order = orders[Pick(6)];
      const int page_size = 1 + Pick(25);
      SCOPED_TRACE(absl::StrCat(caller.name, " | ", filter, " | ", order, " | ", page_size));
      // The model: Get views, filtered here.
      absl::StatusOr<std::unique_ptr<FilterNode>> parsed = ParseFilter(filter);
      ASSERT_TRUE(parsed.ok()) << parsed.status();
      struct Expected {
        std::string name;
        v1::Sample view;
        int64_t create_micros;
      };
      std::vector<Expected> expected;
      for (const std::string& name : names_) {
        absl::StatusOr<v1::Sample> view = samples().Get(caller, name);
        if (!view.ok()) {
          ASSERT_TRUE(absl::IsNotFound(view.status()) || absl::IsPermissionDenied(view.status()))
              << view.status();
          continue;
        }
        if (!MatchesFilter(parsed->get(), *view)) continue;
        absl::StatusOr<storage::StoredRecord> stored =
            store().Get(storage::v1::RECORD_KIND_SAMPLE, name);
        ASSERT_TRUE(stored.ok());
        const std::string column = order.substr(0, order.find(' '));
        if (column.rfind("material_lot.", 0) == 0) {
          const ReadDecision d = policy().Decide(caller, *stored);
          if (FieldPolicy::For(v1::Sample::descriptor()).Hides(column, d, stored->access())) continue;
        }
        expected.push_back({name, *view, stored->create_time_micros()});
      }
      const bool desc = order.find(" desc") != std::string::npos;
      const std::string column = order.substr(0, order.find(' '));
      std::sort(expected.begin(), expected.end(), [&](const Expected& a, const Expected& b) {
        if (column == "create_time") {
          return std::tie(a.create_micros, a.name) < std::tie(b.create_micros, b.name);
        }
        if (column.rfind("material_lot.", 0) == 0) {
          return std::make_pair(ValueOf(a.view, column), a.name) <
                 std::make_pair(ValueOf(b.view, column), b.name);
        }
        return a.name < b.name;
      });
      // Records without the ordered field come last either way (in the
      // order's direction among themselves).
      auto missing = std::stable_partition(expected.begin(), expected.end(), [&](const Expected& e) {
        return column.rfind("material_lot.", 0) != 0 || ValueOf(e.view, column).first == 0;
      });
      if (desc) {
        std::reverse(expected.begin(), missing);
        std::reverse(missing, expected.end());
      }
      // The pages, joined.
      std::vector<std::string> listed;
      ListQuery q;
      q.filter = filter;
      q.order_by = order;
      q.page_size = page_size;
      for (int pages = 0;; ++pages) {
        ASSERT_LT(pages, 200) << "paging does not end";
        absl::StatusOr<ResourcePage<v1::Sample>> page =
            samples().List(caller, "institutions/-", q);
        ASSERT_TRUE(page.ok()) << page.status();
        ASSERT_LE(page->items.size(), static_cast<size_t>(page_size));
        for (const v1::Sample& s : page->items) {
          listed.push_back(s.name());
          // Each listed item is the caller's Get view.
          absl::StatusOr<v1::Sample> view = samples().Get(caller, s.name());
          ASSERT_TRUE(view.ok());
          EXPECT_EQ(s.SerializeAsString(), view->SerializeAsString()) << s.name();
        }
        if (page->next_page_token.empty()) break;
        q.page_token = page->next_page_token;
      }
      std::vector<std::string> model;
      for (const Expected& e : expected) model.push_back(e.name);
      ASSERT_EQ(listed, model);
      ++cases_;
    }
  }

  int cases_ = 0;
};

TEST_F(ListQueryTest, PagesEqualTheFilterAppliedToGetViews) {
  const char* env = std::getenv("BATTERYHUB_QUERY_SEEDS");
  const int seeds = env != nullptr ? std::max(1, std::atoi(env)) : 3;
  for (int seed = 1; seed <= seeds; ++seed) {
    Reopen();
    names_.clear();
    RunSeed(seed);
    if (HasFatalFailure()) return;
  }
  EXPECT_EQ(cases_, seeds * 60);
}

TEST_F(ListQueryTest, AnEqualityOnAnIndexedFieldReadsItsMatchesNotTheKind) {
  rng_.seed(7);
  Populate(150);
  // One rare value, written here.
  v1::Sample rare = RandomSample("nrc");
  rare.mutable_material_lot()->set_material("Na-ion hard carbon");
  rare.mutable_access()->set_visibility(v1::VISIBILITY_PUBLIC);
  rare.mutable_access()->clear_restricted_fields();
  ASSERT_TRUE(samples().Create(Caller("nrc", v1::ROLE_SUBMITTER), "institutions/nrc", rare, "rare", {}).ok());
  ListQuery q;
  q.filter = "material_lot.material = \"Na-ion hard carbon\"";
  const uint64_t before = store().KeysRead();
  absl::StatusOr<ResourcePage<v1::Sample>> page =
      samples().List(Caller("aist", v1::ROLE_VIEWER), "institutions/-", q);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].name(), "institutions/nrc/samples/rare");
  // A scan would read at least every one of the 151 records.
  EXPECT_LT(store().KeysRead() - before, 20u);
}

TEST_F(ListQueryTest, AWalkStopsWhenItsCallIsCancelled) {
  rng_.seed(3);
  Populate(600);
  ListQuery q;
  q.filter = "description : \"nothing has this\"";
  // Not yet at the start; cancelled from the next poll, a few hundred
  // records into the scan.
  int polls = 0;
  q.cancelled = [&polls] { return ++polls > 1; };
  absl::StatusOr<ResourcePage<v1::Sample>> page = samples().List(Admin(), "institutions/-", q);
  EXPECT_TRUE(absl::IsCancelled(page.status())) << page.status();
  EXPECT_EQ(polls, 2);
}

}  // namespace
}  // namespace batteryhub::testing
