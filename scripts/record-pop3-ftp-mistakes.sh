#!/usr/bin/env bash
# Re-records fixtures/recorded/pop3-numbers-and-errors.pcap, ftp-transfers-and-mistakes.pcap,
# pop3-bare-lf-auth-plain.pcap, ftp-bare-lf.pcap, pop3-ftp-typos.pcap and ftp-pasv-not-connected.pcap:
# the lesson's POP3 and FTP mistakes typed to Dovecot and vsftpd on loopback (root, Debian packages
# dovecot-pop3d, vsftpd, tcpdump). Ports 11310 (POP3) and 2121 (FTP, passive ports 40300-40310).
#   bash scripts/record-pop3-ftp-mistakes.sh OUT_DIR
set -euo pipefail
out=${1:?usage: record-pop3-ftp-mistakes.sh OUT_DIR}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
chmod 755 "$work"  # Dovecot's and vsftpd's unprivileged users must reach their files
pids=()
td=
cleanup() { for p in "${pids[@]}" $td; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
mkdir -p "$out"

pids+=("$(bash "$here/peers/dovecot-pop3.sh" "$work/dove" 11310 11995)")
# A second message, so that RETR 2 and DELE 1 are different messages.
printf 'From: "Lab" <lab@lab.local>\r\nTo: pari@lab.local\r\nSubject: second message\r\n\r\nThis is message 2.\r\n' > "$work/dove/home/Maildir/new/2.lab:2,"
chown pari:pari "$work/dove/home/Maildir/new/2.lab:2,"
first=$(bash "$here/peers/vsftpd.sh" "$work/ftp" 2121 40300 40310)
kill "$first"  # restarted below with uploads allowed
sleep 0.5
mkdir -p "$work/ftp/ftp-root/upload" && chown pari "$work/ftp/ftp-root/upload"
sed -i 's/^write_enable=NO/write_enable=YES/' "$work/ftp/vsftpd.conf"
vsftpd "$work/ftp/vsftpd.conf" >"$work/ftp/vsftpd.log" 2>&1 & pids+=($!)
sleep 2

tcpdump -i lo -s 0 -U -w "$out/pop3-numbers-and-errors.pcap" tcp port 11310 2>/dev/null & td=$!
sleep 1
node "$here/lesson/line-session.mjs" 11310 crlf 'RETR 1' 'USER pari' 'PASS ninj4' 'USER pari' 'PASS ninja' 'STAT' 'LIST' 'RETR 2' 'DELE 1' 'RETR 9' 'DELE 9' 'TOP 2 0' 'UIDL 2' 'LIST 1' 'QUIT'
sleep 1; kill -INT $td; wait $td || true

tcpdump -i lo -s 0 -U -w "$out/ftp-transfers-and-mistakes.pcap" 'tcp port 2121 or portrange 40290-40310' 2>/dev/null & td=$!
sleep 1
# PORT 127,0,0,1,157,107 = port 40299, where nothing listens: the server cannot connect back.
node "$here/lesson/line-session.mjs" 2121 crlf 'USER pari' 'PASS ninj4' 'USER pari' 'PASS ninja' 'PASV' '@data' 'LIST' 'LIST' \
  'PASV' '@data' 'RETR lesson.txt' 'PASV' '@data' 'STOR upload/note.txt' '@upload Uploaded by the student.\n' \
  'PASV' '@data' 'RETR nosuch.txt' 'PORT 127,0,0,1,157,107' 'LIST' 'QUIT'
sleep 1; kill -INT $td; wait $td || true
# nc without -C: lines end with LF only (Dovecot and vsftpd accept them). AUTH PLAIN: \0pari\0wrong, then \0pari\0ninja after "+ ".
tcpdump -i lo -s 0 -U -w "$out/pop3-bare-lf-auth-plain.pcap" tcp port 11310 2>/dev/null & td=$!
sleep 1
node "$here/lesson/line-session.mjs" 11310 lf 'AUTH PLAIN AHBhcmkAd3Jvbmc=' 'AUTH PLAIN' 'AHBhcmkAbmluamE=' 'STAT' 'QUIT'
sleep 1; kill -INT $td; wait $td || true

tcpdump -i lo -s 0 -U -w "$out/ftp-bare-lf.pcap" tcp port 2121 2>/dev/null & td=$!
sleep 1
node "$here/lesson/line-session.mjs" 2121 lf 'USER pari' 'PASS ninja' 'PWD' 'QUIT'
sleep 1; kill -INT $td; wait $td || true
# Mistyped commands (LSIT for LIST, RETRE for RETR) and a CWD to a directory that does not exist.
tcpdump -i lo -s 0 -U -w "$out/pop3-ftp-typos.pcap" 'tcp port 11310 or tcp port 2121' 2>/dev/null & td=$!
sleep 1
node "$here/lesson/line-session.mjs" 11310 crlf 'USER pari' 'PASS ninja' 'LSIT' 'RETRE 1' 'QUIT'
node "$here/lesson/line-session.mjs" 2121 crlf 'USER pari' 'PASS ninja' 'LSIT' 'CWD /nonexistent' 'QUIT'
sleep 1; kill -INT $td; wait $td || true

# PASV, then RETR without connecting to the port: vsftpd gives up after accept_timeout (4 s here).
kill "${pids[-1]}"; sleep 0.5
echo 'accept_timeout=4' >> "$work/ftp/vsftpd.conf"
vsftpd "$work/ftp/vsftpd.conf" >"$work/ftp/vsftpd.log" 2>&1 & pids+=($!)
sleep 1
tcpdump -i lo -s 0 -U -w "$out/ftp-pasv-not-connected.pcap" 'tcp port 2121 or portrange 40290-40310' 2>/dev/null & td=$!
sleep 1
node "$here/lesson/line-session.mjs" 2121 crlf 'USER pari' 'PASS ninja' 'PASV' 'RETR lesson.txt' '@wait 5000' 'QUIT'
sleep 1; kill -INT $td; wait $td || true
echo "wrote the six captures to $out"
