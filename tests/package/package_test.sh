#!/usr/bin/env bash
# The Debian package on a clean root (ctest: package:clean-root; README: Packaging). Builds
# the packages (scripts/package.sh), debootstraps a minimal Debian 12 (bookworm, minbase) once
# into a cache under the package build folder, copies it, installs strata_*.deb there with
# apt-get (its Depends resolved from Debian's archive), and runs the installed strata in the
# chroot, which has no compiler: --version, every dialect plugin loads, and the migrations of
# tests/package/migrations on SQLite: the compiler error, a transform built ahead (on this
# host, with the package build's strata), status, validate, undo and apply again; then
# strata-dev installs beside it with its files. Nothing is mounted in the chroot. Not root:
# exit 77 (skipped); under CI a failure. Any other problem (no network for debootstrap or apt)
# fails. Prints the seconds of each phase.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)

skip() {
  case "${CI:-}" in ""|0|false) echo "skipped: $*"; exit 77 ;; esac
  echo "FAILED: under CI nothing may be skipped, but $*"
  exit 1
}
[ "$(id -u)" -eq 0 ] || skip "debootstrap and chroot need root"
build_dir=$(mkdir -p "${STRATA_PACKAGE_BUILD_DIR:-$root/build-package}" &&
  cd "${STRATA_PACKAGE_BUILD_DIR:-$root/build-package}" && pwd)
mirror=${STRATA_DEBIAN_MIRROR:-http://deb.debian.org/debian}
"$root/scripts/setup.sh" debootstrap sqlite3

failures=0
fail() { echo "FAILED: $*"; failures=$((failures + 1)); }
phase_start=$SECONDS
phase() { echo "package-test: $1: $((SECONDS - phase_start)) s"; phase_start=$SECONDS; }

# 1. The packages.
if ! debs=$(STRATA_PACKAGE_BUILD_DIR="$build_dir" "$root/scripts/package.sh" 2>"$build_dir/package.log"); then
  tail -n 40 "$build_dir/package.log"
  echo "FAILED: scripts/package.sh (log: $build_dir/package.log)"
  exit 1
fi
deb=$(echo "$debs" | head -n 1)
version=$(dpkg-deb -f "$deb" Version)
phase "package build ($(basename "$deb"))"

# 2. The clean root, debootstrapped once (the cache is complete or absent).
cache=$build_dir/clean-root/bookworm-minbase
if [ ! -d "$cache" ]; then
  partial=$cache.partial.$$
  rm -rf "$partial"
  if ! debootstrap --variant=minbase bookworm "$partial" "$mirror" >"$build_dir/debootstrap.log" 2>&1; then
    tail -n 20 "$build_dir/debootstrap.log"
    rm -rf "$partial"
    echo "FAILED: debootstrap of bookworm from $mirror (log: $build_dir/debootstrap.log)"
    exit 1
  fi
  mv "$partial" "$cache"
  phase "debootstrap --variant=minbase bookworm"
fi
chroot_dir=$(mktemp -d "$build_dir/clean-root/run.XXXXXX")
cleanup() {
  # Nothing is mounted there; should something be, it is left for a person, never deleted.
  if findmnt -rn -o TARGET | grep -qF "$chroot_dir"; then
    echo "package-test: a mount under $chroot_dir: not deleted" >&2
  else
    rm -rf "$chroot_dir"
  fi
}
trap cleanup EXIT
cp -a "$cache/." "$chroot_dir/"
cp /etc/resolv.conf "$chroot_dir/etc/resolv.conf"
cp "$deb" "$chroot_dir/tmp/"
# Runs a command in the chroot with a clean environment; stdout, then stderr after a line
# "--stderr--", then the exit code last, into $out (and the code into $rc).
in_root() {
  local o e
  o=$(mktemp) e=$(mktemp)
  rc=0
  chroot "$chroot_dir" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
    LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@" >"$o" 2>"$e" || rc=$?
  out="$(cat "$o")
--stderr--
$(cat "$e")
exit $rc"
  rm -f "$o" "$e"
}
phase "copy of the clean root"

# 3. apt installs the package and what it Depends on, from Debian's archive.
in_root apt-get update -qq
[ "$rc" -eq 0 ] || { echo "$out"; echo "FAILED: apt-get update in the chroot"; exit 1; }
in_root apt-get install -y -qq --no-install-recommends "/tmp/$(basename "$deb")"
[ "$rc" -eq 0 ] || { echo "$out"; echo "FAILED: apt-get install of $(basename "$deb")"; exit 1; }
in_root dpkg-query -W -f='${Status} ${Version}' strata
[ "$out" = "install ok installed $version
--stderr--

exit 0" ] || fail "strata is not installed at $version: $out"
phase "apt-get install in the chroot"

# 4. No compiler there.
for compiler in c++ g++ gcc cc clang++; do
  in_root sh -c "command -v $compiler"
  [ "$rc" -ne 0 ] || fail "the clean root has a compiler: $out"
done

# 5. The installed strata.
in_root strata --version
[ "$rc" -eq 0 ] && [[ "$out" == "strata ${version%-*}"$'\n'* ]] || fail "strata --version: $out"
printf "SELECT 'a;b';\nSELECT 2;\n" >"$chroot_dir/tmp/s.sql"
for dialect in sqlite postgres mysql oracle; do
  in_root strata parse --dialect "$dialect" /tmp/s.sql
  [ "$rc" -eq 0 ] && [[ "$out" == *"SELECT 'a;b'"* ]] || fail "the $dialect dialect: $out"
done

mkdir -p "$chroot_dir/work"
cp -r "$root/tests/package/migrations" "$chroot_dir/work/migrations"
db=$chroot_dir/work/app.db
strata=(strata -d sqlite:/work/app.db -m /work/migrations)
# No compiler: the transform's error says to build it ahead, and nothing is written. The
# include folder is the installed one (found from the library, through /lib's symlink).
in_root "${strata[@]}" apply
[ "$rc" -eq 2 ] && [[ "$out" == *"-I/usr/include)"* ]] && [[ "$out" == *"cannot run c++"* ]] &&
  [[ "$out" == *"strata build-transforms --output DIR"* ]] || fail "apply with no compiler: $out"
in_root "${strata[@]}" apply --no-compile
[ "$rc" -eq 2 ] && [[ "$out" == *"V2__lower_email.cpp has no plugin built ahead"* ]] ||
  fail "apply --no-compile with no plugin: $out"
in_root "${strata[@]}" status
[ "$rc" -eq 0 ] && [[ "$out" == *"3 pending."* ]] || fail "status before apply: $out"

# The transform built ahead on this host (it has a compiler), then applied there.
"$build_dir/tools/strata" -m "$root/tests/package/migrations" build-transforms --dialect sqlite \
  --output "$chroot_dir/work/transforms" >/dev/null || fail "build-transforms on the host"
in_root "${strata[@]}" apply --no-compile --transforms-dir /work/transforms
[ "$rc" -eq 0 ] || fail "apply with the transform built ahead: $out"
lowered=$(sqlite3 "$db" "SELECT group_concat(email, ' ') FROM (SELECT email FROM users ORDER BY id)")
[ "$lowered" = "ada@example.org bob@example.org carol@example.org" ] ||
  fail "the transform did not lower the emails: '$lowered'"
in_root "${strata[@]}" status
[ "$rc" -eq 0 ] && [[ "$out" == *"Up to date."* ]] || fail "status after apply: $out"
in_root "${strata[@]}" validate
[ "$rc" -eq 0 ] || fail "validate: $out"

# undo of the last version, then apply again.
in_root "${strata[@]}" undo
index=$(sqlite3 "$db" "SELECT count(*) FROM sqlite_master WHERE name = 'users_email'")
[ "$rc" -eq 0 ] && [ "$index" = 0 ] || fail "undo (index count $index): $out"
in_root "${strata[@]}" status
[ "$rc" -eq 0 ] && [[ "$out" == *"1 pending."* ]] || fail "status after undo: $out"
in_root "${strata[@]}" apply --no-compile --transforms-dir /work/transforms
index=$(sqlite3 "$db" "SELECT count(*) FROM sqlite_master WHERE name = 'users_email'")
[ "$rc" -eq 0 ] && [ "$index" = 1 ] || fail "apply after undo (index count $index): $out"
in_root "${strata[@]}" validate
[ "$rc" -eq 0 ] || fail "validate after undo and apply: $out"

# strata-dev beside it: the development files, on the exact version.
dev_deb=$(echo "$debs" | sed -n 2p)
[ "$(dpkg-deb -f "$dev_deb" Depends)" = "strata (= $version)" ] || fail "strata-dev's Depends"
cp "$dev_deb" "$chroot_dir/tmp/"
in_root apt-get install -y -qq --no-install-recommends "/tmp/$(basename "$dev_deb")"
[ "$rc" -eq 0 ] || fail "apt-get install of $(basename "$dev_deb"): $out"
for file in usr/include/strata/engine.hpp usr/lib/x86_64-linux-gnu/libstrata.so \
            usr/lib/x86_64-linux-gnu/cmake/strata/strataConfig.cmake; do
  [ -e "$chroot_dir/$file" ] || fail "strata-dev did not install /$file"
done
dpkg-deb -c "$deb" | grep -q 'include/strata/engine.hpp' && fail "strata has strata-dev's headers"
phase "the checks in the chroot"

if [ "$failures" -gt 0 ]; then
  echo "package-test: $failures check(s) FAILED"
  exit 1
fi
echo "package-test: $(basename "$deb") installed and ran on a clean bookworm"
