#!/usr/bin/env bash
# Writes a self-signed lab certificate (mail.lab.local, www.lab.local, localhost, 127.0.0.1) to DIR/cert.pem + DIR/key.pem.
#   bash scripts/peers/lab-cert.sh DIR
set -euo pipefail
dir=$1
mkdir -p "$dir"
[ -s "$dir/cert.pem" ] && exit 0
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj /CN=mail.lab.local \
  -addext subjectAltName=DNS:mail.lab.local,DNS:www.lab.local,DNS:localhost,IP:127.0.0.1 \
  -keyout "$dir/key.pem" -out "$dir/cert.pem" >/dev/null 2>&1
