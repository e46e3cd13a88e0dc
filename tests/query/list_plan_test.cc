// The planner's decisions, without a store: which terms of a filter narrow
// the walk (name prefix, index equalities, key ranges), when the terms
// decide the filter alone, when they contradict, and how order_by is read
// and keyed. Executors are checked against brute force in
// tests/domain/list_query_test.cc.
#include <gtest/gtest.h>

#include "batteryhub/v1/cell_test.pb.h"
#include "batteryhub/v1/characterization.pb.h"
#include "batteryhub/v1/sample.pb.h"
#include "query/list_plan.h"

namespace batteryhub::query_plan {
namespace {

namespace v1 = ::batteryhub::v1;
constexpr storage::RecordKind kSample = storage::v1::RECORD_KIND_SAMPLE;
constexpr storage::RecordKind kCellTest = storage::v1::RECORD_KIND_CELL_TEST;

Narrowing Plan(storage::RecordKind kind, const std::string& institution, const std::string& filter) {
  absl::StatusOr<std::unique_ptr<FilterNode>> parsed = ParseFilter(filter);
  EXPECT_TRUE(parsed.ok()) << filter << ": " << parsed.status();
  if (!parsed.ok()) return {};
  const auto* descriptor = kind == kSample                                    ? v1::Sample::descriptor()
                           : kind == storage::v1::RECORD_KIND_CHARACTERIZATION ? v1::Characterization::descriptor()
                                                                               : v1::CellTest::descriptor();
  // The narrowing copies what it keeps of the filter (only name sets are
  // pointed to, and there are none here).
  return Narrow(kind, institution, parsed->get(), descriptor, nullptr);
}

TEST(ListPlanTest, EqualitiesOnOwnerLabelsAndIndexedFieldsNarrowAndDecide) {
  const Narrowing n = Plan(kSample, "-",
                           "owner = \"institutions/nrc\" AND labels.project = p1 AND "
                           "material_lot.material = \"NMC811\"");
  EXPECT_EQ(n.name_prefix, "institutions/nrc/");
  EXPECT_FALSE(n.nothing);
  ASSERT_EQ(n.equalities.size(), 2u);
  EXPECT_TRUE(n.ranges.empty());
  EXPECT_EQ(n.checks.size(), 2u);
  EXPECT_TRUE(n.exact);
  // Each equality is a prefix of the index keys of its value only.
  EXPECT_NE(n.equalities[0], n.equalities[1]);
}

TEST(ListPlanTest, ResultsByNameAreRangesAndAUnitLeavesTheDecisionToTheFilter) {
  const storage::RecordKind kChar = storage::v1::RECORD_KIND_CHARACTERIZATION;
  // Without a unit the index decides: a range on results.d50.
  Narrowing n = Plan(kChar, "-", "results.d50 < 0.000012");
  EXPECT_EQ(n.ranges.size(), 1u);
  EXPECT_TRUE(n.exact);
  // With one the literal is canonical (12 um = 1.2e-05 m) and the range the
  // same, but the filter decides too (its dimension is checked there).
  Narrowing with_unit = Plan(kChar, "-", "results.d50 < 12 um");
  ASSERT_EQ(with_unit.ranges.size(), 1u);
  EXPECT_EQ(with_unit.ranges.begin()->second.upper, n.ranges.begin()->second.upper);
  EXPECT_FALSE(with_unit.exact);
  // A result no index holds is filtered, not narrowed.
  EXPECT_TRUE(Plan(kChar, "-", "results.crystallite_size > 20 nm").ranges.empty());
}

TEST(ListPlanTest, AnOwnerOtherThanTheParentMatchesNothing) {
  EXPECT_TRUE(Plan(kSample, "aist", "owner = \"institutions/nrc\"").nothing);
  EXPECT_FALSE(Plan(kSample, "nrc", "owner = \"institutions/nrc\"").nothing);
  EXPECT_EQ(Plan(kSample, "nrc", "").name_prefix, "institutions/nrc/");
}

TEST(ListPlanTest, NumericComparisonsBecomeOneRangePerFieldAndContradictionsNothing) {
  const Narrowing n = Plan(kCellTest, "-", "protocol.temperature >= 25 AND protocol.temperature < 45");
  ASSERT_EQ(n.ranges.size(), 1u);
  EXPECT_LT(n.ranges.begin()->second.lower, n.ranges.begin()->second.upper);
  EXPECT_TRUE(n.equalities.empty());
  EXPECT_EQ(n.checks.size(), 2u);
  EXPECT_TRUE(Plan(kCellTest, "-", "protocol.temperature > 50 AND protocol.temperature < 40").nothing);
  // Two fields: two ranges.
  EXPECT_EQ(Plan(kCellTest, "-", "protocol.temperature > 20 AND protocol.charge_c_rate <= 1").ranges.size(), 2u);
}

TEST(ListPlanTest, TimesAreRangesThatNeverDecideAlone) {
  const Narrowing n = Plan(kSample, "-", "create_time > \"2026-01-01T00:00:00Z\"");
  ASSERT_EQ(n.ranges.size(), 1u);
  EXPECT_TRUE(n.checks.empty());
  EXPECT_FALSE(n.exact);  // whole microseconds around the literal: a superset
}

TEST(ListPlanTest, WhatAnIndexCannotAnswerIsLeftToTheFilter) {
  for (const char* filter : {
           "labels.project = p1 OR labels.project = p2",     // a disjunction
           "NOT labels.project = p1",                        // a negation
           "material_lot.material = \"NMC*\"",                // a wildcard
           "material_lot.material > \"LFP\"",                 // a range on text
           "description : \"lot\"",                          // not indexed
           "labels.project != p1",                           // not an equality
       }) {
    const Narrowing n = Plan(kSample, "-", filter);
    EXPECT_TRUE(n.equalities.empty()) << filter;
    EXPECT_TRUE(n.ranges.empty()) << filter;
    EXPECT_TRUE(n.checks.empty()) << filter;
    EXPECT_FALSE(n.exact) << filter;
    EXPECT_FALSE(n.nothing) << filter;
  }
  // An indexable term beside one that is not: it narrows, the filter decides.
  const Narrowing n = Plan(kSample, "-", "labels.project = p1 AND description : \"lot\"");
  EXPECT_EQ(n.equalities.size(), 1u);
  EXPECT_FALSE(n.exact);
}

TEST(ListPlanTest, OrderByIsOneOrderableFieldAndADirection) {
  absl::StatusOr<Order> o = ParseOrderBy(kCellTest, "");
  ASSERT_TRUE(o.ok());
  EXPECT_TRUE(o->by_name);
  o = ParseOrderBy(kCellTest, "create_time desc");
  ASSERT_TRUE(o.ok());
  EXPECT_FALSE(o->by_name);
  EXPECT_TRUE(o->descending);
  EXPECT_EQ(o->field, nullptr);
  o = ParseOrderBy(kCellTest, "protocol.temperature asc");
  ASSERT_TRUE(o.ok());
  ASSERT_NE(o->field, nullptr);
  EXPECT_EQ(o->field->path, "protocol.temperature");
  EXPECT_FALSE(o->descending);
  for (const char* bad : {"cell.manufacturer", "name,create_time", "name up", "name desc x"}) {
    absl::StatusOr<Order> refused = ParseOrderBy(kCellTest, bad);
    ASSERT_FALSE(refused.ok()) << bad;
    EXPECT_TRUE(absl::IsInvalidArgument(refused.status())) << bad;
    EXPECT_NE(refused.status().message().find("order_by"), std::string::npos) << bad;
  }
  const std::vector<std::string> fields = OrderableFields(kCellTest);
  EXPECT_NE(std::find(fields.begin(), fields.end(), "protocol.temperature"), fields.end());
}

TEST(ListPlanTest, OrderKeysSortByValueThenNameWithTheMissingLast) {
  absl::StatusOr<Order> o = ParseOrderBy(kCellTest, "protocol.temperature");
  ASSERT_TRUE(o.ok());
  auto record = [&](const std::string& name, std::optional<double> temperature) {
    storage::StoredRecord r;
    r.set_name(name);
    if (temperature) {
      storage::v1::IndexedValue* v = r.add_indexed();
      v->set_field(o->field->id);
      v->set_number(*temperature);
    }
    return r;
  };
  const std::string cold = OrderKey(kCellTest, record("institutions/a/cellTests/z", -10), *o);
  const std::string warm_a = OrderKey(kCellTest, record("institutions/a/cellTests/a", 45), *o);
  const std::string warm_b = OrderKey(kCellTest, record("institutions/a/cellTests/b", 45), *o);
  const std::string none = OrderKey(kCellTest, record("institutions/a/cellTests/0", std::nullopt), *o);
  EXPECT_LT(cold, warm_a);   // negative before positive
  EXPECT_LT(warm_a, warm_b);  // ties by name
  EXPECT_LT(warm_b, none);   // without the field: after every value
  for (const std::string& k : {cold, warm_a, warm_b, none}) {
    EXPECT_EQ(k.rfind(o->index_prefix, 0), 0u);
  }
}

TEST(ListPlanTest, ChecksOnTheStoredRecordMatchTheirTerm) {
  const Narrowing n = Plan(kCellTest, "-", "labels.campaign = odd AND protocol.temperature > 30");
  ASSERT_EQ(n.checks.size(), 2u);
  absl::StatusOr<Order> o = ParseOrderBy(kCellTest, "protocol.temperature");
  ASSERT_TRUE(o.ok());
  storage::StoredRecord r;
  (*r.mutable_labels())["campaign"] = "odd";
  storage::v1::IndexedValue* v = r.add_indexed();
  v->set_field(o->field->id);
  v->set_number(35);
  for (const RecordCheck& c : n.checks) EXPECT_TRUE(Passes(c, r));
  v->set_number(30);  // > 30 fails at 30
  (*r.mutable_labels())["campaign"] = "even";
  for (const RecordCheck& c : n.checks) EXPECT_FALSE(Passes(c, r));
}

}  // namespace
}  // namespace batteryhub::query_plan
