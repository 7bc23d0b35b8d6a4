#!/usr/bin/env bash
# The test command: installs dependencies, builds (Debug, -Wall -Wextra), starts the
# database servers the integration tests need, and runs every test with ctest.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scripts/setup.sh
STRATA_BUILD_TYPE=Debug scripts/build.sh
# PostgreSQL and MariaDB on 127.0.0.1; exports STRATA_TEST_PG_URL, STRATA_TEST_MYSQL_URL and
# STRATA_PASSWORD, which the [postgres] and [mysql] tests use.
eval "$(scripts/start-dbs.sh)"
cd build
ctest --output-on-failure -j2 "$@"
