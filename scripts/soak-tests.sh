#!/usr/bin/env bash
# Runs the tests most exposed to timing — the two-nodes suites (rooms, proposals, 社情民意,
# activities, consultation, membership changes, reminders sent by two nodes, sign-outs and the
# handshake's copy of the sign-ins across nodes), the lease-loss test
# and the crash tests (open and secret ballots) — many times in a row while other processes keep
# every core busy, and counts the runs that passed. A flaky test shows up here as a count below
# the total; find its race.
#
#   bash scripts/soak-tests.sh [RUNS]      (default 30)
#
# Needs what `npm test` needs (scripts/setup.sh --browser installs it). Each run's output is kept
# in .test-results/soak/RUN.log; the closing line is "N passed, N failed" over the runs.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
runs=${1:-30}
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "soak-tests: RUNS must be a positive number, not '$runs'" >&2; exit 2; }
out=.test-results/soak
rm -rf "$out"
mkdir -p "$out"

# One busy loop per core, so the tests run on a machine with no idle core (as on a loaded CI).
burners=()
stop_burners() { for pid in "${burners[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap stop_burners EXIT
for _ in $(seq 1 "$(nproc)"); do
  node -e 'for (;;) {}' &
  burners+=($!)
done

passed=0
failed=0
for run in $(seq 1 "$runs"); do
  if pnpm exec vitest run --project integration \
    server/test/two-nodes.test.ts server/test/lease-loss.test.ts server/test/crash.test.ts \
    server/test/secret-crash.test.ts server/test/consultation-nodes.test.ts \
    server/test/proposals-nodes.test.ts server/test/social-reports-nodes.test.ts \
    server/test/activities-nodes.test.ts server/test/sessions-nodes.test.ts \
    server/test/notify-channels.test.ts server/test/sign-in-cache.test.ts server/test/cut-off.test.ts \
    >"$out/$run.log" 2>&1; then
    passed=$((passed + 1))
    echo "run $run: passed"
  else
    failed=$((failed + 1))
    echo "run $run: FAILED (see $out/$run.log)"
    grep -m 5 -E '^ *(FAIL|×)|AssertionError|Error:' "$out/$run.log" || true
  fi
done
echo
echo "soak: $passed passed, $failed failed"
[ "$failed" = 0 ]
