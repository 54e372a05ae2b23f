#!/usr/bin/env bash
# Records fixtures/recorded/tcp-keepalive-zero-window.pcap: real TCP on loopback with keep-alives
# (an idle connection with SO_KEEPALIVE after 1 s) and a zero window (a receiver that stops reading
# for 2.5 s while the sender writes 8 MiB), for tshark's TCP analysis (keep-alive, keep-alive ACK,
# window full, zero window, window update). Headers only (snaplen 200): the payload is filler.
#   bash scripts/record-tcp-events.sh [OUT.pcap]   (as root, or with capture rights on lo)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/../fixtures/recorded/tcp-keepalive-zero-window.pcap}
port=${PORT:-47011}
tcpdump -i lo -s 200 -w "$out" "tcp port $port or tcp port $((port + 1))" >/dev/null 2>&1 &
dump=$!
sleep 1
node "$here/tcp-events/keepalive-zero-window.mjs" "$port"
sleep 1
kill "$dump"
wait "$dump" 2>/dev/null || true
echo "wrote $out"
