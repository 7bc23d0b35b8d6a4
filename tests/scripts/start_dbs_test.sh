#!/usr/bin/env bash
# Regression tests of scripts/start-dbs.sh and scripts/test.sh on a bare machine: each case
# runs in mount and network namespaces of its own with empty server folders, so the test
# servers in use are not touched. ctest: scripts:start-dbs. Not root, or no namespaces: exit
# 77 (skipped), under CI a failure.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)

skip() {
  case "${CI:-}" in ""|0|false) echo "skipped: $*"; exit 77 ;; esac
  echo "FAILED: under CI nothing may be skipped, but $*"
  exit 1
}
[ "$(id -u)" -eq 0 ] || skip "these cases need root"
unshare -m -n true 2>/dev/null || skip "these cases need namespaces (unshare -m -n)"
[ -x /usr/sbin/mariadbd ] && command -v pg_ctlcluster >/dev/null || skip "no servers installed"

failures=0
fail() { echo "FAILED: $case_name: $*"; failures=$((failures + 1)); }

# Runs the bash code $1 with $root on a bare machine: empty server folders, its own loopback.
# `foreign PORT SOCKET` there starts a mariadbd that start-dbs.sh did not start. Prints the
# code's stdout, its stderr after a line "--stderr--", and its exit code last.
bare() {
  unshare -m -n --propagation private bash -c '
    set -u
    ip link set lo up
    for d in /var/lib/mysql /run/mysqld /var/log/mysql /var/lib/postgresql /etc/postgresql \
             /run/postgresql /var/log/postgresql; do
      mount -t tmpfs none "$d"
    done
    chown postgres:postgres /var/lib/postgresql /run/postgresql /var/log/postgresql
    chown mysql:mysql /run/mysqld
    foreign_pid=
    foreign() {
      install -d -o mysql -g mysql /run/mysqld/foreign
      mariadb-install-db --user=mysql --datadir=/run/mysqld/foreign \
        --auth-root-authentication-method=socket >/dev/null 2>&1
      /usr/sbin/mariadbd --user=mysql --datadir=/run/mysqld/foreign --port="$1" \
        --bind-address=127.0.0.1 --socket="$2" --pid-file=/run/mysqld/foreign/pid \
        --log-error=/run/mysqld/foreign/err.log </dev/null >/dev/null 2>&1 &
      foreign_pid=$!
      for _ in $(seq 1 60); do
        mariadb-admin --socket="$2" ping >/dev/null 2>&1 && return 0
        sleep 0.5
      done
      echo "the foreign mariadbd did not start" >&2
      return 1
    }
    cleanup() {
      local pids="$foreign_pid $(cat /run/mysqld/strata-mariadbd.pid 2>/dev/null)"
      for p in $pids; do kill "$p" 2>/dev/null; done
      pg_ctlcluster 15 main stop -m fast >/dev/null 2>&1
      for p in $pids; do while kill -0 "$p" 2>/dev/null; do sleep 0.2; done; done
    }
    trap cleanup EXIT
    cd "$1"
    { eval "$2"; } >/tmp/bare.out.$$ 2>/tmp/bare.err.$$
    rc=$?
    cat /tmp/bare.out.$$; echo "--stderr--"; cat /tmp/bare.err.$$; echo "$rc"
    rm -f /tmp/bare.out.$$ /tmp/bare.err.$$
  ' bare "$root" "$1"
}

case_name="a foreign mariadbd (port 3307, the default socket) is not taken for ours"
out=$(bare 'foreign 3307 /run/mysqld/mysqld.sock && env_lines=$(scripts/start-dbs.sh) &&
  eval "$env_lines" &&
  MYSQL_PWD=$STRATA_PASSWORD mariadb --protocol=tcp -h 127.0.0.1 -P 3306 -u strata -N \
    -e "SELECT @@port, @@socket" strata_test &&
  kill -0 "$foreign_pid"')
[ "$(tail -n 1 <<<"$out")" = 0 ] || fail "exit $(tail -n 1 <<<"$out")"
grep -q "^3306.*/run/mysqld/strata-mariadbd.sock$" <<<"$out" ||
  fail "the test user is not on the server start-dbs.sh started"
echo "$out"

case_name="another server holding 3306 without the test user fails the start, naming it"
out=$(bare 'foreign 3306 /run/mysqld/other.sock && scripts/start-dbs.sh')
[ "$(tail -n 1 <<<"$out")" = 1 ] || fail "exit $(tail -n 1 <<<"$out")"
grep -q "server this script did not start answers on 127.0.0.1:3306" <<<"$out" ||
  fail "no word of the server on the port"
grep -q "^export" <<<"$out" && fail "variables printed"
echo "$out"

case_name="test.sh stops when start-dbs.sh fails"
copy=$(mktemp -d)
trap 'rm -rf "$copy"' EXIT
cp -r "$root/scripts" "$copy/"  # a tree with nothing to build: a build attempt shows
out=$(bare "mkdir /var/lib/mysql/mysql && chown mysql /var/lib/mysql/mysql &&
  timeout 120 $copy/scripts/test.sh")
[ "$(tail -n 1 <<<"$out")" = 1 ] || fail "exit $(tail -n 1 <<<"$out")"
grep -q "MariaDB did not start" <<<"$out" || fail "no word of MariaDB"
grep -q "scripts/start-dbs.sh failed" <<<"$out" || fail "test.sh did not say why it stopped"
grep -qi "cmake" <<<"$out" && fail "test.sh went on to build"
echo "$out"

if [ "$failures" -gt 0 ]; then
  echo "$failures check(s) failed"
  exit 1
fi
echo "3 passed, 0 failed"
