#!/usr/bin/env bash
# The whole test suite from a fresh clone: installs what is missing, builds, type-checks, lints, then runs
# unit, integration (real ZooKeeper ensembles) and chaos tests. Extra arguments go to vitest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
pnpm -s build
node scripts/check-dist.mjs
pnpm -s typecheck
pnpm -s lint
pnpm -s format:check
results=$(mktemp)
status=0
pnpm -s vitest run --reporter=default --reporter=json --outputFile.json="$results" "$@" || status=$?
# A plain closing line that any CI reader understands, from vitest's own JSON report.
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ""));
' "$results" || status=1
[ "$status" = 0 ] || echo "tests: vitest exited with status $status (failed tests or errors outside tests: see above)"
rm -f "$results"
exit $status
