#!/usr/bin/env bash
# A single-node Ceph cluster for Barbucket's object bytes (README "Object bytes in Ceph / S3"):
# one monitor, one manager, one memstore OSD (bytes in RAM, gone on stop) and a RADOS Gateway
# (beast on 127.0.0.1), as foreground daemons in a temp directory, without systemd, from Debian's
# packages (ceph-mon ceph-osd ceph-mgr radosgw python3-rados). It creates an S3 user for Barbucket
# and prints the BARBUCKET_S3_* values (also written to <dir>/env); Barbucket creates the bucket
# named there on its first start. Ready in about 9 s on a 2-core box; about 300 MiB RSS idle.
#
#   scripts/ceph-single.sh start [DIR]   start in DIR (default: a new temp dir), print DIR and the env, return
#   scripts/ceph-single.sh stop DIR      stop every daemon started in DIR and remove DIR
#   scripts/ceph-single.sh run           start, print the env, stay in the foreground; Ctrl-C stops all
#
# Settings a one-OSD cluster needs (measured on Debian's Ceph 16.2): pool size 1 allowed and not
# warned about; a short paxos propose interval and the RGW pools created up front take the first
# bucket/put/multipart from ~2 s to well under 100 ms. Every wait is bounded.
set -euo pipefail

usage() { echo "usage: $0 start [DIR] | stop DIR | run" >&2; exit 2; }

# Debian's python3 (python3-rados lives there), not one a version manager put first on PATH.
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3

need() {
  for bin in ceph-mon ceph-osd ceph-mgr radosgw radosgw-admin ceph ceph-authtool monmaptool "$PY"; do
    command -v "$bin" >/dev/null 2>&1 || { echo "missing $bin: apt-get install -y --no-install-recommends ceph-mon ceph-osd ceph-mgr radosgw python3-rados" >&2; exit 3; }
  done
  "$PY" -c 'import rados' 2>/dev/null || { echo "missing python3-rados" >&2; exit 3; }
}

free_port() {
  "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

rand() { # rand LENGTH ALPHABET
  "$PY" -c "import secrets,sys; a=sys.argv[2]; print(''.join(secrets.choice(a) for _ in range(int(sys.argv[1]))))" "$1" "$2"
}

# Waits (bounded) until "$@" succeeds: wait_for SECONDS WHAT command...
wait_for() {
  local seconds=$1 what=$2; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then echo "ceph-single: $what not ready after ${seconds}s (logs in $DIR/log)" >&2; return 1; fi
    sleep 0.2
  done
}

# Starts a daemon in the background, remembering its pid in $DIR/pids (stop kills exactly those).
daemon() {
  local name=$1; shift
  "$@" >"$DIR/log/$name.out" 2>&1 &
  echo "$! $name" >>"$DIR/pids"
}

stop_dir() {
  local dir=$1
  [ -f "$dir/pids" ] || { rm -rf "$dir"; return 0; }
  # RGW first, the monitor last (the others talk to it while shutting down).
  local pids
  pids=$(tac "$dir/pids" | awk '{print $1}')
  for pid in $pids; do kill -TERM "$pid" 2>/dev/null || true; done
  for _ in $(seq 1 20); do # up to 4 s for a clean exit (memstore keeps nothing worth a slow one)
    local alive=0
    for pid in $pids; do kill -0 "$pid" 2>/dev/null && alive=1; done
    ((alive == 0)) && break
    sleep 0.2
  done
  for pid in $pids; do kill -KILL "$pid" 2>/dev/null || true; done
  rm -rf "$dir"
}

start() {
  need
  DIR=${1:-$(mktemp -d "${TMPDIR:-/tmp}/barbucket-ceph.XXXXXX")}
  mkdir -p "$DIR"
  DIR=$(cd "$DIR" && pwd)
  mkdir -p "$DIR"/{log,run,mon/ceph-a,osd/ceph-0,mgr/ceph-x,rgw}
  : >"$DIR/pids"
  local conf=$DIR/ceph.conf fsid mon_port rgw_port osd_uuid
  fsid=$("$PY" -c 'import uuid; print(uuid.uuid4())')
  osd_uuid=$("$PY" -c 'import uuid; print(uuid.uuid4())')
  mon_port=$(free_port)
  rgw_port=$(free_port)
  cat >"$conf" <<EOF
[global]
fsid = $fsid
mon initial members = a
mon host = v2:127.0.0.1:$mon_port
public addr = 127.0.0.1
cluster addr = 127.0.0.1
ms bind ipv6 = false
auth cluster required = cephx
auth service required = cephx
auth client required = cephx
keyring = $DIR/keyring
run dir = $DIR/run
admin socket = $DIR/run/\$name.asok
pid file = $DIR/run/\$name.pid
log file = $DIR/log/\$name.log
mon data = $DIR/mon/\$cluster-\$id
osd data = $DIR/osd/\$cluster-\$id
mgr data = $DIR/mgr/\$cluster-\$id
crash dir = $DIR/crash
# One OSD: pools of one replica, allowed and not warned about.
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon allow pool delete = true
mon warn on pool no redundancy = false
mon warn on insecure global id reclaim allowed = false
mon data avail warn = 1
mon data avail crit = 0
paxos propose interval = 0.05
osd objectstore = memstore
memstore device bytes = 2147483648
osd memory target = 536870912
mgr initial modules =
[client.rgw.barbucket]
# tcp_nodelay: without it a small GET's body waits for the client's delayed ACK (~45 ms instead of ~5).
rgw frontends = beast endpoint=127.0.0.1:$rgw_port tcp_nodelay=1
rgw data = $DIR/rgw
rgw enable usage log = false
rgw thread pool size = 64
EOF
  export CEPH_CONF=$conf
  local kr=$DIR/keyring
  ceph-authtool --create-keyring "$kr" --gen-key -n mon. --cap mon 'allow *' >/dev/null
  ceph-authtool "$kr" --gen-key -n client.admin --cap mon 'allow *' --cap osd 'allow *' --cap mds 'allow *' --cap mgr 'allow *' >/dev/null
  ceph-authtool "$kr" --gen-key -n osd.0 --cap mon 'allow profile osd' --cap mgr 'allow profile osd' --cap osd 'allow *' >/dev/null
  ceph-authtool "$kr" --gen-key -n mgr.x --cap mon 'allow profile mgr' --cap osd 'allow *' --cap mds 'allow *' >/dev/null
  ceph-authtool "$kr" --gen-key -n client.rgw.barbucket --cap mon 'allow rw' --cap osd 'allow rwx' --cap mgr 'allow rw' >/dev/null
  monmaptool --create --fsid "$fsid" --addv a "[v2:127.0.0.1:$mon_port]" "$DIR/monmap" >/dev/null
  ceph-mon -c "$conf" --mkfs -i a --monmap "$DIR/monmap" --keyring "$kr" >"$DIR/log/mon-mkfs.out" 2>&1
  daemon mon ceph-mon -c "$conf" -i a -f
  wait_for 30 "monitor" timeout 5 ceph -c "$conf" --connect-timeout 3 mon stat
  ceph -c "$conf" auth import -i "$kr" >/dev/null 2>&1
  daemon mgr ceph-mgr -c "$conf" -i x -f
  ceph -c "$conf" osd new "$osd_uuid" 0 >/dev/null
  ceph-osd -c "$conf" -i 0 --mkfs --osd-uuid "$osd_uuid" >"$DIR/log/osd-mkfs.out" 2>&1
  daemon osd ceph-osd -c "$conf" -i 0 -f
  # The RGW pools, created up front on one librados connection (one CLI call per pool costs ~0.5 s each).
  "$PY" - "$conf" <<'PY'
import json, sys, time, rados
cluster = rados.Rados(conffile=sys.argv[1], name="client.admin")
cluster.connect(timeout=20)
deadline = time.time() + 60
while True:  # wait for the OSD to be up and in
    ret, out, _ = cluster.mon_command(json.dumps({"prefix": "osd stat", "format": "json"}), b"")
    stat = json.loads(out or b"{}")
    if ret == 0 and stat.get("num_up_osds", 0) >= 1 and stat.get("num_in_osds", 0) >= 1:
        break
    if time.time() > deadline:
        sys.exit("OSD not up after 60 s")
    time.sleep(0.2)
for pool in [".rgw.root", "default.rgw.control", "default.rgw.meta", "default.rgw.log",
             "default.rgw.buckets.index", "default.rgw.buckets.data", "default.rgw.buckets.non-ec"]:
    if not cluster.pool_exists(pool):
        cluster.create_pool(pool)
    cluster.mon_command(json.dumps({"prefix": "osd pool application enable", "pool": pool, "app": "rgw", "yes_i_really_mean_it": True}), b"")
cluster.shutdown()
PY
  daemon rgw radosgw -c "$conf" -n client.rgw.barbucket -f
  wait_for 60 "RADOS Gateway" "$PY" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$rgw_port/', timeout=2)"
  local access secret
  access=$(rand 20 ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789)
  secret=$(rand 40 abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789)
  radosgw-admin -c "$conf" -n client.admin user create --uid=barbucket --display-name=Barbucket \
    --access-key="$access" --secret-key="$secret" >"$DIR/log/user.json" 2>"$DIR/log/user.err"
  cat >"$DIR/env" <<EOF
BARBUCKET_S3_ENDPOINT=http://127.0.0.1:$rgw_port
BARBUCKET_S3_BUCKET=barbucket
BARBUCKET_S3_REGION=default
BARBUCKET_S3_ACCESS_KEY_ID=$access
BARBUCKET_S3_SECRET_ACCESS_KEY=$secret
EOF
  echo "CEPH_DIR=$DIR"
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
    [ -f "$2/ceph.conf" ] || { echo "ceph-single: $2 is not a cluster dir" >&2; exit 1; }
    stop_dir "$2"
    ;;
  run)
    trap 'if [ -n "${DIR:-}" ]; then stop_dir "$DIR"; fi' EXIT
    trap 'exit 0' INT TERM
    start
    echo "(Ctrl-C stops the cluster)"
    while sleep 3600; do :; done
    ;;
  *) usage ;;
esac
