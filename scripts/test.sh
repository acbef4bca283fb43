#!/usr/bin/env bash
# Quick start, step 2: install, build, and run every test (unit, CLI
# end-to-end with golden output, the web server over HTTP and in headless
# Chromium, and the real-archive integration tests, which skip when
# ../shared/corpora is absent).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test
scripts/build.sh -DLISTDEX_TESTS=ON
# playwright-core (npm) drives Debian's chromium in the browser tests;
# 1.60 is the newest that runs on Debian 12's Node 18.
PLAYWRIGHT=1.60.0
grep -qs "\"version\": \"$PLAYWRIGHT\"" build/npm/node_modules/playwright-core/package.json ||
    npm install --silent --no-audit --no-fund --prefix build/npm "playwright-core@$PLAYWRIGHT" >/dev/null
cd build
ctest --output-on-failure -j"$(nproc)"
