#!/usr/bin/env bash
# Starts Debian's Dovecot as a lab POP3 server on 127.0.0.1 (plain 110xx with STLS, and implicit TLS),
# with user `pari` / password `ninja` and one message in the mailbox. Prints the PID.
#   bash scripts/peers/dovecot-pop3.sh DIR POP3_PORT POP3S_PORT
# Needs root and the dovecot-pop3d package (scripts/install-system-deps.sh installs it).
set -euo pipefail
source "$(dirname "$0")/ensure-user.sh"
dir=$1; port=${2:-1110}; sport=${3:-1995}
mkdir -p "$dir/run" "$dir/home/Maildir/new" "$dir/home/Maildir/cur" "$dir/home/Maildir/tmp"
ensure_user dovenull -r -M -s /usr/sbin/nologin || true
ensure_user dovecot -r -M -s /usr/sbin/nologin || true
ensure_user pari -M -s /bin/sh
uid=$(id -u pari); gid=$(id -g pari)
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj /CN=mail.lab.local \
  -addext subjectAltName=DNS:mail.lab.local,DNS:localhost,IP:127.0.0.1 \
  -keyout "$dir/key.pem" -out "$dir/cert.pem" >/dev/null 2>&1
printf 'From: "Lab" <lab@lab.local>\r\nTo: pari@lab.local\r\nSubject: read me over STLS\r\n\r\nHello from Dovecot.\r\n' > "$dir/home/Maildir/new/1.lab:2,"
chown -R pari:pari "$dir/home"
chmod 755 "$dir"
echo "pari:{PLAIN}ninja:$uid:$gid::$dir/home::userdb_mail=maildir:~/Maildir" > "$dir/passwd"
cat > "$dir/dovecot.conf" <<CONF
protocols = pop3
listen = 127.0.0.1
base_dir = $dir/run
state_dir = $dir/run
log_path = $dir/dovecot.log
ssl = yes
ssl_cert = <$dir/cert.pem
ssl_key = <$dir/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
passdb {
  driver = passwd-file
  args = $dir/passwd
}
userdb {
  driver = passwd-file
  args = $dir/passwd
}
mail_location = maildir:~/Maildir
service pop3-login {
  inet_listener pop3 {
    port = $port
  }
  inet_listener pop3s {
    port = $sport
    ssl = yes
  }
}
protocol pop3 {
  pop3_uidl_format = %08Xu%08Xv
}
CONF
dovecot -c "$dir/dovecot.conf" -F >"$dir/stdout.log" 2>&1 &
echo $!
