#!/usr/bin/env bash
# Runs the Ceph suites (tests/ceph/*_test.py: interop with radosgw, cluster-side failures, gc):
# starts a throwaway cluster + radosgw in a mktemp dir (cluster.sh), runs them against it, and
# always stops the cluster. Installs nothing (scripts/install-deps.sh did). Exit status = result.
#
#   tests/ceph/run.sh                       # every module
#   tests/ceph/run.sh RadosgwSelfCheck      # interop_test classes (or Class.test_name)
#   tests/ceph/run.sh failure_test          # a module (or module.Class[.test])
#
# Env: KELPD (default build/src/kelpd/kelpd; the kelpd classes skip unless its --help shows
# --ceph-conf), KELP_CEPH_ENV (reuse a running cluster's env file instead of starting one),
# KELP_CEPH_LOGDIR (where the cluster's logs are kept when the suite fails; default
# /tmp/kelp-ceph-logs), KELP_CEPH_SUITE_TIMEOUT (seconds, default 1200).
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3
t0=$(date +%s)
rc=1
DIR=""

cleanup() {
  if [[ -n $DIR ]]; then
    if [[ $rc != 0 ]]; then
      export CEPH_KEEP_LOGS=${KELP_CEPH_LOGDIR:-/tmp/kelp-ceph-logs}/$(basename "$DIR")
    fi
    bash "$HERE/cluster.sh" stop "$DIR"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [[ -z ${KELP_CEPH_ENV:-} ]]; then
  DIR=$(mktemp -d /tmp/kelp-ceph.XXXXXX)
  echo "== starting a Ceph cluster + radosgw in $DIR"
  if ! bash "$HERE/cluster.sh" start "$DIR"; then
    echo "ceph interop: the cluster did not start" >&2
    exit 1
  fi
  export KELP_CEPH_ENV=$DIR/env
fi
echo "== cluster ready after $(($(date +%s) - t0))s; running the Ceph suites"

# unittest, with a closing "N passed, N failed, N skipped" line (a class skipped in setUpClass
# counts each of its tests)
cd "$HERE" && timeout "${KELP_CEPH_SUITE_TIMEOUT:-1200}" "$PY" - "$@" <<'EOF'
import sys
import unittest

import os

# Default: every *_test.py module here (interop, failure, gc). A bare class name means an
# interop_test class; "module.Class[.test]" names anything.
names = sys.argv[1:]
loader = unittest.TestLoader()
if names:
    names = [n if n.split(".")[0].endswith("_test") else f"interop_test.{n}" for n in names]
else:
    names = sorted(f[:-3] for f in os.listdir(".") if f.endswith("_test.py"))
suite = loader.loadTestsFromNames(names)


def count(s):
    return sum(count(t) for t in s) if isinstance(s, unittest.TestSuite) else 1


classes = {}
for t in (x for s in suite for x in (s if isinstance(s, unittest.TestSuite) else [s])):
    for tt in (t if isinstance(t, unittest.TestSuite) else [t]):
        classes[type(tt).__name__] = classes.get(type(tt).__name__, 0) + 1
total = count(suite)
result = unittest.TextTestRunner(verbosity=2, warnings="ignore").run(suite)
skipped = 0
for test, _ in result.skipped:
    name = str(test)
    m = name.startswith("setUpClass (") and name[len("setUpClass ("):-1].split(".")[-1]
    skipped += classes.get(m, 0) if m else 1
failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
passed = max(0, total - skipped - failed)
print(f"ceph-interop: {passed} passed, {failed} failed, {skipped} skipped")
sys.exit(0 if result.wasSuccessful() else 1)
EOF
rc=$?
echo "== ceph interop suite finished in $(($(date +%s) - t0))s (rc=$rc)"
exit $rc
