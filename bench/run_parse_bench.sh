#!/usr/bin/env bash
# Parse benchmark: batteryhub's readers against pandas.read_csv (C engine)
# on the same bytes, in one run.
#   bench/run_parse_bench.sh [MB]        (default 100)
# The text input is the dev set's Neware CSV (neware_uio.csv, 26 columns)
# with its data lines repeated to MB; the binary inputs are parsed again and
# again for 2 s each. Needs ../shared/data/real; prints JSON lines and the
# table of docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
MB=${1:-100}
R=../shared/data/real
B=${BUILD_DIR:-build}
if ! /usr/bin/python3 -c 'import pandas' 2>/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-pandas >/dev/null
fi
cmake --build "$B" -j 2 --target parse_bench >/dev/null
OUT=$("$B/bench/parse_bench" "$R/neware/neware_uio.csv" "$MB" \
  "$R/biologic/gcpl.pr_182.1.mpr" "$R/neware/TestFile.nda" "$R/arbin/20160805_test001_45_cc_01.res")
echo "$OUT"
GROWN=$(echo "$OUT" | head -1 | sed 's/.*"grown":"\([^"]*\)".*/\1/')
PANDAS=$(/usr/bin/python3 - "$GROWN" <<'PY'
import sys, time
import pandas as pd
best = 1e9
for _ in range(3):
    t0 = time.perf_counter()
    df = pd.read_csv(sys.argv[1], low_memory=False)
    best = min(best, time.perf_counter() - t0)
import os
size = os.path.getsize(sys.argv[1])
print('{"input":"pandas.read_csv","bytes":%d,"rows":%d,"seconds":%.4f,"mb_per_s":%.1f}' % (size, len(df), best, size / best / 1e6))
PY
)
echo "$PANDAS"
ours=$(echo "$OUT" | head -1 | sed 's/.*"mb_per_s":\([0-9.]*\).*/\1/')
theirs=$(echo "$PANDAS" | sed 's/.*"mb_per_s":\([0-9.]*\).*/\1/')
echo
echo "| input | batteryhub | pandas.read_csv | batteryhub / pandas |"
echo "|---|---|---|---|"
printf '| Neware CSV, %s MB, 26 columns (BDF conversion, units, durations, timestamps) | %s MB/s | %s MB/s (strings and floats, no conversion) | %.2f× |\n' \
  "$MB" "$ours" "$theirs" "$(echo "$ours / $theirs" | bc -l)"
echo "$OUT" | tail -n +2 | while read -r line; do
  f=$(echo "$line" | sed 's/.*"file":"\([^"]*\)".*/\1/'); f=${f##*/}
  printf '| %s | %s rows/s (%s MB/s) | – | – |\n' "$f" \
    "$(echo "$line" | sed 's/.*"rows_per_s":\([0-9]*\).*/\1/')" "$(echo "$line" | sed 's/.*"mb_per_s":\([0-9.]*\).*/\1/')"
done
