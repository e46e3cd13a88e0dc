// The HTTP listener's own behaviour over a real hub: errors as JSON Status
// with the HTTP code, bounds, series as CSV, plots, and the web view's files.
#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <google/protobuf/util/json_util.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "batteryhub/v1/cell_test.pb.h"
#include "batteryhub/v1/series_service.pb.h"
#include "http/http_gateway.h"
#include "tests/services/hub_fixture.h"

namespace batteryhub::http {
namespace {

namespace v1 = ::batteryhub::v1;

class HttpApiTest : public testing::HubFixture {
 protected:
  void SetUp() override {
    HubFixture::SetUp();
    web_ = dir_ / "web";
    std::filesystem::create_directories(web_);
    std::ofstream(web_ / "index.html") << "<!doctype html><title>batteryhub</title>";
    HttpOptions options;
    options.listen = "127.0.0.1:0";
    options.web_root = web_.string();
    options.max_body_bytes = 64 << 10;
    auto g = HttpGateway::Start(options, hub_->InProcessChannel());
    ASSERT_TRUE(g.ok()) << g.status();
    gateway_ = std::move(*g);
  }
  void TearDown() override {
    gateway_.reset();
    HubFixture::TearDown();
  }
  void LoadDemo() {
    const std::string command = absl::StrCat("BATTERYHUB_TOKEN=admin ", BHUB_BINARY, " --hub ",
                                             hub_->address(), " demo load > /dev/null");
    ASSERT_EQ(std::system(command.c_str()), 0);
  }
  httplib::Result Get(const std::string& target, const std::string& token = "nrc-viewer") {
    httplib::Client c("127.0.0.1", gateway_->port());
    httplib::Headers h;
    if (!token.empty()) h.emplace("Authorization", "Bearer " + token);
    return c.Get(target, h);
  }
  static v1::Status ErrorOf(const httplib::Result& r) {
    v1::Status s;
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(r->body, &s).ok()) << r->body;
    return s;
  }
  std::filesystem::path web_;
  std::unique_ptr<HttpGateway> gateway_;
};

TEST_F(HttpApiTest, ErrorsAreJsonStatusesWithTheirHttpCode) {
  auto r = Get("/v1/identity", "");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 401);
  EXPECT_EQ(r->get_header_value("WWW-Authenticate"), "Bearer realm=\"batteryhub\"");
  EXPECT_EQ(ErrorOf(r).code(), 16);
  r = Get("/v1/identity", "forged");
  EXPECT_EQ(r->status, 401);
  r = Get("/v1/no/such/thing");
  EXPECT_EQ(r->status, 404);
  EXPECT_EQ(ErrorOf(r).code(), 5);
  r = Get("/v1/institutions/nrc/samples/x:undelete");
  EXPECT_EQ(r->status, 405);
  r = Get("/v1/identity?access_token=nrc-viewer", "");
  EXPECT_EQ(r->status, 400);
  EXPECT_NE(r->body.find("access_token"), std::string::npos);
  r = Get("/v1/institutions/-/samples?filter=((");
  EXPECT_EQ(r->status, 400);
  EXPECT_NE(ErrorOf(r).details_size(), 0);
  // A body over the bound is refused before the hub sees it.
  httplib::Client c("127.0.0.1", gateway_->port());
  auto big = c.Post("/v1/institutions/nrc/samples", {{"Authorization", "Bearer nrc-submitter"}},
                    std::string(100 << 10, ' '), "application/json");
  ASSERT_TRUE(big);
  EXPECT_EQ(big->status, 413);
  // Every answer carries the protective headers.
  EXPECT_EQ(r->get_header_value("X-Content-Type-Options"), "nosniff");
  EXPECT_NE(r->get_header_value("Content-Security-Policy").find("default-src 'self'"), std::string::npos);
}

TEST_F(HttpApiTest, TheWebViewIsServedAtTheRoot) {
  auto r = Get("/", "");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_NE(r->body.find("<title>batteryhub</title>"), std::string::npos);
  EXPECT_NE(r->get_header_value("Content-Security-Policy").find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_EQ(r->get_header_value("Cache-Control"), "private, max-age=300");  // code, not data
  EXPECT_EQ(Get("/v1/identity")->get_header_value("Cache-Control"), "no-store");
  // A browser's offer of Brotli gets gzip (httplib's Brotli is quality 11:
  // tens of ms a plot); an offer of Brotli alone gets the bytes as they are.
  httplib::Client c("127.0.0.1", gateway_->port());
  c.set_decompress(false);
  auto offered = c.Get("/v1/identity", {{"Authorization", "Bearer nrc-viewer"},
                                        {"accept-encoding", "gzip, deflate, br"}});
  ASSERT_TRUE(offered);
  EXPECT_EQ(offered->get_header_value("Content-Encoding"), "gzip");
  auto only_br = c.Get("/v1/identity", {{"Authorization", "Bearer nrc-viewer"}, {"Accept-Encoding", "br;q=1"}});
  ASSERT_TRUE(only_br);
  EXPECT_FALSE(only_br->has_header("Content-Encoding"));
  EXPECT_EQ(only_br->status, 200);
  EXPECT_EQ(Get("/../../etc/passwd", "")->status, 404);
  EXPECT_EQ(Get("/%2e%2e/%2e%2e/etc/passwd", "")->status, 404);
}

TEST_F(HttpApiTest, SeriesAsCsvHasEveryRowAndPlotsKeepTheExtremes) {
  LoadDemo();
  const std::string name = "institutions/nrc/cellTests/ct-001";
  auto meta = Get("/v1/" + name);
  ASSERT_EQ(meta->status, 200) << meta->body;
  v1::CellTest test;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(meta->body, &test).ok());
  const int64_t rows = test.series().row_count();
  ASSERT_GT(rows, 1000);

  auto csv = Get("/v1/" + name + "/series?alt=csv&columns=test_time_second&columns=voltage_volt");
  ASSERT_EQ(csv->status, 200);
  EXPECT_EQ(csv->get_header_value("Content-Type"), "text/csv; charset=utf-8");
  std::vector<std::string> lines = absl::StrSplit(csv->body, '\n', absl::SkipEmpty());
  ASSERT_EQ(static_cast<int64_t>(lines.size()), rows + 1);
  EXPECT_EQ(lines[0], "test_time_second,voltage_volt");
  double vmin = INFINITY, vmax = -INFINITY;
  for (size_t i = 1; i < lines.size(); ++i) {
    std::vector<std::string> f = absl::StrSplit(lines[i], ',');
    const double v = std::stod(f[1]);
    vmin = std::min(vmin, v), vmax = std::max(vmax, v);
  }

  auto plot = Get("/v1/" + name + "/series:plot?buckets=100&columns=voltage_volt");
  ASSERT_EQ(plot->status, 200) << plot->body;
  v1::SeriesPlot p;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(plot->body, &p).ok());
  EXPECT_TRUE(p.decimated());
  EXPECT_EQ(p.window_rows(), rows);
  ASSERT_EQ(p.lines_size(), 1);
  const auto& line = p.lines(0);
  EXPECT_LE(line.y_size(), 200);
  EXPECT_EQ(*std::min_element(line.y().begin(), line.y().end()), vmin);
  EXPECT_EQ(*std::max_element(line.y().begin(), line.y().end()), vmax);
  EXPECT_TRUE(std::is_sorted(line.x().begin(), line.x().end()));
  EXPECT_EQ(p.units().at("voltage_volt"), "V");

  // A small window comes back whole: the rows of the CSV inside it.
  std::vector<std::string> first = absl::StrSplit(lines[1], ',');
  std::vector<std::string> tenth = absl::StrSplit(lines[10], ',');
  auto zoom = Get(absl::StrCat("/v1/", name, "/series:plot?buckets=100&columns=voltage_volt&x_start=",
                               first[0], "&x_end=", tenth[0]));
  ASSERT_EQ(zoom->status, 200);
  v1::SeriesPlot z;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(zoom->body, &z).ok());
  EXPECT_FALSE(z.decimated());
  ASSERT_EQ(z.lines(0).y_size(), 10);
  for (int i = 0; i < 10; ++i) {
    std::vector<std::string> f = absl::StrSplit(lines[static_cast<size_t>(i) + 1], ',');
    EXPECT_EQ(z.lines(0).y(i), std::stod(f[1]));
  }
  // Hidden to a partner without a grant, the same way as Get.
  auto hidden = Get("/v1/institutions/nrc/cellTests/no-such/series:plot");
  EXPECT_EQ(hidden->status, 404);
  EXPECT_EQ(Get("/v1/" + name + "/series:plot?buckets=0.5")->status, 400);
  EXPECT_EQ(Get("/v1/" + name + "/series?alt=xml")->status, 400);
}

}  // namespace
}  // namespace batteryhub::http
