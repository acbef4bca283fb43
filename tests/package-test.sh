#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The listdex authors
# The Debian package, as a user gets it: builds listdex_*.deb (and -dbgsym)
# with dpkg-buildpackage from a copy of this tree, runs lintian on it, then
# installs it with apt into a fresh Debian 12 root (debootstrap) and there:
# the listdex user and /var/lib/listdex exist, import and search work (also
# as that user), man renders listdex-search(1) and listdex-query(7) without
# a warning, bash completes `listdex se<TAB>`, the serve unit's command
# answers on loopback, systemd-analyze verifies the installed units; then
# purge leaves nothing behind. Needs root (chroot, mounts) and the network
# (debootstrap, apt). docs/packaging.md.
# usage: package-test.sh SOURCE_DIR [WORK_DIR]   (WORK_DIR is kept)
set -u
SRC=$(cd "$1" && pwd)
# Mounts (/proc, /dev in the root) live in a mount namespace of their own,
# so they vanish with this script whatever happens.
if [ -z "${LISTDEX_PACKAGE_TEST_NS:-}" ]; then
    [ "$(id -u)" = 0 ] || { echo "package-test: needs root (chroot)" >&2; exit 1; }
    exec unshare --mount --propagation private env LISTDEX_PACKAGE_TEST_NS=1 "$0" "$@"
fi
keep=""
if [ -n "${2:-}" ]; then
    WORK=$2 keep=1; mkdir -p "$WORK"
else
    WORK=$(mktemp -d /var/tmp/listdex-package-XXXXXX)
fi
WORK=$(cd "$WORK" && pwd)
ROOT=$WORK/root nspawn=""
cleanup() { # the container, the mounts, then (never across a mount) the files
    [ -n "$nspawn" ] && kill "$nspawn" 2>/dev/null && wait "$nspawn" 2>/dev/null
    umount "$ROOT/proc" "$ROOT/dev" 2>/dev/null
    [ -n "$keep" ] || rm -rf --one-file-system "$WORK"
}
trap cleanup EXIT
. "$SRC/tests/cli/lib.sh"
step() { echo "== $* ($(date +%T))"; }

# --- build ----------------------------------------------------------------
step "build the package"
DEPS=(dpkg-dev debhelper lintian debootstrap systemd-container)
missing=(); for p in "${DEPS[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p"); done
[ ${#missing[@]} -eq 0 ] || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
rm -rf "$WORK/src"; mkdir -p "$WORK/src/listdex"
# The tree as committed plus changes not yet committed, no build folders.
(cd "$SRC" && git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$WORK/src/listdex")
(cd "$WORK/src/listdex" && DEB_BUILD_OPTIONS="nocheck parallel=$(nproc)" dpkg-buildpackage -us -uc -b >"$WORK/build.log" 2>&1)
if [ $? -ne 0 ]; then tail -40 "$WORK/build.log"; bad "dpkg-buildpackage -us -uc -b failed (log: $WORK/build.log)"; finish package; exit 1; fi
ok
deb=$(ls "$WORK"/src/listdex_*_"$(dpkg --print-architecture)".deb)
check "a listdex .deb" test -f "$deb"
check "a listdex-dbgsym .deb" sh -c "ls '$WORK'/src/listdex-dbgsym_*.deb >/dev/null"
dpkg-deb -c "$deb" | awk '{ print $6 }' >"$WORK/contents"
for f in ./usr/bin/listdex ./usr/share/man/man1/listdex-search.1.gz ./usr/share/man/man7/listdex-query.7.gz \
         ./usr/share/bash-completion/completions/listdex ./lib/systemd/system/listdex-serve.service \
         ./lib/systemd/system/listdex-import.timer ./lib/systemd/system/listdex-update.service \
         ./lib/systemd/system/listdex-update.timer ./usr/share/man/man1/listdex-update.1.gz \
         ./lib/systemd/system/listdex-compact.service ./lib/systemd/system/listdex-compact.timer \
         ./usr/share/man/man1/listdex-compact.1.gz \
         ./usr/lib/sysusers.d/listdex.conf ./etc/default/listdex \
         ./usr/share/doc/listdex/copyright; do
    check "the package holds $f" grep -qx -- "$f" "$WORK/contents"
done
check "the package holds listdex-mime under a libexec folder" grep -qE '^\./usr/(libexec|lib/[^/]+)/listdex/listdex-mime$' "$WORK/contents"
check "no listdex-mime on PATH" sh -c "! grep -q 'bin/listdex-mime' '$WORK/contents'"
dpkg-deb -f "$deb" Depends >"$WORK/depends"
check "Depends computed by dh_shlibdeps (libgmime, libxapian)" sh -c "grep -q libgmime-3.0 '$WORK/depends' && grep -q libxapian30 '$WORK/depends'"
check "Depends names systemd-sysusers (dh_installsysusers)" grep -q "systemd | systemd-standalone-sysusers" "$WORK/depends"

step "lintian"
lintian --fail-on error,warning --display-info "$WORK"/src/listdex_*.changes >"$WORK/lintian.txt" 2>&1
status=$?
grep -E '^[EW]:' "$WORK/lintian.txt"
check "lintian: no error, no warning (overrides: debian/*lintian-overrides)" test $status -eq 0

# --- a fresh Debian 12 -----------------------------------------------------
step "debootstrap a Debian 12 root"
mirror=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)
if [ ! -x "$ROOT/usr/bin/apt-get" ]; then
    rm -rf "$ROOT"
    debootstrap --variant=minbase bookworm "$ROOT" "${mirror:-http://deb.debian.org/debian}" >"$WORK/debootstrap.log" 2>&1 ||
        { tail -20 "$WORK/debootstrap.log"; bad "debootstrap failed"; finish package; exit 1; }
fi
mount -t proc proc "$ROOT/proc"
mount --bind /dev "$ROOT/dev"
cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
in_root() { chroot "$ROOT" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 TERM=dumb "$@"; }
cp "$deb" "$ROOT/tmp/"
cp "$SRC/data/sample.mbox" "$ROOT/tmp/sample.mbox"
chmod 644 "$ROOT/tmp/sample.mbox"
step "apt-get install the package"
in_root apt-get update -qq >/dev/null 2>&1
# (systemd: named, so the boot below does not hang on apt's choice among
# the sysusers alternatives.)
check "apt-get install ./listdex.deb (with man-db, bash-completion, curl, systemd)" sh -c \
    "chroot '$ROOT' env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends /tmp/$(basename "$deb") man-db bash-completion curl systemd >'$WORK/apt.log' 2>&1"
check "installed" sh -c "chroot '$ROOT' dpkg-query -W -f='\${Status}' listdex | grep -q 'install ok installed'"
check "the listdex system user (sysusers.d)" sh -c "chroot '$ROOT' getent passwd listdex | grep -q ':/var/lib/listdex:/usr/sbin/nologin$'"
check "/var/lib/listdex owned by it (tmpfiles.d)" test "$(in_root stat -c %U /var/lib/listdex 2>/dev/null)" = listdex
check "the services are installed but not enabled" sh -c "! test -e '$ROOT/etc/systemd/system/multi-user.target.wants/listdex-serve.service'"

step "use it"
expect_status 0 "listdex --version" in_root listdex --version
check "... prints the version" grep -qx "listdex $(sed -n '1s/.*(\(.*\)).*/\1/p' "$SRC/debian/changelog")" "$WORK/out"
expect_status 0 "import data/sample.mbox (the libexec helper)" in_root listdex import -q --index /tmp/ix /tmp/sample.mbox
expect_status 0 "search" in_root listdex search --index /tmp/ix welcome
check "search finds the thread" grep -q "Welcome to the listdex demo list" "$WORK/out"
expect_status 0 "thread" in_root listdex thread --index /tmp/ix welcome-1@example.org
check "thread prints decoded bodies" grep -q "Café crème" "$WORK/out"
expect_status 0 "import into /var/lib/listdex as the listdex user" in_root runuser -u listdex -- listdex import -q --index /var/lib/listdex /tmp/sample.mbox
expect_status 0 "count there" in_root runuser -u listdex -- listdex count --index /var/lib/listdex
check "... every message, as imported as root" test "$(cat "$WORK/out")" = "$(in_root listdex count --index /tmp/ix)"

for page in listdex-search listdex-query listdex; do
    in_root env MANWIDTH=80 man --warnings=all "$page" >"$WORK/man.out" 2>"$WORK/man.err"
    check "man $page renders" grep -q "^NAME" "$WORK/man.out"
    check "man --warnings $page: no warning" test ! -s "$WORK/man.err"
    [ -s "$WORK/man.err" ] && head -5 "$WORK/man.err"
done
check "man listdex-search lists --output" grep -q -- "--output" <(in_root env MANWIDTH=80 man listdex-search 2>/dev/null)

# Bash completion as bash loads it: bash-completion finds the script by the
# command's name on first use.
in_root bash -c '. /usr/share/bash-completion/bash_completion
    _completion_loader listdex
    COMP_LINE="listdex se"; COMP_POINT=${#COMP_LINE}; COMP_WORDS=(listdex se); COMP_CWORD=1
    $(complete -p listdex | sed "s/.*-F \([^ ]*\) .*/\1/") listdex se listdex
    printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "' >"$WORK/completion" 2>&1
check "bash completes 'listdex se<TAB>' to search and serve" grep -qx "search serve " "$WORK/completion"

# The serve unit's command, with the environment file, as the unit's user.
cmd=$(sed -n 's/^ExecStart=//p' "$ROOT/lib/systemd/system/listdex-serve.service")
check "the unit reads /etc/default/listdex" grep -qx "EnvironmentFile=-/etc/default/listdex" "$ROOT/lib/systemd/system/listdex-serve.service"
cmd=${cmd//\$\{LISTDEX_LISTEN\}/127.0.0.1:0}; cmd=${cmd//\$LISTDEX_SERVE_OPTIONS/}
in_root runuser -u listdex -- $cmd >"$WORK/serve.out" 2>&1 &
serve=$!
for _ in $(seq 100); do grep -q "http://" "$WORK/serve.out" && break; sleep 0.1; done
url=$(grep -o "http://[0-9.:]*/" "$WORK/serve.out" | head -1)
check "listdex serve answers on loopback: the lists" sh -c "chroot '$ROOT' curl -sf '$url' | grep -q demo.lists.example.org"
check "... a search" sh -c "chroot '$ROOT' curl -sf '${url}search?q=welcome' | grep -q 'Welcome to the listdex demo list'"
kill $serve 2>/dev/null; wait $serve 2>/dev/null
pkill -f "^/usr/bin/listdex serve --index /var/lib/listdex" 2>/dev/null

in_root systemd-analyze verify /lib/systemd/system/listdex-serve.service /lib/systemd/system/listdex-import.service \
    /lib/systemd/system/listdex-import.timer /lib/systemd/system/listdex-update.service \
    /lib/systemd/system/listdex-update.timer /lib/systemd/system/listdex-compact.service \
    /lib/systemd/system/listdex-compact.timer >"$WORK/verify" 2>&1
check "systemd-analyze verify: the installed units, their man pages and binaries" test ! -s "$WORK/verify"
[ -s "$WORK/verify" ] && head -5 "$WORK/verify"

# --- the units under systemd, for real --------------------------------------
step "boot the root with systemd (systemd-nspawn), run the units"
umount "$ROOT/proc" "$ROOT/dev"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$ROOT/srv/lists"; cp "$SRC/data/sample.mbox" "$ROOT/srv/lists/"; chmod -R a+rX "$ROOT/srv/lists"
sed -i "s|^LISTDEX_LISTEN=.*|LISTDEX_LISTEN=127.0.0.1:$port|; s|^LISTDEX_IMPORT_PATHS=.*|LISTDEX_IMPORT_PATHS=/srv/lists/sample.mbox|" \
    "$ROOT/etc/default/listdex"
rm -rf "$ROOT/var/lib/listdex/"* # the import service makes the index
want=$(in_root listdex count --index /tmp/ix)
systemd-nspawn -q -D "$ROOT" -b --register=no --keep-unit --console=pipe --machine=listdex-test >"$WORK/boot.log" 2>&1 &
nspawn=$!
# The container's init is the child of nspawn that is PID 1 in its own PID
# namespace; nspawn's other, short-lived child (its "outer child") must not
# be taken for it, so it is looked up again until systemd answers.
container_init() {
    local p
    for p in $(pgrep -P "$nspawn"); do
        awk '/^NSpid:/ { found = ($NF == 1) } END { exit !found }' "/proc/$p/status" 2>/dev/null && { echo "$p"; return; }
    done
}
init="" state=""
for _ in $(seq 120); do
    kill -0 $nspawn 2>/dev/null || break
    init=$(container_init)
    [ -n "$init" ] && state=$(nsenter -t "$init" -a systemctl is-system-running 2>/dev/null)
    case $state in running | degraded) break ;; esac
    sleep 0.5
done
check "systemd boots in the root (state: $state)" test "$state" = running -o "$state" = degraded
[ -n "$state" ] || tail -5 "$WORK/boot.log"
in_ct() { nsenter -t "$init" -a env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"; }
check "systemctl start listdex-import.service (oneshot) succeeds" in_ct systemctl start listdex-import.service
in_ct journalctl -q -u listdex-import.service --no-pager >"$WORK/import.journal" 2>&1
check "... and indexed every message of LISTDEX_IMPORT_PATHS ($want)" \
    test "$(in_ct runuser -u listdex -- listdex count --index /var/lib/listdex 2>&1)" = "$want"
check "systemctl start listdex-serve.service" in_ct systemctl start listdex-serve.service
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/" >/dev/null && break; sleep 0.2; done
check "the service answers on LISTDEX_LISTEN (127.0.0.1:$port)" sh -c "curl -sf 'http://127.0.0.1:$port/' | grep -q demo.lists.example.org"
check "... searches, under the unit's hardening" sh -c "curl -sf 'http://127.0.0.1:$port/search?q=welcome' | grep -q 'Welcome to the listdex demo list'"
check "... and decodes a message (the helper)" sh -c "curl -sf 'http://127.0.0.1:$port/demo.lists.example.org/welcome-1@example.org/' | grep -q 'Hello everyone'"
main=$(in_ct systemctl show -p MainPID --value listdex-serve.service)
uid=$(in_ct awk '/^Uid:/ { print $2 }' "/proc/$main/status")
check "it runs as the listdex user" test "$uid" = "$(in_ct id -u listdex)"
# (the helper keeps listdex's command line)
host_pid=$(pgrep -f "^/usr/bin/listdex serve --index /var/lib/listdex" | head -1)
check "its process, seen from here" test -n "$host_pid"
check "the index is read-only to it (ProtectSystem=strict)" sh -c \
    "nsenter -t '$host_pid' -m touch /var/lib/listdex/probe 2>&1 | grep -q 'Read-only file system'"
check "it cannot see /root (ProtectHome)" sh -c "nsenter -t '$host_pid' -m ls /root/.bashrc 2>&1 | grep -q 'Permission denied\|No such file'"
check "systemctl start listdex-import.timer" in_ct systemctl start listdex-import.timer
check "... scheduled" sh -c "nsenter -t '$init' -a systemctl list-timers --all --no-pager | grep -q listdex-import.timer"
# listdex-update.service: a mirror under /var/lib/listdex, cloned from a
# "remote" inbox in the root (file:///srv/remote/...), gains a message.
remote=$ROOT/srv/remote/demo/git/0.git
mirror=$ROOT/var/lib/listdex/mirrors/demo/git/0.git
git init -q --bare -b master "$remote"
add_message() { # add_message ID: a public-inbox v2 commit in the remote
    local blob tree parent
    blob=$(printf 'From: Ann <ann@example.org>\nSubject: %s\nMessage-ID: <%s>\nDate: Mon, 01 Jan 2024 10:00:00 +0000\n\nnews\n' \
               "$1" "$1" | git --git-dir "$remote" hash-object -w --stdin)
    tree=$(printf '100644 blob %s\tm\n' "$blob" | git --git-dir "$remote" mktree)
    parent=$(git --git-dir "$remote" rev-parse -q --verify refs/heads/master)
    git --git-dir "$remote" update-ref refs/heads/master \
        "$(git -c user.name=pi -c user.email=pi@example.org --git-dir "$remote" commit-tree "$tree" ${parent:+-p "$parent"} -m m)"
}
add_message first@example.org
git clone -q --mirror "file://$remote" "$mirror"
git --git-dir "$mirror" remote set-url origin file:///srv/remote/demo/git/0.git # as the container sees it
in_ct chown -R listdex:listdex /srv/remote /var/lib/listdex/mirrors # (libgit2 opens only repositories of its user)
check "import the mirror as listdex" in_ct runuser -u listdex -- listdex import -q --index /var/lib/listdex \
    --list demo.example.org /var/lib/listdex/mirrors/demo
add_message second@example.org
in_ct chown -R listdex:listdex /srv/remote
check "systemctl start listdex-update.service (oneshot) succeeds" in_ct systemctl start listdex-update.service
in_ct journalctl -q -u listdex-update.service --no-pager >"$WORK/update.journal" 2>&1
check "... it fetched the mirror and imported the new message, under the mirror's --list" \
    test "$(in_ct runuser -u listdex -- listdex count --index /var/lib/listdex list:demo.example.org id:second@example.org 2>&1)" = 1
check "systemctl start listdex-update.timer" in_ct systemctl start listdex-update.timer
check "systemctl start listdex-compact.service (oneshot) succeeds" in_ct systemctl start listdex-compact.service
check "... the index answers after it" \
    test "$(in_ct runuser -u listdex -- listdex count --index /var/lib/listdex id:second@example.org 2>&1)" = 1
check "... each shard one database" sh -c "for s in '$ROOT'/var/lib/listdex/shards/*.stub; do test \$(wc -l <\"\$s\") = 1 || exit 1; done"
check "systemctl start listdex-compact.timer" in_ct systemctl start listdex-compact.timer
in_ct systemctl --failed --no-legend --no-pager >"$WORK/failed" 2>&1
check "no failed unit of listdex" sh -c "! grep -q listdex '$WORK/failed'"
[ -n "$init" ] && in_ct systemctl poweroff >/dev/null 2>&1
for _ in $(seq 60); do kill -0 $nspawn 2>/dev/null || break; sleep 0.5; done
kill $nspawn 2>/dev/null; wait $nspawn 2>/dev/null; nspawn=""
mount -t proc proc "$ROOT/proc"
mount --bind /dev "$ROOT/dev"

step "purge"
expect_status 0 "apt-get purge listdex" in_root apt-get purge -y -q listdex
check "nothing of the package left" sh -c "! test -e '$ROOT/usr/bin/listdex' && ! test -e '$ROOT/etc/default/listdex' && ! test -e '$ROOT/lib/systemd/system/listdex-serve.service'"
umount "$ROOT/proc" "$ROOT/dev"
finish package
