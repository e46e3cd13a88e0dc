// Sync benchmark: a cell test with a long series replicated from one hub to
// another (the sync job: feed, apply, series stream piped into the other
// hub, digest checked), against, in the same run,
//   - the raw gRPC streaming rate of the same stored bytes from the origin
//     (StreamSeries drained by a client that stores nothing), and
//   - pg_dump | psql of the same rows between two PostgreSQL databases.
// Both hubs are real servers on loopback in this process (durable RocksDB).
//
//   sync_bench --rows 5000000 --pg-src CONNINFO --pg-dst CONNINFO --pg-bin DIR
// Prints one JSON object.
#include <libpq-fe.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

#include "bench/bench_util.h"
#include "bench/synthetic_series.h"
#include "clients/cpp/sync_job.h"
#include "core/sha256.h"
#include "services/hub_server.h"
#include "storage/keys.h"
#include "storage/series_store.h"

namespace {

namespace v1 = ::batteryhub::v1;
using batteryhub::HubConfig;
using batteryhub::HubServer;
using batteryhub::bench::Clock;
using batteryhub::bench::Seconds;

std::unique_ptr<HubServer> StartHub(const std::string& id, const std::string& dir) {
  HubConfig config;
  config.hub_id = id;
  config.listen = "127.0.0.1:0";
  config.data_dir = dir;
  config.institutions = batteryhub::DefaultInstitutions();
  for (const char* token : {"aist-submitter", "nrc-viewer"}) {
    const std::string t = token;
    const std::string inst = t.substr(0, t.find('-'));
    config.principals.push_back({t, inst, batteryhub::ParseRole(t.substr(t.find('-') + 1)),
                                 batteryhub::Sha256Hex(t)});
  }
  config.principals.push_back({"admin", "", v1::ROLE_ADMIN, batteryhub::Sha256Hex("admin")});
  auto hub = HubServer::Start(config);
  if (!hub.ok()) {
    std::fprintf(stderr, "%s: %s\n", id.c_str(), std::string(hub.status().message()).c_str());
    std::exit(1);
  }
  return std::move(*hub);
}

std::unique_ptr<batteryhub::client::HubClient> ClientOf(const HubServer& hub,
                                                        const std::string& token) {
  batteryhub::client::ClientOptions o;
  o.hub = hub.address();
  o.token = token;
  o.deadline = std::chrono::minutes(10);
  return std::make_unique<batteryhub::client::HubClient>(o);
}

}  // namespace

int main(int argc, char** argv) {
  int64_t rows = 5000000;
  std::string src, dst, pg_bin = "/usr/lib/postgresql/15/bin";
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--rows")) rows = std::atoll(argv[i + 1]);
    if (!std::strcmp(argv[i], "--pg-src")) src = argv[i + 1];
    if (!std::strcmp(argv[i], "--pg-dst")) dst = argv[i + 1];
    if (!std::strcmp(argv[i], "--pg-bin")) pg_bin = argv[i + 1];
  }
  const std::string dir = (std::filesystem::temp_directory_path() /
                           ("bhub-sync-bench-" + std::to_string(::getpid()))).string();
  std::filesystem::remove_all(dir);
  auto origin = StartHub("aist-hub", dir + "/aist");

  // The origin's cell test, granted to NRC at FULL, with the series.
  const batteryhub::bench::Synthetic data(rows, 6000);
  auto aist = ClientOf(*origin, "aist-submitter");
  v1::CreateCellTestRequest req;
  req.set_parent("institutions/aist");
  req.set_cell_test_id("long");
  v1::CellTest* t = req.mutable_cell_test();
  t->mutable_cell()->set_form_factor(v1::FORM_FACTOR_POUCH);
  t->mutable_cell()->set_chemistry("NMC811/graphite");
  t->mutable_cell()->mutable_nominal_capacity()->set_value(5);
  t->mutable_cell()->mutable_nominal_capacity()->set_unit("Ah");
  t->mutable_protocol()->mutable_temperature()->set_value(25);
  t->mutable_protocol()->mutable_temperature()->set_unit("degC");
  t->mutable_access()->set_visibility(v1::VISIBILITY_PRIVATE);
  v1::Grant* g = t->mutable_access()->add_grants();
  g->set_institution("institutions/nrc");
  g->set_tier(v1::TIER_FULL);
  v1::CellTest test;
  if (!aist->CreateCellTest(req, &test).ok()) return 1;
  v1::UploadSeriesResponse uploaded;
  auto t0 = Clock::now();
  grpc::Status s = data.Upload(*aist, test.name(), 20000, &uploaded);
  const double upload_s = Seconds(t0, Clock::now());
  if (!s.ok()) {
    std::fprintf(stderr, "upload: %s\n", s.error_message().c_str());
    return 1;
  }

  // Raw streaming of the same stored bytes, nothing stored at the receiver,
  // and the sync job into a fresh hub: each kRuns times, interleaved, the
  // medians compared (single runs of ~10 ms vary by half on a busy 2-core
  // machine).
  constexpr int kRuns = 5;
  auto peer = ClientOf(*origin, "nrc-viewer");
  std::vector<double> raw_runs, sync_runs;
  int64_t raw_bytes = 0;
  batteryhub::client::SyncSummary summary;
  std::unique_ptr<HubServer> local;
  std::unique_ptr<batteryhub::client::HubClient> admin;
  for (int run = 0; run < kRuns; ++run) {
    raw_bytes = 0;
    t0 = Clock::now();
    s = peer->StreamSeries(test.name(), [&](v1::SeriesBlocks& blocks) {
      for (const auto& b : blocks.blocks()) raw_bytes += static_cast<int64_t>(b.ByteSizeLong());
      return true;
    });
    raw_runs.push_back(Seconds(t0, Clock::now()));
    if (!s.ok()) return 1;
    admin.reset();
    local.reset();
    local = StartHub("nrc-hub", dir + "/nrc-" + std::to_string(run));
    admin = ClientOf(*local, "admin");
    summary = {};
    t0 = Clock::now();
    s = batteryhub::client::SyncOnce(*peer, *admin, {}, &summary);
    sync_runs.push_back(Seconds(t0, Clock::now()));
    if (!s.ok() || summary.series != 1) {
      std::fprintf(stderr, "sync: %s\n", s.error_message().c_str());
      return 1;
    }
  }
  const double raw_s = batteryhub::bench::Median(raw_runs);
  const double sync_s = batteryhub::bench::Median(sync_runs);
  // What a durable, verified copy costs at least besides the stream: the
  // series digest chain over the same chunks, and writing the same bytes to
  // a file with fdatasync (each kRuns times, medians).
  std::vector<std::pair<std::string, std::string>> stored;
  s = peer->StreamSeries(test.name(), [&](v1::SeriesBlocks& blocks) {
    // Under the keys the receiver stores them at (chunks; the rest by size).
    for (auto& b : *blocks.mutable_blocks()) {
      if (b.has_column()) {
        stored.emplace_back(batteryhub::storage::SeriesChunkKey(
                                test.name(), static_cast<uint64_t>(b.column().first_row()),
                                b.column().column()),
                            std::move(*b.mutable_column()->mutable_encoded()));
      } else {
        stored.emplace_back(std::string(), b.SerializeAsString());
      }
    }
    return true;
  });
  if (!s.ok()) return 1;
  const std::string chunks = batteryhub::storage::SeriesChunkPrefix(test.name());
  v1::CellTest uploaded_test;
  if (!aist->GetCellTest(test.name(), &uploaded_test).ok()) return 1;
  std::vector<double> hash_runs, fsync_runs;
  for (int run = 0; run < kRuns; ++run) {
    t0 = Clock::now();
    std::string digest;
    for (const auto& [key, value] : stored) {
      if (key.rfind(chunks, 0) == 0) digest = batteryhub::storage::NextSeriesDigest(digest, key, value);
    }
    hash_runs.push_back(Seconds(t0, Clock::now()));
    if (digest != uploaded_test.series().digest()) {
      std::fprintf(stderr, "the digest chain differs from the series digest\n");
      return 1;
    }
    const std::string file = dir + "/fsync-" + std::to_string(run);
    t0 = Clock::now();
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) return 1;
    for (const auto& [key, value] : stored) {
      if (::write(fd, key.data(), key.size()) < 0 || ::write(fd, value.data(), value.size()) < 0) {
        return 1;
      }
    }
    if (::fdatasync(fd) != 0) return 1;
    ::close(fd);
    fsync_runs.push_back(Seconds(t0, Clock::now()));
  }
  const double hash_s = batteryhub::bench::Median(hash_runs);
  const double fsync_s = batteryhub::bench::Median(fsync_runs);
  // A run with nothing new: the fixed cost of a sync (info, cursor, feed,
  // recheck of the replica held).
  batteryhub::client::SyncSummary noop;
  t0 = Clock::now();
  s = batteryhub::client::SyncOnce(*peer, *admin, {}, &noop);
  const double noop_s = Seconds(t0, Clock::now());
  if (!s.ok() || noop.series != 0) return 1;
  v1::LedgerReport report;
  if (!admin->VerifyLedger(&report).ok() || !report.first_break().empty() ||
      report.series_checked() != 1) {
    std::fprintf(stderr, "the replica does not verify\n");
    return 1;
  }
  // PostgreSQL: the same rows, then pg_dump | psql between two databases.
  double pg_s = 0;
  if (!src.empty()) {
    PGconn* conn = PQconnectdb(src.c_str());
    if (PQstatus(conn) != CONNECTION_OK || !batteryhub::bench::CopySeries(conn, data)) return 1;
    PQfinish(conn);
    const std::string cmd = pg_bin + "/pg_dump -t series '" + src + "' | " + pg_bin +
                            "/psql -q -X -v ON_ERROR_STOP=1 '" + dst + "' >/dev/null";
    t0 = Clock::now();
    if (std::system(cmd.c_str()) != 0) return 1;
    pg_s = Seconds(t0, Clock::now());
  }
  admin.reset();
  local.reset();
  origin.reset();
  std::filesystem::remove_all(dir);
  std::printf(
      "{\"rows\": %lld, \"upload_s\": %.2f, \"stored_bytes\": %lld, \"raw_stream_s\": %.3f, "
      "\"raw_stream_mb_s\": %.1f, \"sync_s\": %.3f, \"sync_bytes\": %lld, \"sync_mb_s\": %.1f, "
      "\"sync_rows_s\": %.0f, \"sync_vs_raw\": %.2f, \"digest_chain_s\": %.3f, "
      "\"write_fdatasync_s\": %.3f, \"floor_s\": %.3f, \"sync_vs_floor\": %.2f, "
      "\"noop_sync_s\": %.3f, \"pg_dump_psql_s\": %.2f, \"sync_vs_pg\": %.1f}\n",
      static_cast<long long>(rows), upload_s, static_cast<long long>(raw_bytes), raw_s,
      raw_bytes / raw_s / 1e6, sync_s, static_cast<long long>(summary.bytes),
      summary.bytes / sync_s / 1e6, rows / sync_s, raw_s / sync_s, hash_s, fsync_s,
      raw_s + hash_s + fsync_s, (raw_s + hash_s + fsync_s) / sync_s, noop_s, pg_s,
      pg_s > 0 ? pg_s / sync_s : 0.0);
  return 0;
}
