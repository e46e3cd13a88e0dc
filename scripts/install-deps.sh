#!/usr/bin/env bash
# Installs every build, test and tooling dependency of batteryhub on Debian 12 (as root).
# Debian packages only, plus @bufbuild/buf from npm for proto linting.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  build-essential cmake ninja-build pkg-config git ca-certificates openssl
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler grpc-proto
  librocksdb-dev libzstd-dev libabsl-dev libssl-dev libtomlplusplus-dev nlohmann-json3-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  python3 python3-grpcio python3-protobuf
  systemd
  clang libclang-rt-14-dev
  libzip-dev libpugixml-dev mdbtools-dev zlib1g-dev libbz2-dev libfast-float-dev tzdata libcli11-dev
  libcpp-httplib-dev python3-pandas python3-venv python3-pip python3-setuptools python3-wheel
  chromium chromium-driver python3-selenium
)
# Node.js may come from another packager (with npm inside); only ask Debian when absent.
command -v npm >/dev/null 2>&1 || PACKAGES+=(nodejs npm)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "install-deps: missing packages: ${missing[*]} (run as root)" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# From npm into the project-local tools folder: buf (proto lint) and uPlot
# (the web view's plots, bundled into build/web by the build).
UPLOT_VERSION=1.6.32
if [[ ! -x tools/node_modules/.bin/buf || ! -f tools/node_modules/uplot/dist/uPlot.esm.js ]]; then
  mkdir -p tools
  (cd tools && npm install --silent --no-audit --no-fund @bufbuild/buf@1 "uplot@$UPLOT_VERSION" >/dev/null) ||
    echo "install-deps: warning: could not install @bufbuild/buf and uplot from npm; proto lint and the web view's plots will be missing" >&2
fi
