// Path templates and request binding, generatively: a request turned into
// its HTTP form by the template binds back to the same request.
#include <gtest/gtest.h>

#include <random>

#include "batteryhub/v1/sample_service.pb.h"
#include "batteryhub/v1/series_service.pb.h"
#include "http/path_template.h"
#include "http/request_binding.h"
#include "google/api/annotations.pb.h"
#include "http/route_table.h"

namespace batteryhub::http {
namespace {

TEST(PathTemplateTest, MatchesVariablesLiteralsAndVerbs) {
  auto t = PathTemplate::Parse("/v1/{name=institutions/*/samples/*}:undelete");
  ASSERT_TRUE(t.ok()) << t.status();
  auto m = t->Match("/v1/institutions/nrc/samples/lot-1:undelete");
  ASSERT_TRUE(m.has_value());
  ASSERT_EQ(m->size(), 1u);
  EXPECT_EQ((*m)[0].first, "name");
  EXPECT_EQ((*m)[0].second, "institutions/nrc/samples/lot-1");
  EXPECT_FALSE(t->Match("/v1/institutions/nrc/samples/lot-1").has_value());
  EXPECT_FALSE(t->Match("/v1/institutions/nrc/cellTests/lot-1:undelete").has_value());
  EXPECT_FALSE(t->Match("/v1/institutions//samples/lot-1:undelete").has_value());
  EXPECT_FALSE(t->Match("/v1/institutions/nrc/samples/lot-1/x:undelete").has_value());

  auto two = PathTemplate::Parse("/v1/{cell_test=institutions/*/cellTests/*}/rawFiles/{sha256}");
  ASSERT_TRUE(two.ok());
  auto m2 = two->Match("/v1/institutions/a/cellTests/b/rawFiles/abc");
  ASSERT_TRUE(m2.has_value());
  EXPECT_EQ((*m2)[0].second, "institutions/a/cellTests/b");
  EXPECT_EQ((*m2)[1].second, "abc");

  auto rest = PathTemplate::Parse("/v1/{path=files/**}");
  ASSERT_TRUE(rest.ok());
  EXPECT_EQ((*rest->Match("/v1/files/a/b/c"))[0].second, "files/a/b/c");
  EXPECT_FALSE(rest->Match("/v1/files").has_value());
}

TEST(PathTemplateTest, RefusesMalformedTemplates) {
  for (const char* bad : {"", "v1/x", "/v1/{name", "/v1/{na me}", "/v1/{name=**}/x", "/v1/a**",
                          "/v1/{name}x", "/v1/x:"}) {
    EXPECT_FALSE(PathTemplate::Parse(bad).ok()) << bad;
  }
}

// Random bytes as paths never crash matching and a match binds only
// non-empty segments.
TEST(PathTemplateTest, ArbitraryPathsMatchSafely) {
  auto table = RouteTable::FromServices(ApiServices());
  ASSERT_TRUE(table.ok());
  std::mt19937 rng(7);
  const std::string alphabet = "/:abc*{}=%.-_@\0x";
  for (int i = 0; i < 20000; ++i) {
    std::string path = "/v1/";
    const int n = static_cast<int>(rng() % 40);
    for (int k = 0; k < n; ++k) path += alphabet[rng() % alphabet.size()];
    for (const char* verb : {"GET", "POST"}) {
      auto found = table->Find(verb, path);
      if (!found.ok()) continue;
      for (const auto& [field, value] : found->bindings) {
        EXPECT_FALSE(value.empty()) << path;
        EXPECT_EQ(value.find("//"), std::string::npos) << path;
      }
    }
  }
}

TEST(RouteTableTest, EveryUnaryAndServerStreamingMethodHasARouteAndRoutesDoNotOverlap) {
  auto table = RouteTable::FromServices(ApiServices());
  ASSERT_TRUE(table.ok()) << table.status();
  int expected = 0;
  for (const std::string& name : ApiServices()) {
    const auto* s = google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(name);
    for (int m = 0; m < s->method_count(); ++m) {
      const auto* method = s->method(m);
      // Client streams (uploads, replica applies) have no HTTP form; the
      // replication methods are for hubs, over gRPC.
      if (method->client_streaming() || method->name() == "StreamChanges" ||
          method->name() == "StreamSeries" || method->name() == "ApplyChanges") {
        continue;
      }
      // One route per rule: the rule and its additional bindings.
      expected += 1 + method->options().GetExtension(google::api::http).additional_bindings_size();
      bool found = false;
      for (const Route& r : table->routes()) found |= r.method == method;
      EXPECT_TRUE(found) << method->full_name() << " has no google.api.http rule";
    }
  }
  EXPECT_EQ(static_cast<int>(table->routes().size()), expected);
  // A route's own example path finds that route and no other first.
  for (const Route& r : table->routes()) {
    std::string path = r.path.text();
    for (size_t open; (open = path.find('{')) != std::string::npos;) {
      const size_t close = path.find('}', open);
      std::string inner = path.substr(open + 1, close - open - 1);
      std::string pattern = inner.find('=') == std::string::npos ? "*" : inner.substr(inner.find('=') + 1);
      std::string value;
      for (char c : pattern) value += c == '*' ? std::string("x1") : std::string(1, c);
      path.replace(open, close - open + 1, value);
    }
    auto found = table->Find(r.verb, path);
    ASSERT_TRUE(found.ok()) << path;
    EXPECT_EQ(found->route->method, r.method) << r.verb << " " << path << " went to "
                                              << found->route->method->full_name();
  }
}

RouteMatch MatchOf(const RouteTable& table, const char* verb, const char* path) {
  auto found = table.Find(verb, path);
  EXPECT_TRUE(found.ok()) << path;
  return *found;
}

TEST(RequestBindingTest, PathQueryAndBodyFillTheRequest) {
  auto table = RouteTable::FromServices(ApiServices());
  ASSERT_TRUE(table.ok());
  v1::ReadSeriesRequest read;
  ASSERT_TRUE(BindRequest(MatchOf(*table, "GET", "/v1/institutions/nrc/cellTests/t/series"), "",
                          {{"columns", "voltage_volt"}, {"columns", "current_ampere"},
                           {"startRow", "5"}, {"end_row", "9"}, {"alt", "csv"}},
                          &read)
                  .ok());
  EXPECT_EQ(read.name(), "institutions/nrc/cellTests/t");
  ASSERT_EQ(read.columns_size(), 2);
  EXPECT_EQ(read.columns(1), "current_ampere");
  EXPECT_EQ(read.start_row(), 5);
  EXPECT_EQ(read.end_row(), 9);

  v1::UpdateSampleRequest update;
  ASSERT_TRUE(BindRequest(MatchOf(*table, "PATCH", "/v1/institutions/nrc/samples/s"),
                          R"({"name": "institutions/aist/samples/other", "displayName": "d"})",
                          {{"update_mask", "display_name,labels"}, {"validate_only", "true"}}, &update)
                  .ok());
  EXPECT_EQ(update.sample().name(), "institutions/nrc/samples/s") << "the path wins over the body";
  EXPECT_EQ(update.sample().display_name(), "d");
  EXPECT_EQ(update.update_mask().paths_size(), 2);
  EXPECT_TRUE(update.validate_only());
}

TEST(RequestBindingTest, RefusalsNameTheParameter) {
  auto table = RouteTable::FromServices(ApiServices());
  ASSERT_TRUE(table.ok());
  const RouteMatch list = MatchOf(*table, "GET", "/v1/institutions/-/samples");
  struct Case {
    QueryParams query;
    const char* body;
    const char* field;
  } cases[] = {
      {{{"page_size", "ten"}}, "", "page_size"},
      {{{"page_size", "99999999999"}}, "", "page_size"},
      {{{"show_deleted", "maybe"}}, "", "show_deleted"},
      {{{"nope", "1"}}, "", "nope"},
      {{{"parent", "institutions/nrc"}}, "", "parent"},
      {{}, "{\"parent\": 1}", "body"},
  };
  for (const Case& c : cases) {
    v1::ListSamplesRequest request;
    absl::Status st = BindRequest(list, c.body, c.query, &request);
    EXPECT_TRUE(absl::IsInvalidArgument(st)) << c.field << ": " << st;
    EXPECT_NE(st.message().find(c.field), absl::string_view::npos) << st;
  }
  v1::CreateSampleRequest create;
  EXPECT_FALSE(BindRequest(MatchOf(*table, "POST", "/v1/institutions/nrc/samples"), "{not json", {},
                           &create)
                   .ok());
  v1::UndeleteSampleRequest undelete;
  EXPECT_FALSE(BindRequest(MatchOf(*table, "POST", "/v1/institutions/nrc/samples/s:undelete"), "{}",
                           {{"etag", "x"}}, &undelete)
                   .ok())
      << "body '*' takes no query parameters";
}

}  // namespace
}  // namespace batteryhub::http
