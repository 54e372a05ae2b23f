#!/usr/bin/env bash
# Records fixtures/mistakes/*.pcap: the mistakes a class makes typing SMTP and HTTP by hand (issue 23), each a real
# TCP session on loopback captured with tcpdump on `lo`. The typing is ncat (`nc` on Debian is ncat 7.93) fed by
# printf with pauses, as a student types: without --crlf ncat sends LF only, with --crlf it sends CR LF.
# Servers: scripts/lesson/mistakes-servers.mjs (npm smtp-server on 2525; a CR LF-only SMTP server on 2526) and
# Debian's nginx (scripts/peers/nginx.sh) on 8080. Needs root (or capture rights), tcpdump, ncat, nginx.
#   bash scripts/lesson/record-mistakes.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-fixtures/mistakes}
mkdir -p "$out"
work=$(mktemp -d)
chmod 755 "$work" # nginx's worker (www-data) must read the page
node scripts/lesson/mistakes-servers.mjs & servers=$!
nginx_pid=$(bash scripts/peers/nginx.sh "$work" 8080 8443)
trap 'kill $servers $nginx_pid 2>/dev/null || true; rm -rf "$work"' EXIT
sleep 1.5

# record NAME PORT: runs the typing function `typing` into ncat (extra ncat options in NCAT_OPTS) while tcpdump captures.
record() {
  local name=$1 port=$2
  tcpdump -i lo -U --immediate-mode -s 0 -w "$out/$name.pcap" "host 127.0.0.1 and tcp port $port" 2>/dev/null & local dump=$!
  sleep 1
  typing | ncat $NCAT_OPTS 127.0.0.1 "$port" >/dev/null || true
  sleep 0.5
  kill -INT $dump; wait $dump 2>/dev/null || true
  echo "recorded $out/$name.pcap"
}
# say TEXT...: types each argument as one line (printf adds \n; ncat --crlf makes it CR LF), pausing as a person would.
say() { for l in "$@"; do printf '%s\n' "$l"; sleep 0.3; done; }

typing() { sleep 0.5; say 'EHLO student-pc' 'MAIL FROM:<pari@lab.local>' 'RCPT TO:<teacher@lab.local>' 'QUIT'; sleep 1; }
NCAT_OPTS='' record smtp-bare-lf-strict 2526

typing() { sleep 0.5; say 'EHLO student-pc' 'MAIL FROM:<pari@lab.local>' 'RCPT TO:<teacher@lab.local>' 'DATA' 'Subject: hi' '' 'typed with nc, no -C' '.' 'QUIT'; sleep 1; }
NCAT_OPTS='' record smtp-bare-lf-lenient 2525

typing() { sleep 0.5; say 'EHLO student-pc' 'HELLO student-pc' 'MAIL FORM:<pari@lab.local>' 'MAIL FROM: pari@lab.local' 'MAIL FROM:<pari@lab.local>' 'RCTP TO:<teacher@lab.local>' 'RCPT TO:<teacher@lab.local>' 'QUIT'; sleep 0.5; }
NCAT_OPTS='--crlf' record smtp-typos 2525

typing() { sleep 0.5; say 'EHLO student-pc' 'DATA' 'MAIL FROM:<pari@lab.local>' 'DATA' 'RCPT TO:<teacher@lab.local>' 'DATA' 'Subject: first' '' 'one' '.' 'DATA' 'QUIT'; sleep 0.5; }
NCAT_OPTS='--crlf' record smtp-data-sequence 2525

# pari/wrong then pari/ninja, as base64 (AUTH LOGIN), then AUTH PLAIN with the right password
typing() { sleep 0.5; say 'EHLO student-pc' 'AUTH LOGIN' "$(printf pari | base64)" "$(printf wrong | base64)" 'AUTH LOGIN' "$(printf pari | base64)" "$(printf ninja | base64)" 'QUIT'; sleep 0.5; }
NCAT_OPTS='--crlf' record smtp-auth-retry 2525

typing() {
  sleep 0.5
  say 'EHLO student-pc' 'MAIL FROM:<pari@lab.local>' 'RCPT TO:<teacher@lab.local>' 'DATA' \
    'From: "The Principal" <principal@school.example>' 'To: <teacher@lab.local>' 'Subject: homework' '' \
    'MIME-Version: 1.0' 'Content-Type: multipart/mixed; boundary="b1"' '' '--b1' 'Content-Type: text/plain' '' \
    'the homework is attached' '.hidden line' '. ' '--b1' 'Content-Type: text/plain; name="hw.txt"' \
    'Content-Disposition: attachment; filename="hw.txt"' 'Content-Transfer-Encoding: base64' '' 'aGVsbG8K' '--b1--' '.' \
    'MAIL FROM:<bounces+pari@lists.lab.local>' 'RCPT TO:<teacher@lab.local>' 'DATA' \
    'From: Pari <pari@lab.local>' 'To: <teacher@lab.local>' 'Subject: via the class list' '' 'hello' '.' 'QUIT'
  sleep 0.5
}
NCAT_OPTS='--crlf' record smtp-data-mistakes 2525

# Telnet option negotiation as a negotiating telnet client sends it first (WILL NAWS, TSPEED, TTYPE, NEW-ENVIRON; DO ECHO;
# WILL SGA; DO SGA), written with printf (inetutils telnet does not negotiate on ports other than 23), then typing.
typing() { sleep 0.3; printf '\377\373\037\377\373\040\377\373\030\377\373\047\377\375\001\377\373\003\377\375\003'; sleep 0.3; say 'EHLO student-pc' 'EHLO student-pc' 'QUIT'; sleep 0.5; }
NCAT_OPTS='--crlf' record smtp-telnet-iac 2525

typing() { sleep 0.5; say 'EHLO student-pc' 'STARTTLS' 'EHLO student-pc' 'MAIL FROM:<pari@lab.local>'; sleep 1; }
NCAT_OPTS='--crlf' record smtp-starttls-typed 2525

typing() { sleep 0.3; say 'GET /hello.html HTTP/1.1' 'Host: www.lab.local' 'Connection: close' ''; sleep 1; }
NCAT_OPTS='' record http-bare-lf 8080

typing() { sleep 0.3; say 'GTE /hello.html HTTP/1.1' 'Host: www.lab.local' 'Connection: close' ''; sleep 1; }
NCAT_OPTS='--crlf' record http-method-typo 8080
