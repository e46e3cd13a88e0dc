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

for p in postgresql libpq-dev; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$p"; }
done
bash scripts/install-deps.sh
CMAKE_ARGS="-DCMAKE_BUILD_TYPE=Release" BUILD_DIR=build-bench bash scripts/build.sh >/dev/null
B=build-bench
WORK=$(mktemp -d /tmp/bhub-qbench.XXXXXX)
chmod 755 "$WORK"
PGBIN=/usr/lib/postgresql/15/bin
PGPORT=$((20000 + RANDOM % 20000))
cleanup() {
  [[ -n "${HUB_PID:-}" ]] && kill "$HUB_PID" 2>/dev/null || true
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$WORK/pg" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "== PostgreSQL 15 on a unix socket in $WORK" >&2
mkdir -p "$WORK/pg" "$WORK/sock" && chown postgres "$WORK/pg" "$WORK/sock"
runuser -u postgres -- "$PGBIN/initdb" -D "$WORK/pg" --auth=trust -U postgres >/dev/null
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pg/log" -w \
  -o "-p $PGPORT -k $WORK/sock -c listen_addresses='' -c shared_buffers=1GB -c max_wal_size=8GB" start >/dev/null
psql -h "$WORK/sock" -p "$PGPORT" -U postgres -X -q -c "CREATE DATABASE bench" >/dev/null
PG="host=$WORK/sock port=$PGPORT dbname=bench user=postgres"

echo "== loading $SAMPLES samples, $CHARS characterisations, $TESTS cell tests into both" >&2
LOAD=$("$B/bench/query_bench" --load "$WORK/hub" --pg "$PG" --samples "$SAMPLES" \
  --characterizations "$CHARS" --cell-tests "$TESTS")

echo "== queries" >&2
"$B/services/batteryhubd" --listen 127.0.0.1:0 --data_dir "$WORK/hub" >"$WORK/hub.out" 2>/dev/null &
HUB_PID=$!
until grep -q "listening on" "$WORK/hub.out" 2>/dev/null; do sleep 0.1; done
HUB=$(awk '/listening on/ {print $4}' "$WORK/hub.out")
TOKEN=$(sed -n "/^\[aist\]/,/^\[/p" "$WORK/hub/dev-tokens.toml" | sed -n "s/^viewer = '\(.*\)'/\1/p")
QUERIES=$("$B/bench/query_bench" --query --hub "$HUB" --token "$TOKEN" --caller institutions/aist \
  --pg "$PG" --reps "$REPS")
kill "$HUB_PID" && wait "$HUB_PID" || true
HUB_PID=

echo "== index overhead: $OVERHEAD creates with and without indexes" >&2
OVER=$("$B/bench/query_bench" --index-overhead "$OVERHEAD")

python3 - "$LOAD" "$QUERIES" "$OVER" <<'PY'
import json, sys
load, q, over = (json.loads(a) for a in sys.argv[1:4])
print(json.dumps({"load": load, "queries": q, "index_overhead": over}, indent=1))
print()
print("| query (first page of 100, caller AIST) | on page | same page | batteryhub p50 ms | PostgreSQL p50 ms (rows as text) | PostgreSQL p50 ms (rows parsed) | PostgreSQL / batteryhub |")
print("|---|---|---|---|---|---|---|")
for r in q["queries"]:
    print(f"| {r['label']} | {r['results']} | {'yes' if r['same_first_page'] else 'NO'} | {r['hub_p50_ms']:.2f} | {r['pg_p50_ms']:.2f} | {r['pg_parsed_p50_ms']:.2f} | {r['pg_p50_ms']/r['hub_p50_ms']:.2f} |")
print(f"| lineage of lot L-7 ({q['lineage_descendants']} descendants; PostgreSQL {q['pg_lineage_descendants']}) | | | {q['hub_lineage_p50_ms']:.2f} | {q['pg_lineage_p50_ms']:.2f} | | {q['pg_lineage_p50_ms']/q['hub_lineage_p50_ms']:.2f} |")
print()
print(f"index overhead: {over['creates_per_s_all_indexes']:.0f} creates/s with every index, "
      f"{over['creates_per_s_no_indexes']:.0f} without: "
      f"{100*over['creates_per_s_all_indexes']/over['creates_per_s_no_indexes']:.0f} %")
print(f"load: {load['records']} records, hub {load['hub_load_s']:.1f} s ({load['hub_creates_per_s']:.0f} synced creates/s), "
      f"PostgreSQL COPY {load['pg_copy_s']:.1f} s + indexes {load['pg_index_s']:.1f} s")
PY
