#!/usr/bin/env bash
# cluster.sh — a throwaway single-node Ceph cluster (Debian's 16.2.15 packages) plus a real
# radosgw, for Kelp's interop tests. No systemd, no root-only paths: everything (conf, keyrings,
# data, logs, run dir, admin sockets, PIDs) lives under DIR; every port is a random free one on
# 127.0.0.1, so two clusters coexist on one machine.
#
#   cluster.sh start DIR         mon.a + mgr.x + $CEPH_OSDS bluestore OSDs on sparse files, waits
#                                until every PG is active+clean (pools are size 1), starts radosgw
#                                (beast; it creates the default zone and its pools itself), creates
#                                an S3 user and writes DIR/env (shell-sourceable: CEPH_CONF,
#                                CEPH_USER, RGW_ENDPOINT, RGW_ACCESS_KEY, RGW_SECRET_KEY, PIDs...)
#   cluster.sh stop DIR          TERM every recorded daemon by PID (KILL after $CEPH_STOP_TIMEOUT s)
#                                and removes DIR; CEPH_KEEP_LOGS=DEST copies DIR/log there first
#   cluster.sh restart-osd DIR [ID]  kill -9 osd.ID (default 0), start it again, wait active+clean
#   cluster.sh status DIR        recorded PIDs (alive or not) and the cluster's health
#
# Env: CEPH_OSDS=1, CEPH_BLOCK_GB=10 (sparse), CEPH_TIMEOUT=120 (each wait), CEPH_STOP_TIMEOUT=20.
# A daemon that fails to start makes `start` exit non-zero with the tail of its logs.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3
CTL="$PY $HERE/cephctl.py"

die() { echo "cluster.sh: $*" >&2; exit 1; }
log() { echo "cluster.sh: $*" >&2; }

[ $# -ge 2 ] || die "usage: $0 start|stop|restart-osd|status DIR [OSD-ID]"
CMD=$1
case $CMD in
start) mkdir -p "$2" ;;
*) [ -d "$2" ] || die "no such directory: $2" ;;
esac
DIR=$(cd "$2" && pwd)
CONF=$DIR/ceph.conf
PIDS=$DIR/pids
export CEPH_CONF=$CONF
NOSDS=${CEPH_OSDS:-1}
TIMEOUT=${CEPH_TIMEOUT:-120}
RGW=client.rgw.gw

now() { date +%s.%N; }
since() { $PY -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$1" "$(now)"; }

# -- daemons ------------------------------------------------------------------------------------

# ours PID: 0 if PID is alive and is one of this cluster's daemons (its command line names our
# conf), so a recycled PID or another cluster's daemon is never signalled.
ours() {
  local p=$1
  [ -n "$p" ] && [ -r "/proc/$p/cmdline" ] || return 1
  tr '\0' ' ' <"/proc/$p/cmdline" | grep -qF -- "-c $CONF " || return 1
  [ "$(awk '{print $3}' "/proc/$p/stat" 2>/dev/null)" != Z ]
}

# launch NAME CMD...: runs a daemon in the foreground (-f) in the background, records its PID.
launch() {
  local name=$1; shift
  "$@" -c "$CONF" -f </dev/null >>"$DIR/log/$name.out" 2>&1 &
  echo $! >"$PIDS/$name.pid"
}

tail_logs() { # tail_logs NAME: the end of a daemon's stdout/stderr and its log file
  local name=$1 f
  for f in "$DIR/log/$name.out" "$DIR/log/$name.log"; do
    [ -s "$f" ] || continue
    echo "----- tail of $f -----" >&2
    tail -n 30 "$f" >&2
  done
}

pid_list() { # name=pid,... of every recorded daemon
  local f out=""
  for f in "$PIDS"/*.pid; do
    [ -e "$f" ] || continue
    out+="$(basename "$f" .pid)=$(cat "$f"),"
  done
  echo "${out%,}"
}

# wait_ready WHAT: every PG active+clean; on a dead daemon or a timeout, logs and exit.
wait_ready() { # wait_ready WHAT [osd.ID>EPOCH]
  local rc=0 name
  $CTL wait "$CONF" "$NOSDS" "$TIMEOUT" "$(pid_list)" ${2:+"$2"} || rc=$?
  [ $rc = 0 ] && return 0
  for f in "$PIDS"/*.pid; do
    name=$(basename "$f" .pid)
    if ! ours "$(cat "$f")"; then
      log "$name (pid $(cat "$f")) is not running"
      tail_logs "$name"
    fi
  done
  [ $rc = 2 ] && { timeout 10 ceph -s >&2 || true; }
  die "cluster did not become ready ($1)"
}

wait_gone() { # wait_gone TIMEOUT [NAME=]PID...: TERM was sent; KILL what is left after TIMEOUT s
  local limit=$1 p name t0=$SECONDS; shift
  for p in "$@"; do
    name=${p%=*}; p=${p#*=}
    while [ -d "/proc/$p" ] && [ "$(awk '{print $3}' "/proc/$p/stat" 2>/dev/null)" != Z ]; do
      if ((SECONDS - t0 >= limit)); then
        log "$name (pid $p) ignored SIGTERM for ${limit}s; SIGKILL"
        kill -KILL "$p" 2>/dev/null || true
        break
      fi
      sleep 0.1
    done
  done
}

# -- bootstrap ----------------------------------------------------------------------------------

write_conf() { # write_conf FSID MON_V2 MON_V1 RGW_PORT
  cat >"$CONF" <<EOF
# written by tests/ceph/cluster.sh; everything lives under $DIR
[global]
fsid = $1
mon_host = [v2:127.0.0.1:$2,v1:127.0.0.1:$3]
public_addr = 127.0.0.1
ms_bind_ipv4 = true
ms_bind_ipv6 = false
auth_cluster_required = cephx
auth_service_required = cephx
auth_client_required = cephx
run_dir = $DIR/run
crash_dir = $DIR/crash
log_file = $DIR/log/\$name.log
chdir = ""
osd_pool_default_size = 1
osd_pool_default_min_size = 1
osd_pool_default_pg_num = 8
osd_pool_default_pgp_num = 8
osd_pool_default_pg_autoscale_mode = off
osd_crush_chooseleaf_type = 0
mon_allow_pool_size_one = true
mon_allow_pool_delete = true
mon_warn_on_pool_no_redundancy = false
mon_warn_on_insecure_global_id_reclaim_allowed = false
mon_data_avail_warn = 2
mon_data_avail_crit = 1
mon_max_pg_per_osd = 1000
osd_max_pg_per_osd_hard_ratio = 10

[mon]
mon_data = $DIR/mon.\$id
keyring = $DIR/mon.\$id/keyring
admin_socket = $DIR/run/\$name.asok
mon_cluster_log_file = $DIR/log/cluster.log

[mgr]
mgr_data = $DIR/mgr.\$id
keyring = $DIR/mgr.\$id/keyring
admin_socket = $DIR/run/\$name.asok
mgr_initial_modules = ""

[osd]
osd_data = $DIR/osd.\$id
keyring = $DIR/osd.\$id/keyring
admin_socket = $DIR/run/\$name.asok
osd_objectstore = bluestore
bluestore_block_create = true
bluestore_block_size = $((${CEPH_BLOCK_GB:-10} * 1024 * 1024 * 1024))
bluestore_fsck_on_mount = false
bluestore_cache_autotune = false
bluestore_cache_size = 268435456
osd_memory_target = 939524096
osd_op_num_shards = 2
osd_op_num_threads_per_shard = 1
osd_scrub_begin_hour = 23
osd_scrub_end_hour = 0

[client]
keyring = $DIR/keyring

[$RGW]
keyring = $DIR/rgw.gw/keyring
admin_socket = $DIR/run/\$name.asok
rgw_data = $DIR/rgw.gw
rgw_frontends = beast endpoint=127.0.0.1:$4 tcp_nodelay=1
rgw_thread_pool_size = 16
rgw_crypt_require_ssl = false
EOF
}

write_env() {
  local ak=$1 sk=$2 port=$3 f name pidvars=""
  for f in "$PIDS"/*.pid; do
    name=$(basename "$f" .pid)
    pidvars+="$name=$(cat "$f") "
  done
  cat >"$DIR/env.tmp" <<EOF
# written by tests/ceph/cluster.sh start $DIR
CEPH_DIR=$DIR
CEPH_CONF=$CONF
CEPH_USER=admin
CEPH_KEYRING=$DIR/keyring
RGW_NAME=$RGW
RGW_ENDPOINT=http://127.0.0.1:$port
RGW_ACCESS_KEY=$ak
RGW_SECRET_KEY=$sk
RGW_UID=interop
RGW_LOG=$DIR/log/$RGW.log
MON_PID=$(cat "$PIDS/mon.a.pid")
MGR_PID=$(cat "$PIDS/mgr.x.pid")
RGW_PID=$(cat "$PIDS/$RGW.pid")
CEPH_PIDS="${pidvars% }"
EOF
  mv "$DIR/env.tmp" "$DIR/env"
}

start_osd() { # start_osd ID
  launch "osd.$1" ceph-osd -i "$1"
}

cmd_start() {
  command -v ceph-mon >/dev/null && command -v radosgw >/dev/null ||
    die "Ceph is not installed (run scripts/install-deps.sh)"
  [ -e "$CONF" ] && die "$DIR already holds a cluster (stop it first)"
  trap 'rc=$?; [ $rc = 0 ] || log "start failed; what did start is still running: $0 stop $DIR"' EXIT
  local t0 fsid ports v2 v1 rport id uuid
  t0=$(now)
  mkdir -p "$DIR/run" "$DIR/log" "$DIR/crash" "$DIR/rgw.gw" "$PIDS"
  fsid=$(uuidgen)
  read -r v2 v1 rport <<<"$($CTL ports 3)"
  write_conf "$fsid" "$v2" "$v1" "$rport"

  ceph-authtool --create-keyring "$DIR/mon.keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
  ceph-authtool --create-keyring "$DIR/keyring" --gen-key -n client.admin \
    --cap mon 'allow *' --cap osd 'allow *' --cap mds 'allow *' --cap mgr 'allow *' >/dev/null
  ceph-authtool "$DIR/mon.keyring" --import-keyring "$DIR/keyring" >/dev/null
  monmaptool --create --clobber --fsid "$fsid" \
    --addv a "[v2:127.0.0.1:$v2,v1:127.0.0.1:$v1]" "$DIR/monmap" >/dev/null
  ceph-mon -c "$CONF" --mkfs -i a --monmap "$DIR/monmap" --keyring "$DIR/mon.keyring" \
    >"$DIR/log/mon.a.mkfs.log" 2>&1 || { tail_logs mon.a.mkfs; die "mon mkfs failed"; }
  launch mon.a ceph-mon -i a

  # mgr key and the OSDs' ids/keys in one librados session
  local osds
  osds=$($CTL prep "$CONF" "$DIR" "$NOSDS" "$(pid_list)") || { tail_logs mon.a; die "mon.a did not answer"; }
  launch mgr.x ceph-mgr -i x
  local mkfs_pids=()
  while read -r id uuid; do
    (ceph-osd -c "$CONF" -i "$id" --mkfs --osd-uuid "$uuid" >"$DIR/log/osd.$id.mkfs.log" 2>&1 ||
      { tail -n 30 "$DIR/log/osd.$id.mkfs.log" >&2; exit 1; }) &
    mkfs_pids+=($!)
  done <<<"$osds"
  for p in "${mkfs_pids[@]}"; do wait "$p" || die "OSD mkfs failed"; done
  while read -r id uuid; do start_osd "$id"; done <<<"$osds"
  $CTL rgw-key "$CONF" "$RGW" "$DIR/rgw.gw/keyring"
  # The default zone's pools, made up front and at once (radosgw would create them one by one,
  # ~1.5 s each); radosgw still writes the realm-less default zonegroup and zone itself.
  $CTL pools "$CONF" rgw .rgw.root default.rgw.control default.rgw.meta default.rgw.log \
    default.rgw.buckets.index default.rgw.buckets.data default.rgw.buckets.non-ec
  wait_ready "mon, mgr, OSDs"
  log "mon+mgr+${NOSDS} OSD(s) ready after $(since "$t0")s"

  # radosgw creates the default realm-less zonegroup/zone and its pools on first start
  launch "$RGW" radosgw -n "$RGW"
  local t1 code
  t1=$(now)
  while :; do
    code=$(curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$rport/" || true)
    [ "$code" != 000 ] && break
    if ! ours "$(cat "$PIDS/$RGW.pid")"; then
      tail_logs "$RGW"; die "radosgw exited during start-up"
    fi
    $PY -c "import sys,time; sys.exit(0 if time.time() - float(sys.argv[1]) < $TIMEOUT else 1)" "$t1" ||
      { tail_logs "$RGW"; die "radosgw not answering on 127.0.0.1:$rport after ${TIMEOUT}s"; }
    sleep 0.2
  done
  log "radosgw answering on http://127.0.0.1:$rport after $(since "$t1")s"

  local user ak sk
  user=$(radosgw-admin -c "$CONF" -n client.admin user create --uid=interop \
    --display-name="Kelp interop" --email=interop@example.com 2>"$DIR/log/radosgw-admin.err") ||
    { cat "$DIR/log/radosgw-admin.err" >&2; die "radosgw-admin user create failed"; }
  read -r ak sk <<<"$($PY -c 'import json,sys; k=json.load(sys.stdin)["keys"][0]; print(k["access_key"], k["secret_key"])' <<<"$user")"
  wait_ready "radosgw pools"
  write_env "$ak" "$sk" "$rport"
  log "cluster up in $(since "$t0")s: $($CTL health "$CONF" 2>&1); env in $DIR/env"
}

cmd_stop() {
  local f p pids=() stage kind n=0 limit=${CEPH_STOP_TIMEOUT:-20}
  # radosgw first (after an OSD restart it hangs on SIGTERM unless the OSDs still answer), then
  # the OSDs and the mgr, and the mon last
  for stage in "client" "osd mgr" "mon"; do
    pids=()
    for kind in $stage; do
      for f in "$PIDS"/"$kind".*.pid; do
        [ -e "$f" ] || continue
        p=$(cat "$f")
        if ours "$p"; then
          kill -TERM "$p" 2>/dev/null && pids+=("$(basename "$f" .pid)=$p")
        fi
      done
    done
    [ ${#pids[@]} -gt 0 ] && wait_gone "$limit" "${pids[@]}"
    n=$((n + ${#pids[@]}))
  done
  for f in "$PIDS"/*.pid; do
    [ -e "$f" ] || continue
    ours "$(cat "$f")" && die "$(basename "$f" .pid) (pid $(cat "$f")) still runs; $DIR kept"
  done
  if [ -n "${CEPH_KEEP_LOGS:-}" ] && [ -d "$DIR/log" ]; then
    mkdir -p "$CEPH_KEEP_LOGS" && cp -r "$DIR/log/." "$CEPH_KEEP_LOGS/" && log "logs kept in $CEPH_KEEP_LOGS"
  fi
  # only remove what looks like our cluster directory
  if [ -e "$CONF" ] && grep -q "written by tests/ceph/cluster.sh" "$CONF"; then
    rm -rf "$DIR"
  else
    log "$DIR holds no cluster.sh cluster; left as is"
  fi
  log "stopped $n daemon(s)"
}

cmd_restart_osd() {
  local id=${1:-0} p up_from
  [ -e "$PIDS/osd.$id.pid" ] || die "no osd.$id in $DIR"
  NOSDS=$(ls "$PIDS"/osd.*.pid | wc -l)
  up_from=$($CTL up-from "$CONF" "$id")
  p=$(cat "$PIDS/osd.$id.pid")
  if ours "$p"; then
    kill -KILL "$p"
    wait_gone 10 "$p"
  fi
  start_osd "$id"
  wait_ready "osd.$id restart" "osd.$id>$up_from"
  # the env file records PIDs: refresh it
  if [ -e "$DIR/env" ]; then
    sed -i "s/\\(CEPH_PIDS=\".*\\)osd\\.$id=[0-9]*/\\1osd.$id=$(cat "$PIDS/osd.$id.pid")/" "$DIR/env"
  fi
  log "osd.$id restarted (pid $(cat "$PIDS/osd.$id.pid"))"
}

cmd_status() {
  local f p
  for f in "$PIDS"/*.pid; do
    [ -e "$f" ] || continue
    p=$(cat "$f")
    echo "$(basename "$f" .pid) pid $p $(ours "$p" && echo running || echo dead)"
  done
  $CTL health "$CONF" || true
}

case $CMD in
start) cmd_start ;;
stop) cmd_stop ;;
restart-osd) cmd_restart_osd "${3:-0}" ;;
status) cmd_status ;;
*) die "unknown command $CMD" ;;
esac
