#!/usr/bin/env bash
# The README demo from a fresh clone: installs what is missing, then runs examples/quickstart.
# Usage: bash scripts/demo.sh [connectString]   (no connect string: a local ZooKeeper is started and stopped)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cd examples/quickstart
exec node --conditions=source --import tsx main.ts "$@"
