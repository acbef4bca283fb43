#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The listdex authors
# Quick start, step 1: install, build, and run the main job on the bundled
# sample archive: import it into a fresh index, show the import summary, read
# decoded messages, search it, read a thread with its bodies, and see what is
# new after more mail arrives (data/followup.mbox).
# usage: scripts/demo.sh [--serve [HOST:PORT]]   (--serve: then browse it: listdex serve)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh -DLISTDEX_TESTS=OFF
INDEX=${LISTDEX_DEMO_INDEX:-$PWD/build/demo-index}
rm -rf "$INDEX"
L=build/listdex
# A script prints straight; typed at a terminal, listdex pages and colours
# (docs/cli.md, Reading in the terminal).
export LISTDEX_PAGER=cat
export XDG_CONFIG_HOME="$INDEX.config" # no user configuration of yours is read or written
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
echo "== listdex thread --index $INDEX welcome-1@example.org     (the thread with its bodies)"
$L thread --index "$INDEX" welcome-1@example.org
echo
echo "== listdex new --index $INDEX --mark     (what is new: the first time, everything; then marked read)"
$L new --index "$INDEX" --mark
echo
echo "== listdex tag --index $INDEX +followed -- thread:00000001     (follow a thread)"
$L tag --index "$INDEX" +followed -- thread:00000001
echo
echo "== listdex import -q --index $INDEX data/followup.mbox     (more mail arrives)"
$L import -q --index "$INDEX" data/followup.mbox
echo
echo "== listdex new --index $INDEX     (followed threads first, then new threads)"
$L new --index "$INDEX"
echo
echo "Index left in $INDEX; try: $L show --index $INDEX --format json html-only-5@example.org"
if [ "${1:-}" = --serve ]; then
    echo
    echo "== listdex serve --index $INDEX --listen ${2:-127.0.0.1:8080}     (Ctrl-C stops)"
    exec $L serve --index "$INDEX" --listen "${2:-127.0.0.1:8080}"
fi
echo "or browse it: $L serve --index $INDEX   (or scripts/demo.sh --serve)"
