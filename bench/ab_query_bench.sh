#!/usr/bin/env bash
# A/B of the query benchmark: another tree (OLD, a checkout with its own
# Release build in OLD/build-bench, e.g. `git worktree add ../old REV` then
# `BUILD_DIR=build-bench CMAKE_ARGS=-DCMAKE_BUILD_TYPE=Release
# scripts/build.sh` there) against this one, the same generated consortium
# loaded into each, queries in interleaved rounds.
#   bench/ab_query_bench.sh OLD [SAMPLES CHARACTERIZATIONS_AND_TESTS]
#   ROUNDS=3 REPS=30 ONLY=N (one query) — environment
# Prints, per round and tree, the JSON of `query_bench --query`. Run as root.
set -euo pipefail
cd "$(dirname "$0")/.."
OLD=$(cd "$1" && pwd)
S=${2:-100000}
C=${3:-50000}
source bench/bench_env.sh bhub-abbench
start_pg
declare -A TREE=([old]="$OLD/build-bench" [new]="$B")
for T in old new; do
  "${PSQL[@]}" -c "CREATE DATABASE b_$T" >/dev/null
  "${TREE[$T]}/bench/query_bench" --load "$WORK/$T" --pg "${PG/dbname=bench/dbname=b_$T}" \
    --samples "$S" --characterizations "$C" --cell-tests "$C" >"$WORK/load-$T.json"
  echo "loaded $T: $(cat "$WORK/load-$T.json")" >&2
done
for round in $(seq 1 "${ROUNDS:-3}"); do
  for T in old new; do
    B="${TREE[$T]}"
    start_hub "$WORK/$T" "$WORK/hub-$T.out"
    TOKEN=$(sed -n "/^\[aist\]/,/^\[/p" "$WORK/$T/dev-tokens.toml" | sed -n "s/^viewer = '\(.*\)'/\1/p")
    echo "== round $round, $T"
    "$B/bench/query_bench" --query --hub "$HUB" --token "$TOKEN" --caller institutions/aist \
      --pg "${PG/dbname=bench/dbname=b_$T}" --reps "${REPS:-30}" ${ONLY:+--only "$ONLY"} \
      --server-log "$WORK/hub-$T.out.err"
    stop_hub
  done
done
