#!/usr/bin/env bash
# The main job on the embedded SQLite default: installs what is needed, builds strata, then
# upgrades the demo product database (fixtures/demo) from nothing through 1.8 -> 2.6 -> 3.2
# -> 4.0, showing status before and after. Safe to run again (it starts from a fresh file).
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
echo "== status after"
"$strata" status
echo
echo "== validate"
"$strata" validate
echo
echo "Database: $work/demo.db   log: $work/strata.log"
