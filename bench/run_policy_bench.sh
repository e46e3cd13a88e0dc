#!/usr/bin/env bash
# Policy check benchmark: batteryhub's engine (decide, and decide + redact,
# per call) vs PostgreSQL 15 row-level security expressing the same rule
# (per row), side by side in one run.
#   bench/run_policy_bench.sh [ROWS]   (default 200000 rows for PostgreSQL)
# Installs postgresql and libpq-dev if missing, builds a Release tree in
# build-bench/, prints JSON. Run as root.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-200000}
source bench/bench_env.sh bhub-pbench
start_pg
"$B/bench/policy_bench" --records "$ROWS" --pg "$PG"
