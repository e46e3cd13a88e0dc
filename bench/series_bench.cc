// Series benchmark: the same cycler rows into batteryhub (over gRPC, durable)
// and into PostgreSQL (COPY into a table with a (test, row) primary key, the
// layout of Battery Archive and Galvanalyser); then reads of one cycle and of
// the whole series from both. Prints one JSON object of measurements.
//
//   series_bench --hub HOST:PORT --token T --pg "host=/tmp/x port=5433 dbname=bench"
//                --rows 5000000 --cycle-rows 6000
//   series_bench --compact DATA_DIR      (after the hub stopped: SST bytes)
#include <libpq-fe.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "bench/bench_util.h"
#include "bench/synthetic_series.h"
#include "clients/cpp/hub_client.h"
#include "storage/record_store.h"

namespace {

using batteryhub::bench::Fmt;
using batteryhub::bench::Synthetic;

namespace v1 = ::batteryhub::v1;
using batteryhub::bench::Clock;
using batteryhub::bench::Median;
using batteryhub::bench::PgOk;
using batteryhub::bench::Seconds;

int Compact(const char* dir) {
  auto store = batteryhub::storage::RecordStore::Open(std::string(dir) + "/db");
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", std::string(store.status().message()).c_str());
    return 1;
  }
  if (!(*store)->CompactAll().ok()) return 1;
  using batteryhub::storage::ColumnFamily;
  std::printf("{\"total\": %llu, \"series\": %llu, \"blobs\": %llu}\n",
              static_cast<unsigned long long>((*store)->LiveSstBytes()),
              static_cast<unsigned long long>((*store)->LiveSstBytes(ColumnFamily::kSeries)),
              static_cast<unsigned long long>((*store)->LiveSstBytes(ColumnFamily::kBlobs)));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string hub, token, pg;
  int64_t rows = 5000000, cycle_rows = 6000;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--compact") return Compact(argv[i + 1]);
    if (flag == "--hub") hub = argv[i + 1];
    else if (flag == "--token") token = argv[i + 1];
    else if (flag == "--pg") pg = argv[i + 1];
    else if (flag == "--rows") rows = std::atoll(argv[i + 1]);
    else if (flag == "--cycle-rows") cycle_rows = std::atoll(argv[i + 1]);
  }
  Synthetic data(rows, cycle_rows);
  batteryhub::client::ClientOptions options;
  options.hub = hub;
  options.token = token;
  batteryhub::client::HubClient client(options);

  // --- hub ingest (durable: every chunk is a synced WriteBatch)
  v1::CellTest created;
  grpc::Status s =
      batteryhub::bench::CreateBenchCellTest(client, "bench-" + std::to_string(rows), &created);
  if (!s.ok()) {
    std::fprintf(stderr, "create: %s\n", s.error_message().c_str());
    return 1;
  }
  v1::UploadSeriesResponse resp;
  auto t0 = Clock::now();
  s = data.Upload(client, created.name(), 32768, &resp);
  auto t1 = Clock::now();
  if (!s.ok() || !resp.complete()) {
    std::fprintf(stderr, "upload: %s\n", s.error_message().c_str());
    return 1;
  }
  const double hub_ingest = Seconds(t0, t1);

  // --- PostgreSQL ingest: COPY in one transaction, synchronous commit.
  PGconn* conn = PQconnectdb(pg.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::fprintf(stderr, "pg: %s\n", PQerrorMessage(conn));
    return 1;
  }
  t0 = Clock::now();
  if (!batteryhub::bench::CopySeries(conn, data)) return 1;
  t1 = Clock::now();
  const double pg_ingest = Seconds(t0, t1);
  PgOk(PQexec(conn, "VACUUM ANALYZE series"), "vacuum");

  // --- one cycle, p50 of 40 random cycles (same cycles for both)
  const int64_t cycles = (data.rows() + cycle_rows - 1) / cycle_rows;
  std::mt19937 rng(7);
  std::vector<int64_t> picks;
  for (int k = 0; k < 40; ++k) picks.push_back(1 + rng() % std::max<int64_t>(1, cycles - 1));
  std::vector<double> hub_cycle, pg_cycle;
  double checksum_hub = 0, checksum_pg = 0;
  for (int64_t cycle : picks) {
    v1::ReadSeriesRequest req;
    req.set_name(created.name());
    req.set_start_cycle(cycle);
    req.set_end_cycle(cycle);
    auto a = Clock::now();
    client.ReadSeries(req, [&](const v1::SeriesChunk& c) {
      for (double v : c.columns(1).values()) checksum_hub += v;
      return true;
    });
    hub_cycle.push_back(Seconds(a, Clock::now()));
    const std::string lo = std::to_string((cycle - 1) * cycle_rows), hi = std::to_string(cycle * cycle_rows);
    const char* params[] = {lo.c_str(), hi.c_str()};
    a = Clock::now();
    PGresult* r = PQexecParams(conn,
                               "SELECT test_time_second, voltage_volt, current_ampere, cycle_count,"
                               " step_index, charging_capacity_ampere_hour,"
                               " discharging_capacity_ampere_hour, surface_temperature_celsius"
                               " FROM series WHERE test_id = 1 AND row_id >= $1 AND row_id < $2"
                               " ORDER BY row_id",
                               2, nullptr, params, nullptr, nullptr, 0);
    for (int row = 0; row < PQntuples(r); ++row) {
      for (int c = 0; c < 8; ++c) {
        const double v = std::strtod(PQgetvalue(r, row, c), nullptr);
        if (c == 1) checksum_pg += v;
      }
    }
    PQclear(r);
    pg_cycle.push_back(Seconds(a, Clock::now()));
  }

  // --- whole series
  v1::ReadSeriesRequest all;
  all.set_name(created.name());
  int64_t hub_values = 0;
  t0 = Clock::now();
  client.ReadSeries(all, [&](const v1::SeriesChunk& c) {
    for (const auto& col : c.columns()) hub_values += col.values_size();
    return true;
  });
  const double hub_full = Seconds(t0, Clock::now());
  t0 = Clock::now();
  PgOk(PQexec(conn, "COPY (SELECT test_time_second, voltage_volt, current_ampere, cycle_count,"
                    " step_index, charging_capacity_ampere_hour, discharging_capacity_ampere_hour,"
                    " surface_temperature_celsius FROM series WHERE test_id = 1 ORDER BY row_id)"
                    " TO STDOUT"),
       "copy out");
  int64_t pg_bytes = 0;
  char* line = nullptr;
  for (int n; (n = PQgetCopyData(conn, &line, 0)) > 0;) {
    pg_bytes += n;
    PQfreemem(line);
  }
  PgOk(PQgetResult(conn), "copy out end");
  const double pg_full = Seconds(t0, Clock::now());
  PGresult* size = PQexec(conn, "SELECT pg_total_relation_size('series')");
  const long long pg_size = std::atoll(PQgetvalue(size, 0, 0));
  PQclear(size);
  PQfinish(conn);

  std::printf("{\"rows\": %lld, \"columns\": 8,\n", static_cast<long long>(data.rows()));
  std::printf(" \"hub_ingest_s\": %.3f, \"pg_ingest_s\": %.3f,\n", hub_ingest, pg_ingest);
  std::printf(" \"hub_ingest_rows_per_s\": %.0f, \"pg_ingest_rows_per_s\": %.0f,\n",
              data.rows() / hub_ingest, data.rows() / pg_ingest);
  std::printf(" \"hub_cycle_p50_ms\": %.3f, \"pg_cycle_p50_ms\": %.3f,\n", Median(hub_cycle) * 1e3,
              Median(pg_cycle) * 1e3);
  std::printf(" \"hub_full_read_s\": %.3f, \"pg_full_read_s\": %.3f,\n", hub_full, pg_full);
  std::printf(" \"hub_full_read_values\": %lld, \"pg_full_read_bytes\": %lld,\n",
              static_cast<long long>(hub_values), static_cast<long long>(pg_bytes));
  std::printf(" \"pg_bytes\": %lld, \"cycle_checksums_equal\": %s}\n", pg_size,
              std::fabs(checksum_hub - checksum_pg) < 1e-6 * std::fabs(checksum_pg) ? "true" : "false");
  return 0;
}
