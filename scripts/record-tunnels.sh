#!/usr/bin/env bash
# Re-records fixtures/tunnels/connect-tls.pcap, socks5-tls.pcap and socks5-http.pcap: curl through a lab proxy on loopback
# (scripts/peers/tunnel-proxy.mjs: HTTP CONNECT on 3128, SOCKS5 on 1080) to an `openssl s_server -www`
# (TLS on 4433) and to nginx-less plain HTTP (`python3 -m http.server` on 8081). Root, tcpdump, curl, openssl.
#   bash scripts/record-tunnels.sh OUT_DIR
set -euo pipefail
out=${1:?usage: record-tunnels.sh OUT_DIR}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
pids=()
td=
cleanup() { for p in "${pids[@]}" $td; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
mkdir -p "$out"
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 \
  -keyout "$work/key.pem" -out "$work/cert.pem" >/dev/null 2>&1
openssl s_server -accept 127.0.0.1:4433 -cert "$work/cert.pem" -key "$work/key.pem" -www -quiet >/dev/null 2>&1 & pids+=($!)
mkdir -p "$work/www" && printf 'hello through the tunnel\n' > "$work/www/index.txt"
(cd "$work/www" && exec python3 -m http.server 8081 --bind 127.0.0.1) >/dev/null 2>&1 & pids+=($!)
node "$here/peers/tunnel-proxy.mjs" 3128 1080 >/dev/null & pids+=($!)
sleep 2

tcpdump -i lo -s 0 -U -w "$out/connect-tls.pcap" 'tcp port 3128' 2>/dev/null & td=$!
sleep 2
curl -sS -k --http1.1 -x http://127.0.0.1:3128 https://localhost:4433/ -o /dev/null
curl -sS -x http://127.0.0.1:3128 --proxytunnel http://localhost:8081/index.txt -o /dev/null
curl -sS -k -x http://127.0.0.1:3128 https://example.invalid:4433/ -o /dev/null || true
sleep 1; kill -INT $td; wait $td || true

# One SOCKS session per file: tshark 4.0 numbers the TCP connection after a SOCKS one 2, not 1.
tcpdump -i lo -s 0 -U -w "$out/socks5-tls.pcap" 'tcp port 1080' 2>/dev/null & td=$!
sleep 2
curl -sS -k --http1.1 --socks5-hostname 127.0.0.1:1080 https://localhost:4433/ -o /dev/null
sleep 1; kill -INT $td; wait $td || true
tcpdump -i lo -s 0 -U -w "$out/socks5-http.pcap" 'tcp port 1080' 2>/dev/null & td=$!
sleep 2
curl -sS --socks5 127.0.0.1:1080 http://127.0.0.1:8081/index.txt -o /dev/null
sleep 1; kill -INT $td; wait $td || true
td=
