#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The listdex authors
# Shards: an index split into 3 shards answers exactly like a 1-shard
# index, and one whose shard 1 is served by xapian-tcpsrv (Xapian's remote
# backend) answers exactly like the all-local one; so does one whose shards
# are several databases each (--database-documents), locally, served, and
# after listdex compact.
# usage: run-shard-tests.sh LISTDEX DATA_DIR
set -u
LISTDEX=$1 DATA=$2
SAMPLE=$DATA/sample.mbox
WORK=$(mktemp -d /tmp/listdex-shards-XXXXXX)
SERVER=""
cleanup() { [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
unset LISTDEX_INDEX XDG_DATA_HOME
pass=0 failed=0
ok()  { pass=$((pass + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }

# Every command whose output must not depend on where the shards are.
QUERIES=('*' 'from:alice' 'subject:welcome' '"quoted printable"' 'date:2024..2024-06 AND list:*' 'attachment:pdf'
         'thread:00000001' 'mimetype:text/html' 'NOT from:bob' 'body:résumé' 'zebra')
THREADS=(welcome-1@example.org announce@example.com reply-16@example.jp 00000002)
run_all() { # run_all INDEX OUTFILE: every answer, one after the other
    local ix=$1
    {
        for q in "${QUERIES[@]}"; do
            for out in messages threads; do
                echo "== search $out $q"; "$LISTDEX" search --index "$ix" --output "$out" --limit 0 -- "$q" 2>&1; echo "exit $?"
                echo "== json $out $q"; "$LISTDEX" search --index "$ix" --output "$out" --format json -- "$q" 2>&1; echo "exit $?"
                echo "== count $out $q"; "$LISTDEX" count --index "$ix" --output "$out" -- "$q" 2>&1; echo "exit $?"
            done
        done
        for t in "${THREADS[@]}"; do
            echo "== thread $t"; "$LISTDEX" thread --index "$ix" "$t" 2>&1; echo "exit $?"
            echo "== thread json $t"; "$LISTDEX" thread --index "$ix" --format json "$t" 2>&1; echo "exit $?"
            echo "== thread mbox $t"; "$LISTDEX" thread --index "$ix" --format mbox "$t" 2>&1; echo "exit $?"
        done
        echo "== show"; "$LISTDEX" show --index "$ix" announce@example.com 2>&1; echo "exit $?"
    } >"$2"
}
same() { # same WHAT A B
    if diff -u "$2" "$3" >"$WORK/diff"; then ok; else bad "$1"; head -30 "$WORK/diff"; fi
}

"$LISTDEX" import --quiet --index "$WORK/one" --shards 1 "$SAMPLE" || bad "import into 1 shard"
"$LISTDEX" import --quiet --index "$WORK/three" --shards 3 "$SAMPLE" || bad "import into 3 shards"
grep -qx "shards = 3" "$WORK/three/listdex.conf" && ok || bad "config records 3 shards"
for n in 0 1 2; do
    [ -s "$WORK/three/raw/$n.pack" ] && ok || bad "shard $n holds messages"
done
run_all "$WORK/one" "$WORK/one.out"
run_all "$WORK/three" "$WORK/three.out"
grep -q "Welcome" "$WORK/one.out" && ok || bad "the answers are not empty"
same "3 shards answer like 1" "$WORK/one.out" "$WORK/three.out"

# A second import into the 3-shard index keeps its 3 shards.
"$LISTDEX" import --quiet --index "$WORK/three" --shards 5 "$SAMPLE" || bad "re-import"
grep -qx "shards = 3" "$WORK/three/listdex.conf" && ok || bad "an existing index keeps its shard count"

# --- shard 1 on xapian-tcpsrv ---------------------------------------------------
cp -r "$WORK/three" "$WORK/mixed"
rm -rf "$WORK/mixed/shards/1."*             # the local copy is gone: only the server has it
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
serve_shard() { # serve_shard STUB: xapian-tcpsrv for it on $PORT, as $SERVER, once it accepts
    # Its own session: on SIGTERM xapian-tcpsrv signals its whole process group.
    setsid xapian-tcpsrv --quiet --interface 127.0.0.1 --port "$PORT" "$1" 2>"$WORK/server.err" &
    SERVER=$!
    for _ in $(seq 50); do
        python3 -c "import socket,sys; socket.create_connection(('127.0.0.1', $PORT), 0.2)" 2>/dev/null && break
        sleep 0.1
    done
}
serve_shard "$WORK/three/shards/1.stub"
echo "shard.1 = tcp://127.0.0.1:$PORT" >>"$WORK/mixed/listdex.conf"
run_all "$WORK/mixed" "$WORK/mixed.out"
same "a remote shard answers like a local one" "$WORK/three.out" "$WORK/mixed.out"

"$LISTDEX" import --index "$WORK/mixed" "$SAMPLE" >"$WORK/out" 2>"$WORK/err"
status=$?
if [ $status -eq 2 ] && grep -q "searching only" "$WORK/err" && [ ! -e "$WORK/mixed/shards/1.stub" ]; then ok
else bad "import into a folder with a remote shard is refused (exit $status)"; cat "$WORK/err"; fi

kill "$SERVER"; wait "$SERVER" 2>/dev/null; SERVER=""
"$LISTDEX" count --index "$WORK/mixed" '*' >"$WORK/out" 2>"$WORK/err"
status=$?
if [ $status -ne 0 ] && grep -q "127.0.0.1" "$WORK/err"; then ok; else bad "an unreachable shard is an error naming it (exit $status)"; cat "$WORK/err"; fi

# A shard of another index (another host's lists): refused by name, not
# merged (thread ids are per index: thread 00000001 there is another thread).
"$LISTDEX" import --quiet --index "$WORK/other" --shards 3 "$SAMPLE" || bad "import the other index"
grep -q "^id = [0-9a-f]\{32\}$" "$WORK/other/listdex.conf" && ok || bad "a new index has an id"
cp -r "$WORK/three" "$WORK/foreign"
rm -rf "$WORK/foreign/shards/1."*
serve_shard "$WORK/other/shards/1.stub"
echo "shard.1 = tcp://127.0.0.1:$PORT" >>"$WORK/foreign/listdex.conf"
"$LISTDEX" search --index "$WORK/foreign" '*' >"$WORK/out" 2>"$WORK/err"
status=$?
if [ $status -eq 1 ] && grep -q "shard 1 (tcp://127.0.0.1:$PORT) belongs to index" "$WORK/err" && [ ! -s "$WORK/out" ]; then ok
else bad "a shard of another index is refused, naming it (exit $status)"; cat "$WORK/err"; fi
kill "$SERVER"; wait "$SERVER" 2>/dev/null; SERVER=""

# --- shards of several databases ----------------------------------------------
# Imports in three parts, a new database in a shard once its newest holds 3
# documents, against the same parts into one database per shard.
python3 - "$SAMPLE" "$WORK" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8", errors="surrogateescape").read()
parts = re.split(r"(?m)^(?=From \S+ \w{3} \w{3} )", text)[1:]
for n in range(3):
    with open(f"{sys.argv[2]}/third{n}.mbox", "w", encoding="utf-8", errors="surrogateescape") as f:
        f.write("".join(parts[n::3]))
PY
for n in 0 1 2; do
    "$LISTDEX" import --quiet --index "$WORK/flat" --shards 3 --compact never --database-documents 0 "$WORK/third$n.mbox" || bad "import part $n"
    "$LISTDEX" import --quiet --index "$WORK/layered" --shards 3 --compact never --database-documents 3 "$WORK/third$n.mbox" || bad "import part $n, several databases"
done
layers=$(cat "$WORK"/layered/shards/*.stub | wc -l)
[ "$layers" -ge 7 ] && ok || bad "the shards hold several databases ($layers in 3 shards)"
[ "$(cat "$WORK"/flat/shards/*.stub | wc -l)" = 3 ] && ok || bad "--database-documents 0: one database per shard"
run_all "$WORK/flat" "$WORK/flat.out"
run_all "$WORK/layered" "$WORK/layered.out"
same "shards of several databases answer like shards of one" "$WORK/flat.out" "$WORK/layered.out"
cp -r "$WORK/layered" "$WORK/layered-remote"
rm -rf "$WORK/layered-remote/shards/1."*
serve_shard "$WORK/layered/shards/1.stub"
echo "shard.1 = tcp://127.0.0.1:$PORT" >>"$WORK/layered-remote/listdex.conf"
run_all "$WORK/layered-remote" "$WORK/layered-remote.out"
same "a remote shard of several databases answers like a local one" "$WORK/flat.out" "$WORK/layered-remote.out"
kill "$SERVER"; wait "$SERVER" 2>/dev/null; SERVER=""
"$LISTDEX" compact --index "$WORK/layered" >"$WORK/out" 2>"$WORK/err" && ok || { bad "listdex compact"; cat "$WORK/err"; }
grep -q "^$WORK/layered: 3 shards, $layers databases merged into 3; " "$WORK/out" && ok || { bad "compact says what it merged"; cat "$WORK/out"; }
[ "$(cat "$WORK"/layered/shards/*.stub | wc -l)" = 3 ] && ok || bad "compacted: one database per shard"
run_all "$WORK/layered" "$WORK/compacted.out"
same "compacted, the answers are the same" "$WORK/flat.out" "$WORK/compacted.out"
"$LISTDEX" compact --index "$WORK/layered" --format json >"$WORK/out" 2>&1 &&
    python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['shards'] == 3 and d['databases_before'] == 3 and d['bytes_after'] > 0" "$WORK/out" &&
    ok || { bad "compact --format json"; cat "$WORK/out"; }
"$LISTDEX" compact --index "$WORK/none" >"$WORK/out" 2>"$WORK/err"
status=$?
[ $status -eq 4 ] && grep -q "no listdex index" "$WORK/err" && [ ! -e "$WORK/none" ] && ok || bad "compact without an index: exit 4, nothing made (exit $status)"
printf 'glass 0.g1\nglass ../elsewhere\n' >"$WORK/layered/shards/0.stub"
"$LISTDEX" count --index "$WORK/layered" '*' >"$WORK/out" 2>"$WORK/err"
status=$?
[ $status -ne 0 ] && grep -q "0.stub:2: not a database of shard 0" "$WORK/err" && ok || { bad "a stub naming something else is an error naming it (exit $status)"; cat "$WORK/err"; }

echo "shard.7 = tcp://127.0.0.1:1" >>"$WORK/mixed/listdex.conf"
"$LISTDEX" count --index "$WORK/mixed" '*' >"$WORK/out" 2>"$WORK/err"
if [ $? -ne 0 ] && grep -q "listdex.conf" "$WORK/err"; then ok; else bad "a shard the index does not have is a config error"; cat "$WORK/err"; fi

echo "shards: $pass passed, $failed failed"
[ "$failed" -eq 0 ]
