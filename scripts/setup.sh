#!/usr/bin/env bash
# Installs every build and test dependency from Debian 12's packages. Idempotent: when
# everything is installed it prints one line and changes nothing. Run as root. With arguments,
# installs those packages instead (scripts/package.sh, tests/package).
set -euo pipefail

packages=(build-essential cmake pkg-config libpqxx-dev libmysqlcppconn-dev zlib1g-dev
  libboost-program-options-dev libboost-filesystem-dev catch2 libsqlite3-dev sqlite3
  libssl-dev nlohmann-json3-dev postgresql mariadb-server mariadb-client clang libclang-rt-14-dev
  chromium libpng-dev)
[ $# -eq 0 ] || packages=("$@")

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all dependencies are installed"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "setup: missing packages: ${missing[*]}; run as root (or: sudo apt-get install ${missing[*]})" >&2
  exit 2
fi
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq -o DPkg::Lock::Timeout=600 --no-install-recommends "${missing[@]}" >/dev/null
echo "setup: done"
