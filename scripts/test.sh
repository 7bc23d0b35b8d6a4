#!/usr/bin/env bash
# The test command (CI's too: .ci/run runs only this): installs dependencies, starts the
# database servers, builds everything (CLI, dialects, tools, every test) with AddressSanitizer
# + UBSan into build-asan (Debug, -Wall -Wextra) and runs the whole ctest there, then each
# splitter's fuzz target (build-fuzz). Any failure fails the run, a server that does not
# start included; the fuzzers run even when ctest failed. Extra arguments go to the main
# ctest (e.g. -R 'cli:').
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scripts/setup.sh
# PostgreSQL and MariaDB on 127.0.0.1; exports STRATA_TEST_PG_URL, STRATA_TEST_MYSQL_URL and
# STRATA_PASSWORD for the [postgres] and [mysql] tests. Its output is eval'd only on success.
if ! db_env=$(scripts/start-dbs.sh); then
  echo "test: the database servers are not usable (scripts/start-dbs.sh failed)" >&2
  exit 1
fi
eval "$db_env"

# Sanitizer findings abort, in the suites and in the strata processes they start
# (tests/support/test_main.cpp); LeakSanitizer is on, tests/lsan.supp lists what it ignores.
STRATA_BUILD_DIR=build-asan STRATA_BUILD_TYPE=Debug scripts/build.sh -DSTRATA_SANITIZE=ON
failed=()
if ! (cd build-asan && ctest --output-on-failure -j2 "$@"); then
  # LeakSanitizer's own tracer thread sometimes crashes at a process's exit, after every check
  # passed ("Tracer caught signal 11" / "LeakSanitizer has encountered a fatal error": a known
  # sanitizer bug, google/sanitizers#1353). Only when every failed case failed that way are
  # they run once more; any other failure fails the run as it is.
  log=build-asan/Testing/Temporary/LastTest.log
  tracer=$(awk '/^[0-9]+\/[0-9]+ Testing: /{name=$0; sub(/^[0-9]+\/[0-9]+ Testing: /,"",name); bad=0}
                /LeakSanitizer has encountered a fatal error/{bad=1}
                /^Test Failed\./{if (bad) print name}' "$log" | sort -u)
  all=$(sed 's/^[0-9]*://' build-asan/Testing/Temporary/LastTestsFailed.log | sort -u)
  if [ -n "$tracer" ] && [ "$tracer" = "$all" ]; then
    echo "test: LeakSanitizer's tracer crashed in: $(echo "$tracer" | tr '\n' ';'); running them once more" >&2
    (cd build-asan && ctest --output-on-failure --rerun-failed) || failed+=("ctest in build-asan")
  else
    failed+=("ctest in build-asan")
  fi
fi

# Each splitter's libFuzzer target for a bounded time (clang; tests/fuzz).
CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSTRATA_FUZZ=ON \
  -DSTRATA_FUZZ_SECONDS=20 -DSTRATA_BUILD_TOOLS=OFF >/dev/null
cmake --build build-fuzz -j2 --target fuzz_split_postgres fuzz_split_mysql fuzz_split_oracle \
  fuzz_split_sqlite
(cd build-fuzz && ctest --output-on-failure -j2 -L fuzz) || failed+=("the fuzz targets")

if [ ${#failed[@]} -gt 0 ]; then
  echo "test: FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "test: all passed"
