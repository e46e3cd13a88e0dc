#!/usr/bin/env bash
# Query benchmark, batteryhub vs PostgreSQL 15 (JSONB + GIN + expression
# indexes), side by side in one run.
#   bench/run_query_bench.sh [SAMPLES CHARACTERIZATIONS CELL_TESTS]   (default 100000 50000 50000)
# Installs postgresql and libpq-dev if missing, builds a Release tree in
# build-bench/, loads the same generated consortium into a throwaway
# PostgreSQL cluster and a hub, and prints JSON and the table of
# docs/benchmarks.md. Run as root.
set -euo pipefail
cd "$(dirname "$0")/.."
SAMPLES=${1:-100000}
CHARS=${2:-50000}
TESTS=${3:-50000}
REPS=${REPS:-30}
OVERHEAD=${OVERHEAD:-3000}

source bench/bench_env.sh bhub-qbench
start_pg

echo "== loading $SAMPLES samples, $CHARS characterisations, $TESTS cell tests into both" >&2
LOAD=$("$B/bench/query_bench" --load "$WORK/hub" --pg "$PG" --samples "$SAMPLES" \
  --characterizations "$CHARS" --cell-tests "$TESTS")

echo "== queries" >&2
start_hub "$WORK/hub" "$WORK/hub.out"
TOKEN=$(sed -n "/^\[aist\]/,/^\[/p" "$WORK/hub/dev-tokens.toml" | sed -n "s/^viewer = '\(.*\)'/\1/p")
QUERIES=$("$B/bench/query_bench" --query --hub "$HUB" --token "$TOKEN" --caller institutions/aist \
  --pg "$PG" --reps "$REPS" --server-log "$WORK/hub.out.err")
stop_hub

echo "== index overhead: $OVERHEAD creates with and without indexes" >&2
OVER=$("$B/bench/query_bench" --index-overhead "$OVERHEAD")

python3 - "$LOAD" "$QUERIES" "$OVER" <<'PY'
import json, sys
load, q, over = (json.loads(a) for a in sys.argv[1:4])
print(json.dumps({"load": load, "queries": q, "index_overhead": over}, indent=1))
print()
print("| query (first page of 100, caller AIST) | on page | same page | batteryhub p50 ms | of which in the hub | PostgreSQL p50 ms (rows as text) | PostgreSQL p50 ms (rows parsed) | PostgreSQL / batteryhub |")
print("|---|---|---|---|---|---|---|---|")
for r in q["queries"]:
    print(f"| {r['label']} | {r['results']} | {'yes' if r['same_first_page'] else 'NO'} | {r['hub_p50_ms']:.2f} | {r['hub_server_p50_ms']:.2f} | {r['pg_p50_ms']:.2f} | {r['pg_parsed_p50_ms']:.2f} | {r['pg_p50_ms']/r['hub_p50_ms']:.2f} |")
print(f"| lineage of lot L-7 ({q['lineage_descendants']} descendants; PostgreSQL {q['pg_lineage_descendants']}) | | | {q['hub_lineage_p50_ms']:.2f} | {q['hub_server_lineage_p50_ms']:.2f} | {q['pg_lineage_p50_ms']:.2f} | | {q['pg_lineage_p50_ms']/q['hub_lineage_p50_ms']:.2f} |")
print()
print(f"index overhead: {over['creates_per_s_all_indexes']:.0f} creates/s with every index, "
      f"{over['creates_per_s_no_indexes']:.0f} without: "
      f"{100*over['creates_per_s_all_indexes']/over['creates_per_s_no_indexes']:.0f} %")
print(f"load: {load['records']} records, hub {load['hub_load_s']:.1f} s ({load['hub_creates_per_s']:.0f} synced creates/s), "
      f"PostgreSQL COPY {load['pg_copy_s']:.1f} s + indexes {load['pg_index_s']:.1f} s")
PY
