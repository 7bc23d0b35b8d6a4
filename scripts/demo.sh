#!/usr/bin/env bash
# The main job on the embedded SQLite default: installs what is needed, builds strata, then
# upgrades the demo product database (fixtures/demo) from nothing through 1.8 -> 2.6 -> 3.2
# -> 4.0, fills it with generated production-like data (tools/gen-dump: users, OAuth tokens),
# and runs release 4.1 (fixtures/demo-data): a chunked SQL backfill and two C++ transforms,
# in resumable chunks with a progress bar, timed into a report (apply --report) that ends as
# one HTML page (strata report --html) with a 10x production estimate. Safe to run again (it
# starts from a fresh file).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh"
"$root/scripts/build.sh" >/dev/null
strata="$root/build/tools/strata"

work=${STRATA_DEMO_DIR:-$root/build/demo}
rm -rf "$work" && mkdir -p "$work"
cd "$root/fixtures/demo"  # strata.conf here sets the URL, folder and placeholder
export STRATA_URL="sqlite:$work/demo.db"

echo "== status before"
"$strata" status
echo
echo "== apply up to 2.6.0 first (a pilot would time this step)"
"$strata" apply --target 2.6.0
echo
echo "== apply the rest"
"$strata" apply --log "$work/strata.log"
echo
echo "== production-like data: users and OAuth tokens (tools/gen-dump)"
"$root/build/tools/gen-dump/gen-dump" --scale ${STRATA_DEMO_SCALE:-20000} --tables users,oauth_tokens \
  -d "$STRATA_URL"
echo
echo "== release 4.1: a chunked backfill and two C++ transforms, in resumable chunks"
"$strata" -m . -m ../demo-data plan
"$strata" -m . -m ../demo-data apply --log "$work/strata.log" --report "$work/report.json"
echo
echo "== status after"
"$strata" -m . -m ../demo-data status
echo
echo "== validate"
"$strata" -m . -m ../demo-data validate
echo
echo "== estimate of a 10x production, and the HTML report of the run"
"$strata" estimate --report "$work/report.json" --scale 10 --json > "$work/estimate.json"
"$strata" estimate --report "$work/report.json" --scale 10 | grep "^Total:"
"$strata" report "$work/report.json" --html "$work/report.html" --estimate "$work/estimate.json"
echo
echo "Database: $work/demo.db   log: $work/strata.log   report: $work/report.html"
