#!/usr/bin/env bash
# Kelp vs radosgw on the SAME Ceph cluster: the foundation's load (bench/run.sh) driven by
# kelp-loadgen (S3, SigV4) against the cluster's radosgw and a kelpd serving the same pools
# (--ceph-conf), run pair by pair (radosgw, then kelpd, for each test) so machine noise hits both.
# Writes bench/results/ceph-<date>.md and prints it. Not part of CI; about 3-4 minutes.
#
#   bench/ceph/run.sh                                  # starts a throwaway cluster, stops it after
#   KELP_CEPH_ENV=/tmp/c/env bench/ceph/run.sh         # reuse a running cluster.sh cluster
#   KELP_BUILD=/work/main/build-cephbench bench/ceph/run.sh
#
# Measures: 4 KiB PUT and GET ops/s with p50/p99 ($CLIENTS clients, $DURATION s), 64 MiB PUT and
# GET MiB/s ($BIG_CLIENTS clients), kelpd's peak RSS (VmHWM) through the runs and around a
# $HUGE_SIZE PUT+GET (HUGE_SIZE=0 skips it), radosgw's VmHWM beside it.
#
# Env: KELP_BUILD (default build/), KELPD, LOADGEN, KELP_CEPH_ENV, CLIENTS (8), BIG_CLIENTS (2),
# DURATION (10), HUGE_SIZE (1G), RESULTS (output file), KELP_COMMIT (the commit kelpd was built
# from, when not the checkout's HEAD).
set -euo pipefail

REPO=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${KELP_BUILD:-$REPO/build}
KELPD=${KELPD:-$BUILD/src/kelpd/kelpd}
LOADGEN=${LOADGEN:-$BUILD/bench/kelp-loadgen}
CLIENTS=${CLIENTS:-8}
BIG_CLIENTS=${BIG_CLIENTS:-2}
DURATION=${DURATION:-10}
HUGE_SIZE=${HUGE_SIZE:-1G}
RESULTS=${RESULTS:-$REPO/bench/results/ceph-$(date -u +%Y-%m-%d).md}
CLUSTER_SH=$REPO/tests/ceph/cluster.sh

for bin in "$LOADGEN" "$KELPD"; do
  [[ -x $bin ]] || { echo "missing $bin (cmake --build $BUILD --target kelpd kelp-loadgen)" >&2; exit 1; }
done
"$KELPD" --help 2>&1 | grep -q -- --ceph-conf || { echo "$KELPD has no --ceph-conf" >&2; exit 1; }

TMP=$(mktemp -d /tmp/kelp-cephbench.XXXXXX)
CLUSTER_DIR= KELPD_PID=
cleanup() {
  local rc=$?
  if [[ -n $KELPD_PID ]]; then
    kill -TERM "$KELPD_PID" 2>/dev/null && wait "$KELPD_PID" 2>/dev/null || true
  fi
  if [[ $rc != 0 ]]; then
    echo "ceph bench failed (rc=$rc); logs:" >&2
    tail -n 20 "$TMP"/*.stderr 2>/dev/null >&2 || true
  fi
  [[ -n $CLUSTER_DIR ]] && bash "$CLUSTER_SH" stop "$CLUSTER_DIR" >&2 || true
  rm -rf "$TMP"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- the cluster (radosgw included) ----
if [[ -z ${KELP_CEPH_ENV:-} ]]; then
  CLUSTER_DIR=$TMP/cluster
  echo "== starting a Ceph cluster + radosgw in $CLUSTER_DIR" >&2
  bash "$CLUSTER_SH" start "$CLUSTER_DIR" >&2
  KELP_CEPH_ENV=$CLUSTER_DIR/env
fi
# shellcheck disable=SC1090
. "$KELP_CEPH_ENV"
AUTH=(--access-key "$RGW_ACCESS_KEY" --secret-key "$RGW_SECRET_KEY")

# ---- kelpd on the same pools, same S3 user ----
"$KELPD" --ceph-conf "$CEPH_CONF" --ceph-user "$CEPH_USER" --listen 127.0.0.1:0 \
  >"$TMP/kelpd.stdout" 2>"$TMP/kelpd.stderr" &
KELPD_PID=$!
for _ in $(seq 600); do
  grep -q 'kelpd: listening on' "$TMP/kelpd.stdout" && break
  kill -0 "$KELPD_PID" 2>/dev/null || { echo "kelpd exited" >&2; cat "$TMP/kelpd.stderr" >&2; exit 1; }
  sleep 0.1
done
KPORT=$(sed -n 's/.*kelpd: listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$TMP/kelpd.stdout" | head -1)
[[ -n $KPORT ]] || { echo "kelpd did not print its port" >&2; exit 1; }
KELP=(--endpoint "http://127.0.0.1:$KPORT" "${AUTH[@]}")
RGW=(--endpoint "$RGW_ENDPOINT" "${AUTH[@]}")
# each gateway writes its own bucket (same pools): no cross-talk in the keys
TAG=$(date +%s)
KB=(--bucket "kb-kelp-$TAG") RB=(--bucket "kb-rgw-$TAG")

JSONL="$TMP/results.jsonl"
: >"$JSONL"
run() {  # run <label> <loadgen args...>; appends the JSON line
  local label=$1; shift
  echo "== $label" >&2
  "$LOADGEN" --label "$label" "$@" | tee -a "$JSONL" >&2
}
hwm() { awk '/VmHWM/ {print $2}' "/proc/$1/status"; }
rss() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
K_HWM_IDLE=$(hwm "$KELPD_PID")

S_ARGS=(--size 4K --clients "$CLIENTS" --duration "$DURATION" --keys 100 --prefix small-)
B_ARGS=(--size 64M --clients "$BIG_CLIENTS" --duration "$DURATION" --keys 4 --prefix big-)
run rgw-put-4k "${RGW[@]}" "${RB[@]}" --create-bucket --op put "${S_ARGS[@]}"
run kelpd-put-4k "${KELP[@]}" "${KB[@]}" --create-bucket --op put "${S_ARGS[@]}"
run rgw-get-4k "${RGW[@]}" "${RB[@]}" --op get --prefill --verify "${S_ARGS[@]}"
run kelpd-get-4k "${KELP[@]}" "${KB[@]}" --op get --prefill --verify "${S_ARGS[@]}"
K_HWM_SMALL=$(hwm "$KELPD_PID")
run rgw-put-64m "${RGW[@]}" "${RB[@]}" --op put --payload unsigned "${B_ARGS[@]}"
run kelpd-put-64m "${KELP[@]}" "${KB[@]}" --op put --payload unsigned "${B_ARGS[@]}"
run rgw-get-64m "${RGW[@]}" "${RB[@]}" --op get --prefill --payload unsigned "${B_ARGS[@]}"
run kelpd-get-64m "${KELP[@]}" "${KB[@]}" --op get --prefill --payload unsigned "${B_ARGS[@]}"
K_HWM_BIG=$(hwm "$KELPD_PID")
if [[ $HUGE_SIZE != 0 ]]; then
  H_ARGS=(--size "$HUGE_SIZE" --ops 1 --clients 1 --keys 1 --prefix huge- --payload unsigned)
  run rgw-put-huge "${RGW[@]}" "${RB[@]}" --op put "${H_ARGS[@]}"
  run kelpd-put-huge "${KELP[@]}" "${KB[@]}" --op put "${H_ARGS[@]}"
  run rgw-get-huge "${RGW[@]}" "${RB[@]}" --op get --verify "${H_ARGS[@]}"
  run kelpd-get-huge "${KELP[@]}" "${KB[@]}" --op get --verify "${H_ARGS[@]}"
fi
K_HWM_END=$(hwm "$KELPD_PID")
K_RSS_END=$(rss "$KELPD_PID")
R_HWM_END=$(hwm "$RGW_PID" 2>/dev/null || echo 0)
R_RSS_END=$(rss "$RGW_PID" 2>/dev/null || echo 0)
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
kill -0 "$KELPD_PID" || { echo "kelpd died during the bench" >&2; exit 1; }

mkdir -p "$(dirname "$RESULTS")"
/usr/bin/python3 - "$JSONL" "$RESULTS" "$CLIENTS" "$BIG_CLIENTS" "$DURATION" "$HUGE_SIZE" \
  "${KELP_COMMIT:-$(git -C "$REPO" rev-parse --short HEAD)}" "$(ceph-osd --version | awk '{print $3}')" \
  "$LOAD_START" "$LOAD_END" "$K_HWM_IDLE" "$K_HWM_SMALL" "$K_HWM_BIG" "$K_HWM_END" "$K_RSS_END" \
  "$R_HWM_END" "$R_RSS_END" <<'PY'
import json, os, platform, sys, time
(jsonl, out, clients, big_clients, duration, huge, commit, ceph_version, load_start, load_end,
 k_idle, k_small, k_big, k_end, k_rss, r_hwm, r_rss) = sys.argv[1:]
r = {}
for line in open(jsonl):
    line = line.strip()
    if line.startswith("{"):
        d = json.loads(line)
        r[d["label"]] = d

def val(label, key, unit):
    d = r.get(label)
    if d is None:
        return "n/a"
    return f"{d[key]:.0f} {unit}" if unit == "ops/s" else f"{d[key]:.1f} {unit}"

def lat(label):
    d = r.get(label)
    return "n/a" if d is None else f"{d['p50_ms']:.2f} / {d['p99_ms']:.2f}"

def ratio(k, g, key):
    if k not in r or g not in r or not r[g][key]:
        return "n/a"
    return f"{r[k][key] / r[g][key]:.2f}"

mib = lambda kb: f"{int(kb) / 1024:.1f} MiB" if kb and int(kb) else "n/a"
rows = [("4 KiB PUT", "put-4k", "ops_per_s", "ops/s"), ("4 KiB GET", "get-4k", "ops_per_s", "ops/s"),
        ("64 MiB PUT", "put-64m", "mib_per_s", "MiB/s"), ("64 MiB GET", "get-64m", "mib_per_s", "MiB/s")]
if huge != "0":
    rows += [(f"{huge}iB PUT (1 op)", "put-huge", "mib_per_s", "MiB/s"),
             (f"{huge}iB GET (1 op)", "get-huge", "mib_per_s", "MiB/s")]
lines = [f"# Kelp vs radosgw on one Ceph cluster, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
         "",
         f"commit {commit}; Ceph {ceph_version} (tests/ceph/cluster.sh: 1 mon, 1 mgr, 1 bluestore OSD "
         "on a sparse file, pools size 1, radosgw beast with 16 threads); "
         f"{os.cpu_count()} CPUs shared by the cluster, both gateways and the load generator; "
         f"{platform.platform()}; loopback; load average {load_start} at the start, {load_end} at the end. "
         f"kelp-loadgen, SigV4, {clients} clients for 4 KiB (100 keys), {big_clients} for 64 MiB (4 keys), "
         f"{duration} s per run; radosgw and kelpd run the same test one after the other, each into its "
         "own bucket on the same pools, with the same S3 user; GETs verify the bytes.", "",
         "| test | kelpd | radosgw | kelpd/radosgw | kelpd p50 / p99 ms | radosgw p50 / p99 ms | errors (k/r) |",
         "|---|---|---|---|---|---|---|"]
for name, t, key, unit in rows:
    k, g = f"kelpd-{t}", f"rgw-{t}"
    errs = f"{r[k]['errors'] if k in r else 'n/a'}/{r[g]['errors'] if g in r else 'n/a'}"
    lines.append(f"| {name} | {val(k, key, unit)} | {val(g, key, unit)} | {ratio(k, g, key)} | "
                 f"{lat(k)} | {lat(g)} | {errs} |")
lines += ["", "Memory (VmHWM = peak RSS; bodies are streamed by the client):", "",
          f"- kelpd idle after start: {mib(k_idle)}; after the 4 KiB runs: {mib(k_small)}; "
          f"after the 64 MiB runs: {mib(k_big)}; at the end"
          + (f" (after the {huge}iB PUT+GET)" if huge != "0" else "") + f": {mib(k_end)}; "
          f"VmRSS at the end: {mib(k_rss)}",
          f"- radosgw (running since the cluster started): VmHWM {mib(r_hwm)}, VmRSS {mib(r_rss)}",
          "", "Raw results (kelp-loadgen JSON):", "", "```"] + \
         [json.dumps(r[k]) for k in r] + ["```", ""]
open(out, "w").write("\n".join(lines))
print("\n".join(lines))
PY
echo "results written to $RESULTS" >&2
