#!/usr/bin/env bash
# Re-records fixtures/tls-odd/odd-hellos.pcap (see scripts/record-odd-hellos.mjs). Root, tcpdump, tshark.
#   bash scripts/record-odd-hellos.sh OUT_DIR
set -euo pipefail
out=${1:?usage: record-odd-hellos.sh OUT_DIR}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
hex=$(tshark -r "$here/../fixtures/tunnels/connect-tls.pcap" -Y frame.number==8 -T fields -e tcp.payload 2>/dev/null | tr -d '\n')
tcpdump -i lo -s 0 -U -w "$out/odd-hellos.pcap" 'tcp port 443' 2>/dev/null & td=$!
trap 'kill $td 2>/dev/null || true' EXIT
sleep 2
node "$here/record-odd-hellos.mjs" "$hex"
sleep 1; kill -INT $td; wait $td || true
