#!/usr/bin/env bash
# Re-records fixtures/lessons/smtp-pop3-lesson.pcap: a student sends a spoofed mail with AUTH LOGIN and
# a base64 attachment over SMTP (127.0.0.1:1025), then the teacher reads and deletes it over POP3
# (127.0.0.1:1110). Real TCP on loopback, captured with tcpdump. Needs root (or capture rights) and tcpdump.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-fixtures/lessons/smtp-pop3-lesson.pcap}
mkdir -p "$(dirname "$out")"
node scripts/lesson/mini-mail-server.mjs & server=$!
tcpdump -i lo -U --immediate-mode -s 0 -w "$out" 'host 127.0.0.1 and (tcp port 1025 or tcp port 1110)' 2>/dev/null & dump=$!
trap 'kill $server $dump 2>/dev/null || true' EXIT
sleep 1
node scripts/lesson/type-session.mjs smtp
sleep 0.5
node scripts/lesson/type-session.mjs pop3
sleep 1
kill -INT $dump; wait $dump 2>/dev/null || true
echo "recorded $out"
