# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The listdex authors
# Helpers of the CLI test scripts (sourced). They need WORK (a scratch
# folder) and GOLDEN/UPDATE for golden(); each script prints its tally with
# finish().
pass=0 failed=0

ok()   { pass=$((pass + 1)); }
bad()  { failed=$((failed + 1)); echo "FAIL: $*"; }
check() { # check DESCRIPTION COMMAND...: the command must succeed
    local what=$1; shift
    if "$@"; then ok; else bad "$what"; fi
}
expect_status() { # expect_status WANT DESCRIPTION COMMAND...
    local want=$1 what=$2; shift 2
    "$@" >"$WORK/out" 2>"$WORK/err"; local got=$?
    if [ "$got" = "$want" ]; then ok; else bad "$what: exit $got, wanted $want"; sed 's/^/    /' "$WORK/err" | head -5; fi
}
golden() { # golden NAME COMMAND...: stdout must equal tests/cli/golden/NAME
    local name=$1; shift
    "$@" >"$WORK/golden.out" 2>"$WORK/golden.err"
    if [ "$UPDATE" = --update ]; then cp "$WORK/golden.out" "$GOLDEN/$name"; ok; return; fi
    if diff -u "$GOLDEN/$name" "$WORK/golden.out" >"$WORK/golden.diff"; then ok; else bad "golden $name"; head -20 "$WORK/golden.diff"; fi
}
json() { # json FILE PYTHON-EXPRESSION-ON-d: must be true
    python3 -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if ($2) else 1)" "$1"
}

finish() { # finish NAME: the tally; the exit status of the script
    echo
    echo "$1: $pass passed, $failed failed"
    [ "$failed" = 0 ]
}
