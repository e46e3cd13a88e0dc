#include "query/filter.h"

#include <gtest/gtest.h>

#include "batteryhub/v1/cell_test.pb.h"
#include "batteryhub/v1/sample.pb.h"
#include "core/errors.h"

namespace batteryhub {
namespace {

namespace v1 = ::batteryhub::v1;

v1::CellTest MakeTest(double temperature, const char* chemistry, int cycles_to_80) {
  v1::CellTest t;
  t.set_name("institutions/nrc/cellTests/t");
  t.set_owner("institutions/nrc");
  t.mutable_cell()->set_chemistry(chemistry);
  t.mutable_cell()->set_form_factor(v1::FORM_FACTOR_COIN);
  t.mutable_protocol()->mutable_temperature()->set_value(temperature);
  t.mutable_protocol()->mutable_temperature()->set_unit("degC");
  t.mutable_protocol()->set_discharge_c_rate(1.0);
  t.mutable_summary()->set_cycles_to_80_percent(cycles_to_80);
  t.mutable_create_time()->set_seconds(1767225600);  // 2026-01-01
  (*t.mutable_labels())["project"] = "jp-ca";
  return t;
}

bool Match(const std::string& filter, const google::protobuf::Message& m) {
  auto parsed = ParseFilter(filter);
  EXPECT_TRUE(parsed.ok()) << filter << ": " << parsed.status();
  if (!parsed.ok()) return false;
  if (*parsed) {
    EXPECT_TRUE(CheckFilter(**parsed, m.GetDescriptor()).ok()) << filter;
  }
  return MatchesFilter(parsed->get(), m);
}

TEST(FilterTest, OperatorsAndTypes) {
  const v1::CellTest t = MakeTest(25, "NMC811/graphite", 520);
  EXPECT_TRUE(Match("", t));
  EXPECT_TRUE(Match("protocol.temperature >= 25", t));
  EXPECT_FALSE(Match("protocol.temperature > 25", t));
  EXPECT_TRUE(Match("protocol.temperature < 25.5 AND protocol.discharge_c_rate = 1", t));
  EXPECT_TRUE(Match("summary.cycles_to_80_percent > 500", t));
  EXPECT_TRUE(Match("cell.chemistry = \"NMC811/graphite\"", t));
  EXPECT_TRUE(Match("cell.chemistry = \"NMC811*\"", t));  // prefix wildcard
  EXPECT_TRUE(Match("cell.chemistry != \"LFP/graphite\"", t));
  EXPECT_TRUE(Match("cell.form_factor = FORM_FACTOR_COIN", t));
  EXPECT_TRUE(Match("cell.form_factor = COIN", t));  // enum without prefix
  EXPECT_FALSE(Match("cell.form_factor = POUCH", t));
  EXPECT_TRUE(Match("labels.project = jp-ca", t));
  EXPECT_TRUE(Match("labels:project", t));
  EXPECT_FALSE(Match("labels:other", t));
  EXPECT_TRUE(Match("summary:*", t));
  EXPECT_FALSE(Match("cycler:*", t));
  EXPECT_TRUE(Match("owner = nrc", t));
  EXPECT_TRUE(Match("owner = \"institutions/nrc\"", t));
  EXPECT_TRUE(Match("create_time >= \"2025-12-31T00:00:00Z\"", t));
  EXPECT_FALSE(Match("create_time < 2025-06-01", t));
}

TEST(FilterTest, BooleanStructure) {
  const v1::CellTest t = MakeTest(45, "LFP/graphite", 0);
  EXPECT_TRUE(Match("protocol.temperature > 40 OR cell.chemistry = \"NMC811/graphite\"", t));
  EXPECT_FALSE(Match("NOT protocol.temperature > 40", t));
  EXPECT_TRUE(Match("-cell.form_factor = POUCH", t));
  EXPECT_TRUE(Match("(protocol.temperature > 40 OR owner = aist) labels.project = jp-ca", t));
  EXPECT_FALSE(Match("(protocol.temperature > 50 OR owner = aist) AND labels.project = jp-ca", t));
}

TEST(FilterTest, RepeatedFieldsMatchAnyElement) {
  v1::Sample s;
  s.add_derived_from("institutions/nrc/samples/a");
  s.add_derived_from("institutions/nrc/samples/b");
  EXPECT_TRUE(Match("derived_from = \"institutions/nrc/samples/b\"", s));
  EXPECT_TRUE(Match("derived_from:\"institutions/nrc/samples/a\"", s));
  EXPECT_FALSE(Match("derived_from = \"institutions/nrc/samples/c\"", s));
}

TEST(FilterTest, ErrorsNamePositionAndExpectation) {
  struct Case {
    const char* filter;
    const char* expected;
  } cases[] = {
      {"owner", "column 6: expected a comparison"},
      {"colour = \"red\"", "column 1: 'colour' is not a field of CellTest"},
      {"protocol.temperature >= warm", "column 1: 'warm' is not a number or an RFC 3339 time"},
      {"cell.form_factor = TRIANGLE", "'TRIANGLE' is not a value of FormFactor"},
      {"(owner = nrc", "column 13: expected ')' closing the '(' at column 1"},
      {"labels.x = \"open", "column 12: unterminated string"},
      {"cell = 3", "'cell' is a message: compare one of its fields"},
      {"owner = nrc )", "column 13: expected AND, OR or the end"},
      {"summary.cycles_to_80_percent > many", "'many' is not a number"},
  };
  for (const Case& c : cases) {
    absl::Status status;
    auto parsed = ParseFilter(c.filter);
    if (!parsed.ok()) {
      status = parsed.status();
    } else {
      status = CheckFilter(**parsed, v1::CellTest::descriptor());
    }
    ASSERT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << c.filter;
    auto violations = ViolationsOf(status);
    ASSERT_EQ(violations.size(), 1u);
    EXPECT_EQ(violations[0].field, "filter");
    EXPECT_NE(violations[0].description.find(c.expected), std::string::npos)
        << c.filter << " -> " << violations[0].description;
  }
}

TEST(FilterTest, TopLevelRestrictionsForPlanning) {
  auto f = ParseFilter("owner = nrc AND labels.project = x AND protocol.temperature > 3");
  ASSERT_TRUE(f.ok());
  auto r = TopLevelRestrictions(f->get());
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].path + r[0].op + r[0].value, "owner=nrc");
  EXPECT_EQ(r[1].path + r[1].op + r[1].value, "labels.project=x");
  EXPECT_EQ(r[2].path + r[2].op + r[2].value, "protocol.temperature>3");
  auto g = ParseFilter("owner = nrc OR owner = aist");
  EXPECT_TRUE(TopLevelRestrictions(g->get()).empty());
}

}  // namespace
}  // namespace batteryhub

namespace batteryhub {
namespace {

// Untrusted filters cost bounded work: the length and nesting limits answer
// INVALID_ARGUMENT naming the limit (no stack overflow), and a long chain
// of terms is one flat node evaluated in one pass.
TEST(FilterLimitsTest, DeepNestingIsRefusedNamingTheLimit) {
  for (const std::string& filter :
       {std::string(10000, '(') + "owner = nrc" + std::string(10000, ')'),
        [] {
          std::string s;
          for (int i = 0; i < 1000; ++i) s += "NOT ";
          return s + "owner = nrc";
        }(),
        [] {
          std::string s;
          for (int i = 0; i < 200; ++i) s += "-(";
          return s + "owner = nrc" + std::string(200, ')');
        }()}) {
    auto parsed = ParseFilter(filter.substr(0, kMaxFilterBytes));
    ASSERT_FALSE(parsed.ok()) << filter.substr(0, 40);
    EXPECT_NE(parsed.status().message().find("nested deeper than 64"), std::string::npos)
        << parsed.status().message();
  }
  const std::string at_limit = std::string(kMaxFilterDepth, '(') + "labels.k = v" +
                               std::string(kMaxFilterDepth, ')');
  auto ok = ParseFilter(at_limit);
  ASSERT_TRUE(ok.ok()) << ok.status();
  v1::CellTest t;
  (*t.mutable_labels())["k"] = "v";
  EXPECT_TRUE(MatchesFilter(ok->get(), t));
}

TEST(FilterLimitsTest, LongFiltersAreRefusedAndErrorsQuoteLittle) {
  std::string chain;
  while (chain.size() < (1 << 20)) chain += "owner = nrc AND ";
  auto parsed = ParseFilter(chain + "owner = nrc");
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.status().message().find("at most 8192"), std::string::npos);
  auto word = ParseFilter("owner = nrc " + std::string(7000, 'x'));
  ASSERT_FALSE(word.ok());
  EXPECT_LT(word.status().message().size(), 300u) << word.status().message().substr(0, 300);
}

TEST(FilterLimitsTest, ChainsAreFlatAndMatchLikeTheirTerms) {
  // 400 AND terms at the length limit: one node with 400 children, so every
  // walk of the tree (evaluation, planning, destruction) is one level deep.
  std::string filter;
  int terms = 0;
  while (filter.size() + 40 < kMaxFilterBytes) {
    filter += (terms ? " AND " : "") + std::string("labels.k") + std::to_string(terms) + " = v";
    ++terms;
  }
  auto parsed = ParseFilter(filter);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_EQ((*parsed)->kind, FilterNode::Kind::kAnd);
  EXPECT_EQ(static_cast<int>((*parsed)->children.size()), terms);
  EXPECT_EQ(static_cast<int>(TopLevelRestrictions(parsed->get()).size()), terms);
  v1::CellTest t;
  for (int i = 0; i < terms; ++i) (*t.mutable_labels())["k" + std::to_string(i)] = "v";
  EXPECT_TRUE(MatchesFilter(parsed->get(), t));
  (*t.mutable_labels())["k" + std::to_string(terms - 1)] = "w";
  EXPECT_FALSE(MatchesFilter(parsed->get(), t));
  // A parenthesised group stays one child: (a OR b) AND c.
  auto grouped = ParseFilter("(owner = a OR owner = b) AND owner = c AND owner = d");
  ASSERT_TRUE(grouped.ok());
  ASSERT_EQ((*grouped)->kind, FilterNode::Kind::kAnd);
  EXPECT_EQ((*grouped)->children.size(), 3u);
  EXPECT_EQ((*grouped)->children[0]->kind, FilterNode::Kind::kOr);
  EXPECT_FALSE(IsConjunction(grouped->get()));
}

}  // namespace
}  // namespace batteryhub
