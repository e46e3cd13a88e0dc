// The cost of the policy check, batteryhub's engine vs PostgreSQL 15
// row-level security expressing the same rule, in one run.
//
// Hub: PolicyEngine::Decide on stored records of each shape of access
// (owner, open visibility, grants with embargoes, agreements in and out of
// scope, denied), then Decide + FieldPolicy::Redact (the whole per-record
// cost on a read path), timed per call in batches; p50 and p99 per call.
//
// PostgreSQL: the same records as rows (owner, visibility, tier, labels and
// grants as JSONB), an RLS policy encoding the same routes, and the per-row
// cost of the policy = (time of a count(*) scan as a reader under RLS - the
// same scan by the table owner, which bypasses it) / rows.
//
//   policy_bench [--records N] [--pg CONNINFO]   (prints JSON)
#include <libpq-fe.h>

#include <google/protobuf/util/time_util.h>

#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "bench/bench_util.h"
#include "policy/field_policy.h"
#include "policy/policy_engine.h"

namespace batteryhub::bench {
namespace {

namespace v1 = ::batteryhub::v1;
using google::protobuf::util::TimeUtil;

constexpr int64_t kDay = int64_t{86400} * 1000000;

struct Shape {
  const char* name;
  std::function<void(storage::StoredRecord*)> make;
  std::string reader;
};

void Grants(storage::StoredRecord* r, int n, int64_t now) {
  for (int i = 0; i < n; ++i) {
    v1::Grant* g = r->mutable_access()->add_grants();
    g->set_institution(i + 1 == n ? "institutions/nrc" : "institutions/partner-" + std::to_string(i));
    g->set_tier(v1::TIER_SUMMARY);
    *g->mutable_start_time() = TimeUtil::MicrosecondsToTimestamp(now - kDay);
  }
}

// p50 and p99 per call, in microseconds, over batches of `batch` calls.
template <typename Fn>
std::pair<double, double> PerCall(Fn&& fn, int batches, int batch) {
  std::vector<double> per_call;
  for (int b = 0; b < batches; ++b) {
    const auto start = Clock::now();
    for (int i = 0; i < batch; ++i) fn(i);
    per_call.push_back(Seconds(start, Clock::now()) * 1e6 / batch);
  }
  return {Percentile(per_call, 0.5), Percentile(per_call, 0.99)};
}

void Exec(PGconn* pg, const std::string& sql) {
  if (!PgOk(PQexec(pg, sql.c_str()), sql.substr(0, 60).c_str())) std::exit(1);
}

double ScanSeconds(PGconn* pg, const char* role, int reps) {
  Exec(pg, std::string("SET ROLE ") + role);
  std::vector<double> t;
  for (int i = 0; i < reps; ++i) {
    const auto start = Clock::now();
    PGresult* r = PQexec(pg, "SELECT count(*) FROM records");
    t.push_back(Seconds(start, Clock::now()));
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
      std::fprintf(stderr, "scan: %s\n", PQresultErrorMessage(r));
      std::exit(1);
    }
    PQclear(r);
  }
  Exec(pg, "RESET ROLE");
  return Median(t);
}

}  // namespace
}  // namespace batteryhub::bench

int main(int argc, char** argv) {
  using namespace batteryhub;
  using namespace batteryhub::bench;
  int records = 200000;
  std::string conninfo;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--records")) records = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--pg")) conninfo = argv[i + 1];
  }
  const int64_t now = 1'800'000'000'000'000;
  PolicyEngine engine({"aist", "nedo", "libtec", "nrc"}, [now] { return now; });
  std::map<std::string, AgreementRule> rules;
  for (int i = 0; i < 20; ++i) {
    AgreementRule rule;
    rule.members = {"aist", "nedo", "libtec", "nrc"};
    rule.kinds = {storage::v1::RECORD_KIND_CELL_TEST};
    rule.labels = {{"project", "p" + std::to_string(i)}};
    rule.tier = v1::TIER_SUMMARY;
    rule.start_micros = now - 30 * kDay;
    rules["agreements/a" + std::to_string(i)] = rule;
  }
  engine.SetAgreements(rules);

  const std::vector<Shape> shapes = {
      {"owner", [](storage::StoredRecord*) {}, "aist"},
      {"consortium", [](storage::StoredRecord* r) {
         r->mutable_access()->set_visibility(v1::VISIBILITY_CONSORTIUM);
       }, "nrc"},
      {"grant 8th of 8, embargo passed", [&](storage::StoredRecord* r) { Grants(r, 8, now); },
       "nrc"},
      {"agreement 3rd of 3 in scope, release pending", [&](storage::StoredRecord* r) {
         r->mutable_access()->set_visibility(v1::VISIBILITY_AGREEMENT);
         for (int i = 0; i < 3; ++i) r->mutable_access()->add_agreements("agreements/a" + std::to_string(i));
         (*r->mutable_labels())["project"] = "p2";
         r->mutable_access()->mutable_release()->set_visibility(v1::VISIBILITY_PUBLIC);
         *r->mutable_access()->mutable_release()->mutable_time() =
             TimeUtil::MicrosecondsToTimestamp(now + kDay);
       }, "nrc"},
      {"denied (private, 8 grants to others)", [&](storage::StoredRecord* r) {
         Grants(r, 8, now);
         r->mutable_access()->mutable_grants(7)->set_institution("institutions/nedo");
       }, "libtec"},
  };
  std::printf("{\"engine\": [\n");
  for (size_t s = 0; s < shapes.size(); ++s) {
    storage::StoredRecord r;
    r.set_kind(storage::v1::RECORD_KIND_CELL_TEST);
    r.set_name("institutions/aist/cellTests/t-1");
    r.set_owner("institutions/aist");
    r.mutable_access()->set_visibility(v1::VISIBILITY_PRIVATE);
    shapes[s].make(&r);
    Principal p{"institutions/" + shapes[s].reader + "/principals/x", shapes[s].reader,
                v1::ROLE_VIEWER};
    int visible = 0;
    auto [p50, p99] = PerCall([&](int) { visible += engine.Decide(p, r).visible(); }, 200, 1000);
    // The whole per-record cost on a read path: decide, then cut the parsed
    // resource to the reader's view.
    v1::CellTest test;
    test.set_name(r.name());
    test.mutable_cell()->set_chemistry("NMC811/graphite");
    test.mutable_summary()->set_cycle_count(500);
    test.mutable_series()->set_row_count(100000);
    test.set_description("note");
    *test.mutable_access() = r.access();
    test.mutable_access()->add_restricted_fields("description");
    const FieldPolicy& fields = FieldPolicy::For(v1::CellTest::descriptor());
    auto [rp50, rp99] = PerCall(
        [&](int) {
          v1::CellTest view = test;
          const ReadDecision d = engine.Decide(p, r);
          if (d.visible()) fields.Redact(d, p.institution, &view);
        },
        200, 1000);
    std::printf("  {\"shape\": \"%s\", \"visible\": %s, \"decide_p50_us\": %.3f, \"decide_p99_us\": "
                "%.3f, \"decide_and_redact_p50_us\": %.3f, \"decide_and_redact_p99_us\": %.3f}%s\n",
                shapes[s].name, visible > 0 ? "true" : "false", p50, p99, rp50, rp99,
                s + 1 < shapes.size() ? "," : "");
  }
  std::printf("]");
  if (conninfo.empty()) {
    std::printf("}\n");
    return 0;
  }

  // The same rule as PostgreSQL row-level security over `records` rows of
  // the same mix of shapes.
  PGconn* pg = PQconnectdb(conninfo.c_str());
  if (PQstatus(pg) != CONNECTION_OK) {
    std::fprintf(stderr, "pg: %s\n", PQerrorMessage(pg));
    return 1;
  }
  Exec(pg, "DROP TABLE IF EXISTS records; DROP TABLE IF EXISTS agreements");
  Exec(pg, "DO $$BEGIN CREATE ROLE reader_nrc; EXCEPTION WHEN duplicate_object THEN NULL; END$$");
  Exec(pg, "CREATE TABLE agreements (name text PRIMARY KEY, members text[], kinds int[], "
           "labels jsonb, tier int, start_time timestamptz, end_time timestamptz)");
  for (const auto& [name, rule] : rules) {
    Exec(pg, "INSERT INTO agreements VALUES ('" + name + "', ARRAY['aist','nedo','libtec','nrc'], "
             "ARRAY[3], '{\"project\": \"" + rule.labels.begin()->second +
             "\"}', 2, now() - interval '30 days', NULL)");
  }
  Exec(pg, "CREATE TABLE records (name text PRIMARY KEY, kind int, owner text, visibility int, "
           "tier int, agreements text[], labels jsonb, grants jsonb, release_visibility int, "
           "release_time timestamptz)");
  // Row i takes shape i % 5 (the shapes above, owned by aist, read by nrc).
  Exec(pg, "INSERT INTO records SELECT 'institutions/aist/cellTests/t-' || i, 3, 'aist', "
           "CASE i % 5 WHEN 1 THEN 3 WHEN 3 THEN 2 ELSE 1 END, 0, "
           "CASE i % 5 WHEN 3 THEN ARRAY['agreements/a0','agreements/a1','agreements/a2'] END, "
           "CASE i % 5 WHEN 3 THEN '{\"project\": \"p2\"}'::jsonb ELSE '{}'::jsonb END, "
           "CASE WHEN i % 5 IN (2, 4) THEN (SELECT jsonb_agg(jsonb_build_object('institution', "
           "CASE WHEN g = 7 AND i % 5 = 2 THEN 'nrc' WHEN g = 7 THEN 'nedo' ELSE 'partner-' || g END, "
           "'tier', 2, 'start', now() - interval '1 day')) FROM generate_series(0, 7) g) "
           "ELSE '[]'::jsonb END, "
           "CASE i % 5 WHEN 3 THEN 4 END, CASE i % 5 WHEN 3 THEN now() + interval '1 day' END "
           "FROM generate_series(1, " + std::to_string(records) + ") i");
  Exec(pg, "ALTER TABLE records ENABLE ROW LEVEL SECURITY");
  Exec(pg, "GRANT SELECT ON records, agreements TO reader_nrc");
  Exec(pg,
       "CREATE POLICY read_policy ON records FOR SELECT USING ("
       " owner = current_setting('app.institution')"
       " OR visibility = 4 OR (visibility = 3)"
       " OR (release_visibility >= 3 AND release_time <= now())"
       " OR (visibility = 2 AND EXISTS (SELECT 1 FROM agreements a WHERE a.name = ANY(records.agreements)"
       "     AND current_setting('app.institution') = ANY(a.members) AND records.owner = ANY(a.members)"
       "     AND records.kind = ANY(a.kinds) AND records.labels @> a.labels"
       "     AND a.start_time <= now() AND (a.end_time IS NULL OR a.end_time > now())))"
       " OR EXISTS (SELECT 1 FROM jsonb_array_elements(grants) g"
       "     WHERE g->>'institution' = current_setting('app.institution')"
       "     AND (g->>'start')::timestamptz <= now()))");
  Exec(pg, "VACUUM ANALYZE records");
  Exec(pg, "SET app.institution = 'nrc'");
  ScanSeconds(pg, "reader_nrc", 1);  // warm
  const double bypass = ScanSeconds(pg, "postgres", 7);
  const double rls = ScanSeconds(pg, "reader_nrc", 7);
  PGresult* count = PQexec(pg, "SET ROLE reader_nrc; SELECT count(*) FROM records");
  const std::string visible = PQgetvalue(count, 0, 0);
  PQclear(count);
  Exec(pg, "RESET ROLE");
  std::printf(",\n\"postgresql_rls\": {\"rows\": %d, \"visible_to_nrc\": %s, \"scan_owner_s\": %.4f, "
              "\"scan_rls_s\": %.4f, \"policy_per_row_us\": %.3f}}\n",
              records, visible.c_str(), bypass, rls, (rls - bypass) * 1e6 / records);
  PQfinish(pg);
  return 0;
}
