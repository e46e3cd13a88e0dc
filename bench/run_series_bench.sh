#!/usr/bin/env bash
# Series benchmark, batteryhub vs PostgreSQL 15, side by side in one run.
#   bench/run_series_bench.sh [ROWS]        (default 5000000)
# Installs postgresql and libpq-dev if missing, builds, starts a throwaway
# PostgreSQL cluster and a hub in temporary folders, and prints the results
# as JSON and as the table of docs/benchmarks.md. Run as root.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-5000000}
REAL=${REAL:-../shared/data/real/neware/neware_uio.csv}
REPEAT=${REPEAT:-60}

source bench/bench_env.sh bhub-bench
start_pg

echo "== batteryhub" >&2
start_hub "$WORK/hub" "$WORK/hub.out"
token() { sed -n "/^\[$1\]/,/^\[/p" "$WORK/hub/dev-tokens.toml" | sed -n "s/^$2 = '\(.*\)'/\1/p"; }
TOKEN=$(token nrc submitter)

echo "== generated series: $ROWS rows" >&2
RESULT=$("$B/bench/series_bench" --hub "$HUB" --token "$TOKEN" \
  --pg "$PG" --rows "$ROWS" --cycle-rows 6000)

stop_hub
HUB_BYTES=$("$B/bench/series_bench" --compact "$WORK/hub" | sed 's/.*"total": \([0-9]*\).*/\1/')

echo "== end to end: bhub upload vs psql \\copy of the same CSV" >&2
start_hub "$WORK/hub2" "$WORK/hub2.out"
TOKEN=$(sed -n "/^\[nrc\]/,/^\[/p" "$WORK/hub2/dev-tokens.toml" | sed -n "s/^submitter = '\(.*\)'/\1/p")
E2E_ROWS=0
if [[ -f "$REAL" ]]; then
  # The real Neware export repeated, DataPoint renumbered so rows stay unique.
  python3 - "$REAL" "$REPEAT" "$WORK/big.csv" <<'PY'
import sys
src, repeat, dst = sys.argv[1], int(sys.argv[2]), sys.argv[3]
lines = open(src, encoding="utf-8").read().splitlines()
header, rows = lines[0], [l.split(",", 1)[1] for l in lines[1:]]
with open(dst, "w", encoding="utf-8") as out:
    out.write(header + "\n")
    n = 0
    for _ in range(repeat):
        for rest in rows:
            n += 1
            out.write(f"{n},{rest}\n")
PY
  E2E_ROWS=$(($(wc -l <"$WORK/big.csv") - 1))
  BATTERYHUB_HUB=$HUB BATTERYHUB_TOKEN=$TOKEN "$B/clients/cli/bhub" create cell-test \
    --institution nrc --id e2e --file <(printf '{"cell":{"formFactor":"FORM_FACTOR_COIN","chemistry":"Si/Li","nominalCapacity":{"value":5,"unit":"mAh"}},"protocol":{"temperature":{"value":25,"unit":"degC"}}}') >/dev/null
  T0=$(date +%s.%N)
  BATTERYHUB_HUB=$HUB BATTERYHUB_TOKEN=$TOKEN "$B/clients/cli/bhub" upload "$WORK/big.csv" \
    --cell-test institutions/nrc/cellTests/e2e >/dev/null 2>&1
  T1=$(date +%s.%N)
  "${PSQL[@]}" -d bench -c "CREATE TABLE neware (data_point bigint PRIMARY KEY, cycle_index int,
    step_index int, step_type text, step_time interval, cumulative_time interval,
    current_a double precision, voltage_v double precision, capacity_ah double precision,
    spec_cap double precision, chg_cap double precision, chg_spec_cap double precision,
    dchg_cap double precision, dchg_spec_cap double precision, energy_wh double precision,
    spec_energy double precision, chg_energy double precision, chg_spec_energy double precision,
    dchg_energy double precision, dchg_spec_energy double precision, date timestamp,
    power_w double precision, dqdv double precision, dqmdv double precision,
    contact_resistance double precision, switch text)"
  T2=$(date +%s.%N)
  "${PSQL[@]}" -d bench -c "\\copy neware FROM '$WORK/big.csv' WITH (FORMAT csv, HEADER true)"
  T3=$(date +%s.%N)
  stop_hub
  E2E_HUB=$("$B/bench/series_bench" --compact "$WORK/hub2")
  "${PSQL[@]}" -d bench -c "VACUUM ANALYZE neware" >/dev/null
  E2E_PG=$("${PSQL[@]}" -d bench -tA -c "SELECT pg_total_relation_size('neware')")
  E2E="\"e2e_rows\": $E2E_ROWS, \"bhub_upload_s\": $(echo "$T1 - $T0" | bc), \"psql_copy_s\": $(echo "$T3 - $T2" | bc), \"e2e_hub_bytes\": $E2E_HUB, \"e2e_pg_bytes\": $E2E_PG"
else
  E2E="\"e2e_rows\": 0"
fi

echo "${RESULT%\}}, \"hub_bytes_after_compaction\": $HUB_BYTES, $E2E}" | tee "$WORK/result.json"
python3 - "$WORK/result.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
rows = r["rows"]
print()
print(f"| measure ({rows:,} rows) | batteryhub | PostgreSQL 15 | ratio |")
print("|---|---|---|---|")
print(f"| durable ingest, rows/s | {r['hub_ingest_rows_per_s']:,.0f} | {r['pg_ingest_rows_per_s']:,.0f} | {r['hub_ingest_rows_per_s']/r['pg_ingest_rows_per_s']:.1f}x |")
print(f"| bytes per row on disk | {r['hub_bytes_after_compaction']/rows:.2f} | {r['pg_bytes']/rows:.1f} | 1/{r['pg_bytes']/r['hub_bytes_after_compaction']:.1f} |")
print(f"| read one cycle (6000 rows), p50 ms | {r['hub_cycle_p50_ms']:.2f} | {r['pg_cycle_p50_ms']:.2f} | {r['pg_cycle_p50_ms']/r['hub_cycle_p50_ms']:.1f}x faster |")
print(f"| read whole series, s | {r['hub_full_read_s']:.2f} | {r['pg_full_read_s']:.2f} | {r['pg_full_read_s']/r['hub_full_read_s']:.1f}x faster |")
if r.get("e2e_rows"):
    print(f"| end to end, {r['e2e_rows']:,}-row Neware CSV: bhub upload vs psql \\copy, s | {r['bhub_upload_s']:.2f} | {r['psql_copy_s']:.2f} | {r['psql_copy_s']/r['bhub_upload_s']:.1f}x |")
if r.get("e2e_rows"):
    h = r["e2e_hub_bytes"]
    print(f"| same Neware rows on disk, bytes per row | {h['series']/r['e2e_rows']:.1f} (10 BDF columns; raw file kept besides: {h['blobs']/r['e2e_rows']:.0f}) | {r['e2e_pg_bytes']/r['e2e_rows']:.0f} (all 26 columns) | 1/{r['e2e_pg_bytes']/h['series']:.0f} |")
print(f"\n(cycle checksums equal: {r['cycle_checksums_equal']})")
PY
