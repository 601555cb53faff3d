#!/usr/bin/env bash
# Configures and builds Kelp into ./build (warnings are errors).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKELP_WERROR=ON "$@"
cmake --build build
