#!/usr/bin/env bash
# Kelp benchmark: kelpd vs nginx serving the same bytes, plus kelpd's peak RSS
# during a 1 GiB PUT and GET. Writes bench/results/<date>.md and prints it.
#
#   bench/run.sh                      # uses build/ (KELP_BUILD=... to change)
#   CLIENTS=16 DURATION=20 bench/run.sh
#
# Env: KELP_BUILD (build dir), KELPD, LOADGEN, NGINX, CLIENTS (4 KiB runs, default 8),
# BIG_CLIENTS (64 MiB runs, default 2), DURATION (seconds per run, default 10),
# SKIP_KELPD=1 (nginx only: checks the load generator), RESULTS (output file).
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${KELP_BUILD:-$REPO/build}
KELPD=${KELPD:-$BUILD/src/kelpd/kelpd}
LOADGEN=${LOADGEN:-$BUILD/bench/kelp-loadgen}
NGINX=${NGINX:-/usr/sbin/nginx}
CLIENTS=${CLIENTS:-8}
BIG_CLIENTS=${BIG_CLIENTS:-2}
DURATION=${DURATION:-10}
SKIP_KELPD=${SKIP_KELPD:-0}
RESULTS=${RESULTS:-$REPO/bench/results/$(date -u +%Y-%m-%d).md}

for bin in "$LOADGEN" "$NGINX"; do
  [[ -x $bin ]] || { echo "missing $bin (build kelp-loadgen: cmake --build $BUILD --target kelp-loadgen)" >&2; exit 1; }
done
[[ $SKIP_KELPD == 1 || -x $KELPD ]] || { echo "missing $KELPD" >&2; exit 1; }

TMP=$(mktemp -d /tmp/kelp-bench.XXXXXX)
chmod 755 "$TMP"  # nginx workers run as an unprivileged user
KELPD_PID= NGINX_PID=
cleanup() {
  local rc=$?
  [[ -n $KELPD_PID ]] && kill -TERM "$KELPD_PID" 2>/dev/null && wait "$KELPD_PID" 2>/dev/null || true
  [[ -n $NGINX_PID ]] && kill -TERM "$NGINX_PID" 2>/dev/null && wait "$NGINX_PID" 2>/dev/null || true
  if [[ $rc != 0 ]]; then
    echo "bench failed (rc=$rc); logs:" >&2
    tail -n 20 "$TMP"/*.log "$TMP"/*.stderr 2>/dev/null >&2 || true
  fi
  rm -rf "$TMP"
  exit $rc
}
trap cleanup EXIT

free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

# ---- kelpd ----
if [[ $SKIP_KELPD != 1 ]]; then
  "$KELPD" --data "$TMP/data" --listen 127.0.0.1:0 >"$TMP/kelpd.stdout" 2>"$TMP/kelpd.stderr" &
  KELPD_PID=$!
  for _ in $(seq 300); do
    grep -q 'kelpd: listening on' "$TMP/kelpd.stdout" && grep -q 'SecretKey:' "$TMP/kelpd.stdout" && break
    kill -0 "$KELPD_PID" 2>/dev/null || { echo "kelpd exited" >&2; cat "$TMP/kelpd.stderr" >&2; exit 1; }
    sleep 0.1
  done
  KPORT=$(sed -n 's/.*kelpd: listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$TMP/kelpd.stdout" | head -1)
  AK=$(sed -n 's/.*AccessKey: *\([^ ]*\).*/\1/p' "$TMP/kelpd.stdout" | head -1)
  SK=$(sed -n 's/.*SecretKey: *\([^ ]*\).*/\1/p' "$TMP/kelpd.stdout" | head -1)
  [[ -n $KPORT && -n $AK && -n $SK ]] || { echo "could not parse kelpd's port/keys" >&2; exit 1; }
  KELP=(--endpoint "http://127.0.0.1:$KPORT" --access-key "$AK" --secret-key "$SK" --bucket bench)
fi

# ---- nginx serving the same bytes as static files under /bench/ ----
NPORT=$(free_port)
mkdir -p "$TMP/www/bench" "$TMP/nginx"
"$LOADGEN" --gen-file "$TMP/www/bench/small-0" --size 4K
"$LOADGEN" --gen-file "$TMP/www/bench/big-0" --size 64M
for i in $(seq 1 99); do ln "$TMP/www/bench/small-0" "$TMP/www/bench/small-$i"; done
for i in 1 2 3; do ln "$TMP/www/bench/big-0" "$TMP/www/bench/big-$i"; done
cat >"$TMP/nginx/nginx.conf" <<EOF
worker_processes 2;
daemon off;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  client_body_temp_path $TMP/nginx/body;
  proxy_temp_path $TMP/nginx/proxy;
  fastcgi_temp_path $TMP/nginx/fastcgi;
  uwsgi_temp_path $TMP/nginx/uwsgi;
  scgi_temp_path $TMP/nginx/scgi;
  server {
    listen 127.0.0.1:$NPORT;
    root $TMP/www;
    default_type application/octet-stream;
  }
}
EOF
"$NGINX" -c "$TMP/nginx/nginx.conf" -p "$TMP/nginx" 2>"$TMP/nginx.stderr" &
NGINX_PID=$!
for _ in $(seq 100); do
  curl -s -o /dev/null "http://127.0.0.1:$NPORT/bench/small-0" && break
  sleep 0.1
done
NGX=(--endpoint "http://127.0.0.1:$NPORT" --bucket bench)

JSONL="$TMP/results.jsonl"
: >"$JSONL"
run() {  # run <label> <loadgen args...>; appends the JSON line
  local label=$1; shift
  echo "== $label" >&2
  "$LOADGEN" --label "$label" "$@" | tee -a "$JSONL" >&2
}
vmhwm() { awk '/VmHWM/ {print $2}' "/proc/$KELPD_PID/status"; }
vmrss() { awk '/VmRSS/ {print $2}' "/proc/$KELPD_PID/status"; }

# ---- 1 GiB PUT then GET on a fresh kelpd: peak RSS ----
if [[ $SKIP_KELPD != 1 ]]; then
  HWM_IDLE=$(vmhwm)
  run kelpd-put-1g "${KELP[@]}" --create-bucket --op put --size 1G --ops 1 --clients 1 \
    --keys 1 --prefix huge- --payload unsigned
  HWM_PUT=$(vmhwm)
  run kelpd-get-1g "${KELP[@]}" --op get --size 1G --ops 1 --clients 1 --keys 1 --prefix huge- --verify
  HWM_GET=$(vmhwm)
  RSS_END=$(vmrss)
fi

# ---- throughput ----
S_ARGS=(--size 4K --clients "$CLIENTS" --duration "$DURATION" --keys 100 --prefix small-)
B_ARGS=(--size 64M --clients "$BIG_CLIENTS" --duration "$DURATION" --keys 4 --prefix big-)
if [[ $SKIP_KELPD != 1 ]]; then
  run kelpd-put-4k "${KELP[@]}" --op put "${S_ARGS[@]}"
  run kelpd-get-4k "${KELP[@]}" --op get --prefill --verify "${S_ARGS[@]}"
  run kelpd-put-64m "${KELP[@]}" --op put --payload unsigned "${B_ARGS[@]}"
  run kelpd-get-64m "${KELP[@]}" --op get --prefill --payload unsigned "${B_ARGS[@]}"
fi
run nginx-get-4k "${NGX[@]}" --op get --verify "${S_ARGS[@]}"
run nginx-get-64m "${NGX[@]}" --op get "${B_ARGS[@]}"

mkdir -p "$(dirname "$RESULTS")"
python3 - "$JSONL" "$RESULTS" "${HWM_IDLE:-}" "${HWM_PUT:-}" "${HWM_GET:-}" "${RSS_END:-}" \
  "$CLIENTS" "$BIG_CLIENTS" "$DURATION" "$(git -C "$REPO" rev-parse --short HEAD)" <<'PY'
import json, os, platform, sys, time
jsonl, out, hwm_idle, hwm_put, hwm_get, rss_end, clients, big_clients, duration, commit = sys.argv[1:]
r = {}
for line in open(jsonl):
    line = line.strip()
    if line.startswith("{"):
        d = json.loads(line)
        r[d["label"]] = d

def cell(label, key, fmt):
    d = r.get(label)
    return "n/a" if d is None else fmt.format(d[key])

def ratio(a, b, key):
    if a not in r or b not in r or not r[b][key]:
        return "n/a"
    return f"{r[a][key] / r[b][key]:.2f}"

lines = [f"# Kelp benchmark {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}", "",
         f"commit {commit}; {os.cpu_count()} CPUs; {platform.platform()}; loopback; "
         f"{clients} clients for 4 KiB, {big_clients} for 64 MiB, {duration} s per run; "
         "kelpd on its embedded store in a temp dir, nginx 2 workers serving the same bytes "
         "(sendfile).", "",
         "| test | kelpd | nginx | kelpd/nginx | kelpd p50 / p99 ms | nginx p50 / p99 ms | errors (k/n) |",
         "|---|---|---|---|---|---|---|"]
for name, k, n, key, unit in [("4 KiB PUT", "kelpd-put-4k", None, "ops_per_s", "ops/s"),
                              ("4 KiB GET", "kelpd-get-4k", "nginx-get-4k", "ops_per_s", "ops/s"),
                              ("64 MiB PUT", "kelpd-put-64m", None, "mib_per_s", "MiB/s"),
                              ("64 MiB GET", "kelpd-get-64m", "nginx-get-64m", "mib_per_s", "MiB/s")]:
    fmt = "{:.0f} " + unit if unit == "ops/s" else "{:.1f} " + unit
    lat = lambda l: (f"{r[l]['p50_ms']:.2f} / {r[l]['p99_ms']:.2f}" if l in r else "n/a")
    errs = f"{cell(k, 'errors', '{}')}/{cell(n, 'errors', '{}') if n else '-'}"
    lines.append(f"| {name} | {cell(k, key, fmt)} | {cell(n, key, fmt) if n else '-'} | "
                 f"{ratio(k, n, key) if n else '-'} | {lat(k)} | {lat(n) if n else '-'} | {errs} |")
lines += ["", "Peak RSS of kelpd (VmHWM) around a 1 GiB PUT then GET, streamed by the client:", ""]
if hwm_idle:
    mib = lambda kb: f"{int(kb) / 1024:.1f} MiB"
    lines += [f"- idle after start: {mib(hwm_idle)}",
              f"- after 1 GiB PUT: {mib(hwm_put)} ({cell('kelpd-put-1g', 'mib_per_s', '{:.1f}')} MiB/s, "
              f"errors {cell('kelpd-put-1g', 'errors', '{}')})",
              f"- after 1 GiB GET: {mib(hwm_get)} ({cell('kelpd-get-1g', 'mib_per_s', '{:.1f}')} MiB/s, "
              f"errors {cell('kelpd-get-1g', 'errors', '{}')}, bytes verified)",
              f"- VmRSS at the end of that: {mib(rss_end)}"]
else:
    lines.append("- not measured (SKIP_KELPD=1)")
lines += ["", "Raw results (kelp-loadgen JSON):", "", "```"] + \
         [json.dumps(r[k]) for k in r] + ["```", ""]
open(out, "w").write("\n".join(lines))
print("\n".join(lines))
PY
echo "results written to $RESULTS" >&2
