#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The listdex authors
# Makes one man page with help2man from what the built listdex prints:
# listdex(1) from `listdex --help`, listdex-CMD(1) from `listdex help CMD`,
# listdex-TOPIC(7) from `listdex help TOPIC`; its NAME line is the command's
# (or topic's) line in `listdex help`. man/PAGE.h2m adds examples and see also.
# usage: make-page.sh HELP2MAN LISTDEX MAN_SOURCE_DIR PAGE SECTION VERSION OUT
set -eu
help2man=$1 listdex=$2 src=$3 page=$4 section=$5 version=$6 out=$7
if [ "$page" = listdex ]; then
    help_option=--help
    summary="decode, index and search mailing-list archives"
else
    name=${page#listdex-}
    help_option="help $name"
    summary=$("$listdex" help | awk -v n="$name" '/^  [a-z]/ && $1 == n { $1 = ""; sub(/^ +/, ""); print; exit }')
    [ -n "$summary" ] || { echo "make-page.sh: '$name' is not listed by listdex help" >&2; exit 1; }
fi
exec "$help2man" --no-info --section="$section" --name="$summary" \
    --version-string="$page $version" --help-option="$help_option" \
    --source="listdex $version" --manual="listdex manual" \
    --include="$src/common.h2m" --include="$src/$page.h2m" --output="$out" "$listdex"
