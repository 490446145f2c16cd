#!/usr/bin/env bash
# Two Yitang nodes on loopback behind nginx, sharing one Redis and one database: the scale-out
# of docs/scale-out.md, to try by hand. Open the printed address; stop everything with Ctrl-C.
#
#   bash scripts/two-nodes.sh
#
# Environment (all optional):
#   PORT         where nginx listens (default 8080); the nodes take PORT+1 and PORT+2
#   REDIS_PORT   Redis's port (default 6390)
#   MONGODB_URI  a MongoDB both nodes use; without it an embedded FerretDB is started here
#   DATA_DIR     logs, nginx files and the embedded database (default .data/two-nodes)
#
# To see a node fail over: `kill -9 <pid of node a or b>` (both are printed); the clients of
# its rooms reconnect through nginx to the other node.
# Needs redis-server and nginx (scripts/setup.sh --browser installs them from Debian).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
source scripts/env.sh

PORT=${PORT:-8080}
REDIS_PORT=${REDIS_PORT:-6390}
DATA_DIR=${DATA_DIR:-$ROOT/.data/two-nodes}
NODE_A_PORT=$((PORT + 1))
NODE_B_PORT=$((PORT + 2))

die() { printf 'two-nodes: %s\n' "$*" >&2; exit 1; }
say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

command -v redis-server >/dev/null || die "redis-server is missing: run scripts/setup.sh --browser (or apt-get install redis-server)."
NGINX=$(command -v nginx || true)
[ -n "$NGINX" ] || { [ -x /usr/sbin/nginx ] && NGINX=/usr/sbin/nginx; } || die "nginx is missing: run scripts/setup.sh --browser (or apt-get install nginx)."
mkdir -p "$DATA_DIR"

pids=()
infra=() # Redis, FerretDB, nginx: the nodes may be killed on purpose, these may not
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Waits until something accepts connections on 127.0.0.1:$1 (or the process $2 has died).
wait_port() {
  for _ in $(seq 1 1200); do # up to two minutes (tsx compiles on start)
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

say "Redis on 127.0.0.1:$REDIS_PORT"
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$DATA_DIR" \
  >"$DATA_DIR/redis.log" 2>&1 &
pids+=($!) infra+=($!)
wait_port "$REDIS_PORT" $! || die "Redis did not start; see $DATA_DIR/redis.log"

if [ -z "${MONGODB_URI:-}" ]; then
  # One database for both nodes (each node on its own would start a separate embedded one).
  ferretdb=${FERRETDB_BIN:-$ROOT/.tools/bin/ferretdb}
  [ -x "$ferretdb" ] || die "no MONGODB_URI and no FerretDB at $ferretdb: run scripts/setup.sh first."
  DB_PORT=$((PORT + 3))
  say "FerretDB on 127.0.0.1:$DB_PORT (data in $DATA_DIR/ferretdb)"
  mkdir -p "$DATA_DIR/ferretdb"
  "$ferretdb" --handler=sqlite "--sqlite-url=file:$DATA_DIR/ferretdb/" "--listen-addr=127.0.0.1:$DB_PORT" \
    --telemetry=disable --debug-addr=- "--state-dir=$DATA_DIR" --log-level=warn >"$DATA_DIR/ferretdb.log" 2>&1 &
  pids+=($!) infra+=($!)
  wait_port "$DB_PORT" $! || die "FerretDB did not start; see $DATA_DIR/ferretdb.log"
  export MONGODB_URI="mongodb://127.0.0.1:$DB_PORT/"
fi

if [ ! -f client/dist/index.html ]; then
  say "building the client"
  pnpm --filter @yitang/client build >/dev/null
fi

# The demo entry seeds; the production entry (src/main.ts) never imports the seed.
entry() { if [ "$1" = 1 ]; then echo src/demo-main.ts; else echo src/main.ts; fi; }

start_node() { # id port seed
  (cd server && PORT=$2 HOST=127.0.0.1 NODE_ID=$1 REDIS_URL="redis://127.0.0.1:$REDIS_PORT" SEED_DEMO=$3 DEMO_LOGIN=1 \
    BALLOT_SECRET="${BALLOT_SECRET:-two-nodes demo ballot secret, shared by both nodes}" exec node --import tsx "$(entry "$3")") >"$DATA_DIR/node-$1.log" 2>&1 &
  pids+=($!)
  wait_port "$2" $! || die "node $1 did not start; see $DATA_DIR/node-$1.log"
  say "node $1 on 127.0.0.1:$2 (pid $!, log $DATA_DIR/node-$1.log)"
}
# Node a seeds the demo data first; b joins once a is up.
start_node a "$NODE_A_PORT" 1
start_node b "$NODE_B_PORT" 0

nodes="        server 127.0.0.1:$NODE_A_PORT max_fails=1 fail_timeout=5s;\n        server 127.0.0.1:$NODE_B_PORT max_fails=1 fail_timeout=5s;"
sed -e "s#@PREFIX@#$DATA_DIR#g" -e "s#@LISTEN@#127.0.0.1:$PORT#g" -e "s#@NODES@#$nodes#" \
  deploy/nginx.conf.template >"$DATA_DIR/nginx.conf"
"$NGINX" -p "$DATA_DIR" -c "$DATA_DIR/nginx.conf" -e "$DATA_DIR/error.log" &
pids+=($!) infra+=($!)
wait_port "$PORT" $! || die "nginx did not start; see $DATA_DIR/error.log"

echo
echo "Yitang on two nodes: http://127.0.0.1:$PORT/   (Ctrl-C stops everything)"
wait -n "${infra[@]}" || true
die "Redis, the database or nginx stopped; see the logs in $DATA_DIR"
