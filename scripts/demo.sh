#!/usr/bin/env bash
# The main job on the embedded SQLite default, the careful upgrade of a product: installs what
# is needed, builds strata, then
#   1. makes "production": the demo product (fixtures/demo) upgraded hop by hop 1.8 -> 2.6 ->
#      3.2 -> 4.0 (the releases of its strata.conf: one apply, a rollback point per hop), and
#      10x production-like data (tools/gen-dump);
#   2. takes a small dump of the same product (1x data) and pilots release 4.1
#      (fixtures/demo-data: a chunked SQL backfill and two C++ transforms) on pre-prod:
#      restored, every step, statement and chunk timed into pilot.json;
#   3. estimates production's run (10x the pilot's rows) with a range;
#   4. plans release 4.1 on production with the estimate of its hop, applies it (apply records
#      the rollback point before-4.1), timed into production.json, compares it with the pilot
#      and the estimate, validates, and writes the HTML report.
# Safe to run again (it starts from fresh files). STRATA_DEMO_SCALE sets the pilot's users.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh"
"$root/scripts/build.sh" >/dev/null
strata="$root/build/tools/strata"
gen_dump="$root/build/tools/gen-dump/gen-dump"
scale=${STRATA_DEMO_SCALE:-5000}

work=${STRATA_DEMO_DIR:-$root/build/demo}
rm -rf "$work" && mkdir -p "$work"
cd "$root/fixtures/demo"  # strata.conf here sets the folder and the placeholder
production="sqlite:$work/production.db"
log="$work/strata.log"

# The product at release 4.0, hop by hop (a rollback point before each), then `rows` users.
product_at_4_0() {
  local url=$1 rows=$2
  "$strata" -d "$url" apply --target 4.0 --log "$log" 2>&1 | grep -E '^(Rollback|Applied)'
  "$gen_dump" --scale "$rows" --tables users,oauth_tokens -d "$url"
}

echo "== 1. production today: 1.8 -> 2.6 -> 3.2 -> 4.0, then 10x data"
"$strata" -d "$production" plan --target 4.0
product_at_4_0 "$production" $((scale * 10))
"$strata" -d "$production" tags
echo
echo "== 2. pilot on pre-prod: a small dump of the product, restored, release 4.1 timed"
product_at_4_0 "sqlite:$work/dump-source.db" "$scale" >/dev/null
sqlite3 "$work/dump-source.db" .dump > "$work/dump.sql"
"$strata" -d "sqlite:$work/preprod.db" -m . -m ../demo-data pilot --restore "$work/dump.sql" \
  --report "$work/pilot.json" --log "$log"
echo
echo "== 3. estimate of production's run (10x the pilot's rows)"
"$strata" estimate --report "$work/pilot.json" --scale 10 --json > "$work/estimate.json"
"$strata" estimate --report "$work/pilot.json" --scale 10
echo
echo "== 4. production: plan with the pilot's estimate, apply release 4.1 (point before-4.1)"
"$strata" -d "$production" -m . -m ../demo-data plan --report "$work/pilot.json" --scale 10
"$strata" -d "$production" -m . -m ../demo-data apply --report "$work/production.json" --log "$log"
echo
echo "== pilot against production, step by step"
"$strata" report --diff "$work/pilot.json" "$work/production.json"
echo
estimated=$(sed -n 's/^  "total_ms": \([0-9]*\).*/\1/p' "$work/estimate.json" | head -n 1)
actual=$(sed -n 's/^  "total_ms": \([0-9]*\).*/\1/p' "$work/production.json" | head -n 1)
echo "Estimated ${estimated} ms for production; it took ${actual} ms."
echo
echo "== status and validate"
"$strata" -d "$production" -m . -m ../demo-data status
"$strata" -d "$production" -m . -m ../demo-data validate
"$strata" report "$work/production.json" --html "$work/report.html" --estimate "$work/estimate.json"
echo
echo "Production: $work/production.db   log: $log   report: $work/report.html"
echo
echo "== the way back: what rollback --to before-4.1 would run (--dry-run)"
"$strata" -d "$production" -m . -m ../demo-data rollback --to before-4.1 --dry-run
