#!/usr/bin/env bash
# systemd-analyze verify on deploy/systemd/*, with the binaries' paths
# pointed at this build (verify checks that ExecStart is executable) and the
# template units instantiated. Exit 77 (skip) without systemd-analyze.
#   tests/deploy/verify_units.sh BATTERYHUBD BHUB
set -euo pipefail
command -v systemd-analyze >/dev/null || { echo "skipped: no systemd-analyze"; exit 77; }
HUBD=$(readlink -f "$1")
BHUB=$(readlink -f "$2")
SRC=$(dirname "$0")/../../deploy/systemd
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
for unit in "$SRC"/*; do
  name=$(basename "$unit")
  name=${name/@./@peer.}
  sed -e "s|/usr/local/bin/batteryhubd|$HUBD|; s|/usr/local/bin/bhub|$BHUB|" "$unit" >"$TMP/$name"
done
touch "$TMP/batteryhub.env"
out=$(cd "$TMP" && SYSTEMD_LOG_LEVEL=warning systemd-analyze verify --man=no ./*.service ./*.timer 2>&1 || true)
# Units of the host that verify pulls in (network-online.target) are not ours.
ours=$(printf '%s\n' "$out" | grep -E "$TMP|^batteryhub[^ :]*\.(service|timer)" || true)
if [[ -n "$ours" ]]; then
  printf '%s\n' "$ours"
  exit 1
fi
echo "systemd units verified: $(ls "$TMP" | grep -c -v env)"
