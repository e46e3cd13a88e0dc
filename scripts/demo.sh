#!/usr/bin/env bash
# From a fresh Debian 12 (as root): installs dependencies, builds, starts a
# dev hub on 127.0.0.1:50051 with its data in ./var/batteryhub, loads the
# demo dataset of the four institutes and walks through reading it.
# The hub keeps running; stop it with: kill "$(cat var/batteryhub/hub.pid)"
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh

DATA=var/batteryhub
HUB=${BATTERYHUB_HUB:-127.0.0.1:50051}
BHUB=build/clients/cli/bhub
mkdir -p "$DATA"
if [[ -f "$DATA/hub.pid" ]] && kill -0 "$(cat "$DATA/hub.pid")" 2>/dev/null; then
  echo "== dev hub already running (pid $(cat "$DATA/hub.pid"))"
else
  echo "== starting the dev hub on $HUB (log: $DATA/hub.log)"
  nohup build/services/batteryhubd --listen "$HUB" --data_dir "$DATA" >"$DATA/hub.out" 2>"$DATA/hub.log" &
  echo $! >"$DATA/hub.pid"
  for _ in $(seq 1 100); do
    grep -q "listening on" "$DATA/hub.out" 2>/dev/null && break
    if ! kill -0 "$(cat "$DATA/hub.pid")" 2>/dev/null; then
      echo "batteryhubd failed to start:" >&2; cat "$DATA/hub.log" "$DATA/hub.out" >&2; exit 1
    fi
    sleep 0.1
  done
  cat "$DATA/hub.out"
fi
export BATTERYHUB_HUB=$HUB
token() { sed -n "/^\[$1\]/,/^\[/p" "$DATA/dev-tokens.toml" | sed -n "s/^$2 = '\(.*\)'/\1/p"; }

run() { echo; printf '$ bhub'; printf ' %q' "$@"; echo; "$BHUB" "$@"; }

echo; echo "== loading the demo dataset as the hub admin"
BATTERYHUB_TOKEN=$(token hub admin) run demo load

echo; echo "== NRC registers a cathode lot of its own (deploy/examples/nrc-lot.toml)"
BATTERYHUB_TOKEN=$(token nrc submitter) run whoami
BATTERYHUB_TOKEN=$(token nrc submitter) "$BHUB" get institutions/nrc/samples/nmc811-lot-c7 >/dev/null 2>&1 ||
  BATTERYHUB_TOKEN=$(token nrc submitter) run create sample --institution nrc --id nmc811-lot-c7 \
    --file deploy/examples/nrc-lot.toml

echo; echo "== AIST reads what it may see"
export BATTERYHUB_TOKEN=$(token aist viewer)
run list samples --filter 'owner = "institutions/nrc"'
run list characterizations --filter 'labels.project = "jp-ca-supply-chain"' --page-size 6
run list cell-tests --order-by "create_time desc"
run get institutions/nrc/samples/nmc811-lot-c7
run get institutions/nrc/cellTests/ct-002 || echo "(exit $?: private to NRC, answered as if it did not exist)"
run --output json get institutions/nrc/characterizations/psd-cam-1
run lineage institutions/nrc/samples/nmc811-lot-c1
run list cell-tests --filter 'descends_from("institutions/nrc/samples/nmc811-lot-c1") AND protocol.temperature >= 20'
# The whole output, cut by sed rather than head: under pipefail a head that
# stops reading kills bhub with SIGPIPE and the script with exit 141.
run summary institutions/nrc/cellTests/ct-001 | sed -n 1,8p
run series institutions/nrc/cellTests/ct-001 --cycles 2:2 --columns test_time_second,voltage_volt,current_ampere | sed -n 1,5p

echo
echo "== the dev hub keeps running on $HUB; tokens are in $DATA/dev-tokens.toml"
echo "   stop it with: kill \$(cat $DATA/hub.pid)"
