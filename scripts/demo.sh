#!/usr/bin/env bash
# Quick start, step 1: install, build, and run the main job on the bundled
# sample archive: import it into a fresh index, show the import summary, read
# decoded messages, search it, and print a thread.
# usage: scripts/demo.sh [--serve [HOST:PORT]]   (--serve: then browse it: listdex serve)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh -DLISTDEX_TESTS=OFF
INDEX=${LISTDEX_DEMO_INDEX:-$PWD/build/demo-index}
rm -rf "$INDEX"
L=build/listdex
echo "== listdex import --index $INDEX data/sample.mbox"
$L import --index "$INDEX" data/sample.mbox
echo
echo "== listdex count --index $INDEX"
$L count --index "$INDEX"
echo
echo "== listdex show --index $INDEX '<greetings-2@example.de>'"
$L show --index "$INDEX" '<greetings-2@example.de>'
echo
echo "== listdex show --index $INDEX attachments-6@example.com"
$L show --index "$INDEX" attachments-6@example.com
echo
echo "== listdex search --index $INDEX '*'     (one line per thread, newest first)"
$L search --index "$INDEX" '*'
echo
echo "== listdex search --index $INDEX --output messages 'from:grace OR pamplemousse'"
$L search --index "$INDEX" --output messages 'from:grace OR pamplemousse'
echo
echo "== listdex thread --index $INDEX welcome-1@example.org"
$L thread --index "$INDEX" welcome-1@example.org
echo
echo "Index left in $INDEX; try: $L show --index $INDEX --format json html-only-5@example.org"
if [ "${1:-}" = --serve ]; then
    echo
    echo "== listdex serve --index $INDEX --listen ${2:-127.0.0.1:8080}     (Ctrl-C stops)"
    exec $L serve --index "$INDEX" --listen "${2:-127.0.0.1:8080}"
fi
echo "or browse it: $L serve --index $INDEX   (or scripts/demo.sh --serve)"
