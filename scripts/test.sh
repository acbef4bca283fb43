#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The listdex authors
# Quick start, step 2: install, build, and run every test (unit, CLI
# end-to-end with golden output, the web server over HTTP and in headless
# Chromium, and the real-archive integration tests, which skip when
# ../shared/corpora is absent).
#   --sanitize: the same suite built with AddressSanitizer and
#   UndefinedBehaviorSanitizer, in build-asan/ (docs/reliability.md).
set -euo pipefail
cd "$(dirname "$0")/.."
build=build
cmake_args=(-DLISTDEX_TESTS=ON)
if [ "${1:-}" = --sanitize ]; then
    build=build-asan
    cmake_args+=(-DLISTDEX_SANITIZE=ON)
    export ASAN_OPTIONS="detect_leaks=1:detect_stack_use_after_return=0"
    export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
    export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
fi
scripts/install-deps.sh --test
LISTDEX_BUILD_DIR="$build" scripts/build.sh "${cmake_args[@]}"
# playwright-core (npm) drives Debian's chromium in the browser tests;
# 1.60 is the newest that runs on Debian 12's Node 18.
PLAYWRIGHT=1.60.0
grep -qs "\"version\": \"$PLAYWRIGHT\"" "$build/npm/node_modules/playwright-core/package.json" ||
    npm install --silent --no-audit --no-fund --prefix "$build/npm" "playwright-core@$PLAYWRIGHT" >/dev/null
cd "$build"
ctest --output-on-failure -j"$(nproc)"
