#!/usr/bin/env bash
# Quick start, step 2: install, build, and run every test (unit, CLI
# end-to-end with golden output, and the real-archive integration test,
# which skips when ../shared/corpora is absent).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test
scripts/build.sh -DLISTDEX_TESTS=ON
cd build
ctest --output-on-failure -j"$(nproc)"
