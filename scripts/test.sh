#!/usr/bin/env bash
# Runs every test: unit tests and the Python module's pytest suite (ctest), end-to-end tests
# with real clients (aws, boto3, s3cmd, rclone, the Python module), the radosgw-dump
# compatibility tests, and the Ceph suites beside a real radosgw on a throwaway cluster.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
ctest --test-dir build --output-on-failure -j2
export KELPD="$PWD/build/src/kelpd/kelpd" KELP_ADMIN="$PWD/build/src/admin/kelp-admin"
# Already built above; the suites must not rebuild.
export KELP_E2E_NO_BUILD=1 KELP_COMPAT_NO_BUILD=1
status=0
for suite in tests/e2e/run.sh tests/compat/run.sh tests/ceph/run.sh; do
  if [ -x "$suite" ] || [ -f "$suite" ]; then
    echo "=== $suite"
    bash "$suite" || status=1
  fi
done
if [ $status -ne 0 ]; then
  echo "some end-to-end suites failed" >&2
  exit 1
fi
echo "all tests passed"
