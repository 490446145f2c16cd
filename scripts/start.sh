#!/usr/bin/env bash
# One command for a new machine: install what is missing, build the client, start Yitang with
# demo data. Prints the URL to open. Stop with Ctrl-C (the embedded database stops with it).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh
echo "==> building the client"
pnpm --filter @yitang/client build >/dev/null
exec pnpm --silent --filter @yitang/server start
