// Query benchmark: a generated consortium (bench/consortium.h) stored in
// batteryhub and in PostgreSQL 15 (JSONB documents with a GIN index and
// expression indexes on the queried fields, plus an edge table for
// lineage: the way a peer would store them), then ten representative
// first-page queries and a lineage walk against both, side by side.
// Prints one JSON object of measurements per mode.
//
//   query_bench --load DIR --pg CONN [--samples N --characterizations N --cell-tests N]
//       DIR: a hub data directory (hub stopped). Records are validated and
//       stamped exactly as the hub's Create does, and committed (synced).
//   query_bench --query --hub HOST:PORT --token T --caller institutions/aist --pg CONN [--reps N]
//               [--server-log FILE]   (the hub's stderr: also its own p50 per query)
//   query_bench --index-overhead N
//       Create throughput of the record store with every index and with
//       none (the two time-index keys remain), on N generated cell tests.
#include <google/protobuf/util/json_util.h>
#include <libpq-fe.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "bench/bench_util.h"
#include "bench/consortium.h"
#include "clients/cpp/hub_client.h"
#include "core/status_macros.h"
#include "policy/principal.h"
#include "domain/record_stamp.h"
#include "core/record_kinds.h"
#include "storage/record_store.h"

namespace batteryhub::bench {
namespace {

bool PgExec(PGconn* pg, const std::string& sql) { return PgOk(PQexec(pg, sql.c_str()), sql.c_str()); }

// COPY text format: backslash, tab and newline escaped.
void AppendCopyField(std::string* out, const std::string& v) {
  for (char c : v) {
    if (c == '\\') out->append("\\\\");
    else if (c == '\t') out->append("\\t");
    else if (c == '\n') out->append("\\n");
    else out->push_back(c);
  }
}

bool PgCopy(PGconn* pg, const std::string& table, const std::string& data) {
  if (!PgOk(PQexec(pg, ("COPY " + table + " FROM STDIN").c_str()), "COPY")) return false;
  for (size_t off = 0; off < data.size(); off += 1 << 20) {
    const size_t n = std::min<size_t>(1 << 20, data.size() - off);
    if (PQputCopyData(pg, data.data() + off, static_cast<int>(n)) != 1) return false;
  }
  if (PQputCopyEnd(pg, nullptr) != 1) return false;
  return PgOk(PQgetResult(pg), "COPY end");
}

// Validates, stamps and commits one record as the hub's Create does; with
// `indexes` false the stored form keeps no field, label or reference index.
template <typename Traits>
absl::StatusOr<typename Traits::Resource> CommitRecord(storage::RecordStore& store,
                                                       const GeneratedRecord& g,
                                                       typename Traits::Resource r, bool indexes) {
  RETURN_IF_ERROR(Traits::Validate(&r));
  const Principal p{absl::StrCat("institutions/", g.institution, "/principals/loader"),
                    g.institution, v1::ROLE_SUBMITTER};
  const RecordName name{g.institution, Traits::kCollection, g.id, 0};
  std::vector<std::string> refs;
  for (const std::string& ref : g.references) refs.push_back(ref + "@1");
  storage::Mutation m{Traits::kKind, name.Name(), storage::v1::CHANGE_OPERATION_CREATE, p.name,
                      "", "", {}, std::nullopt};
  ASSIGN_OR_RETURN(storage::CommitResult result,
                   store.Commit(m, [&](const storage::StoredRecord* current,
                                       const storage::CommitInfo& info,
                                       storage::StoredRecord* next) {
                     StampRevision(&r, p, name, current, info, refs, next);
                     if (!indexes) {
                       next->clear_indexed();
                       next->clear_labels();
                       next->clear_references();
                     }
                     return absl::OkStatus();
                   }));
  return r;
}

// Rows of one PostgreSQL table being built.
struct PgTable {
  std::string rows;
  void Add(const std::string& name, const std::string& owner, v1::Visibility visibility,
           const google::protobuf::Timestamp& create_time, const google::protobuf::Message& doc) {
    std::string json;
    (void)google::protobuf::util::MessageToJsonString(doc, &json);
    absl::StrAppend(&rows, name, "\t", owner, "\t", v1::Visibility_Name(visibility), "\t",
                    google::protobuf::util::TimeUtil::ToString(create_time), "\t");
    AppendCopyField(&rows, json);
    rows.push_back('\n');
  }
};

int Load(const std::string& dir, const std::string& pg_conn, const ConsortiumSize& size) {
  const auto t0 = Clock::now();
  std::vector<GeneratedRecord> records = GenerateConsortium(size, 7);
  std::filesystem::create_directories(dir);
  auto store_or = storage::RecordStore::Open(dir + "/db");  // where batteryhubd keeps it
  if (!store_or.ok()) {
    std::fprintf(stderr, "%s\n", std::string(store_or.status().message()).c_str());
    return 1;
  }
  storage::RecordStore& store = **store_or;
  PgTable samples, characterizations, cell_tests;
  std::string refs;
  const auto t1 = Clock::now();
  for (const GeneratedRecord& g : records) {
    absl::Status status;
    if (g.sample) {
      auto r = CommitRecord<SampleTraits>(store, g, *g.sample, true);
      status = r.status();
      if (r.ok()) samples.Add(r->name(), r->owner(), r->access().visibility(), r->create_time(), *r);
    } else if (g.characterization) {
      auto r = CommitRecord<CharacterizationTraits>(store, g, *g.characterization, true);
      status = r.status();
      if (r.ok()) {
        characterizations.Add(r->name(), r->owner(), r->access().visibility(), r->create_time(), *r);
      }
    } else {
      auto r = CommitRecord<CellTestTraits>(store, g, *g.cell_test, true);
      status = r.status();
      if (r.ok()) cell_tests.Add(r->name(), r->owner(), r->access().visibility(), r->create_time(), *r);
    }
    if (!status.ok()) {
      std::fprintf(stderr, "%s/%s: %s\n", g.institution.c_str(), g.id.c_str(),
                   std::string(status.message()).c_str());
      return 1;
    }
    const std::string child = absl::StrCat(
        "institutions/", g.institution, "/",
        g.sample ? "samples" : g.characterization ? "characterizations" : "cellTests", "/", g.id);
    for (const std::string& parent : g.references) absl::StrAppend(&refs, parent, "\t", child, "\n");
  }
  const auto t2 = Clock::now();
  // Both sides settle before queries: a full compaction here, VACUUM
  // ANALYZE there.
  if (!store.CompactAll().ok()) return 1;
  store_or->reset();

  PGconn* pg = PQconnectdb(pg_conn.c_str());
  if (PQstatus(pg) != CONNECTION_OK) {
    std::fprintf(stderr, "postgres: %s\n", PQerrorMessage(pg));
    return 1;
  }
  if (!PgExec(pg, "SET client_min_messages = warning")) return 1;
  for (const char* table : {"samples", "characterizations", "cell_tests"}) {
    if (!PgExec(pg, absl::StrCat("DROP TABLE IF EXISTS ", table, "; CREATE TABLE ", table,
                                 " (name text COLLATE \"C\" PRIMARY KEY, owner text NOT NULL, "
                                 "visibility text NOT NULL, create_time timestamptz NOT NULL, "
                                 "doc jsonb NOT NULL)"))) {
      return 1;
    }
  }
  if (!PgExec(pg, "DROP TABLE IF EXISTS refs; CREATE TABLE refs (parent text COLLATE \"C\" NOT "
                  "NULL, child text COLLATE \"C\" NOT NULL)")) {
    return 1;
  }
  const auto t3 = Clock::now();
  if (!PgCopy(pg, "samples", samples.rows) || !PgCopy(pg, "characterizations", characterizations.rows) ||
      !PgCopy(pg, "cell_tests", cell_tests.rows) || !PgCopy(pg, "refs", refs)) {
    return 1;
  }
  const auto t4 = Clock::now();
  // One GIN index per table for containment, and expression indexes on
  // every field the hub indexes.
  const char* indexes[] = {
      "CREATE INDEX ON samples USING gin (doc jsonb_path_ops)",
      "CREATE INDEX ON samples ((doc->>'kind'))",
      "CREATE INDEX ON samples ((doc->'materialLot'->>'materialClass'))",
      "CREATE INDEX ON samples ((doc->'materialLot'->>'material'))",
      "CREATE INDEX ON samples ((doc->'materialLot'->'origin'->>'country'))",
      "CREATE INDEX ON samples ((doc->'materialLot'->'origin'->>'mineral'))",
      "CREATE INDEX ON samples ((doc->'cell'->>'chemistry'))",
      "CREATE INDEX ON samples ((doc->'cell'->>'formFactor'))",
      "CREATE INDEX ON samples (owner)",
      "CREATE INDEX ON samples (create_time)",
      "CREATE INDEX ON characterizations USING gin (doc jsonb_path_ops)",
      "CREATE INDEX ON characterizations ((doc->>'technique'))",
      "CREATE INDEX ON characterizations ((doc->>'sample'))",
      "CREATE INDEX ON characterizations (owner)",
      "CREATE INDEX ON characterizations (create_time)",
      "CREATE INDEX ON cell_tests USING gin (doc jsonb_path_ops)",
      "CREATE INDEX ON cell_tests ((doc->'cell'->>'chemistry'))",
      "CREATE INDEX ON cell_tests ((doc->'cell'->>'formFactor'))",
      "CREATE INDEX ON cell_tests (((doc->'protocol'->'temperature'->>'value')::float8))",
      "CREATE INDEX ON cell_tests (((doc->'protocol'->>'chargeCRate')::float8))",
      "CREATE INDEX ON cell_tests (((doc->'protocol'->>'dischargeCRate')::float8))",
      "CREATE INDEX ON cell_tests (((doc->'cell'->'nominalCapacity'->>'value')::float8))",
      "CREATE INDEX ON cell_tests (((doc->'summary'->>'cyclesTo80Percent')::int) DESC NULLS LAST)",
      "CREATE INDEX ON cell_tests ((doc->>'state'))",
      "CREATE INDEX ON cell_tests (owner)",
      "CREATE INDEX ON cell_tests (create_time)",
      "CREATE INDEX ON refs (parent)",
  };
  for (const char* sql : indexes) {
    if (!PgExec(pg, sql)) return 1;
  }
  if (!PgExec(pg, "VACUUM ANALYZE")) return 1;
  const auto t5 = Clock::now();
  PQfinish(pg);
  std::printf("{\"records\": %zu, \"hub_load_s\": %.2f, \"hub_creates_per_s\": %.0f, "
              "\"generate_s\": %.2f, \"pg_copy_s\": %.2f, \"pg_index_s\": %.2f}\n",
              records.size(), Seconds(t1, t2), records.size() / Seconds(t1, t2), Seconds(t0, t1),
              Seconds(t3, t4), Seconds(t4, t5));
  return 0;
}

int IndexOverhead(int n) {
  ConsortiumSize size;
  size.samples = 300;
  size.characterizations = 0;
  size.cell_tests = n + 790;
  std::vector<GeneratedRecord> records = GenerateConsortium(size, 11);
  // Only the cell tests are timed: they carry the most indexed fields.
  std::vector<const GeneratedRecord*> tests;
  for (const auto& g : records) {
    if (g.cell_test && g.id.rfind("t-l7", 0) != 0) tests.push_back(&g);
  }
  tests.resize(std::min<size_t>(tests.size(), n));
  double best[2] = {0, 0};
  for (int round = 0; round < 3; ++round) {
    for (int with = 0; with < 2; ++with) {
      const std::string dir = absl::StrCat(std::filesystem::temp_directory_path().string(),
                                           "/bhub-index-overhead-", getpid(), "-", with);
      std::filesystem::remove_all(dir);
      auto store = storage::RecordStore::Open(dir);
      if (!store.ok()) return 1;
      const auto t0 = Clock::now();
      for (const GeneratedRecord* g : tests) {
        if (!CommitRecord<CellTestTraits>(**store, *g, *g->cell_test, with == 1).ok()) return 1;
      }
      best[with] = std::max(best[with], tests.size() / Seconds(t0, Clock::now()));
      store->reset();
      std::filesystem::remove_all(dir);
    }
  }
  std::printf("{\"index_overhead_creates\": %zu, \"creates_per_s_no_indexes\": %.0f, "
              "\"creates_per_s_all_indexes\": %.0f}\n",
              tests.size(), best[0], best[1]);
  return 0;
}

struct Query {
  std::string label;
  std::string collection;  // samples | characterizations | cellTests
  std::string filter;
  std::string order_by;
  std::string pg;  // the same query in SQL; $POLICY is the caller's visibility rule
};

std::vector<Query> Queries() {
  const std::string lineage =
      std::string("WITH RECURSIVE d(name) AS (SELECT '") + kLineageRoot +
      "'::text COLLATE \"C\" UNION SELECT r.child FROM refs r JOIN d ON r.parent = d.name) ";
  return {
      {"every cell test (no filter)", "cellTests", "", "",
       "SELECT name, doc FROM cell_tests WHERE $POLICY ORDER BY name LIMIT 100"},
      {"NMC811 coin cells, 25 °C, 1C discharge, > 500 cycles to 80 %", "cellTests",
       "cell.chemistry = \"NMC811/graphite\" AND cell.form_factor = COIN AND "
       "protocol.temperature = 25 AND protocol.discharge_c_rate = 1 AND "
       "summary.cycles_to_80_percent > 500",
       "",
       "SELECT name, doc FROM cell_tests WHERE $POLICY AND doc->'cell'->>'chemistry' = "
       "'NMC811/graphite' AND doc->'cell'->>'formFactor' = 'FORM_FACTOR_COIN' AND "
       "(doc->'protocol'->'temperature'->>'value')::float8 = 25 AND "
       "(doc->'protocol'->>'dischargeCRate')::float8 = 1 AND "
       "(doc->'summary'->>'cyclesTo80Percent')::int > 500 ORDER BY name LIMIT 100"},
      {"cathode lots refined in Canada", "samples",
       "kind = MATERIAL_LOT AND material_lot.material_class = CATHODE_ACTIVE AND "
       "material_lot.origin.country = CA",
       "",
       "SELECT name, doc FROM samples WHERE $POLICY AND doc->>'kind' = 'SAMPLE_KIND_MATERIAL_LOT' "
       "AND doc->'materialLot'->>'materialClass' = 'MATERIAL_CLASS_CATHODE_ACTIVE' AND "
       "doc->'materialLot'->'origin'->>'country' = 'CA' ORDER BY name LIMIT 100"},
      {"cell tests descending from nickel lot L-7", "cellTests",
       std::string("descends_from(\"") + kLineageRoot + "\")", "",
       lineage + "SELECT name, doc FROM cell_tests WHERE $POLICY AND name IN (SELECT name FROM d) "
                 "ORDER BY name LIMIT 100"},
      {"XRD, newest first", "characterizations", "technique = XRD", "create_time desc",
       "SELECT name, doc FROM characterizations WHERE $POLICY AND doc->>'technique' = "
       "'TECHNIQUE_XRD' ORDER BY create_time DESC, name DESC LIMIT 100"},
      {"LFP pouch cells", "samples",
       "kind = CELL AND cell.chemistry = \"LFP/graphite\" AND cell.form_factor = POUCH", "",
       "SELECT name, doc FROM samples WHERE $POLICY AND doc->>'kind' = 'SAMPLE_KIND_CELL' AND "
       "doc->'cell'->>'chemistry' = 'LFP/graphite' AND doc->'cell'->>'formFactor' = "
       "'FORM_FACTOR_POUCH' ORDER BY name LIMIT 100"},
      {"tests at 45 °C and above", "cellTests", "protocol.temperature >= 45", "",
       "SELECT name, doc FROM cell_tests WHERE $POLICY AND "
       "(doc->'protocol'->'temperature'->>'value')::float8 >= 45 ORDER BY name LIMIT 100"},
      {"one project's tests at NRC", "cellTests", "owner = nrc AND labels.project = \"jp-ca-ssb\"", "",
       "SELECT name, doc FROM cell_tests WHERE $POLICY AND owner = 'institutions/nrc' AND "
       "doc @> '{\"labels\": {\"project\": \"jp-ca-ssb\"}}' ORDER BY name LIMIT 100"},
      {"longest-lived LFP tests first", "cellTests", "cell.chemistry = \"LFP/graphite\"",
       "summary.cycles_to_80_percent desc",
       "SELECT name, doc FROM cell_tests WHERE $POLICY AND doc->'cell'->>'chemistry' = "
       "'LFP/graphite' ORDER BY (doc->'summary'->>'cyclesTo80Percent')::int DESC NULLS LAST, "
       "name DESC LIMIT 100"},
      {"fast charge and discharge (>= 2C both)", "cellTests",
       "protocol.charge_c_rate >= 2 AND protocol.discharge_c_rate >= 2", "",
       "SELECT name, doc FROM cell_tests WHERE $POLICY AND (doc->'protocol'->>'chargeCRate')::float8 "
       ">= 2 AND (doc->'protocol'->>'dischargeCRate')::float8 >= 2 ORDER BY name LIMIT 100"},
      {"half-cell tests of one project", "characterizations",
       "technique = HALF_CELL AND labels.project = \"nedo-li-ion-next\"", "",
       "SELECT name, doc FROM characterizations WHERE $POLICY AND doc->>'technique' = "
       "'TECHNIQUE_HALF_CELL' AND doc @> '{\"labels\": {\"project\": \"nedo-li-ion-next\"}}' "
       "ORDER BY name LIMIT 100"},
  };
}

// The names of one hub page of `q`.
grpc::Status HubPage(client::HubClient& hub, const Query& q, std::vector<std::string>* names) {
  names->clear();
  grpc::Status s;
  auto fill = [&](auto& req) {
    req.set_parent("institutions/-");
    req.set_filter(q.filter);
    req.set_order_by(q.order_by);
    req.set_page_size(100);
  };
  if (q.collection == "samples") {
    v1::ListSamplesRequest req;
    fill(req);
    v1::ListSamplesResponse resp;
    s = hub.ListSamples(req, &resp);
    for (const auto& r : resp.samples()) names->push_back(r.name());
  } else if (q.collection == "characterizations") {
    v1::ListCharacterizationsRequest req;
    fill(req);
    v1::ListCharacterizationsResponse resp;
    s = hub.ListCharacterizations(req, &resp);
    for (const auto& r : resp.characterizations()) names->push_back(r.name());
  } else {
    v1::ListCellTestsRequest req;
    fill(req);
    v1::ListCellTestsResponse resp;
    s = hub.ListCellTests(req, &resp);
    for (const auto& r : resp.cell_tests()) names->push_back(r.name());
  }
  return s;
}

// The names of one PostgreSQL page; with `parse`, each row's document is
// parsed into a JSON object too, as a client using the rows would (the hub
// client's time includes decoding its records).
bool PgPage(PGconn* pg, const std::string& sql, std::vector<std::string>* names,
            bool parse = false) {
  names->clear();
  PGresult* r = PQexec(pg, sql.c_str());
  if (PQresultStatus(r) != PGRES_TUPLES_OK) {
    std::fprintf(stderr, "%s: %s\n", sql.c_str(), PQresultErrorMessage(r));
    PQclear(r);
    return false;
  }
  for (int i = 0; i < PQntuples(r); ++i) {
    names->push_back(PQgetvalue(r, i, 0));
    if (parse && PQnfields(r) > 1) {
      nlohmann::json doc = nlohmann::json::parse(PQgetvalue(r, i, 1), nullptr, false);
      if (doc.is_discarded()) return false;
    }
  }
  PQclear(r);
  return true;
}

// The hub's own p50 for the last `n` calls whose method starts with
// `method` logged after byte `offset` of its call log (one JSON line per
// call, with `ms`); -1 without a log.
double ServerP50(const std::string& log, uintmax_t offset, const std::string& method, int n) {
  if (log.empty()) return -1;
  std::ifstream in(log);
  in.seekg(static_cast<std::streamoff>(offset));
  std::vector<double> ms;
  for (std::string line; std::getline(in, line);) {
    nlohmann::json entry = nlohmann::json::parse(line, nullptr, false);
    if (entry.is_object() && entry.value("method", "").rfind(method, 0) == 0) {
      ms.push_back(entry.value("ms", 0.0));
    }
  }
  if (static_cast<int>(ms.size()) > n) ms.erase(ms.begin(), ms.end() - n);
  return Percentile(ms, 0.5);
}

uintmax_t LogSize(const std::string& log) {
  std::error_code ec;
  return log.empty() ? 0 : std::filesystem::file_size(log, ec);
}

// p50 and p90 of `reps` timed calls after two untimed ones.
template <typename F>
std::pair<double, double> Time(int reps, F&& call) {
  call();
  call();
  std::vector<double> ms;
  for (int i = 0; i < reps; ++i) {
    const auto t0 = Clock::now();
    call();
    ms.push_back(Seconds(t0, Clock::now()) * 1e3);
  }
  return {Percentile(ms, 0.5), Percentile(ms, 0.9)};
}

int RunQueries(const std::string& hub_address, const std::string& token, const std::string& caller,
               const std::string& pg_conn, int reps, int only, const std::string& server_log) {
  client::ClientOptions options;
  options.hub = hub_address;
  options.token = token;
  options.deadline = std::chrono::seconds(60);
  client::HubClient hub(options);
  PGconn* pg = PQconnectdb(pg_conn.c_str());
  if (PQstatus(pg) != CONNECTION_OK) {
    std::fprintf(stderr, "postgres: %s\n", PQerrorMessage(pg));
    return 1;
  }
  const std::string policy =
      absl::StrCat("(owner = '", caller, "' OR visibility <> 'VISIBILITY_PRIVATE')");
  std::printf("{\"queries\": [\n");
  bool all_same = true;
  int printed = 0;
  const std::vector<Query> queries = Queries();
  for (size_t i = 0; i < queries.size(); ++i) {
    const Query& q = queries[i];
    if (only >= 0 && static_cast<int>(i) != only) continue;
    const std::string sql = absl::StrReplaceAll(q.pg, {{"$POLICY", policy}});
    std::vector<std::string> hub_names, pg_names;
    grpc::Status s = HubPage(hub, q, &hub_names);
    if (!s.ok()) {
      std::fprintf(stderr, "%s: %s\n", q.label.c_str(), s.error_message().c_str());
      return 1;
    }
    if (!PgPage(pg, sql, &pg_names)) return 1;
    const bool same = hub_names == pg_names;
    all_same = all_same && same;
    std::vector<std::string> scratch;
    const uintmax_t log_offset = LogSize(server_log);
    auto [hub_p50, hub_p90] = Time(reps, [&] { HubPage(hub, q, &scratch); });
    const double server_p50 = ServerP50(server_log, log_offset, "List", reps);
    auto [pg_p50, pg_p90] = Time(reps, [&] { PgPage(pg, sql, &scratch); });
    auto [pg_parsed_p50, pg_parsed_p90] = Time(reps, [&] { PgPage(pg, sql, &scratch, true); });
    std::printf("%s  {\"label\": \"%s\", \"results\": %zu, \"same_first_page\": %s, "
                "\"hub_p50_ms\": %.3f, \"hub_p90_ms\": %.3f, \"pg_p50_ms\": %.3f, "
                "\"pg_p90_ms\": %.3f, \"pg_parsed_p50_ms\": %.3f, \"hub_server_p50_ms\": %.3f}",
                printed++ ? ",\n" : "", q.label.c_str(), hub_names.size(), same ? "true" : "false",
                hub_p50, hub_p90, pg_p50, pg_p90, pg_parsed_p50, server_p50);
  }
  // Lineage: every descendant of the lot.
  v1::GetLineageRequest lreq;
  lreq.set_name(kLineageRoot);
  lreq.set_direction(v1::LINEAGE_DIRECTION_DOWN);
  v1::Lineage lineage;
  if (!hub.GetLineage(lreq, &lineage).ok()) return 1;
  const std::string lsql = std::string("WITH RECURSIVE d(name) AS (SELECT '") + kLineageRoot +
                           "'::text COLLATE \"C\" UNION SELECT r.child FROM refs r JOIN d ON r.parent = "
                           "d.name) SELECT name FROM d WHERE name <> '" + kLineageRoot + "'";
  std::vector<std::string> pg_lineage;
  if (!PgPage(pg, lsql, &pg_lineage)) return 1;
  const uintmax_t lineage_offset = LogSize(server_log);
  auto [hub_l50, hub_l90] = Time(reps, [&] { hub.GetLineage(lreq, &lineage); });
  const double server_l50 = ServerP50(server_log, lineage_offset, "GetLineage", reps);
  std::vector<std::string> scratch;
  auto [pg_l50, pg_l90] = Time(reps, [&] { PgPage(pg, lsql, &scratch); });
  std::printf("\n], \"all_first_pages_same\": %s, \"lineage_descendants\": %d, "
              "\"pg_lineage_descendants\": %zu, \"hub_lineage_p50_ms\": %.3f, "
              "\"hub_lineage_p90_ms\": %.3f, \"pg_lineage_p50_ms\": %.3f, "
              "\"pg_lineage_p90_ms\": %.3f, \"hub_server_lineage_p50_ms\": %.3f}\n",
              all_same ? "true" : "false", lineage.entries_size(), pg_lineage.size(), hub_l50,
              hub_l90, pg_l50, pg_l90, server_l50);
  PQfinish(pg);
  return 0;
}

}  // namespace
}  // namespace batteryhub::bench

int main(int argc, char** argv) {
  using namespace batteryhub::bench;
  std::string load, hub, token, caller = "institutions/aist", pg, server_log;
  bool query = false;
  int reps = 30, overhead = 0, only = -1;
  ConsortiumSize size;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    const char* value = i + 1 < argc ? argv[i + 1] : "";
    if (flag == "--query") { query = true; continue; }
    ++i;
    if (flag == "--load") load = value;
    else if (flag == "--hub") hub = value;
    else if (flag == "--token") token = value;
    else if (flag == "--caller") caller = value;
    else if (flag == "--pg") pg = value;
    else if (flag == "--reps") reps = std::atoi(value);
    else if (flag == "--only") only = std::atoi(value);  // one query, for profiling
    else if (flag == "--server-log") server_log = value;  // the hub's stderr (call log)
    else if (flag == "--samples") size.samples = std::atoi(value);
    else if (flag == "--characterizations") size.characterizations = std::atoi(value);
    else if (flag == "--cell-tests") size.cell_tests = std::atoi(value);
    else if (flag == "--index-overhead") overhead = std::atoi(value);
    else {
      std::fprintf(stderr, "unknown flag %s\n", flag.c_str());
      return 2;
    }
  }
  if (overhead > 0) return IndexOverhead(overhead);
  if (!load.empty()) return Load(load, pg, size);
  if (query) return RunQueries(hub, token, caller, pg, reps, only, server_log);
  std::fprintf(stderr, "usage: query_bench --load DIR --pg CONN | --query ... | --index-overhead N\n");
  return 2;
}
