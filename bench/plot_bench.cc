// Plot benchmark: a 5,000,000-row series drawn as 2,000 min/max buckets, by
// the hub's PlotSeries (over gRPC) and by PostgreSQL 15 (the same buckets
// as one GROUP BY width_bucket query over the Battery Archive layout, with an
// index on (test_id, test_time_second) for windows). The whole series, then
// zoomed windows of 1 % and 0.01 % of the test time. Leaves the cell test
// in the hub (its name on stderr) for the browser and pandas steps.
//
//   plot_bench --hub HOST:PORT --token T --pg CONNINFO --rows 5000000 --reps 20
#include <libpq-fe.h>

#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "bench/bench_util.h"
#include "bench/synthetic_series.h"
#include "clients/cpp/hub_client.h"

namespace {

namespace v1 = ::batteryhub::v1;
using batteryhub::bench::Clock;
using batteryhub::bench::Median;
using batteryhub::bench::PgOk;
using batteryhub::bench::Seconds;

constexpr int kBuckets = 2000;

// Min and max of voltage and current per bucket of the window (the whole
// test when lo >= hi); answers the rows it read.
int64_t PgBuckets(PGconn* conn, double lo, double hi) {
  const bool whole = lo >= hi;
  const std::string b = std::to_string(kBuckets);
  const std::string sql =
      whole ? "WITH e AS (SELECT min(test_time_second) lo, max(test_time_second) hi FROM series"
              " WHERE test_id = 1) SELECT width_bucket(test_time_second, e.lo, e.hi + 1e-9, " + b +
              ") k, count(*), min(voltage_volt), max(voltage_volt), min(current_ampere),"
              " max(current_ampere) FROM series, e WHERE test_id = 1 GROUP BY k ORDER BY k"
            : "SELECT width_bucket(test_time_second, $1, $2 + 1e-9, " + b +
              ") k, count(*), min(voltage_volt), max(voltage_volt), min(current_ampere),"
              " max(current_ampere) FROM series WHERE test_id = 1 AND test_time_second"
              " BETWEEN $1 AND $2 GROUP BY k ORDER BY k";
  const std::string a = std::to_string(lo), z = std::to_string(hi);
  const char* params[] = {a.c_str(), z.c_str()};
  PGresult* r = PQexecParams(conn, sql.c_str(), whole ? 0 : 2, nullptr, whole ? nullptr : params,
                             nullptr, nullptr, 0);
  int64_t rows = 0;
  for (int i = 0; i < PQntuples(r); ++i) rows += std::atoll(PQgetvalue(r, i, 1));
  PQclear(r);
  return rows;
}

}  // namespace

int main(int argc, char** argv) {
  std::string hub, token, pg;
  int64_t rows = 5000000;
  int reps = 20;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--hub") hub = argv[i + 1];
    else if (flag == "--token") token = argv[i + 1];
    else if (flag == "--pg") pg = argv[i + 1];
    else if (flag == "--rows") rows = std::atoll(argv[i + 1]);
    else if (flag == "--reps") reps = std::atoi(argv[i + 1]);
  }
  batteryhub::bench::Synthetic data(rows, 6000);
  batteryhub::client::ClientOptions options;
  options.hub = hub;
  options.token = token;
  batteryhub::client::HubClient client(options);
  v1::CellTest created;
  grpc::Status s = batteryhub::bench::CreateBenchCellTest(client, "plot-" + std::to_string(rows), &created);
  v1::UploadSeriesResponse uploaded;
  if (s.ok()) s = data.Upload(client, created.name(), 32768, &uploaded);
  if (!s.ok()) {
    std::fprintf(stderr, "hub: %s\n", s.error_message().c_str());
    return 1;
  }
  std::fprintf(stderr, "cell test %s\n", created.name().c_str());
  // Without --pg: the hub alone (for profiling).
  PGconn* conn = pg.empty() ? nullptr : PQconnectdb(pg.c_str());
  if (conn && PQstatus(conn) != CONNECTION_OK) {
    std::fprintf(stderr, "pg: %s\n", PQerrorMessage(conn));
    return 1;
  }
  if (conn && (!batteryhub::bench::CopySeries(conn, data) ||
               !PgOk(PQexec(conn, "CREATE INDEX ON series (test_id, test_time_second)"), "index") ||
               !PgOk(PQexec(conn, "VACUUM ANALYZE series"), "vacuum"))) {
    std::fprintf(stderr, "pg: %s\n", PQerrorMessage(conn));
    return 1;
  }

  const double t_end = data.cols[0].back();
  std::mt19937 rng(11);
  std::printf("{\"rows\": %lld, \"buckets\": %d", static_cast<long long>(data.rows()), kBuckets);
  for (double fraction : {1.0, 0.01, 0.0001}) {
    std::vector<double> hub_s, pg_s;
    int64_t hub_rows = 0, pg_rows = 0, points = 0;
    bool decimated = false;
    for (int k = 0; k < reps; ++k) {
      double lo = 0, hi = 0;
      if (fraction < 1) {
        lo = std::uniform_real_distribution<double>(0, t_end * (1 - fraction))(rng);
        hi = lo + t_end * fraction;
      }
      v1::PlotSeriesRequest req;
      req.set_name(created.name());
      req.set_buckets(kBuckets);
      req.set_x_start(lo);
      req.set_x_end(hi);
      v1::SeriesPlot plot;
      auto a = Clock::now();
      s = client.PlotSeries(req, &plot);
      hub_s.push_back(Seconds(a, Clock::now()));
      if (!s.ok()) {
        std::fprintf(stderr, "plot: %s\n", s.error_message().c_str());
        return 1;
      }
      hub_rows += plot.window_rows();
      decimated = plot.decimated();
      points = 0;
      for (const auto& line : plot.lines()) points += line.x_size();
      if (!conn) continue;
      a = Clock::now();
      pg_rows += PgBuckets(conn, lo, hi);
      pg_s.push_back(Seconds(a, Clock::now()));
    }
    const std::string key = fraction == 1 ? "whole" : fraction == 0.01 ? "window_1pct" : "window_001pct";
    std::printf(",\n \"%s\": {\"hub_p50_ms\": %.2f, \"pg_p50_ms\": %.2f, \"hub_rows\": %lld,"
                " \"pg_rows\": %lld, \"points_last\": %lld, \"decimated_last\": %s}",
                key.c_str(), Median(hub_s) * 1e3, pg_s.empty() ? 0.0 : Median(pg_s) * 1e3, static_cast<long long>(hub_rows),
                static_cast<long long>(pg_rows), static_cast<long long>(points), decimated ? "true" : "false");
  }
  std::printf("}\n");
  if (conn) PQfinish(conn);
  return 0;
}
