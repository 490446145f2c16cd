#!/usr/bin/env bash
# Every test, from a fresh machine: installs what is missing (pnpm, dependencies, the embedded
# database, Chromium), then typecheck, lint, unit, integration and browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --browser
source scripts/env.sh
step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
step "typecheck"; pnpm typecheck
step "lint"; pnpm lint
step "unit tests"; pnpm exec vitest run --project unit
step "integration tests"; pnpm exec vitest run --project integration
step "browser tests"; pnpm test:e2e
