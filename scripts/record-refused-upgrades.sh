#!/usr/bin/env bash
# Re-records fixtures/upgrades/refused-upgrades.pcap: STARTTLS, STLS and AUTH TLS refused by servers
# that have no TLS configured, each session going on in clear text afterwards (issue 23, "tunnels,
# upgrades and odd sessions"). Real servers on loopback (root, Debian packages dovecot-pop3d, vsftpd,
# tcpdump): the lab SMTP server (scripts/lesson/mini-mail-server.mjs, no STARTTLS: 502) on 2525,
# Dovecot with `ssl = no` on 1110 (STLS: -ERR), vsftpd without ssl_enable on 21 (AUTH TLS: 530).
#   bash scripts/record-refused-upgrades.sh OUT_DIR
set -euo pipefail
out=${1:?usage: record-refused-upgrades.sh OUT_DIR}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
chmod 755 "$work"
pids=()
td=
cleanup() { for p in "${pids[@]}" $td; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
mkdir -p "$out"

SMTP_PORT=2525 POP3_PORT=11312 node "$here/lesson/mini-mail-server.mjs" >/dev/null 2>&1 & pids+=($!)
first=$(bash "$here/peers/dovecot-pop3.sh" "$work/dove" 1110 11996)
kill "$first"; sleep 1
# No TLS at all: STLS is refused.
sed -i -e 's/^ssl = yes/ssl = no/' -e '/inet_listener pop3s {/,/}/d' "$work/dove/dovecot.conf"
dovecot -c "$work/dove/dovecot.conf" -F >"$work/dove/stdout.log" 2>&1 & pids+=($!)
pids+=("$(bash "$here/peers/vsftpd.sh" "$work/ftp" 21 40320 40330)")
sleep 2

tcpdump -i lo -s 0 -U -w "$out/refused-upgrades.pcap" 'tcp port 2525 or tcp port 1110 or tcp port 21' 2>/dev/null & td=$!
sleep 1
node "$here/lesson/line-session.mjs" 2525 crlf 'EHLO student-pc' 'STARTTLS' 'MAIL FROM:<pari@lab.local>' 'RCPT TO:<teacher@lab.local>' 'QUIT'
node "$here/lesson/line-session.mjs" 1110 crlf 'CAPA' 'STLS' 'USER pari' 'PASS ninja' 'STAT' 'QUIT'
node "$here/lesson/line-session.mjs" 21 crlf 'AUTH TLS' 'USER pari' 'PASS ninja' 'PWD' 'QUIT'
sleep 1; kill -INT $td; wait $td || true
td=
