#!/usr/bin/env bash
# Installs every Debian 12 package Kelp's build, tests and benchmarks need.
# Idempotent; needs root (or sudo).
set -euo pipefail
PKGS=(
  # toolchain
  g++ cmake ninja-build ccache pkg-config git
  # libraries
  libssl-dev librocksdb-dev libpugixml-dev nlohmann-json3-dev libfmt-dev libcli11-dev
  libboost1.74-dev libboost-system1.74-dev libboost-context1.74-dev libgtest-dev libgmock-dev libbenchmark-dev
  # Ceph backend (librados) and the Python module (pybind11)
  librados-dev libradospp-dev pybind11-dev python3-dev python3-pytest
  # a throwaway Ceph cluster + radosgw for the interop tests (tests/ceph)
  ceph-mon ceph-osd ceph-mgr radosgw ceph-common
  # real clients and peers used by the end-to-end tests and the benchmark
  python3 python3-boto3 awscli s3cmd rclone nginx-light curl procps
)
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
echo "install-deps: all packages present"
