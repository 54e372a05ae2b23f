#!/usr/bin/env bash
# Starts Debian's vsftpd as a lab FTP server on 127.0.0.1:PORT (anonymous and user pari/ninja,
# passive ports PASV_MIN..PASV_MAX, active mode allowed) serving DIR/ftp-root/lesson.txt. Prints the PID.
#   bash scripts/peers/vsftpd.sh DIR PORT PASV_MIN PASV_MAX
# Needs root and the vsftpd package (scripts/install-system-deps.sh installs it).
set -euo pipefail
source "$(dirname "$0")/ensure-user.sh"
dir=$1; port=${2:-21}; pmin=${3:-40000}; pmax=${4:-40100}
mkdir -p "$dir/ftp-root" "$dir/empty"
ensure_user ftp -r -M -d "$dir/ftp-root" -s /usr/sbin/nologin
ensure_user pari -M -s /bin/sh
retry usermod -s /bin/sh -d "$dir/ftp-root" pari >/dev/null 2>&1  # PAM (pam_shells) wants a real shell; vsftpd a home
retry chpasswd <<<'pari:ninja'
printf 'Lesson 6: PASV (h1,h2,h3,h4,p1,p2) means port p1*256+p2.\n' > "$dir/ftp-root/lesson.txt"
chown -R root:root "$dir/ftp-root" "$dir/empty"
chmod 755 "$dir/ftp-root" "$dir/empty"
cat > "$dir/vsftpd.conf" <<CONF
listen=YES
listen_ipv6=NO
background=NO
listen_address=127.0.0.1
listen_port=$port
anonymous_enable=YES
anon_root=$dir/ftp-root
no_anon_password=NO
local_enable=YES
local_root=$dir/ftp-root
write_enable=NO
pasv_enable=YES
pasv_min_port=$pmin
pasv_max_port=$pmax
pasv_address=127.0.0.1
port_enable=YES
connect_from_port_20=NO
seccomp_sandbox=NO
secure_chroot_dir=$dir/empty
pam_service_name=vsftpd
xferlog_enable=NO
CONF
vsftpd "$dir/vsftpd.conf" >"$dir/vsftpd.log" 2>&1 &
echo $!
