#!/usr/bin/env bash
# Configures and builds listdex into build/ (RelWithDebInfo, warnings are
# errors). Extra arguments go to cmake, e.g. -DLISTDEX_TESTS=OFF.
# Quiet on success; the full log is build/build.log.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p build
if ! { cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" &&
       cmake --build build -j"$(nproc)"; } >build/build.log 2>&1; then
    cat build/build.log >&2
    echo "build failed (log: build/build.log)" >&2
    exit 1
fi
echo "built build/listdex"
