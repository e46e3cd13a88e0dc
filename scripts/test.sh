#!/usr/bin/env bash
# Installs what is missing, builds, lints the protos and runs every test:
# unit, integration (in-process hub on port 0), end-to-end (real binaries)
# and the Python client test, after a short run of every fuzz target. Exit
# status is non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh

if [[ -x tools/node_modules/.bin/buf ]]; then
  echo "== buf lint"
  (cd proto && ../tools/node_modules/.bin/buf lint)
else
  echo "== buf lint skipped: @bufbuild/buf is not installed" >&2
fi

# Fuzzing, the short deterministic version (tests/fuzz/run.sh SECONDS runs
# it for longer, from random seeds).
echo "== fuzz (${FUZZ_RUNS:-20000} inputs per target, fixed seed)"
FUZZ_RUNS=${FUZZ_RUNS:-20000} bash tests/fuzz/run.sh

echo "== ctest"
cd "${BUILD_DIR:-build}"
ctest --output-on-failure -j "${JOBS:-2}" --timeout 600
