#!/usr/bin/env bash
# The accuracy of strata estimate (issue 10, figures for the closing note): on PostgreSQL and
# MariaDB, a pilot at ROWS rows (three runs, a bench), the estimate for 10 x ROWS, and the full
# run at 10 x ROWS; prints per step and in total the estimate, its range, the actual and
# |estimate - actual| / actual. Runs the end-to-end case of tests/cli/estimate_test.cpp.
# Usage: tools/bench-estimate/run.sh [ROWS] (default 100000) from the source folder, built.
set -euo pipefail
cd "$(dirname "$0")/../.."
rows=${1:-100000}
build=${STRATA_BUILD_DIR:-build}
eval "$(scripts/start-dbs.sh 2>/dev/null)"
STRATA_ESTIMATE_ROWS=$rows STRATA_ESTIMATE_PRINT=1 \
  "$build/tests/cli_tests" "estimate from a 1/10 run*" --use-colour no
