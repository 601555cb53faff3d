#!/usr/bin/env bash
# Installs the build in BUILD_DIR into a temporary prefix, builds
# examples/cpp against it with find_package(Kelp), and checks the example
# program round-trips an object through a store: what a downstream project does.
set -euo pipefail
build=${1:?usage: run.sh BUILD_DIR}
src="$(cd "$(dirname "$0")/../.." && pwd)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/prefix" > "$tmp/install.log"
test -f "$tmp/prefix/include/kelp/api/kelp.h" || { echo "headers not installed"; exit 1; }
test -f "$tmp/prefix/lib/cmake/Kelp/KelpConfig.cmake" || { echo "no KelpConfig.cmake"; exit 1; }
if [ -e "$tmp/prefix/include/kelp/kelpd" ]; then echo "kelpd headers leaked into the API"; exit 1; fi
cmake -S "$src/examples/cpp" -B "$tmp/ex" -G Ninja -DCMAKE_PREFIX_PATH="$tmp/prefix" > "$tmp/cfg.log" \
  || { cat "$tmp/cfg.log"; exit 1; }
cmake --build "$tmp/ex" > "$tmp/build.log" || { cat "$tmp/build.log"; exit 1; }
ex="$tmp/ex/kelp-example"
head -c 5000000 /dev/urandom > "$tmp/in.bin"
"$ex" "$tmp/store" put photos dir/a.bin "$tmp/in.bin" | grep -q '^etag '
"$ex" "$tmp/store" get photos dir/a.bin > "$tmp/out.bin"
cmp "$tmp/in.bin" "$tmp/out.bin"
"$ex" "$tmp/store" ls photos | grep -qx "dir/a.bin	5000000	$(md5sum < "$tmp/in.bin" | cut -c1-32)"
if "$ex" "$tmp/store" get photos missing 2> "$tmp/err"; then echo "missing key succeeded"; exit 1; fi
grep -q "NoSuchKey" "$tmp/err" || { echo "no NoSuchKey: $(cat "$tmp/err")"; exit 1; }
echo "package test: installed Kelp, built examples/cpp with find_package(Kelp), round-tripped 5 MB"
