#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The listdex authors
# Installs what listdex needs on Debian 12 (as root, or with sudo).
# usage: scripts/install-deps.sh [--test|--fuzz]
#   --test adds what the tests use; --fuzz adds clang 19 and libFuzzer.
set -euo pipefail
packages=(g++ cmake make pkg-config help2man
          libgmime-3.0-dev libxapian-dev libboost-program-options-dev libarchive-dev
          libgit2-dev libzstd-dev libxxhash-dev libxml2-dev nlohmann-json3-dev libjemalloc-dev
          libcpp-httplib-dev zlib1g-dev libdeflate-dev)
if [ "${1:-}" = --test ]; then
    # chromium: the web server's browser tests (driven by playwright-core from npm)
    # notmuch and public-inbox: independent references the search tests compare with
    # b4, lei (with curl): the real clients driven against `listdex serve`; wrk: its load tests
    # mhonarc: makes the MHonArc web archives the HTML import is tested against
    # tmux, less and procps (ps): the terminal tests drive a real terminal and find its pager
    # man-db: the man page test renders every page; systemd: systemd-analyze checks the units
    packages+=(libgtest-dev python3 git xz-utils gzip bzip2 zstd notmuch public-inbox xapian-tools chromium
               b4 lei curl wrk mhonarc tmux less procps man-db systemd)
    # Node and npm: Debian's, unless a Node with npm is already there.
    command -v npm >/dev/null || packages+=(nodejs npm)
elif [ "${1:-}" = --fuzz ]; then
    # clang 19 (Debian 12): libstdc++'s <expected> needs a newer clang than 14.
    packages+=(clang-19 libclang-rt-19-dev python3)
fi
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
echo "installing: ${missing[*]}" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
