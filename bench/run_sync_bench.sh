#!/usr/bin/env bash
# Sync benchmark: a cell test of ROWS rows replicated hub to hub (bhub sync's
# job), vs the raw gRPC stream of the same stored bytes and vs pg_dump | psql
# of the same rows, in one run.
#   bench/run_sync_bench.sh [ROWS]   (default 5000000)
# Installs postgresql and libpq-dev if missing, builds a Release tree in
# build-bench/, prints JSON. Run as root.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-5000000}
source bench/bench_env.sh bhub-sbench
start_pg
"${PSQL[@]}" -c "CREATE DATABASE dst" >/dev/null
"$B/bench/sync_bench" --rows "$ROWS" --pg-src "$PG" --pg-dst "${PG/dbname=bench/dbname=dst}" \
  --pg-bin "$PGBIN"
