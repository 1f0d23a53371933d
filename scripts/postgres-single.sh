#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for Barbucket's metadata (README "Scale out"): initdb in a temp
# directory, one postgres server on 127.0.0.1 (and a unix socket in the same directory), a role and
# a database for Barbucket, from Debian's `postgresql` package, without systemd. It prints the
# BARBUCKET_DATABASE_URL (also written to <dir>/env). Ready in about 2 s; about 30 MiB RSS idle.
#
#   scripts/postgres-single.sh start [DIR]   start in DIR (default: a new temp dir), print DIR and the env, return
#   scripts/postgres-single.sh stop DIR      stop the server started in DIR and remove DIR
#   scripts/postgres-single.sh run           start, print the env, stay in the foreground; Ctrl-C stops it
#
# PostgreSQL refuses to run as root: as root the cluster is owned by and run as the `postgres`
# user (created by Debian's package), or `nobody` without it. Every wait is bounded.
set -euo pipefail

usage() { echo "usage: $0 start [DIR] | stop DIR | run" >&2; exit 2; }

# Debian keeps the server binaries off PATH, in /usr/lib/postgresql/<version>/bin.
find_bin_dir() {
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(readlink -f "$(command -v pg_ctl)")" # a symlink's target dir also holds psql
    return
  fi
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && { echo "$dir"; return; }
  done
  echo "missing initdb/pg_ctl: apt-get install -y --no-install-recommends postgresql" >&2
  exit 3
}

BIN=$(find_bin_dir)

# The user the server runs as, and a way to run a command as it.
if [ "$(id -u)" = "0" ]; then
  if id postgres >/dev/null 2>&1; then RUN_USER=postgres; else RUN_USER=nobody; fi
  as_owner() { setpriv --reuid="$RUN_USER" --regid="$(id -g "$RUN_USER")" --clear-groups -- "$@"; }
else
  RUN_USER=$(id -un)
  as_owner() { "$@"; }
fi

free_port() {
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
  else
    node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
  fi
}

stop_dir() {
  local dir=$1
  if [ -f "$dir/data/postmaster.pid" ]; then
    # "fast": roll back open transactions and exit; bounded, then the postmaster is killed.
    as_owner "$BIN/pg_ctl" -D "$dir/data" -m fast -w -t 15 stop >/dev/null 2>&1 || {
      local pid
      pid=$(head -1 "$dir/data/postmaster.pid" 2>/dev/null || true)
      [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null || true
    }
  fi
  rm -rf "$dir"
}

start() {
  DIR=${1:-$(mktemp -d "${TMPDIR:-/tmp}/barbucket-pg.XXXXXX")}
  mkdir -p "$DIR"
  DIR=$(cd "$DIR" && pwd)
  mkdir -p "$DIR/data" "$DIR/socket" "$DIR/log"
  chmod 0755 "$DIR" # the server user must reach its directories inside (mktemp makes 0700)
  local password port
  password=$(od -An -N18 -tx1 /dev/urandom | tr -d ' \n')
  port=$(free_port)
  printf '%s\n' "$password" >"$DIR/pwfile"
  chown -R "$RUN_USER" "$DIR/data" "$DIR/socket" "$DIR/log" "$DIR/pwfile" 2>/dev/null || true
  # The superuser is the role Barbucket connects as: a throw-away cluster has nothing else to protect.
  as_owner "$BIN/initdb" -D "$DIR/data" -U barbucket --pwfile="$DIR/pwfile" -E UTF8 --locale=C \
    --auth-local=scram-sha-256 --auth-host=scram-sha-256 >"$DIR/log/initdb.out" 2>&1 ||
    { cat "$DIR/log/initdb.out" >&2; return 1; }
  rm -f "$DIR/pwfile"
  cat >>"$DIR/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$DIR/socket'
max_connections = 200
shared_buffers = 64MB
fsync = on
synchronous_commit = on
logging_collector = off
EOF
  as_owner "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/log/postgres.log" -w -t 60 start >/dev/null ||
    { cat "$DIR/log/postgres.log" >&2; return 1; }
  PGPASSWORD=$password "$BIN/psql" -h 127.0.0.1 -p "$port" -U barbucket -d postgres -v ON_ERROR_STOP=1 -q \
    -c "CREATE DATABASE barbucket ENCODING 'UTF8' TEMPLATE template0" >/dev/null
  (umask 077 && cat >"$DIR/env" <<EOF
BARBUCKET_DATABASE_URL=postgres://barbucket:$password@127.0.0.1:$port/barbucket
EOF
  )
  echo "POSTGRES_DIR=$DIR"
  cat "$DIR/env"
}

case "${1:-}" in
  start)
    shift
    # A failed start leaves nothing running.
    trap 'status=$?; if ((status != 0)) && [ -n "${DIR:-}" ]; then stop_dir "$DIR"; fi' EXIT
    start "$@"
    trap - EXIT
    ;;
  stop)
    [ $# -eq 2 ] || usage
    [ -d "$2/data" ] || { echo "postgres-single: $2 is not a cluster dir" >&2; exit 1; }
    stop_dir "$2"
    ;;
  run)
    trap 'if [ -n "${DIR:-}" ]; then stop_dir "$DIR"; fi' EXIT
    trap 'exit 0' INT TERM
    start
    echo "(Ctrl-C stops the server)"
    while sleep 3600; do :; done
    ;;
  *) usage ;;
esac
