#!/usr/bin/env bash
# Runs every test: unit tests (ctest) and end-to-end tests with real clients.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
ctest --test-dir build --output-on-failure -j2
if [ -x tests/e2e/run.sh ]; then
  KELPD="$PWD/build/src/kelpd/kelpd" KELP_ADMIN="$PWD/build/src/admin/kelp-admin" tests/e2e/run.sh
fi
echo "all tests passed"
