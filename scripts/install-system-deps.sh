#!/usr/bin/env bash
# Installs the system parts `npm run test:all` needs on Debian (as root), only what is missing:
# tshark (with dumpcap, a live-capture backend), capinfos, tcpdump, tcpreplay (the live benchmark's exact-rate sender), libpcap-dev (native `cap`), chromium, xvfb, curl, real servers.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
PACKAGES=(tshark tcpdump tcpreplay libpcap-dev chromium xvfb curl python3 ncat dovecot-pop3d vsftpd nginx)
missing=()
for p in "${PACKAGES[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "install-system-deps: missing ${missing[*]}; run as root (sudo bash scripts/install-system-deps.sh)" >&2
    exit 1
  fi
  echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
fi
cd "$(dirname "$0")/.."
# The optional native `cap` module is skipped by npm when libpcap-dev was missing at install time:
# build it now that libpcap-dev is here.
if ! node -e "require('cap')" >/dev/null 2>&1; then
  if [ -d node_modules/cap ]; then
    npm rebuild cap >/dev/null 2>&1 || true
  else
    version=$(node -p "require('./package.json').optionalDependencies.cap")
    npm install --no-save --no-audit --no-fund "cap@$version" >/dev/null 2>&1 || true
  fi
  node -e "require('cap')" >/dev/null 2>&1 || echo "install-system-deps: building cap failed; live capture stays unavailable" >&2
fi
echo "install-system-deps: all present"
