#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The listdex authors
# Configures and builds listdex into build/ (RelWithDebInfo, warnings are
# errors). Extra arguments go to cmake, e.g. -DLISTDEX_TESTS=OFF; the
# folder can be changed with LISTDEX_BUILD_DIR (scripts/test.sh --sanitize).
# Quiet on success; the full log is BUILD_DIR/build.log.
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${LISTDEX_BUILD_DIR:-build}"
mkdir -p "$dir"
if ! { cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLISTDEX_WERROR=ON "$@" &&
       cmake --build "$dir" -j"$(nproc)"; } >"$dir/build.log" 2>&1; then
    cat "$dir/build.log" >&2
    echo "build failed (log: $dir/build.log)" >&2
    exit 1
fi
echo "built $dir/listdex"
