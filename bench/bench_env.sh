# Sourced by the bench/run_*_bench.sh scripts (from the repository root):
# installs PostgreSQL and libpq if missing, builds the Release tree, makes a
# work folder removed on exit, and defines
#   start_pg            a throwaway PostgreSQL 15 cluster on a unix socket in
#                       $WORK with a database "bench"; sets PG (libpq
#                       conninfo) and PSQL (psql command, an array)
#   start_hub DIR OUT   a batteryhubd on 127.0.0.1:0 over DIR (HTTP on a free
#                       loopback port), stdout in OUT, stderr in OUT.err; sets
#                       HUB (gRPC address), HTTP (HTTP address) and HUB_PID
#   stop_hub            stops it
# Usage: source bench/bench_env.sh NAME   (the work folder is /tmp/NAME.XXXXXX)
for p in postgresql libpq-dev; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$p"; }
done
bash scripts/install-deps.sh
CMAKE_ARGS="-DCMAKE_BUILD_TYPE=Release" BUILD_DIR=build-bench bash scripts/build.sh >/dev/null
B=build-bench
WORK=$(mktemp -d "/tmp/$1.XXXXXX")
chmod 755 "$WORK"
PGBIN=/usr/lib/postgresql/15/bin
PGPORT=$((20000 + RANDOM % 20000))
cleanup() {
  [[ -n "${HUB_PID:-}" ]] && kill "$HUB_PID" 2>/dev/null || true
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$WORK/pg" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

start_pg() {
  echo "== PostgreSQL 15 on a unix socket in $WORK" >&2
  mkdir -p "$WORK/pg" "$WORK/sock" && chown postgres "$WORK/pg" "$WORK/sock"
  runuser -u postgres -- "$PGBIN/initdb" -D "$WORK/pg" --auth=trust -U postgres >/dev/null
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pg/log" -w \
    -o "-p $PGPORT -k $WORK/sock -c listen_addresses='' -c shared_buffers=1GB -c max_wal_size=8GB" \
    start >/dev/null
  PSQL=(psql -h "$WORK/sock" -p "$PGPORT" -U postgres -X -q)
  "${PSQL[@]}" -c "CREATE DATABASE bench" >/dev/null
  PG="host=$WORK/sock port=$PGPORT dbname=bench user=postgres"
}

start_hub() {
  "$B/services/batteryhubd" --listen 127.0.0.1:0 --data_dir "$1" >"$2" 2>"$2.err" &
  HUB_PID=$!
  until grep -q "^batteryhubd listening on" "$2" 2>/dev/null &&
        grep -q "^batteryhubd http listening on" "$2"; do sleep 0.1; done
  HUB=$(awk '/^batteryhubd listening on/ {print $4}' "$2")
  HTTP=$(awk '/^batteryhubd http listening on/ {print $5}' "$2")
}

stop_hub() {
  kill "$HUB_PID" && wait "$HUB_PID" || true
  HUB_PID=
}
