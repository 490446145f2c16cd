#!/usr/bin/env bash
# Every test, from a fresh machine: installs what is missing (pnpm, dependencies, the embedded
# database, Chromium), then typecheck, lint, unit, integration and browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --browser
source scripts/env.sh
results=.test-results
rm -rf "$results"
step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
suite() { pnpm exec vitest run --project "$1" --reporter=default --reporter=json --outputFile.json="$results/$1.json"; }

step "typecheck"; pnpm typecheck
step "lint"; pnpm lint
step "unit tests"; suite unit
step "integration tests"; suite integration
step "browser tests"; pnpm --filter @yitang/client build >/dev/null; suite e2e

# One closing line over all three suites.
node -e '
  const fs = require("node:fs");
  let passed = 0, failed = 0, skipped = 0;
  for (const f of fs.readdirSync(process.argv[1])) {
    const r = JSON.parse(fs.readFileSync(`${process.argv[1]}/${f}`, "utf8"));
    passed += r.numPassedTests; failed += r.numFailedTests; skipped += r.numPendingTests + r.numTodoTests;
  }
  console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
  process.exit(failed || passed === 0 ? 1 : 0);
' "$results"
