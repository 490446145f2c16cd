#!/usr/bin/env bash
# One command for a new machine: install what is missing, build the client, start Yitang. Prints
# the URL to open. Stop with Ctrl-C (the embedded database stops with it).
#
# By default (SEED_DEMO unset or 1) it starts the demo: server/src/demo-main.ts seeds the demo
# committee, members and live session, then runs the server. With SEED_DEMO=0 it starts the
# production entry, server/src/main.ts, which writes no demo data: an empty database then prints
# a one-time setup link for the first administrator.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh
echo "==> building the client"
pnpm --filter @yitang/client build >/dev/null
case "${SEED_DEMO:-1}" in
  0 | false | no) exec pnpm --silent --filter @yitang/server start ;;
  *) exec pnpm --silent --filter @yitang/server start:demo ;;
esac
