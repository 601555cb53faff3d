#!/usr/bin/env bash
# Runs Kelp's end-to-end suites against freshly built kelpd / kelp-admin.
# Each suite (one python module per client) starts its own kelpd on port 0 and
# a temp dir and stops it by PID. Exit status is non-zero if any suite fails.
#
#   tests/e2e/run.sh                 # build build/ targets, run every suite
#   tests/e2e/run.sh boto3 admin     # only test_boto3.py and test_admin.py
#
# Env: KELP_BUILD (default build/), KELPD, KELP_ADMIN (default from KELP_BUILD),
# KELP_E2E_NO_BUILD=1 (skip the build step), KELP_E2E_LOGDIR (kept logs).
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
BUILD=${KELP_BUILD:-$REPO/build}
export KELPD=${KELPD:-$BUILD/src/kelpd/kelpd}
export KELP_ADMIN=${KELP_ADMIN:-$BUILD/src/admin/kelp-admin}
export KELP_E2E_LOGDIR=${KELP_E2E_LOGDIR:-/tmp/kelp-e2e-logs}
PY=/usr/bin/python3

if [[ ${KELP_E2E_NO_BUILD:-0} != 1 ]]; then
  echo "== building kelpd and kelp-admin in $BUILD"
  if [[ ! -f $BUILD/build.ninja && ! -f $BUILD/Makefile ]]; then
    cmake -S "$REPO" -B "$BUILD" -G Ninja >/dev/null || exit 1
  fi
  cmake --build "$BUILD" --target kelpd kelp-admin kelp_python || { echo "build failed" >&2; exit 1; }
fi
for bin in "$KELPD" "$KELP_ADMIN"; do
  [[ -x $bin ]] || { echo "missing $bin" >&2; exit 1; }
done

if [[ $# -gt 0 ]]; then
  suites=("$@")
else
  suites=(signer badinput admin boto3 awscli s3cmd rclone versioning library)
fi

LOGS=$(mktemp -d /tmp/kelp-e2e-run.XXXXXX)
declare -A result
failed=0
start_all=$(date +%s)
for s in "${suites[@]}"; do
  mod=test_${s#test_}
  mod=${mod%.py}
  echo "== $mod"
  t0=$(date +%s)
  (cd "$HERE" && "$PY" -m unittest -v "$mod") >"$LOGS/$mod.log" 2>&1
  rc=$?
  dt=$(( $(date +%s) - t0 ))
  ran=$(grep -Eo '^Ran [0-9]+ tests?' "$LOGS/$mod.log" | tail -1)
  verdict=$(grep -E '^(OK|FAILED)( |$)' "$LOGS/$mod.log" | tail -1)
  result[$mod]="${ran:-Ran ? tests}, ${verdict:-no verdict} (${dt}s)"
  # A test marked @unittest.expectedFailure (a documented gap) that passes fails the suite:
  # unittest already exits non-zero then; say so explicitly.
  if grep -qE '^UNEXPECTED SUCCESS:' "$LOGS/$mod.log"; then
    rc=1
  fi
  grep -E ' \.\.\. expected failure$' "$LOGS/$mod.log" | sed 's/ \.\.\. expected failure$//; s/^/    expected failure (documented gap): /'
  if [[ $rc != 0 ]]; then
    failed=$((failed + 1))
    grep -E '^(FAIL|ERROR|UNEXPECTED SUCCESS):' "$LOGS/$mod.log" | sed 's/^/    /'
    echo "    full log: $LOGS/$mod.log"
  fi
done

echo
echo "== e2e summary ($(( $(date +%s) - start_all ))s; kelpd=$KELPD)"
for s in "${suites[@]}"; do
  mod=test_${s#test_}
  mod=${mod%.py}
  printf '  %-16s %s\n' "$mod" "${result[$mod]}"
done
if [[ $failed != 0 ]]; then
  echo "$failed suite(s) failed; logs in $LOGS, kelpd logs of failed suites in $KELP_E2E_LOGDIR"
  exit 1
fi
echo "all suites passed"
rm -rf "$LOGS"
