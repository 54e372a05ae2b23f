#!/usr/bin/env bash
# Sourced by the peer scripts: ensure_user NAME [useradd options…] creates a system user once,
# retrying while another script holds the passwd lock (tests start peers concurrently).
ensure_user() {
  local name=$1; shift
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    id -u "$name" >/dev/null 2>&1 && return 0
    useradd "$@" "$name" 2>/dev/null && return 0
    sleep 0.3
  done
  id -u "$name" >/dev/null 2>&1
}

# retry COMMAND…: runs a user-database command again while the passwd lock is busy.
retry() {
  for _ in 1 2 3 4 5 6 7 8 9 10; do "$@" && return 0; sleep 0.3; done
  "$@"
}
