#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The listdex authors
# Reading in the terminal and the reader's own state, end to end on
# data/sample.mbox: threads with bodies, show of several messages, colour
# and width, tags (tag, tags list/dump/restore, tag: and is:), read state
# and `listdex new`. The real terminal (pager, colour on a TTY) is driven
# under tmux by tests/cli/terminal-test.py.
# usage: run-reading-tests.sh LISTDEX DATA_DIR GOLDEN_DIR [--update]
set -u
LISTDEX=$1 DATA=$2 GOLDEN=$3 UPDATE=${4:-}
SAMPLE=$DATA/sample.mbox
WORK=$(mktemp -d /tmp/listdex-reading-XXXXXX)
trap 'rm -rf "$WORK"' EXIT
unset LISTDEX_INDEX XDG_DATA_HOME NO_COLOR COLUMNS LISTDEX_PAGER PAGER
export HOME=$WORK/home XDG_CONFIG_HOME=$WORK/config
. "$(dirname "$0")/lib.sh"
export LISTDEX_INDEX=$WORK/index
"$LISTDEX" import -q "$SAMPLE" || { echo "import failed"; exit 1; }
count() { "$LISTDEX" count "$@"; }

# --- threads with bodies, the tree, several messages -------------------------------
golden "thread-welcome-tree.txt" "$LISTDEX" thread --headers-only welcome-1@example.org
expect_status 0 "thread with bodies" "$LISTDEX" thread greetings-2@example.de
check "every body of the thread is printed" grep -q "Café crème" "$WORK/out"
check "replies are indented under their parent" grep -q "^  From: Björn Müller" "$WORK/out"
check "a reply's unchanged subject is not repeated" test "$(grep -c 'Subject:' "$WORK/out")" = 2
check "not piped through a pager or coloured when stdout is a file" sh -c "! grep -q $'\e' '$WORK/out'"
expect_status 2 "--headers-only is text" "$LISTDEX" thread --headers-only --format json welcome-1@example.org
# Bodies come from the decodings the import stored: `listdex` prints them
# without its GMime helper (a copy with no helper beside it), the same text;
# the stored decodings agree with the raw copies decoded again.
"$LISTDEX" thread greetings-2@example.de >"$WORK/thread.out"
mkdir -p "$WORK/alone" && cp "$(readlink -f "$(command -v "$LISTDEX")")" "$WORK/alone/listdex"
expect_status 0 "thread with bodies needs no helper" "$WORK/alone/listdex" thread greetings-2@example.de
check "... and prints what the helper would" cmp -s "$WORK/out" "$WORK/thread.out"
# show too: one message (text, JSON, raw) and a query.
for args in "greetings-2@example.de" "--format json greetings-2@example.de" "--raw greetings-2@example.de" \
    "--entire-thread from:carol"; do
    # shellcheck disable=SC2086 # the arguments are split on purpose
    "$LISTDEX" show $args >"$WORK/show.out"
    # shellcheck disable=SC2086
    expect_status 0 "show $args needs no helper" "$WORK/alone/listdex" show $args
    check "... and prints what the helper would" cmp -s "$WORK/out" "$WORK/show.out"
done
expect_status 1 "show --save needs the helper (attachment bytes)" "$WORK/alone/listdex" show --save "$WORK/parts" greetings-2@example.de
check "... naming it" grep -q "listdex-mime" "$WORK/err"
expect_status 0 "check --decoding: stored decodings equal fresh ones" "$LISTDEX" check --decoding
# Without stored decodings (an index imported before them): the helper decodes the raw copies.
cp -r "$LISTDEX_INDEX" "$WORK/old-index"
for f in "$WORK"/old-index/raw/*.parsed; do : >"$f"; done
expect_status 0 "thread without stored decodings" "$LISTDEX" thread --index "$WORK/old-index" greetings-2@example.de
check "... is decoded from the raw copies, the same text" cmp -s "$WORK/out" "$WORK/thread.out"
expect_status 1 "... and needs the helper" "$WORK/alone/listdex" thread --index "$WORK/old-index" greetings-2@example.de
check "... naming it" grep -q "listdex-mime" "$WORK/err"
expect_status 1 "show without stored decodings needs the helper" "$WORK/alone/listdex" show --index "$WORK/old-index" greetings-2@example.de
check "... naming it" grep -q "listdex-mime" "$WORK/err"
expect_status 0 "show decodes the raw copy without a stored decoding" "$LISTDEX" show --index "$WORK/old-index" --format json greetings-2@example.de
"$LISTDEX" show --format json greetings-2@example.de >"$WORK/show.out"
check "... the same message" cmp -s "$WORK/out" "$WORK/show.out"
golden "show-several.txt" "$LISTDEX" show quotes-3@example.com '<html-only-5@example.org>'
expect_status 0 "show QUERY" "$LISTDEX" show from:carol OR from:björn
check "a query prints its matches in one thread" test "$(grep -c '^thread:' "$WORK/out")" = 1
check "... both messages" test "$(grep -c 'From: ' "$WORK/out")" = 2
check "... but not the unmatched root" sh -c "! grep -q 'From: Alice' '$WORK/out'"
expect_status 0 "show QUERY --entire-thread" "$LISTDEX" show --entire-thread from:carol
check "--entire-thread prints the whole thread" test "$(grep -c 'From: ' "$WORK/out")" = 3
expect_status 2 "--part takes one message" "$LISTDEX" show --part 2 a@b c@d
expect_status 5 "show of an unknown id among several" "$LISTDEX" show welcome-1@example.org nope@example.org

# A message deeper than the indentation cap says its depth.
python3 - "$WORK/deep.mbox" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    for i in range(10):
        refs = f"In-Reply-To: <deep-{i-1}@example.org>\n" if i else ""
        f.write(f"From d@example.org Mon Mar  4 09:00:00 2024\nFrom: D <d@example.org>\nSubject: Re: deep\n"
                f"Message-ID: <deep-{i}@example.org>\n{refs}Date: Mon, 04 Mar 2024 09:{i:02d}:00 +0000\n\nlevel {i}\n\n")
PY
"$LISTDEX" import -q --index "$WORK/deep" "$WORK/deep.mbox"
expect_status 0 "deep thread" "$LISTDEX" thread --index "$WORK/deep" deep-0@example.org
check "indentation stops at 6 levels" sh -c "grep -q '^            level 9' '$WORK/out' && ! grep -q '^             ' '$WORK/out'"
check "deeper messages say their depth" grep -q "(10/10, depth 9)" "$WORK/out"

# --- colour and width ---------------------------------------------------------
expect_status 0 "--color always" "$LISTDEX" show --color always '<attachments-6@example.com>'
check "header names coloured" grep -q $'\e\\[1;34mFrom:' "$WORK/out"
expect_status 0 "--color never" "$LISTDEX" show --color never '<attachments-6@example.com>'
check "no colour with never" sh -c "! grep -q $'\e' '$WORK/out'"
expect_status 2 "bad --color" "$LISTDEX" show --color sometimes welcome-1@example.org
printf 'From p@example.org Mon Mar  4 09:00:00 2024\nFrom: P <p@example.org>\nSubject: [PATCH] fix\nMessage-ID: <patch-1@example.org>\nDate: Mon, 04 Mar 2024 09:00:00 +0000\n\nFix it.\n\n---\n- a list item\n\ndiff --git a/f.c b/f.c\n--- a/f.c\n+++ b/f.c\n@@ -1,2 +1,2 @@\n context\n-old\n+new\n> quoted\n>> twice\n-- \nSigned Person\n' >"$WORK/patch.mbox"
"$LISTDEX" import -q --index "$WORK/patch" "$WORK/patch.mbox"
"$LISTDEX" show --index "$WORK/patch" --color always patch-1@example.org >"$WORK/patch.out"
check "added lines green" grep -q $'^\e\\[32m+new' "$WORK/patch.out"
check "removed lines red" grep -q $'^\e\\[31m-old' "$WORK/patch.out"
check "hunk headers cyan" grep -q $'^\e\\[36m@@ -1,2' "$WORK/patch.out"
check "a list item before the patch is not a removed line" grep -qx -- "- a list item" "$WORK/patch.out"
check "quote level 1" grep -q $'^\e\\[36m> quoted' "$WORK/patch.out"
check "quote level 2 in another colour" grep -q $'^\e\\[33m>> twice' "$WORK/patch.out"
check "the signature line is not a removed line" grep -q $'^\e\\[2m-- ' "$WORK/patch.out"
COLUMNS=60 "$LISTDEX" search '*' >"$WORK/narrow.out"
check "listings fit \$COLUMNS" python3 -c "import sys; sys.exit(max(len(l.rstrip('\n')) for l in open(sys.argv[1], encoding='utf-8')) > 60)" "$WORK/narrow.out"
check "... keeping thread ids whole" test "$(grep -c ' thread:0000000[0-9a-d]$' "$WORK/narrow.out")" = 13
COLUMNS=50 "$LISTDEX" thread --headers-only welcome-1@example.org >"$WORK/narrow.out"
check "tree lines fit \$COLUMNS" python3 -c "import sys; sys.exit(max(len(l.rstrip('\n')) for l in open(sys.argv[1], encoding='utf-8')) > 50)" "$WORK/narrow.out"
COLUMNS=20 "$LISTDEX" show '<attachments-6@example.com>' >"$WORK/narrow.out"
"$LISTDEX" show '<attachments-6@example.com>' >"$WORK/wide.out"
check "bodies are never cut" cmp -s "$WORK/narrow.out" "$WORK/wide.out"

# --- tags ------------------------------------------------------------------
expect_status 0 "tag +todo" "$LISTDEX" tag +todo -- from:alice
check "tag:todo finds it" test "$(count tag:todo)" = 1
expect_status 0 "tag several, query without --" "$LISTDEX" tag +later +todo subject:welcome
check "tag:later" test "$(count tag:later)" = 3
check "tags are ANDed" test "$(count tag:later tag:todo)" = 3
check "is:TAG is tag:TAG" test "$(count is:later)" = 3
expect_status 0 "tag -later" "$LISTDEX" tag -later -- from:carol
check "-later removed" test "$(count tag:later)" = 2
check "every message starts unread" test "$(count is:unread)" = 17
expect_status 0 "tag +read" "$LISTDEX" tag +read -- list:other
check "is:read" test "$(count is:read)" = 1
check "is:unread" test "$(count is:unread)" = 16
check "tag:unread is is:unread (notmuch)" test "$(count tag:unread)" = 16
expect_status 0 "-unread marks read" "$LISTDEX" tag -unread -- from:dave
check "read: 2" test "$(count is:read)" = 2
expect_status 0 "+unread marks unread" "$LISTDEX" tag +unread -- from:dave
check "read: 1" test "$(count is:read)" = 1
expect_status 0 "tags go by Message-ID" "$LISTDEX" tag +shared -- 'id:announce@example.com dt:20240311013000..'
check "one of two messages with the Message-ID matched" grep -q "1 message matched; 2 changed" "$WORK/err"
check "both carry the tag" test "$(count tag:shared)" = 2
expect_status 2 "a tag with a space" "$LISTDEX" tag '+a b' -- '*'
expect_status 2 "a tag starting with -" "$LISTDEX" tag +-x -- '*'
expect_status 2 "no tag" "$LISTDEX" tag -- '*'
expect_status 2 "no query" "$LISTDEX" tag +x
expect_status 0 "tag with nothing matching" "$LISTDEX" tag +x -- zebra
check "says nothing matched" grep -q "no message matches" "$WORK/err"
expect_status 2 "tag: glob" "$LISTDEX" count 'tag:"a b"'
expect_status 0 "tag: glob" "$LISTDEX" count 'tag:la*'
check "tag:la* is tag:later" grep -qx 2 "$WORK/out"
expect_status 0 "tags list" "$LISTDEX" tags
check "tags list counts" grep -qx "later  2" "$WORK/out"
expect_status 0 "show prints tags" "$LISTDEX" show welcome-1@example.org
check "Tags: line" grep -q "^Tags: *later todo$" "$WORK/out"
expect_status 0 "show json has tags" "$LISTDEX" show --format json welcome-1@example.org
check "json tags" json "$WORK/out" 'd["tags"] == ["later", "todo"]'

# --- tags survive re-import, compaction and check --repair ------------------
snapshot() { for q in tag:todo tag:later tag:shared is:read is:unread; do echo "$q $(count "$q")"; done; }
snapshot >"$WORK/before"
"$LISTDEX" import -q "$SAMPLE" "$WORK/patch.mbox"
"$LISTDEX" tag -x -- id:patch-1@example.org 2>/dev/null
check "re-import keeps tags" sh -c "$(declare -f snapshot count); LISTDEX='$LISTDEX' snapshot | sed 's/is:unread 17/is:unread 16/' | diff -q - '$WORK/before'"
"$LISTDEX" import -q --compact always "$SAMPLE"
snapshot | sed 's/is:unread 17/is:unread 16/' >"$WORK/after"
check "compaction keeps tags" diff -q "$WORK/before" "$WORK/after"
"$LISTDEX" check --repair >/dev/null
snapshot | sed 's/is:unread 17/is:unread 16/' >"$WORK/after"
check "check --repair keeps tags" diff -q "$WORK/before" "$WORK/after"

# --- dump and restore ------------------------------------------------------
expect_status 0 "tags dump" "$LISTDEX" tags dump --output "$WORK/tags.dump"
check "notmuch's header" grep -qx "#notmuch-dump batch-tag:3 tags" "$WORK/tags.dump"
check "one line per Message-ID" grep -qx -- "+later +todo -- id:welcome-1@example.org" "$WORK/tags.dump"
check "copies once" test "$(grep -c 'id:announce@example.com$' "$WORK/tags.dump")" = 1
expect_status 0 "dump a query" "$LISTDEX" tags dump tag:todo
check "only matching messages" test "$(grep -c -- '-- id:' "$WORK/out")" = 3
export LISTDEX_INDEX=$WORK/fresh
"$LISTDEX" import -q "$SAMPLE"
expect_status 0 "restore into a fresh index" "$LISTDEX" tags restore "$WORK/tags.dump"
check "restore reports" grep -q "restored the tags of" "$WORK/err"
snapshot >"$WORK/restored"
check "fresh index + restore: same tag: counts" diff -q "$WORK/before" "$WORK/restored"
expect_status 0 "restore again changes nothing" "$LISTDEX" tags restore "$WORK/tags.dump"
check "0 changed" grep -q "(0 messages changed)" "$WORK/err"
printf '+todo -- id:nothere@example.org\n' | "$LISTDEX" tags restore >/dev/null 2>"$WORK/err"
check "restore counts ids not in the index" grep -q "1 Message-IDs of the dump are not in the index" "$WORK/err"
printf '+todo -- id:welcome-1@example.org\nbroken line\n' >"$WORK/bad.dump"
expect_status 2 "a malformed dump" "$LISTDEX" tags restore "$WORK/bad.dump"
check "names the line; restores nothing" sh -c "grep -q 'bad.dump:2' '$WORK/err' && test \"\$('$LISTDEX' count tag:later)\" = 2"
# A dump written by notmuch: "unread" marks unread messages, hex-escaped names.
printf '#notmuch-dump batch-tag:3 config,properties,tags\n+inbox +unread -- id:welcome-1@example.org\n+inbox +my%%20tag -- id:greetings-2@example.de\n' >"$WORK/notmuch.dump"
expect_status 2 "a tag name listdex cannot hold is refused" "$LISTDEX" tags restore "$WORK/notmuch.dump"
printf '#notmuch-dump batch-tag:3 config,properties,tags\n+inbox +unread -- id:welcome-1@example.org\n+inbox +replied -- id:greetings-2@example.de\n+%%e2%%9c%%93 -- id:quotes-3@example.com\n' >"$WORK/notmuch.dump"
expect_status 0 "restore notmuch's dump" "$LISTDEX" tags restore "$WORK/notmuch.dump"
check "notmuch: without unread is read" test "$("$LISTDEX" search --output ids --sort oldest 'is:read (id:welcome-1@example.org OR id:greetings-2@example.de OR id:quotes-3@example.com)' | tr '\n' ' ')" = "id:greetings-2@example.de id:quotes-3@example.com "
check "notmuch: with unread stays unread; tags set exactly" test "$(count tag:inbox is:unread)" = 1 -a "$(count tag:later)" = 0
check "hex-escaped names decoded" test "$(count tag:✓)" = 1

# --- new --------------------------------------------------------------------
export LISTDEX_INDEX=$WORK/new
"$LISTDEX" import -q "$SAMPLE"
expect_status 0 "new" "$LISTDEX" new
check "every list" test "$(grep -c '^[a-z].* new messages\? in ' "$WORK/out")" = 2
check "counts" grep -qx "demo.lists.example.org  16 new messages in 12 threads" "$WORK/out"
expect_status 0 "new --format json" "$LISTDEX" new --format json
check "json groups" json "$WORK/out" 'd["lists"][0]["list"] == "demo.lists.example.org" and d["lists"][0]["unread"] == 16 and d["lists"][0]["threads"] == 12 == d["lists"][0]["shown_threads"] and len(d["lists"][0]["new_threads"]) == 12 and d["marked_read"] == 0'
check "newest first" json "$WORK/out" '[t["newest"] for t in d["lists"][0]["new_threads"]] == sorted([t["newest"] for t in d["lists"][0]["new_threads"]], reverse=True)'
expect_status 0 "new --limit 3" "$LISTDEX" new --list demo --limit 3
check "the newest 3 threads, exact totals" sh -c "grep -qx 'demo.lists.example.org  16 new messages in 12 threads' '$WORK/out' && test \$(grep -c ' thread:' '$WORK/out') = 3"
check "says how many are not shown" grep -q "(9 older threads not shown: --limit 0 lists them all)" "$WORK/out"
expect_status 0 "new --limit 3 --mark" "$LISTDEX" new --list demo --limit 3 --mark
check "marks only the threads shown" test "$(count is:read)" = "$(count 'thread:0000000c OR thread:0000000b OR thread:0000000a')"
check "... and says the rest stay unread" grep -q "older threads not shown, still unread" "$WORK/out"
expect_status 0 "new --mark" "$LISTDEX" new --list demo --mark
check "marks what it listed" test "$(count is:read)" = 16
expect_status 0 "new after --mark" "$LISTDEX" new --list demo
check "nothing new" grep -qx "nothing new on these lists" "$WORK/out"
expect_status 5 "new --list unknown" "$LISTDEX" new --list nothere
mkdir -p "$XDG_CONFIG_HOME/listdex"
printf '# mine\naddress = Carol@Example.com\n' >"$XDG_CONFIG_HOME/listdex/config"
cat >"$WORK/more.mbox" <<'MBOX'
From x@example.org Mon Mar 18 09:00:00 2024
From: Xavier <x@example.org>
Subject: Re: Welcome to the listdex demo list
Message-ID: <more-1@example.org>
In-Reply-To: <quotes-3@example.com>
List-Id: <demo.lists.example.org>
Date: Mon, 18 Mar 2024 09:00:00 +0000

a reply in a thread Carol wrote in

From y@example.org Mon Mar 18 10:00:00 2024
From: Yvonne <y@example.org>
Subject: Re: Travel office hours
Message-ID: <more-2@example.org>
In-Reply-To: <travel-11@example.com>
List-Id: <demo.lists.example.org>
Date: Mon, 18 Mar 2024 10:00:00 +0000

a reply in another old thread

From z@example.org Mon Mar 18 11:00:00 2024
From: Zoe <z@example.org>
Subject: A brand new topic
Message-ID: <more-3@example.org>
List-Id: <demo.lists.example.org>
Date: Mon, 18 Mar 2024 11:00:00 +0000

a new thread

MBOX
"$LISTDEX" import -q "$WORK/more.mbox"
"$LISTDEX" tag +followed -- id:travel-11@example.com 2>/dev/null
expect_status 0 "new after more mail" "$LISTDEX" new --format json
check "followed threads first: written in by me, tagged followed" json "$WORK/out" 'sorted(t["subject"] for t in d["lists"][0]["followed"]) == ["Travel office hours", "Welcome to the listdex demo list"]'
check "a new thread" json "$WORK/out" '[t["subject"] for t in d["lists"][0]["new_threads"]] == ["A brand new topic"]'
check "counts only unread" json "$WORK/out" 'd["lists"][0]["unread"] == 3 and all(t["unread"] == 1 for t in d["lists"][0]["followed"])'
check "is:followed" test "$(count is:followed)" = 6
expect_status 0 "new text" "$LISTDEX" new --list demo
check "groups in order" test "$(grep -o '^  [a-z][a-z ]*' "$WORK/out" | tr -d ' ' | tr '\n' ,)" = "followed,newthreads,"
printf 'addresss = x\n' >"$XDG_CONFIG_HOME/listdex/config"
expect_status 2 "a bad configuration names file and line" "$LISTDEX" new
check "file:line" grep -q "config/listdex/config:1: unknown key 'addresss'" "$WORK/err"

# --- docs/cli.md names every command and option `listdex help` prints --------
DOCS=$DATA/../docs/cli.md
for c in $("$LISTDEX" help | sed -n '/^Commands:/,/^$/p' | awk 'NF > 1 && $1 != "help" {print $1}'); do
    check "docs/cli.md has a section for listdex $c" grep -q "^## \`listdex $c" "$DOCS"
    for o in $("$LISTDEX" help "$c" | sed -n '/options:$/,$p' | grep -o -- '^  [-a-z [ ]*--[a-z][a-z-]*' | grep -o -- '--[a-z][a-z-]*$' | sort -u); do
        case $o in --help|--id|--path|--query|--action) continue ;; esac # common or positional
        check "docs/cli.md names listdex $c $o" grep -q -- "\`$o" "$DOCS"
    done
done

finish reading
