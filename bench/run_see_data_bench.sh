#!/usr/bin/env bash
# "See the data" benchmark, batteryhub vs PostgreSQL 15, in one run:
#   bench/run_see_data_bench.sh [ROWS]        (default 5000000)
# PlotSeries against GROUP BY width_bucket (bench/plot_bench), then
# to_pandas against psql COPY + pandas.read_csv, the HTTP plot call and the
# cell-test page's first plot in headless Chromium (bench/see_data_bench.py).
# Prints the JSON of both steps. Run as root.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-5000000}
source bench/bench_env.sh bhub-see
start_pg
start_hub "$WORK/hub" "$WORK/hub.out"
TOKEN=$(sed -n "/^\[nrc\]/,/^\[/p" "$WORK/hub/dev-tokens.toml" | sed -n "s/^submitter = '\(.*\)'/\1/p")

echo "== PlotSeries vs PostgreSQL, $ROWS rows" >&2
"$B/bench/plot_bench" --hub "$HUB" --token "$TOKEN" --pg "$PG" --rows "$ROWS" >"$WORK/plot.json" 2>"$WORK/plot.err" ||
  { cat "$WORK/plot.err" >&2; exit 1; }
NAME=$(sed -n 's/^cell test //p' "$WORK/plot.err")

echo "== the Python package, offline, into a venv" >&2
/usr/bin/python3 -m venv --system-site-packages "$WORK/venv"
cp -r clients/python "$WORK/pkg"
BATTERYHUB_PROTO_DIR="$PWD/proto" "$WORK/venv/bin/python" -m pip install -q --no-build-isolation --no-index "$WORK/pkg"

echo "== to_pandas, HTTP plot, first plot in Chromium" >&2
"$WORK/venv/bin/python" bench/see_data_bench.py --hub "$HUB" --http "$HTTP" --token "$TOKEN" --name "$NAME" \
  --psql "${PSQL[*]} -d bench" >"$WORK/py.json"
echo '{"plot":'; cat "$WORK/plot.json"; echo ', "python_and_browser":'; cat "$WORK/py.json"; echo '}'
