#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The listdex authors
# Builds the libFuzzer targets with clang (ASan + UBSan) into build-fuzz/
# and runs each for SECONDS (default 60) from the seed corpus of the
# project's own test messages (tests/fuzz/make-seeds.py). Fails on the
# first crash, leak, sanitizer report or timeout; the input that did it is
# kept in build-fuzz/crashes/. usage: scripts/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
scripts/install-deps.sh --fuzz
mkdir -p build-fuzz
if ! { cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++-19 \
             -DLISTDEX_FUZZ=ON -DLISTDEX_TESTS=OFF -DLISTDEX_WERROR=OFF &&
       cmake --build build-fuzz -j"$(nproc)" --target fuzz_mbox fuzz_mime fuzz_query; } >build-fuzz/build.log 2>&1; then
    cat build-fuzz/build.log >&2
    echo "fuzz build failed (log: build-fuzz/build.log)" >&2
    exit 1
fi
python3 tests/fuzz/make-seeds.py build-fuzz/seeds
mkdir -p build-fuzz/crashes
# GLib and Xapian keep a few allocations for the life of the process.
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
for target in mbox mime query; do
    mkdir -p "build-fuzz/corpus/$target"
    echo "fuzzing $target for ${seconds}s"
    status=0
    build-fuzz/fuzz_$target -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
        -print_final_stats=1 -artifact_prefix="build-fuzz/crashes/$target-" \
        "build-fuzz/corpus/$target" "build-fuzz/seeds/$target" >"build-fuzz/$target.log" 2>&1 || status=$?
    grep -E '^(Done|stat::(number_of_executed_units|peak_rss_mb)|INFO: seed corpus)' "build-fuzz/$target.log" || true
    if [ "$status" -ne 0 ]; then
        tail -n 60 "build-fuzz/$target.log" >&2
        echo "fuzz_$target failed (exit $status); the input is in build-fuzz/crashes/" >&2
        exit 1
    fi
done
echo "fuzzing: no crash in 3 targets x ${seconds}s"
