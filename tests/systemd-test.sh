#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The listdex authors
# The systemd files (systemd/): the units pass systemd-analyze verify, their
# hardening scores "OK" or better in systemd-analyze security, the sysusers.d
# file makes the listdex user and tmpfiles.d its index folder; the serve
# unit's command, run as that user over a read-only index, serves it.
# (The package test, tests/package-test.sh, starts them under systemd for real.)
# usage: systemd-test.sh BUILD_DIR SOURCE_DIR DATA_DIR
set -u
BUILD=$(cd "$1" && pwd) SRC=$(cd "$2" && pwd) DATA=$(cd "$3" && pwd)
WORK=$(mktemp -d /tmp/listdex-systemd-XXXXXX)
trap 'rm -rf "$WORK"' EXIT
. "$SRC/tests/cli/lib.sh"
quietly() { "$@" >/dev/null 2>&1; }
command -v systemd-analyze >/dev/null || { echo "SKIP: no systemd-analyze"; exit 77; }

# The units as built, pointed at this build's listdex (installed, they name
# the prefix's bin/listdex).
mkdir "$WORK/units"
bindir=$(sed -n 's/^CMAKE_INSTALL_PREFIX:PATH=//p' "$BUILD/CMakeCache.txt")/bin
for u in "$BUILD"/systemd/*.service "$SRC"/systemd/*.timer; do
    sed "s|$bindir/listdex|$BUILD/listdex|" "$u" >"$WORK/units/$(basename "$u")"
done
for u in listdex-serve.service listdex-import.service listdex-import.timer listdex-update.service listdex-update.timer \
         listdex-compact.service listdex-compact.timer; do
    check "$u: systemd-analyze verify" sh -c "cd '$WORK/units' && systemd-analyze verify --man=no $u >'$WORK/verify' 2>&1 && ! test -s '$WORK/verify'"
    [ -s "$WORK/verify" ] && cat "$WORK/verify"
done
for u in listdex-serve.service listdex-import.service listdex-update.service listdex-compact.service; do
    # exposure 0-10 ("OK" is below 2.5); --threshold counts in tenths
    check "$u: systemd-analyze security exposure below 2.0" \
        sh -c "systemd-analyze security --offline=yes --threshold=20 '$WORK/units/$u' >'$WORK/security' 2>&1"
    check "$u: runs as the listdex user" grep -qx "User=listdex" "$WORK/units/$u"
    check "$u: ProtectSystem=strict" grep -qx "ProtectSystem=strict" "$WORK/units/$u"
done
check "serve: no state directory, so the index is read-only to it" sh -c "! grep -q '^StateDirectory' '$WORK/units/listdex-serve.service'"
check "serve: listens where the environment file says" grep -q -- '--listen ${LISTDEX_LISTEN}' "$WORK/units/listdex-serve.service"
for u in serve import update; do
    check "listdex-$u.service reads the environment file" grep -q '^EnvironmentFile=-.*/default/listdex$' "$WORK/units/listdex-$u.service"
done
check "the environment file sets what the units read" sh -c "for v in LISTDEX_LISTEN LISTDEX_SERVE_OPTIONS LISTDEX_IMPORT_PATHS LISTDEX_IMPORT_OPTIONS LISTDEX_UPDATE_OPTIONS; do grep -q \"^\$v=\" '$SRC/systemd/listdex.default' || exit 1; done"

# sysusers.d and tmpfiles.d in an empty root.
mkdir -p "$WORK/root/etc"
check "systemd-sysusers makes the listdex user" quietly systemd-sysusers --root="$WORK/root" "$SRC/systemd/listdex.sysusers"
check "... a system user without a login shell, at home in /var/lib/listdex" \
    grep -qE '^listdex:x:[0-9]+:[0-9]+:[^:]*:/var/lib/listdex:/usr/sbin/nologin$' "$WORK/root/etc/passwd"
check "systemd-tmpfiles makes /var/lib/listdex" quietly systemd-tmpfiles --root="$WORK/root" --create "$SRC/systemd/listdex.tmpfiles"
uid=$(awk -F: '$1 == "listdex" { print $3 }' "$WORK/root/etc/passwd")
check "... owned by the listdex user" test "$(stat -c %u "$WORK/root/var/lib/listdex" 2>/dev/null)" = "$uid"

# The serve unit's command line, as the unit runs it, over a read-only index
# and as a user that cannot write it (nobody).
if [ "$(id -u)" = 0 ] && command -v runuser >/dev/null; then
    "$BUILD/listdex" import -q --index "$WORK/ix" "$DATA/sample.mbox"
    chmod -R a-w,a+rX "$WORK/ix"; chmod a+rx "$WORK"
    cmd=$(sed -n 's/^ExecStart=//p' "$WORK/units/listdex-serve.service")
    cmd=${cmd//\/var\/lib\/listdex/$WORK/ix}; cmd=${cmd//\$\{LISTDEX_LISTEN\}/127.0.0.1:0}; cmd=${cmd//\$LISTDEX_SERVE_OPTIONS/}
    runuser -u nobody -- $cmd >"$WORK/serve.out" 2>&1 &
    pid=$!
    for _ in $(seq 50); do grep -q "http://" "$WORK/serve.out" && break; sleep 0.1; done
    url=$(grep -o "http://[0-9.:]*/" "$WORK/serve.out" | head -1)
    check "serve over a read-only index, as nobody: the home page" sh -c "curl -sf '$url' | grep -q demo.lists.example.org"
    check "... and a search" sh -c "curl -sf '${url}search?q=welcome' | grep -q 'Welcome to the listdex demo list'"
    kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
fi
finish systemd
