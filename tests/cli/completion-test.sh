#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The listdex authors
# The bash completion (completions/listdex.bash) driven as bash drives it:
# commands, options, option values, list ids for --list and list:.
# usage: completion-test.sh LISTDEX DATA_DIR COMPLETION_FILE
set -u
LISTDEX=$1 DATA=$2 COMPLETION=$3
WORK=$(mktemp -d /tmp/listdex-completion-XXXXXX)
trap 'rm -rf "$WORK"' EXIT
export HOME=$WORK/home LISTDEX_INDEX=$WORK/ix PATH="$(dirname "$LISTDEX"):$PATH"
. "$(dirname "$0")/lib.sh"
"$LISTDEX" import -q "$DATA/sample.mbox"

complete_line() { # complete_line "listdex se": the candidates, sorted, one line
    bash -c '. "$1"; line=$2; COMP_LINE=$line; COMP_POINT=${#line}
             read -ra COMP_WORDS <<<"$line"; [[ $line == *" " ]] && COMP_WORDS+=("")
             # bash splits words at ":" too
             if [[ ${COMP_WORDS[-1]} == *:* ]]; then last=${COMP_WORDS[-1]}; unset "COMP_WORDS[-1]"
                 COMP_WORDS+=("${last%%:*}" ":" "${last#*:}"); fi
             COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _listdex
             ((${#COMPREPLY[@]})) && printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "' _ "$COMPLETION" "$1"
}
expect() { # expect LINE WANTED
    local got; got=$(complete_line "$1")
    if [ "$got" = "$2" ]; then ok; else bad "completing '$1': got '$got', wanted '$2'"; fi
}
expect "listdex se" "search serve "
expect "listdex t" "tag tags thread "
expect "listdex help n" "new "
expect "listdex help q" "query "
expect "listdex R" "" # not a word of the help text around the command list
expect "listdex " "--help --index --version check compact count help import lists new search serve show tag tags thread update "
expect "listdex search --ou" "--output "
expect "listdex search --output " "ids mbox messages threads "
expect "listdex thread --format " "json mbox text "
expect "listdex show --color " "always auto never "
expect "listdex new --list " "demo.lists.example.org other.lists.example.org "
expect "listdex search list:d" "demo.lists.example.org "
expect "listdex import -j " ""
expect "listdex tags " "dump list restore "
expect "listdex new --m" "--mark "
finish completion
