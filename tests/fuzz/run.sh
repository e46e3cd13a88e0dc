#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan) into build-fuzz and runs
# each for SECONDS (default 600), seeded from the project's fixtures (and
# ../shared/data/real when present). Prints executions per target; exits
# non-zero on any crash, leak or sanitizer report (the reproducer is kept in
# build-fuzz/crashes/). With FUZZ_RUNS=N each target instead runs N inputs
# from a fixed seed: deterministic, as CI runs it.
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_PER_TARGET=${1:-600}
BUILD=${FUZZ_BUILD_DIR:-build-fuzz}
TARGETS=(fuzz_filter fuzz_parsers fuzz_binary_readers fuzz_column_codec fuzz_keys fuzz_hub_config
  fuzz_record_file fuzz_http_request fuzz_characterization)
if ! command -v clang++ >/dev/null; then
  echo "fuzz: clang++ is not installed; skipped" >&2
  exit 0
fi
if [[ ! -f "$BUILD/build.ninja" ]]; then
  cmake -S . -B "$BUILD" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DBATTERYHUB_FUZZ=ON -DBATTERYHUB_BUILD_TESTS=OFF >/dev/null
fi
cmake --build "$BUILD" -j "${JOBS:-2}" --target "${TARGETS[@]}"

seed() {  # target -> seed folder
  local dir="$BUILD/corpus/$1"
  mkdir -p "$dir"
  case "$1" in
    fuzz_filter) cp tests/fuzz/corpus/filter/* "$dir/" ;;
    fuzz_parsers)
      cp tests/parsers/fixtures/* "$dir/" 2>/dev/null || true
      if [[ -d ../shared/data/real ]]; then
        find ../shared/data/real -type f -size -256k ! -name MANIFEST.md -print0 |
          while IFS= read -r -d '' f; do cp "$f" "$dir/$(sha256sum "$f" | cut -c1-16)"; done
      fi ;;
    fuzz_binary_readers)
      cp tests/parsers/fixtures/*.mpr tests/parsers/fixtures/*.nda tests/parsers/fixtures/*.xls \
        tests/parsers/fixtures/*.xlsx tests/parsers/fixtures/*.ndax tests/fuzz/corpus/binary_readers/* "$dir/"
      if [[ -d ../shared/data/real ]]; then
        find ../shared/data/real -type f \( -name '*.mpr' -o -name '*.nda' \) -size -128k -print0 |
          while IFS= read -r -d '' f; do cp "$f" "$dir/$(sha256sum "$f" | cut -c1-16)"; done
      fi ;;
    fuzz_hub_config) cp deploy/examples/*.toml "$dir/" 2>/dev/null || true ;;
    fuzz_record_file) cp deploy/examples/* "$dir/" 2>/dev/null || true ;;
    fuzz_http_request) cp tests/fuzz/corpus/http_request/* "$dir/" ;;
    fuzz_characterization)
      cp tests/parsers/fixtures/characterization/* "$dir/"
      if [[ -d ../shared/data/real ]]; then
        find ../shared/data/real/{xrd,psd,bet,icp,thermal,xps} -type f -size -128k -print0 2>/dev/null |
          while IFS= read -r -d '' f; do cp "$f" "$dir/$(sha256sum "$f" | cut -c1-16)"; done
      fi ;;
    *) printf '\x01\x02\x03' >"$dir/seed" ;;
  esac
  echo "$dir"
}

mkdir -p "$BUILD/crashes"
status=0
printf '%-20s %14s %10s\n' target executions seconds
for t in "${TARGETS[@]}"; do
  corpus=$(seed "$t")
  log="$BUILD/$t.log"
  if [[ -n "${FUZZ_RUNS:-}" ]]; then
    budget=(-runs="$FUZZ_RUNS" -seed=1)
  else
    budget=(-max_total_time="$SECONDS_PER_TARGET")
  fi
  if ! "$BUILD/tests/fuzz/$t" "$corpus" "${budget[@]}" -max_len=65536 \
      -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 -artifact_prefix="$BUILD/crashes/$t-" \
      >"$log" 2>&1; then
    echo "fuzz: $t FAILED (see $log)" >&2
    tail -30 "$log" >&2
    status=1
  fi
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  printf '%-20s %14s %10s\n' "$t" "${execs:-?}" "$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)"
done
exit $status
