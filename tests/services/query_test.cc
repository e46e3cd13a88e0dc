// Queries over a real gRPC server: the planner's choices (counted in keys
// read), index plans agreeing with the filter evaluated on every record,
// ordering by indexed fields and times across pages, paging under
// concurrent inserts, and pages that leave no trace of hidden records.
#include <algorithm>
#include <atomic>
#include <map>
#include <set>
#include <thread>
#include <tuple>

#include "query/filter.h"
#include "absl/strings/escaping.h"
#include "tests/services/hub_fixture.h"

namespace batteryhub::testing {
namespace {

namespace v1 = ::batteryhub::v1;
using grpc::StatusCode;

// Cell test number i of a small, varied consortium.
v1::CellTest CellTestBody(int i) {
  v1::CellTest t;
  t.mutable_cell()->set_form_factor(i % 4 == 0 ? v1::FORM_FACTOR_POUCH : v1::FORM_FACTOR_COIN);
  t.mutable_cell()->set_chemistry(i % 30 == 7 ? "NMC811/graphite" : "LFP/graphite");
  t.mutable_cell()->mutable_nominal_capacity()->set_value(i % 5 == 0 ? 4.5 : 2 + (i % 7));
  t.mutable_cell()->mutable_nominal_capacity()->set_unit("mAh");
  t.mutable_protocol()->mutable_temperature()->set_value(i < 10 ? 45 : (i % 3 == 0 ? -10 : 25));
  t.mutable_protocol()->mutable_temperature()->set_unit("degC");
  t.mutable_protocol()->set_charge_c_rate(i % 6 == 0 ? 1.0 : 0.5);
  t.mutable_protocol()->set_discharge_c_rate(0.1 * (i % 10));
  (*t.mutable_labels())["batch"] = "b" + std::to_string(i);
  (*t.mutable_labels())["campaign"] = i % 2 == 0 ? "even" : "odd";
  return t;
}

class QueryTest : public HubFixture {
 protected:
  // Creates cell tests t-100 … t-(100+n-1) in `institution`.
  void CreateTests(const std::string& institution, int n,
                   v1::Visibility visibility = v1::VISIBILITY_CONSORTIUM,
                   const std::function<bool(int)>& keep = nullptr) {
    auto c = Client(institution + "-submitter");
    for (int i = 0; i < n; ++i) {
      if (keep && !keep(i)) continue;
      v1::CreateCellTestRequest req;
      req.set_parent("institutions/" + institution);
      req.set_cell_test_id("t-" + std::to_string(100 + i));
      *req.mutable_cell_test() = CellTestBody(i);
      req.mutable_cell_test()->mutable_access()->set_visibility(visibility);
      v1::CellTest out;
      ASSERT_TRUE(c->CreateCellTest(req, &out).ok());
    }
  }

  // Every page of a query, as names; keys read in `*keys` when given.
  std::vector<std::string> ListAll(client::HubClient& c, const std::string& filter,
                                   const std::string& order_by = "", int page_size = 100,
                                   uint64_t* keys = nullptr, int* pages = nullptr) {
    v1::ListCellTestsRequest req;
    req.set_parent("institutions/-");
    req.set_filter(filter);
    req.set_order_by(order_by);
    req.set_page_size(page_size);
    const uint64_t before = hub_->store()->KeysRead();
    std::vector<std::string> names;
    int n = 0;
    do {
      v1::ListCellTestsResponse resp;
      grpc::Status s = c.ListCellTests(req, &resp);
      EXPECT_TRUE(s.ok()) << filter << " / " << order_by << ": " << s.error_message();
      if (!s.ok()) break;
      for (const auto& t : resp.cell_tests()) names.push_back(t.name());
      req.set_page_token(resp.next_page_token());
      ++n;
    } while (!req.page_token().empty());
    if (keys != nullptr) *keys = hub_->store()->KeysRead() - before;
    if (pages != nullptr) *pages = n;
    return names;
  }

  // Every visible cell test, fetched without a filter.
  std::vector<v1::CellTest> Everything(client::HubClient& c) {
    std::vector<v1::CellTest> out;
    v1::ListCellTestsRequest req;
    req.set_parent("institutions/-");
    req.set_page_size(100);
    do {
      v1::ListCellTestsResponse resp;
      EXPECT_TRUE(c.ListCellTests(req, &resp).ok());
      out.insert(out.end(), resp.cell_tests().begin(), resp.cell_tests().end());
      req.set_page_token(resp.next_page_token());
    } while (!req.page_token().empty());
    return out;
  }
};

TEST_F(QueryTest, PlannerReadsOnlyTheMatchingIndexKeys) {
  CreateTests("nrc", 60);
  auto nrc = Client("nrc-submitter");
  uint64_t keys;
  // One equality: its two index keys and the two records.
  EXPECT_EQ(ListAll(*nrc, "cell.chemistry = \"NMC811/graphite\"", "", 100, &keys).size(), 2u);
  EXPECT_EQ(keys, 4u);
  // Two equalities intersect: chemistry (58 keys) steps a few keys, then
  // seeks to the label's only name (1 key); one record is read.
  EXPECT_EQ(ListAll(*nrc, "cell.chemistry = \"LFP/graphite\" AND labels.batch = b12", "", 100,
                    &keys).size(), 1u);
  EXPECT_LE(keys, 12u);
  // temperature = 45 (10 keys) and COIN (45 keys): ~2-3 keys per match,
  // far below the 45 + 10 of reading both.
  EXPECT_EQ(ListAll(*nrc, "protocol.temperature = 45 AND cell.form_factor = COIN", "", 100, &keys)
                .size(), 7u);
  EXPECT_LE(keys, 7u + 3 * 10);
  // A range on a numeric index: its 10 keys, then the 10 records.
  EXPECT_EQ(ListAll(*nrc, "protocol.charge_c_rate > 0.6", "", 100, &keys).size(), 10u);
  EXPECT_EQ(keys, 20u);
  // A range (10 keys) beats an equality (58): stepped in lockstep until the
  // range runs out (2 x 11 keys), then 10 index lookups and 9 records.
  EXPECT_EQ(ListAll(*nrc, "protocol.temperature >= 40 AND cell.chemistry = \"LFP/graphite\"", "",
                    100, &keys).size(), 9u);
  EXPECT_LE(keys, 22u + 10 + 9);
  // Nothing indexable: every record of the kind is read once.
  EXPECT_EQ(ListAll(*nrc, "protocol.charge_c_rate != 0.5", "", 100, &keys).size(), 10u);
  EXPECT_EQ(keys, 60u);
  // owner bounds the names: nothing of AIST's exists, nothing is read.
  EXPECT_EQ(ListAll(*nrc, "owner = aist", "", 100, &keys).size(), 0u);
  EXPECT_EQ(keys, 0u);
  // Contradicting ranges read nothing.
  EXPECT_EQ(ListAll(*nrc, "protocol.temperature > 30 AND protocol.temperature < 20", "", 100,
                    &keys).size(), 0u);
  EXPECT_EQ(keys, 0u);
  // A selective term under an order by time: gathered and sorted.
  EXPECT_EQ(ListAll(*nrc, "labels.batch = b12", "create_time desc", 100, &keys).size(), 1u);
  EXPECT_LE(keys, 3u);
  // Pages of an index plan: no repeats, nothing missed.
  std::vector<std::string> paged = ListAll(*nrc, "cell.chemistry = \"LFP/graphite\"", "", 25);
  EXPECT_EQ(std::set<std::string>(paged.begin(), paged.end()).size(), 58u);
  EXPECT_EQ(paged.size(), 58u);
}

TEST_F(QueryTest, IndexPlansAgreeWithTheFilterOnEveryRecord) {
  CreateTests("nrc", 60);
  CreateTests("aist", 20, v1::VISIBILITY_PRIVATE);
  auto nrc = Client("nrc-steward");
  const std::vector<v1::CellTest> all = Everything(*nrc);
  ASSERT_EQ(all.size(), 60u);
  for (const char* filter : {
           "cell.chemistry = \"LFP/graphite\"",
           "cell.chemistry != \"LFP/graphite\"",
           "cell.form_factor = POUCH",
           "cell.form_factor = FORM_FACTOR_COIN AND protocol.temperature = 25",
           "protocol.temperature < 0",
           "protocol.temperature <= 25",
           "protocol.temperature > 25",
           "protocol.temperature >= -10 AND protocol.temperature < 30",
           "protocol.temperature = -10",
           "cell.nominal_capacity > 0.004 AND cell.nominal_capacity <= 0.006",
           "cell.nominal_capacity = 0.0045",
           "protocol.discharge_c_rate >= 0.5",
           "protocol.discharge_c_rate < 0.2 AND labels.campaign = even",
           "labels.campaign = odd AND labels.batch = b13",
           // An equality smaller than the range: the range is checked on the record.
           "labels.batch = b13 AND protocol.temperature > 25",
           "labels.batch = b5 AND protocol.temperature > 25",
           "labels.batch = b12 AND protocol.temperature < 45 AND protocol.charge_c_rate >= 1",
           "labels.batch = \"b1*\"",
           "labels:campaign AND NOT labels.campaign = odd",
           "labels.campaign = even OR protocol.temperature = 45",
           "(labels.campaign = even OR protocol.temperature = 45) AND cell.form_factor = COIN",
           "owner = nrc AND protocol.charge_c_rate > 0.7",
           "owner = institutions/aist",
           "create_time >= \"2000-01-01T00:00:00Z\" AND create_time < \"2100-01-01\"",
           "create_time < \"2000-01-01\"",
           "update_time > \"2000-01-01\" AND protocol.temperature > 40",
           "state = PLANNED OR state != CELL_TEST_STATE_PLANNED",
           "summary.cycles_to_80_percent > 100",
           "protocol.charge_c_rate > 0.7 AND protocol.charge_c_rate > 0.9 AND labels.campaign = even",
       }) {
    SCOPED_TRACE(filter);
    auto parsed = ParseFilter(filter);
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    std::vector<std::string> expected;
    for (const auto& t : all) {
      if (MatchesFilter(parsed->get(), t)) expected.push_back(t.name());
    }
    for (int page_size : {100, 7}) {
      EXPECT_EQ(ListAll(*nrc, filter, "", page_size), expected) << "page size " << page_size;
      std::vector<std::string> reversed(expected.rbegin(), expected.rend());
      EXPECT_EQ(ListAll(*nrc, filter, "name desc", page_size), reversed);
    }
  }
}

TEST_F(QueryTest, OrdersByIndexedFieldsAndTimesAcrossPages) {
  CreateTests("nrc", 60);
  auto nrc = Client("nrc-viewer");
  const std::vector<v1::CellTest> all = Everything(*nrc);
  struct Case {
    std::string order_by;
    std::string filter;
    std::function<double(const v1::CellTest&)> key;  // NaN: no value
  };
  const double none = std::nan("");
  auto temperature = [](const v1::CellTest& t) { return t.protocol().temperature().value(); };
  const std::vector<Case> cases = {
      {"protocol.temperature", "", temperature},
      {"protocol.temperature desc", "", temperature},
      {"protocol.temperature desc", "labels.campaign = odd", temperature},
      {"protocol.temperature", "protocol.charge_c_rate > 0.7", temperature},
      {"cell.nominal_capacity", "labels.campaign = odd",
       [](const v1::CellTest& t) { return t.cell().nominal_capacity().value(); }},
      {"protocol.discharge_c_rate desc", "protocol.discharge_c_rate >= 0.3",
       [](const v1::CellTest& t) { return t.protocol().discharge_c_rate(); }},
      {"create_time", "", [](const v1::CellTest& t) {
         return t.create_time().seconds() + t.create_time().nanos() * 1e-9; }},
      {"update_time desc", "cell.form_factor = POUCH", [](const v1::CellTest& t) {
         return t.update_time().seconds() + t.update_time().nanos() * 1e-9; }},
      {"summary.cycles_to_80_percent", "", [none](const v1::CellTest&) { return none; }},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.order_by + " / " + c.filter);
    auto parsed = ParseFilter(c.filter);
    ASSERT_TRUE(parsed.ok());
    std::vector<std::tuple<int, double, std::string>> expected;
    const bool desc = c.order_by.find(" desc") != std::string::npos;
    for (const auto& t : all) {
      if (!MatchesFilter(parsed->get(), t)) continue;
      const double k = c.key(t);
      expected.emplace_back(std::isnan(k) ? 1 : 0, std::isnan(k) ? 0 : k, t.name());
    }
    // Values in the order's direction, ties by name the same way, records
    // without a value last either way.
    std::sort(expected.begin(), expected.end(), [desc](const auto& a, const auto& b) {
      if (std::get<0>(a) != std::get<0>(b)) return std::get<0>(a) < std::get<0>(b);
      auto ka = std::make_pair(std::get<1>(a), std::get<2>(a));
      auto kb = std::make_pair(std::get<1>(b), std::get<2>(b));
      return desc ? ka > kb : ka < kb;
    });
    std::vector<std::string> names;
    for (const auto& e : expected) names.push_back(std::get<2>(e));
    EXPECT_EQ(ListAll(*nrc, c.filter, c.order_by, 7), names);
    EXPECT_EQ(ListAll(*nrc, c.filter, c.order_by, 100), names);
  }
  v1::ListCellTestsRequest bad;
  bad.set_parent("institutions/-");
  v1::ListCellTestsResponse resp;
  for (const char* order : {"colour", "protocol.temperature sideways", "name, create_time",
                            "protocol.charge_c_rate"}) {
    bad.set_order_by(order);
    grpc::Status s = nrc->ListCellTests(bad, &resp);
    if (std::string(order) == "protocol.charge_c_rate") {
      EXPECT_TRUE(s.ok()) << order;
      continue;
    }
    EXPECT_EQ(s.error_code(), StatusCode::INVALID_ARGUMENT) << order;
    EXPECT_NE(s.error_message().find("order_by"), std::string::npos) << s.error_message();
  }
  // A token of one order is refused by another.
  v1::ListCellTestsRequest first;
  first.set_parent("institutions/-");
  first.set_page_size(5);
  first.set_order_by("protocol.temperature");
  ASSERT_TRUE(nrc->ListCellTests(first, &resp).ok());
  ASSERT_FALSE(resp.next_page_token().empty());
  first.set_order_by("create_time");
  first.set_page_token(resp.next_page_token());
  EXPECT_EQ(nrc->ListCellTests(first, &resp).error_code(), StatusCode::INVALID_ARGUMENT);
}

TEST_F(QueryTest, RecordsWithoutTheOrderedFieldComeLastEitherWay) {
  auto nrc = Client("nrc-submitter");
  // Lots have an origin country, electrodes none.
  const std::vector<std::pair<std::string, std::string>> samples = {
      {"a", "JP"}, {"b", ""}, {"c", "CA"}, {"d", ""}, {"e", "AU"}, {"f", "CA"}, {"g", ""}};
  for (const auto& [id, country] : samples) {
    v1::CreateSampleRequest req;
    req.set_parent("institutions/nrc");
    req.set_sample_id(id);
    v1::Sample& s = *req.mutable_sample();
    if (country.empty()) {
      s.set_kind(v1::SAMPLE_KIND_ELECTRODE);
      s.mutable_electrode()->set_polarity(v1::ELECTRODE_POLARITY_POSITIVE);
    } else {
      s.set_kind(v1::SAMPLE_KIND_MATERIAL_LOT);
      s.mutable_material_lot()->set_material_class(v1::MATERIAL_CLASS_CATHODE_ACTIVE);
      s.mutable_material_lot()->set_material("NMC811");
      s.mutable_material_lot()->mutable_origin()->set_country(country);
    }
    v1::Sample out;
    ASSERT_TRUE(nrc->CreateSample(req, &out).ok()) << id;
  }
  auto list = [&](const std::string& order_by, int page_size) {
    v1::ListSamplesRequest req;
    req.set_parent("institutions/nrc");
    req.set_order_by(order_by);
    req.set_page_size(page_size);
    std::string out;
    do {
      v1::ListSamplesResponse resp;
      EXPECT_TRUE(nrc->ListSamples(req, &resp).ok());
      for (const auto& s : resp.samples()) out += s.name().back();
      req.set_page_token(resp.next_page_token());
    } while (!req.page_token().empty());
    return out;
  };
  for (int page_size : {1, 2, 3, 100}) {
    EXPECT_EQ(list("material_lot.origin.country", page_size), "ecfabdg") << page_size;
    EXPECT_EQ(list("material_lot.origin.country desc", page_size), "afcegdb") << page_size;
  }
}

TEST_F(QueryTest, LineageWalksEveryLevelWhateverTheOrderOfNames) {
  // Names chosen so that each level sorts before the one above it: a walk
  // that kept its place in the reference index from one level to the next
  // would miss them.
  auto nrc = Client("nrc-submitter");
  auto create = [&](const std::string& id, v1::Sample s) {
    v1::CreateSampleRequest req;
    req.set_parent("institutions/nrc");
    req.set_sample_id(id);
    s.mutable_access()->set_visibility(v1::VISIBILITY_CONSORTIUM);
    *req.mutable_sample() = s;
    v1::Sample out;
    EXPECT_TRUE(nrc->CreateSample(req, &out).ok()) << id;
    return out.name();
  };
  v1::Sample lot;
  lot.set_kind(v1::SAMPLE_KIND_MATERIAL_LOT);
  lot.mutable_material_lot()->set_material_class(v1::MATERIAL_CLASS_CATHODE_ACTIVE);
  lot.mutable_material_lot()->set_material("NMC811");
  const std::string z_lot = create("z-lot", lot), y_lot = create("y-lot", lot);
  const std::string zz_lot = create("zz-lot", lot);  // its references sort after z-lot's
  std::vector<std::string> electrodes;
  for (int e = 0; e < 7; ++e) {
    v1::Sample el;
    el.set_kind(v1::SAMPLE_KIND_ELECTRODE);
    el.mutable_electrode()->set_polarity(v1::ELECTRODE_POLARITY_POSITIVE);
    el.add_derived_from(e == 5 ? y_lot : e == 6 ? zz_lot : z_lot);
    electrodes.push_back(create("m-e" + std::to_string(e), el));
  }
  for (int c = 0; c < 10; ++c) {
    v1::Sample cell;
    cell.set_kind(v1::SAMPLE_KIND_CELL);
    cell.mutable_cell()->set_form_factor(v1::FORM_FACTOR_COIN);
    cell.mutable_cell()->set_chemistry("NMC811/graphite");
    cell.mutable_cell()->mutable_nominal_capacity()->set_value(4);
    cell.mutable_cell()->mutable_nominal_capacity()->set_unit("mAh");
    cell.mutable_cell()->set_positive_electrode(electrodes[c % 6]);
    create("a-c" + std::to_string(c), cell);
  }
  v1::GetLineageRequest req;
  req.set_name(z_lot);
  v1::Lineage down;
  ASSERT_TRUE(nrc->GetLineage(req, &down).ok());
  std::map<std::string, std::pair<int, std::string>> got;
  for (const auto& e : down.entries()) got[e.name().substr(25)] = {e.depth(), e.via().substr(25)};
  std::map<std::string, std::pair<int, std::string>> want;
  for (int e = 0; e < 5; ++e) want["m-e" + std::to_string(e)] = {1, "z-lot"};
  for (int c = 0; c < 10; ++c) {
    if (c % 6 != 5) want["a-c" + std::to_string(c)] = {2, "m-e" + std::to_string(c % 6)};
  }
  EXPECT_EQ(got, want);
  req.set_name("institutions/nrc/samples/a-c5");
  req.set_direction(v1::LINEAGE_DIRECTION_UP);
  v1::Lineage up;
  ASSERT_TRUE(nrc->GetLineage(req, &up).ok());
  ASSERT_EQ(up.entries_size(), 2);
  EXPECT_EQ(up.entries(0).name(), "institutions/nrc/samples/m-e5");
  EXPECT_EQ(up.entries(1).name(), y_lot);
  EXPECT_EQ(up.entries(1).depth(), 2);
  // The filter function walks the same way.
  v1::ListSamplesRequest list;
  list.set_parent("institutions/-");
  list.set_filter("descends_from(\"" + z_lot + "\") AND kind = CELL");
  v1::ListSamplesResponse cells;
  ASSERT_TRUE(nrc->ListSamples(list, &cells).ok());
  EXPECT_EQ(cells.samples_size(), 9);
}

TEST_F(QueryTest, PagingUnderConcurrentInsertsNeitherRepeatsNorSkips) {
  // Every plan shape: record scan, index join, range, order index, sort.
  const std::vector<std::pair<std::string, std::string>> queries = {
      {"", ""},
      {"labels.campaign = even AND cell.form_factor = COIN", ""},
      {"protocol.discharge_c_rate >= 0.4", ""},
      {"", "protocol.temperature desc"},
      {"", "create_time"},
      {"labels.campaign = odd", "cell.nominal_capacity desc"},
  };
  CreateTests("nrc", 80, v1::VISIBILITY_CONSORTIUM, [](int i) { return i % 2 == 0; });
  auto nrc = Client("nrc-submitter");
  std::map<std::string, std::vector<std::string>> before;
  for (const auto& [filter, order] : queries) before[filter + "|" + order] = ListAll(*nrc, filter, order);
  std::atomic<int> next{1};
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    auto w = Client("nrc-submitter");
    // Odd numbers interleave with the even ones being paged through.
    while (!stop) {
      const int i = next.fetch_add(2);
      if (i >= 80) break;
      v1::CreateCellTestRequest req;
      req.set_parent("institutions/nrc");
      req.set_cell_test_id("t-" + std::to_string(100 + i));
      *req.mutable_cell_test() = CellTestBody(i);
      req.mutable_cell_test()->mutable_access()->set_visibility(v1::VISIBILITY_CONSORTIUM);
      v1::CellTest out;
      w->CreateCellTest(req, &out);
    }
  });
  for (const auto& [filter, order] : queries) {
    SCOPED_TRACE(filter + " | " + order);
    std::vector<std::string> seen = ListAll(*nrc, filter, order, 3);
    std::set<std::string> unique(seen.begin(), seen.end());
    EXPECT_EQ(unique.size(), seen.size()) << "a record appeared twice";
    for (const std::string& name : before[filter + "|" + order]) {
      EXPECT_TRUE(unique.count(name)) << name << " missing";
    }
  }
  stop = true;
  writer.join();
}

TEST_F(QueryTest, PagesOfACallerLeaveNoTraceOfHiddenRecords) {
  // This hub: NRC's shared tests and, interleaved, private ones matching the
  // same filters. The other hub: only the shared ones. AIST must get the
  // same pages, tokens and all, from both.
  auto shared = [](int i) { return i % 3 != 1; };
  CreateTests("nrc", 60, v1::VISIBILITY_CONSORTIUM, shared);
  {
    auto c = Client("nrc-submitter");
    for (int i = 0; i < 60; ++i) {
      if (shared(i)) continue;
      v1::CreateCellTestRequest req;
      req.set_parent("institutions/nrc");
      req.set_cell_test_id("t-" + std::to_string(100 + i));
      *req.mutable_cell_test() = CellTestBody(i);
      req.mutable_cell_test()->mutable_access()->set_visibility(v1::VISIBILITY_PRIVATE);
      v1::CellTest out;
      ASSERT_TRUE(c->CreateCellTest(req, &out).ok());
    }
  }
  HubConfig other_config = config_;
  other_config.data_dir = dir_.string() + "-other";
  std::filesystem::remove_all(other_config.data_dir);
  auto other = HubServer::Start(other_config);
  ASSERT_TRUE(other.ok()) << other.status();
  client::ClientOptions options;
  options.hub = (*other)->address();
  options.token = "nrc-submitter";
  {
    client::HubClient c(options);
    for (int i = 0; i < 60; ++i) {
      if (!shared(i)) continue;
      v1::CreateCellTestRequest req;
      req.set_parent("institutions/nrc");
      req.set_cell_test_id("t-" + std::to_string(100 + i));
      *req.mutable_cell_test() = CellTestBody(i);
      req.mutable_cell_test()->mutable_access()->set_visibility(v1::VISIBILITY_CONSORTIUM);
      v1::CellTest out;
      ASSERT_TRUE(c.CreateCellTest(req, &out).ok());
    }
  }
  options.token = "aist-viewer";
  client::HubClient in_other(options);
  auto in_this = Client("aist-viewer");
  for (const auto& [filter, order] : std::vector<std::pair<std::string, std::string>>{
           {"", ""}, {"labels.campaign = even", ""}, {"protocol.temperature >= 25", ""},
           {"cell.form_factor = COIN AND labels.campaign = odd", "name desc"},
           {"", "protocol.temperature"}, {"protocol.discharge_c_rate > 0.2", "cell.nominal_capacity desc"}}) {
    SCOPED_TRACE(filter + " | " + order);
    v1::ListCellTestsRequest req;
    req.set_parent("institutions/-");
    req.set_filter(filter);
    req.set_order_by(order);
    req.set_page_size(4);
    v1::ListCellTestsRequest other_req = req;
    int pages = 0;
    for (;;) {
      v1::ListCellTestsResponse a, b;
      ASSERT_TRUE(in_this->ListCellTests(req, &a).ok());
      ASSERT_TRUE(in_other.ListCellTests(other_req, &b).ok());
      ASSERT_EQ(a.cell_tests_size(), b.cell_tests_size()) << "page " << pages;
      for (int k = 0; k < a.cell_tests_size(); ++k) {
        EXPECT_EQ(a.cell_tests(k).name(), b.cell_tests(k).name());
        EXPECT_EQ(a.cell_tests(k).access().visibility(), v1::VISIBILITY_CONSORTIUM);
      }
      // Tokens hold a MAC under each hub's own key, then the position in
      // the order's index, which holds the value and the name of the last
      // record shown: nothing hidden.
      auto position = [](const std::string& token) {
        std::string raw;
        EXPECT_TRUE(absl::WebSafeBase64Unescape(token, &raw));
        return raw.size() < 16 ? std::string() : raw.substr(16);
      };
      ASSERT_EQ(position(a.next_page_token()), position(b.next_page_token())) << "page " << pages;
      ASSERT_EQ(a.next_page_token().empty(), b.next_page_token().empty());
      ++pages;
      if (a.next_page_token().empty()) break;
      req.set_page_token(a.next_page_token());
      other_req.set_page_token(b.next_page_token());
    }
    EXPECT_GT(pages, 1);
  }
  other->reset();
  std::filesystem::remove_all(other_config.data_dir);
}

}  // namespace
}  // namespace batteryhub::testing
