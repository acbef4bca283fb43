#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The listdex authors
# The man pages (made by help2man from `listdex help`, man/make-page.sh):
# one per command and topic, each rendered by man without a warning, each
# naming every option and field its --help prints, and every page they refer
# to exists.
# usage: man-test.sh LISTDEX MAN_DIR
set -u
LISTDEX=$1 MAN=$2
WORK=$(mktemp -d /tmp/listdex-man-XXXXXX)
trap 'rm -rf "$WORK"' EXIT
. "$(dirname "$0")/lib.sh"

render() { # render PAGE_FILE: the page as man prints it, hyphenation and adjustment off
    MANWIDTH=200 MAN_KEEP_FORMATTING= man --warnings=all -E UTF-8 -l "$1" 2>"$WORK/warnings" |
        col -b | sed 's/‐/-/g'
}
pages=(listdex.1 listdex-query.7)
for cmd in $("$LISTDEX" help | awk '/^Commands:/ { on = 1; next } /^$/ { on = 0 } on && /^  [a-z]/ { print $1 }'); do
    [ "$cmd" = help ] || pages+=("listdex-$cmd.1")
done
check "a page for each of the ${#pages[@]} commands and topics" test ${#pages[@]} -ge 12
for page in "${pages[@]}"; do
    if [ ! -f "$MAN/$page" ]; then bad "$page: no such page in $MAN"; continue; fi
    render "$MAN/$page" >"$WORK/text"
    if [ -s "$WORK/warnings" ]; then bad "$page: man --warnings: $(head -3 "$WORK/warnings")"; else ok; fi
    name=${page%.*}
    check "$page: NAME line" grep -q "^ *$name - [a-z]" "$WORK/text"
    case $name in
    listdex) help=("$LISTDEX" --help) ;;
    *) help=("$LISTDEX" help "${name#listdex-}") ;;
    esac
    "${help[@]}" >"$WORK/help"
    # Every option and field of --help is in the page: they come from one text.
    missing=""
    for word in $(grep -oE -- '(^|[ [])--[a-z][a-z-]+' "$WORK/help" | grep -oE -- '--[a-z-]+' | sort -u) \
                $(grep -oE '^  [a-z]+: ' "$WORK/help" | tr -d ' ' | sort -u); do
        grep -qF -- "$word" "$WORK/text" || missing+=" $word"
    done
    if [ -z "$missing" ]; then ok; else bad "$page lacks what --help prints:$missing"; fi
    check "$page: SEE ALSO" grep -q "^SEE ALSO" "$WORK/text"
    # Every listdex page it names exists.
    for ref in $(grep -oE 'listdex(-[a-z]+)?\([178]\)' "$WORK/text" | sort -u); do
        ref_file="${ref%(*}.${ref#*(}"; ref_file=${ref_file%)}
        check "$page refers to $ref, which exists" test -f "$MAN/$ref_file"
    done
done
render "$MAN/listdex.1" | perl -0pe 's/-\n\s+/-/g' >"$WORK/listdex.txt" # lines broken after a hyphen joined
for page in "${pages[@]:1}"; do
    check "listdex(1) names ${page%.*}" grep -qF "${page%.*}(${page##*.})" "$WORK/listdex.txt"
done
render "$MAN/listdex-query.7" >"$WORK/query.txt"
check "listdex-query(7) has the examples" bash -c 'grep -A2 "^EXAMPLES" "$1" | grep -q "listdex search"' _ "$WORK/query.txt"
finish man
