#!/usr/bin/env bash
# Configures and builds strata into build/ (or $STRATA_BUILD_DIR). Extra arguments go to cmake.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${STRATA_BUILD_DIR:-build}
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE="${STRATA_BUILD_TYPE:-Debug}" "$@" >/dev/null
cmake --build "$build_dir" -j"${STRATA_JOBS:-2}"
