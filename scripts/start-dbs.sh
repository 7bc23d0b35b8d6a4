#!/usr/bin/env bash
# Starts PostgreSQL 15 and MariaDB (Debian's packages) on 127.0.0.1:5432 / :3306 for the
# integration tests, as root, without systemd. Idempotent: servers that are up are left alone.
# Creates the test role/user (password $STRATA_TEST_PASSWORD, default strata-test) and the
# databases; prints how to connect on stderr and `export ...` lines on stdout, so
# `eval "$(scripts/start-dbs.sh)"` sets STRATA_TEST_PG_URL, STRATA_TEST_MYSQL_URL, STRATA_PASSWORD.
set -euo pipefail

user=${STRATA_TEST_USER:-strata}
password=${STRATA_TEST_PASSWORD:-strata-test}
database=${STRATA_TEST_DATABASE:-strata_test}
pg_version=15
say() { echo "start-dbs: $*" >&2; }

case "$user$password$database" in
  *[\'\"\\\`]*) say "STRATA_TEST_USER/PASSWORD/DATABASE must not contain quotes or backslashes"; exit 2 ;;
esac

print_env() {
  cat >&2 <<EOF
start-dbs: PostgreSQL $pg_version on 127.0.0.1:5432, MariaDB on 127.0.0.1:3306.
start-dbs: user '$user' (password in STRATA_PASSWORD), database '$database' on both; the user may
start-dbs: create databases (PostgreSQL: any; MariaDB: names starting with ${database%%_*}_).
start-dbs:   PGPASSWORD=\$STRATA_PASSWORD psql -h 127.0.0.1 -U $user $database
start-dbs:   mariadb -h 127.0.0.1 -u $user -p\$STRATA_PASSWORD $database
EOF
  echo "export STRATA_TEST_PG_URL=postgresql://$user@127.0.0.1:5432/$database"
  echo "export STRATA_TEST_MYSQL_URL=mysql://$user@127.0.0.1:3306/$database"
  echo "export STRATA_PASSWORD='$password'"
}

if [ "$(id -u)" -ne 0 ]; then
  if pg_isready -q -h 127.0.0.1 -p 5432 && mariadb-admin -h 127.0.0.1 -P 3306 -u "$user" \
       -p"$password" ping >/dev/null 2>&1; then
    print_env
    exit 0
  fi
  say "the servers are not up; run this script as root to start them"
  exit 2
fi
for tool in pg_ctlcluster pg_isready mariadbd mariadb-admin; do
  command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || {
    say "$tool not found: run scripts/setup.sh first"
    exit 2
  }
done

# --- PostgreSQL ------------------------------------------------------------------------
pg_sql() { runuser -u postgres -- psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }
if pg_isready -q -h 127.0.0.1 -p 5432; then
  say "PostgreSQL is already up"
else
  if ! pg_lsclusters -h | awk -v v=$pg_version '$1 == v && $2 == "main" { found = 1 } END { exit !found }'; then
    say "creating cluster $pg_version/main"
    pg_createcluster $pg_version main >/dev/null
  fi
  say "starting PostgreSQL $pg_version"
  # pg_ctlcluster's own status can claim "running" right after a crash: readiness is decided
  # by pg_isready over TCP, and the start is retried inside the wait loop.
  for i in $(seq 1 60); do
    pg_ctlcluster $pg_version main start >/dev/null 2>&1 || true
    pg_isready -q -h 127.0.0.1 -p 5432 && break
    [ "$i" -eq 60 ] && { say "PostgreSQL did not start; see /var/log/postgresql/"; exit 1; }
    sleep 0.5
  done
fi
if [ "$(pg_sql -c "SELECT 1 FROM pg_roles WHERE rolname = '$user'")" != 1 ]; then
  say "creating PostgreSQL role $user"
  pg_sql -c "CREATE ROLE \"$user\" LOGIN CREATEDB PASSWORD '$password'"
fi
if [ "$(pg_sql -c "SELECT 1 FROM pg_database WHERE datname = '$database'")" != 1 ]; then
  say "creating PostgreSQL database $database"
  pg_sql -c "CREATE DATABASE \"$database\" OWNER \"$user\""
fi

# --- MariaDB ---------------------------------------------------------------------------
install -d -o mysql -g mysql /run/mysqld
if mariadb-admin --protocol=socket ping >/dev/null 2>&1; then
  say "MariaDB is already up"
else
  if [ ! -d /var/lib/mysql/mysql ]; then
    say "initialising /var/lib/mysql"
    mariadb-install-db --user=mysql --auth-root-authentication-method=socket >/dev/null
  fi
  say "starting MariaDB"
  install -d -o mysql -g adm /var/log/mysql
  start-stop-daemon --start --oknodo --quiet --background --exec /usr/sbin/mariadbd -- \
    --user=mysql --bind-address=127.0.0.1 --port=3306 --log-error=/var/log/mysql/error.log
  for i in $(seq 1 60); do
    mariadb-admin --protocol=socket ping >/dev/null 2>&1 && break
    [ "$i" -eq 60 ] && { say "MariaDB did not start; see /var/log/mysql/error.log"; exit 1; }
    sleep 0.5
  done
fi
# MariaDB maps TCP logins from 127.0.0.1 to 'localhost', so the user exists for both hosts.
prefix="${database%%_*}\\_%"
mariadb --protocol=socket -u root <<EOF
CREATE USER IF NOT EXISTS '$user'@'127.0.0.1' IDENTIFIED BY '$password';
CREATE USER IF NOT EXISTS '$user'@'localhost' IDENTIFIED BY '$password';
CREATE DATABASE IF NOT EXISTS \`$database\`;
GRANT ALL PRIVILEGES ON \`$prefix\`.* TO '$user'@'127.0.0.1';
GRANT ALL PRIVILEGES ON \`$prefix\`.* TO '$user'@'localhost';
EOF

print_env
