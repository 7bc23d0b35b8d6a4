#!/usr/bin/env bash
# The floor of any transform whose values are computed outside MariaDB (issue 8's 0.7× target):
# with the server's own client only, no strata code, it lower-cases an e-mail column of ROWS
# rows (default 2,000,000) in chunks of CHUNK (default 100,000) and times, in one run and
# interleaved over ROUNDS rounds (default 2):
#   update    one UPDATE ... SET email = LOWER(email) (the reference);
#   chunked   the same UPDATE per key range, a commit per chunk (what -- strata:chunked does);
#   load      the new values, computed beforehand, sent per chunk with LOAD DATA LOCAL INFILE
#             (the server's fastest way in) into a temporary table, and nothing else;
#   loadjoin  load + the chunk's UPDATE ... STRAIGHT_JOIN from it, a commit per chunk: a
#             transform with no read and no compute, on one connection.
# It prints each one's median seconds and its speed against `update` (update time / its time).
# Usage: tools/bench-chunked/mariadb_floor.sh [ROWS] [CHUNK] [ROUNDS]; the server from
# STRATA_TEST_MYSQL_URL (mysql://user@host:port/db) and STRATA_PASSWORD, as scripts/start-dbs.sh
# exports them (it is run when the URL is not set).
set -euo pipefail
cd "$(dirname "$0")/../.."
rows=${1:-2000000}
chunk=${2:-100000}
rounds=${3:-2}
if [ -z "${STRATA_TEST_MYSQL_URL:-}" ]; then eval "$(scripts/start-dbs.sh 2>/dev/null)"; fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
url=${STRATA_TEST_MYSQL_URL#mysql://}
user=${url%%@*}; user=${user%%:*}
hostport=${url#*@}; hostport=${hostport%%/*}
db=${url##*/}
# The password goes into a 0600 option file, never onto a command line.
umask 077
printf '[client]\nuser=%s\npassword=%s\nhost=%s\nport=%s\ndatabase=%s\nlocal-infile=1\n' \
  "$user" "${STRATA_PASSWORD:-}" "${hostport%%:*}" "${hostport##*:}" "$db" >"$work/my.cnf"
sql() { mariadb --defaults-file="$work/my.cnf" "$@"; }

echo "mariadb_floor: $rows rows in chunks of $chunk, $rounds rounds ($(sql -N -e 'SELECT VERSION()'))"
sql -e "DROP TABLE IF EXISTS floor_users;
  CREATE TABLE floor_users (id BIGINT PRIMARY KEY, email VARCHAR(255) NOT NULL, plan INT) ENGINE=InnoDB;
  SET SESSION max_recursive_iterations = $((rows + 1));
  INSERT INTO floor_users WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < $rows)
    SELECT n, CONCAT('User.', n, '@Example.COM'), n % 7 FROM s;"
# The new values, computed beforehand, one file per chunk; and each way's script.
seq 1 "$rows" | awk -v c="$chunk" -v d="$work" \
  '{ f = sprintf("%s/c%06d.tsv", d, int(($1 - 1) / c)); printf "%d\tuser.%d@example.com\n", $1, $1 > f }'
temp="CREATE TEMPORARY TABLE floor_new (id BIGINT PRIMARY KEY, email VARCHAR(255)) ENGINE=InnoDB;"
{ echo "$temp"; for f in "$work"/c*.tsv; do
    echo "DELETE FROM floor_new; LOAD DATA LOCAL INFILE '$f' INTO TABLE floor_new;"; done; } >"$work/load.sql"
{ echo "$temp"; i=0; for f in "$work"/c*.tsv; do
    lo=$((i * chunk + 1)); hi=$(((i + 1) * chunk)); i=$((i + 1))
    echo "DELETE FROM floor_new; LOAD DATA LOCAL INFILE '$f' INTO TABLE floor_new;
      UPDATE floor_users AS t STRAIGHT_JOIN floor_new AS s ON t.id = s.id SET t.email = s.email
      WHERE t.id BETWEEN $lo AND $hi; COMMIT;"; done; } >"$work/loadjoin.sql"
{ for ((lo = 1; lo <= rows; lo += chunk)); do
    echo "UPDATE floor_users SET email = LOWER(email) WHERE id BETWEEN $lo AND $((lo + chunk - 1)); COMMIT;"
  done; } >"$work/chunked.sql"
echo "UPDATE floor_users SET email = LOWER(email);" >"$work/update.sql"

reset="UPDATE floor_users SET email = CONCAT('User.', id, '@Example.COM');"
declare -A times
for ((r = 1; r <= rounds; r++)); do
  for way in update chunked load loadjoin; do
    sql -e "$reset"
    start=$(date +%s%N)
    sql <"$work/$way.sql"
    times[$way]+="$((($(date +%s%N) - start) / 1000000)) "
  done
  [ "$(sql -N -e 'SELECT COUNT(*) FROM floor_users WHERE email <> LOWER(email)')" = 0 ] ||
    { echo "mariadb_floor: loadjoin left rows unchanged" >&2; exit 1; }
done
median() { tr ' ' '\n' | grep . | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ref=$(echo "${times[update]}" | median)
for way in update chunked load loadjoin; do
  ms=$(echo "${times[$way]}" | median)
  awk -v w="$way" -v ms="$ms" -v ref="$ref" -v all="${times[$way]}" \
    'BEGIN { printf "%-9s %8.2f s  speed %.2fx  (runs, ms: %s)\n", w, ms / 1000, ref / ms, all }'
done
sql -e "DROP TABLE floor_users"
echo "mariadb_floor: uptime $(uptime | sed 's/.*load average/load average/')"
