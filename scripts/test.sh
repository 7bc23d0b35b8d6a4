#!/usr/bin/env bash
# The test command: installs dependencies, builds (Debug, -Wall -Wextra), starts the
# database servers the integration tests need, runs every test with ctest, then the parser
# tests again under ASan+UBSan (build-asan) and each splitter's fuzz target (build-fuzz).
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

# The parser tests again under AddressSanitizer + UBSan: only the executables they need.
cd "$root"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DSTRATA_SANITIZE=ON -DSTRATA_BUILD_TOOLS=OFF >/dev/null
cmake --build build-asan -j2 --target unit_tests split_corpus_tests
(cd build-asan && ctest --output-on-failure -j2 -R '^(unit|split):')
# Each splitter's libFuzzer target for a bounded time (clang; tests/fuzz).
CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSTRATA_FUZZ=ON \
  -DSTRATA_FUZZ_SECONDS=20 -DSTRATA_BUILD_TOOLS=OFF >/dev/null
cmake --build build-fuzz -j2 --target fuzz_split_postgres fuzz_split_mysql fuzz_split_oracle \
  fuzz_split_sqlite
(cd build-fuzz && ctest --output-on-failure -j2 -L fuzz)
