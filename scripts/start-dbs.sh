#!/usr/bin/env bash
# Starts PostgreSQL 15 and MariaDB (Debian's packages) on 127.0.0.1:5432 / :3306 for the
# integration tests, as root, without systemd. Idempotent: servers that answer the test user
# there are left alone. Creates the test role/user (password $STRATA_TEST_PASSWORD, default
# strata-test) and the databases; prints how to connect on stderr and `export ...` lines on
# stdout, so `eval "$(scripts/start-dbs.sh)"` sets STRATA_TEST_PG_URL, STRATA_TEST_MYSQL_URL,
# STRATA_PASSWORD. Exits non-zero, printing no export line, when a server is not usable.
set -euo pipefail

user=${STRATA_TEST_USER:-strata}
password=${STRATA_TEST_PASSWORD:-strata-test}
database=${STRATA_TEST_DATABASE:-strata_test}
pg_version=15
pg_port=5432
my_port=3306
# The mariadbd this script starts has a socket and pid file of its own, so that no other
# mariadbd on the machine is ever taken for it.
my_socket=/run/mysqld/strata-mariadbd.sock
my_pidfile=/run/mysqld/strata-mariadbd.pid
my_log=/var/log/mysql/error.log
say() { echo "start-dbs: $*" >&2; }
die() { say "$*"; exit 1; }

case "$user$password$database" in
  *[\'\"\\\`]*) say "STRATA_TEST_USER/PASSWORD/DATABASE must not contain quotes or backslashes"; exit 2 ;;
esac

print_env() {
  cat >&2 <<EOF
start-dbs: PostgreSQL $pg_version on 127.0.0.1:$pg_port, MariaDB on 127.0.0.1:$my_port.
start-dbs: user '$user' (password in STRATA_PASSWORD), database '$database' on both; the user may
start-dbs: create databases (PostgreSQL: any; MariaDB: names starting with ${database%%_*}_).
start-dbs:   PGPASSWORD=\$STRATA_PASSWORD psql -h 127.0.0.1 -U $user $database
start-dbs:   mariadb -h 127.0.0.1 -u $user -p\$STRATA_PASSWORD $database
EOF
  echo "export STRATA_TEST_PG_URL=postgresql://$user@127.0.0.1:$pg_port/$database"
  echo "export STRATA_TEST_MYSQL_URL=mysql://$user@127.0.0.1:$my_port/$database"
  echo "export STRATA_PASSWORD='$password'"
}

# Readiness as the tests see it: the test user logs in over TCP on the port and uses the
# database. (mariadb-admin ping is not enough: it succeeds on "access denied" too.)
pg_ready() {
  PGPASSWORD=$password PGCONNECT_TIMEOUT=3 psql -X -q -At -h 127.0.0.1 -p $pg_port -U "$user" \
    -d "$database" -c 'SELECT 1' >/dev/null 2>&1
}
my_ready() {
  MYSQL_PWD=$password mariadb --protocol=tcp -h 127.0.0.1 -P $my_port -u "$user" \
    --connect-timeout=3 -e 'SELECT 1' "$database" >/dev/null 2>&1
}

if [ "$(id -u)" -ne 0 ]; then
  if pg_ready && my_ready; then
    print_env
    exit 0
  fi
  say "the servers are not up; run this script as root to start them"
  exit 2
fi
for tool in pg_ctlcluster pg_isready psql mariadbd mariadb mariadb-admin; do
  command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || {
    say "$tool not found: run scripts/setup.sh first"
    exit 2
  }
done

# --- PostgreSQL: Debian's cluster 15/main, administered through its own socket -----------
pg_sql() {
  runuser -u postgres -- psql --cluster "$pg_version/main" -X -q -At -v ON_ERROR_STOP=1 "$@"
}
if pg_ready; then
  say "PostgreSQL is already up"
else
  if ! pg_lsclusters -h | awk -v v=$pg_version '$1 == v && $2 == "main" { found = 1 } END { exit !found }'; then
    say "creating cluster $pg_version/main"
    pg_createcluster -p $pg_port $pg_version main >/dev/null
  fi
  port=$(pg_lsclusters -h | awk -v v=$pg_version '$1 == v && $2 == "main" { print $3 }')
  [ "$port" = $pg_port ] || die "cluster $pg_version/main is set to port $port, not $pg_port"
  if ! pg_ctlcluster $pg_version main status >/dev/null 2>&1 &&
     pg_isready -q -h 127.0.0.1 -p $pg_port; then
    die "a PostgreSQL server other than cluster $pg_version/main answers on 127.0.0.1:$pg_port"
  fi
  say "starting PostgreSQL $pg_version"
  # pg_ctlcluster's own status can claim "running" right after a crash: readiness is decided
  # by a query on the cluster's socket, and the start is retried inside the wait loop.
  for i in $(seq 1 60); do
    pg_sql -c 'SELECT 1' >/dev/null 2>&1 && break
    [ "$i" -eq 60 ] && die "PostgreSQL did not start; see /var/log/postgresql/"
    pg_ctlcluster $pg_version main start >/dev/null 2>&1 || true
    sleep 0.5
  done
  if [ "$(pg_sql -c "SELECT 1 FROM pg_roles WHERE rolname = '$user'")" != 1 ]; then
    say "creating PostgreSQL role $user"
    pg_sql -c "CREATE ROLE \"$user\" LOGIN CREATEDB"
  fi
  pg_sql -c "ALTER ROLE \"$user\" LOGIN CREATEDB PASSWORD '$password'" >/dev/null
  if [ "$(pg_sql -c "SELECT 1 FROM pg_database WHERE datname = '$database'")" != 1 ]; then
    say "creating PostgreSQL database $database"
    pg_sql -c "CREATE DATABASE \"$database\" OWNER \"$user\""
  fi
  pg_ready || die "user $user cannot use database $database on 127.0.0.1:$pg_port"
fi

# --- MariaDB: a mariadbd of this script's own (its socket, its pid file) -----------------
# Administered as root through `socket`: this script's own, or that of the machine's MariaDB
# service when that is the server on the port (one started by the package's init script).
socket=$my_socket
my_sql() { mariadb --protocol=socket --socket="$socket" -u root "$@"; }
my_pid() {  # the pid of the mariadbd this script started, if it is still running
  local pid
  pid=$(cat "$my_pidfile" 2>/dev/null) || return 1
  [ -n "$pid" ] && [ "$(readlink "/proc/$pid/exe" 2>/dev/null)" = /usr/sbin/mariadbd ] &&
    echo "$pid"
}
if my_ready; then
  say "MariaDB is already up"
else
  install -d -o mysql -g mysql /run/mysqld
  pid=
  if pid=$(my_pid); then
    say "MariaDB (pid $pid, started by this script) is running"
  elif mariadb-admin --protocol=tcp -h 127.0.0.1 -P $my_port --connect-timeout=3 ping \
         >/dev/null 2>&1; then
    socket=/run/mysqld/mysqld.sock
    [ "$(my_sql -N -e 'SELECT @@port' 2>/dev/null)" = $my_port ] ||
      die "a MariaDB/MySQL server this script did not start answers on 127.0.0.1:$my_port," \
          "but not to user $user with database $database: stop it, or set it up"
    say "MariaDB is up (the server of $socket); setting up user $user"
  else
    if [ ! -d /var/lib/mysql/mysql ]; then
      say "initialising /var/lib/mysql"
      mariadb-install-db --user=mysql --auth-root-authentication-method=socket >/dev/null
    fi
    say "starting MariaDB"
    install -d -o mysql -g adm /var/log/mysql
    rm -f "$my_pidfile"
    setsid /usr/sbin/mariadbd --user=mysql --bind-address=127.0.0.1 --port=$my_port \
      --socket="$my_socket" --pid-file="$my_pidfile" --log-error="$my_log" \
      </dev/null >/dev/null 2>&1 &
    pid=$!
  fi
  for i in $(seq 1 120); do
    my_sql -e 'SELECT 1' >/dev/null 2>&1 && break
    if { [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; } || [ "$i" -eq 120 ]; then
      [ -n "$pid" ] && { kill "$pid" 2>/dev/null || true; }
      die "MariaDB did not start; the end of $my_log:
$(tail -n 5 "$my_log" 2>/dev/null)"
    fi
    sleep 0.5
  done
  # MariaDB maps TCP logins from 127.0.0.1 to 'localhost', so the user exists for both hosts.
  prefix="${database%%_*}\\_%"
  my_sql <<EOF
CREATE USER IF NOT EXISTS '$user'@'127.0.0.1' IDENTIFIED BY '$password';
CREATE USER IF NOT EXISTS '$user'@'localhost' IDENTIFIED BY '$password';
ALTER USER '$user'@'127.0.0.1' IDENTIFIED BY '$password';
ALTER USER '$user'@'localhost' IDENTIFIED BY '$password';
CREATE DATABASE IF NOT EXISTS \`$database\`;
GRANT ALL PRIVILEGES ON \`$prefix\`.* TO '$user'@'127.0.0.1';
GRANT ALL PRIVILEGES ON \`$prefix\`.* TO '$user'@'localhost';
EOF
  my_ready || die "user $user cannot use database $database on 127.0.0.1:$my_port"
fi

print_env
