#!/usr/bin/env bash
# Starts Debian's nginx as a lab web server: HTTP on 127.0.0.1:HTTP_PORT and HTTPS (TLS 1.2/1.3,
# lab certificate) on 127.0.0.1:HTTPS_PORT, serving DIR/www/hello.html. Prints the PID.
#   bash scripts/peers/nginx.sh DIR HTTP_PORT HTTPS_PORT
# Needs the nginx package (scripts/install-system-deps.sh installs it).
set -euo pipefail
dir=$1; port=${2:-80}; sport=${3:-443}
here=$(cd "$(dirname "$0")" && pwd)
bash "$here/lab-cert.sh" "$dir"
mkdir -p "$dir/www" "$dir/nginx-tmp"
printf '<!doctype html><title>Lab</title><p>HTTP is plain text over TCP.</p>\n' > "$dir/www/hello.html"
cat > "$dir/nginx.conf" <<CONF
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/nginx-error.log;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path $dir/nginx-tmp;
  proxy_temp_path $dir/nginx-tmp;
  fastcgi_temp_path $dir/nginx-tmp;
  uwsgi_temp_path $dir/nginx-tmp;
  scgi_temp_path $dir/nginx-tmp;
  types { text/html html; text/plain txt; }
  server {
    listen 127.0.0.1:$port;
    listen 127.0.0.1:$sport ssl;
    server_name www.lab.local;
    ssl_certificate $dir/cert.pem;
    ssl_certificate_key $dir/key.pem;
    ssl_protocols TLSv1.2 TLSv1.3;
    root $dir/www;
  }
}
CONF
nginx -c "$dir/nginx.conf" -g 'daemon off;' >"$dir/nginx.log" 2>&1 &
echo $!
