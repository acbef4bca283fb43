#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The listdex authors
# `cmake --install` into a staging folder (DESTDIR and a prefix), then the
# installed tree moved to another folder: bin/listdex finds its helper in
# libexec/listdex relative to itself and runs every kind of command there.
# usage: install-test.sh BUILD_DIR DATA_DIR
set -u
BUILD=$(cd "$1" && pwd) DATA=$(cd "$2" && pwd)
WORK=$(mktemp -d /tmp/listdex-install-XXXXXX)
trap 'rm -rf "$WORK"' EXIT
unset LISTDEX_INDEX XDG_DATA_HOME
export HOME=$WORK/home
. "$(dirname "$0")/lib.sh"

expect_status 0 "cmake --install with DESTDIR and a prefix" env DESTDIR="$WORK/stage" cmake --install "$BUILD" --prefix /opt/listdex
ROOT=$WORK/stage/opt/listdex
check "bin/listdex installed" test -x "$ROOT/bin/listdex"
check "the helper is not on PATH: not in bin/" test ! -e "$ROOT/bin/listdex-mime"
check "the helper in libexec/listdex/" test -x "$ROOT/libexec/listdex/listdex-mime"
check "the licence and docs installed" test -f "$ROOT/share/doc/listdex/LICENSE" -a -f "$ROOT/share/doc/listdex/cli.md"
check "bash completion installed" test -f "$ROOT/share/bash-completion/completions/listdex"
check "zsh completion installed" sh -c "head -1 '$ROOT/share/zsh/vendor-completions/_listdex' | grep -qx '#compdef listdex' && grep -q '^_listdex()' '$ROOT/share/zsh/vendor-completions/_listdex'"
if grep -q "^LISTDEX_MAN:BOOL=ON" "$BUILD/CMakeCache.txt"; then
    check "man pages installed in man1 and man7" test -f "$ROOT/share/man/man1/listdex-search.1" -a -f "$ROOT/share/man/man7/listdex-query.7"
    check "man finds listdex-search in the installed tree" sh -c "MANWIDTH=80 man -M '$ROOT/share/man' listdex-search 2>&1 | grep -q '^NAME'"
fi
check "systemd units installed" test -f "$ROOT/lib/systemd/system/listdex-serve.service" -a -f "$ROOT/lib/systemd/system/listdex-import.service" -a -f "$ROOT/lib/systemd/system/listdex-import.timer"
check "sysusers.d and tmpfiles.d files installed" test -f "$ROOT/lib/sysusers.d/listdex.conf" -a -f "$ROOT/lib/tmpfiles.d/listdex.conf"
sysconfdir=$(sed -n 's/^CMAKE_INSTALL_PREFIX:PATH=//p' "$BUILD/CMakeCache.txt")/etc # the configured prefix's: the units name it
check "the services' environment file installed where the units read it" sh -c "test -f '$WORK/stage$sysconfdir/default/listdex' && grep -q 'EnvironmentFile=-$sysconfdir/default/listdex' '$ROOT/lib/systemd/system/listdex-serve.service'"
# Another prefix than the one it was installed for.
mv "$ROOT" "$WORK/moved"
L=$WORK/moved/bin/listdex
cd "$WORK"
expect_status 0 "import (the helper) from the moved tree" "$L" import -q --index "$WORK/ix" "$DATA/sample.mbox"
expect_status 0 "search (listdex itself)" "$L" search --index "$WORK/ix" welcome
check "search finds the thread" grep -q "Welcome to the listdex demo list" "$WORK/out"
expect_status 0 "show" "$L" show --index "$WORK/ix" welcome-1@example.org
check "show decodes" grep -q "Hello everyone" "$WORK/out"
expect_status 0 "thread" "$L" thread --index "$WORK/ix" welcome-1@example.org
check "thread prints bodies" grep -q "Café crème" "$WORK/out"
expect_status 0 "a relative invocation" env PATH="$WORK/moved/bin:$PATH" listdex show --index "$WORK/ix" welcome-1@example.org
rm "$WORK/moved/libexec/listdex/listdex-mime"
expect_status 1 "a missing helper is named" "$L" import -q --index "$WORK/ix" "$DATA/sample.mbox"
check "... with where it was looked for" grep -q "libexec/listdex/listdex-mime" "$WORK/err"
# The thread's tree, JSON and mbox need no decoding, and its bodies come
# from the decodings the import stored: listdex prints them itself.
expect_status 0 "thread --headers-only without the helper" "$L" thread --index "$WORK/ix" --headers-only welcome-1@example.org
check "... prints the tree" grep -q "Welcome to the listdex demo list" "$WORK/out"
expect_status 0 "thread --format json without the helper" "$L" thread --index "$WORK/ix" --format json welcome-1@example.org
expect_status 0 "thread with bodies without the helper" "$L" thread --index "$WORK/ix" welcome-1@example.org
check "... prints bodies" grep -q "Café crème" "$WORK/out"
expect_status 0 "show without the helper" "$L" show --index "$WORK/ix" welcome-1@example.org
check "... decodes" grep -q "Hello everyone" "$WORK/out"
expect_status 1 "show --part needs the helper (attachment bytes)" "$L" show --index "$WORK/ix" --part 1 welcome-1@example.org
check "... and names it" grep -q "libexec/listdex/listdex-mime" "$WORK/err"
# Messages without a stored decoding (imported by an older listdex) need it.
for f in "$WORK"/ix/raw/*.parsed; do : >"$f"; done
expect_status 1 "thread of messages without stored decodings needs the helper" "$L" thread --index "$WORK/ix" welcome-1@example.org
check "... and names it" grep -q "libexec/listdex/listdex-mime" "$WORK/err"
expect_status 1 "show of a message without a stored decoding needs the helper" "$L" show --index "$WORK/ix" welcome-1@example.org
check "... and names it" grep -q "libexec/listdex/listdex-mime" "$WORK/err"

finish install
