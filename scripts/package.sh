#!/usr/bin/env bash
# Builds the Debian packages strata and strata-dev (README: Packaging / installing without a
# toolchain): installs the build dependencies if missing (scripts/setup.sh PACKAGE...), builds
# Release with CMAKE_INSTALL_PREFIX=/usr into build-package/ (or $STRATA_PACKAGE_BUILD_DIR),
# only what the packages install (no tests, no benchmarks), and runs cpack. Prints the path of
# each .deb, strata's first. Extra arguments go to cmake.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
build_dir=${STRATA_PACKAGE_BUILD_DIR:-build-package}
"$root/scripts/setup.sh" build-essential cmake pkg-config dpkg-dev file libpqxx-dev \
  libmysqlcppconn-dev zlib1g-dev libboost-program-options-dev libboost-filesystem-dev \
  libsqlite3-dev libssl-dev nlohmann-json3-dev >&2
# Every live dialect is required: a package without one would be a different package.
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr \
  -DBUILD_TESTING=OFF -DSTRATA_BUILD_TOOLS=OFF -DSTRATA_SANITIZE=OFF -DSTRATA_FUZZ=OFF \
  -DSTRATA_WITH_POSTGRES=ON -DSTRATA_WITH_MYSQL=ON "$@" >/dev/null
cmake --build "$build_dir" -j"${STRATA_JOBS:-2}" >&2
rm -f "$build_dir"/strata*.deb
(cd "$build_dir" && cpack -G DEB >&2)
for deb in "$build_dir"/strata_*.deb "$build_dir"/strata-dev_*.deb; do
  [ -f "$deb" ] || { echo "package: cpack made no $deb" >&2; exit 1; }
  echo "$(cd "$(dirname "$deb")" && pwd)/$(basename "$deb")"
done
