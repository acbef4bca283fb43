#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The listdex authors
# End-to-end tests of the listdex CLI on data/sample.mbox.
# usage: run-cli-tests.sh LISTDEX DATA_DIR GOLDEN_DIR [--update]
# --update rewrites the golden files from the current output (review the diff!).
set -u
LISTDEX=$1 DATA=$2 GOLDEN=$3 UPDATE=${4:-}
SAMPLE=$DATA/sample.mbox
WORK=$(mktemp -d /tmp/listdex-cli-XXXXXX)
trap 'rm -rf "$WORK"' EXIT
unset LISTDEX_INDEX XDG_DATA_HOME
export HOME=$WORK/home
. "$(dirname "$0")/lib.sh"

IX=$WORK/index

# --- import, re-import, count -------------------------------------------
expect_status 0 "import sample" "$LISTDEX" import --index "$IX" "$SAMPLE"
check "summary counts 17 new messages" grep -q "Imported 17 new messages" "$WORK/out"
check "summary names the date fallback" grep -q "dates from mbox From_ line: 1" "$WORK/out"
expect_status 0 "re-import sample" "$LISTDEX" import --index "$IX" --format json "$SAMPLE"
check "re-import adds nothing" json "$WORK/out" 'd["imported"] == 0 and d["duplicates"] == 17 and d["index_messages"] == 17'
expect_status 0 "count" "$LISTDEX" count --index "$IX"
check "count prints 17" grep -qx 17 "$WORK/out"
expect_status 0 "count '*'" "$LISTDEX" count --index "$IX" '*'
check "count '*' prints 17" grep -qx 17 "$WORK/out"

# --- show: golden text output for every decoding case ----------------------
for id in welcome-1@example.org greetings-2@example.de quotes-3@example.com alternative-4@example.net \
          html-only-5@example.org attachments-6@example.com forward-7@example.org flowed-8@example.com \
          uuencode-9@example.net charset-damage-10@example.org travel-11@example.com \
          broken-date-13@example.org announce@example.com reply-16@example.jp other-list-17@example.org; do
    golden "show-${id%%@*}.txt" "$LISTDEX" show --index "$IX" "<$id>"
done
golden "show-announce-json.txt" "$LISTDEX" show --index "$IX" --format json announce@example.com
# The show goldens are the decoder's fingerprint. Imports store decodings
# (ParsedRecord.hpp) that readers trust while their version is the
# decoder's: output that changes under the same kParsedRecordVersion would
# leave every existing index showing the old decodings.
fingerprint() {
    local version
    version=$(sed -n 's/.*kParsedRecordVersion = \([0-9]*\);.*/\1/p' "$GOLDEN/../../../include/listdex/mime/ParsedRecord.hpp")
    echo "kParsedRecordVersion $version, show goldens $(cat "$GOLDEN"/show-*.txt | sha256sum | cut -c1-16)"
}
if [ "$(fingerprint)" = "$(cat "$GOLDEN/decoder-fingerprint.txt")" ]; then
    ok
elif [ "$UPDATE" = --update ] && [ "$(fingerprint | cut -d, -f1)" != "$(cut -d, -f1 "$GOLDEN/decoder-fingerprint.txt")" ]; then
    fingerprint >"$GOLDEN/decoder-fingerprint.txt"; ok
else
    bad "decoded output changed ($(fingerprint)) under the same decoder version as golden/decoder-fingerprint.txt: raise kParsedRecordVersion in include/listdex/mime/ParsedRecord.hpp, then run --update"
fi

# ID forms and the per-content keys of a shared Message-ID.
for form in 'welcome-1@example.org' '<welcome-1@example.org>' 'id:welcome-1@example.org' 'id:<welcome-1@example.org>'; do
    expect_status 0 "show accepts $form" "$LISTDEX" show --index "$IX" "$form"
done
"$LISTDEX" show --index "$IX" --format json announce@example.com >"$WORK/both.json"
check "shared Message-ID shows two messages" json "$WORK/both.json" 'isinstance(d, list) and len(d) == 2 and d[0]["id"] != d[1]["id"]'
key=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[1]["id"])' "$WORK/both.json")
"$LISTDEX" show --index "$IX" --format json "$key" >"$WORK/one.json"
check "a key shows exactly one message" json "$WORK/one.json" "isinstance(d, dict) and d['id'] == '$key' and 'corrected' in d['body']"

# JSON fields documented in docs/json.md.
"$LISTDEX" show --index "$IX" --format json greetings-2@example.de >"$WORK/g.json"
check "json has the documented fields" json "$WORK/g.json" 'all(k in d for k in ["id","from","to","cc","date","subject","list","in_reply_to","references","body","attachments"])'
check "json values are decoded" json "$WORK/g.json" 'd["from"] == "Björn Müller <bjoern@example.de>" and d["date"] == "2024-03-04T10:15:00Z" and d["in_reply_to"] == "welcome-1@example.org" and d["references"] == ["welcome-1@example.org"] and d["list"] == "demo.lists.example.org"'
"$LISTDEX" show --index "$IX" --format json attachments-6@example.com >"$WORK/a.json"
check "json attachments" json "$WORK/a.json" 'd["attachments"][0] == {"filename": "résumé final.pdf", "mime_type": "application/pdf", "size": 293, "part": 3}'

# --raw prints the original bytes: compare with an independent split of the
# sample (From_ line removed, mboxrd quoting undone).
python3 - "$SAMPLE" "$WORK/raw-expected" <<'PY'
import re, sys
data = open(sys.argv[1], 'rb').read()
parts = re.split(rb'(?m)^From \S+ (?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) .*\n', data)[1:]
msg = next(p for p in parts if b'<travel-11@example.com>' in p)
msg = re.sub(rb'(?m)^>(>*From )', rb'\1', msg)
open(sys.argv[2], 'wb').write(msg[:-1])  # drop the separator's blank line
PY
"$LISTDEX" show --index "$IX" --raw travel-11@example.com >"$WORK/raw-got"
check "show --raw is byte-exact" cmp -s "$WORK/raw-expected" "$WORK/raw-got"

expect_status 5 "unknown Message-ID" "$LISTDEX" show --index "$IX" nope@example.org
check "unknown id error names it" grep -q "nope@example.org" "$WORK/err"
expect_status 2 "bad --format" "$LISTDEX" show --index "$IX" --format xml welcome-1@example.org
expect_status 4 "show without an index" "$LISTDEX" show --index "$WORK/none" welcome-1@example.org
check "missing index hint" grep -q "hint:" "$WORK/err"

# --- search, count, thread ------------------------------------------------------
golden "search-threads.txt" "$LISTDEX" search --index "$IX" '*'
golden "search-messages.txt" "$LISTDEX" search --index "$IX" --output messages --sort oldest --limit 4 '*'
golden "search-messages-offset.txt" "$LISTDEX" search --index "$IX" --output messages --sort oldest --offset 15 '*'
golden "thread-welcome.txt" "$LISTDEX" thread --index "$IX" welcome-1@example.org
golden "thread-ghost.txt" "$LISTDEX" thread --index "$IX" '<reply-16@example.jp>'
golden "thread-welcome-json.txt" "$LISTDEX" thread --index "$IX" --format json quotes-3@example.com
expect_status 0 "count threads" "$LISTDEX" count --index "$IX" --output threads
check "13 threads" grep -qx 13 "$WORK/out"
# Every prefix and short form, on the sample archive.
while IFS='|' read -r query want; do
    got=$("$LISTDEX" count --index "$IX" "$query" 2>&1)
    if [ "$got" = "$want" ]; then ok; else bad "count '$query': got $got, wanted $want"; fi
done <<'QUERIES'
from:alice|1
f:"Björn Müller"|1
to:renee@example.fr|1
t:rita|1
cc:zoe|1
c:Zoë|1
subject:announcement|2
s:"Grüße aus Zürich"|1
body:pamplemousse|1
b:kumquat|1
attachment:résumé|1
n:hello.txt|1
list:demo.lists.example.org|16
l:other@lists.example.org|1
id:welcome-1@example.org|1
m:<announce@example.com>|2
mimetype:application/pdf|1
mimetype:message/rfc822|1
ref:welcome-1@example.org|2
thread:00000001|3
date:2024-03-04|3
d:2024-03-05..2024-03-07|6
date:2024-03-11..|4
date:..2024-03-04|3
date:@1709542800..@1709546400|1
date:2.years.ago..|0
welcome OR alternative|5
welcome AND NOT from:alice|2
welcome -from:alice|2
"travel office"|1
"office travel"|0
travel*|1
smart quotes|1
grüße|1
日本語|2
*|17
QUERIES
expect_status 2 "invalid query" "$LISTDEX" search --index "$IX" 'fromm:alice'
check "invalid query error is one line naming the field" test "$(wc -l <"$WORK/err")" = 1 -a -n "$(grep "unknown field 'fromm:'" "$WORK/err")"
expect_status 2 "bad date" "$LISTDEX" count --index "$IX" 'date:someday'
check "bad date explains the forms" grep -q "YYYY-MM-DD" "$WORK/err"
expect_status 2 "unbalanced query" "$LISTDEX" search --index "$IX" '(welcome'
expect_status 2 "search without a query" "$LISTDEX" search --index "$IX"
expect_status 0 "no match is not an error" "$LISTDEX" search --index "$IX" zebrafish
check "no match prints nothing" test ! -s "$WORK/out"
expect_status 5 "unknown thread" "$LISTDEX" thread --index "$IX" nope@example.org
"$LISTDEX" search --index "$IX" --format json welcome >"$WORK/st.json"
check "thread json fields" json "$WORK/st.json" 'len(d) == 1 and d[0]["messages"] == 3 and d[0]["matched"] == 3 and d[0]["authors"] == ["Alice Example", "Björn Müller", "Carol"] and d[0]["newest"] == "2024-03-04T12:00:00Z" and d[0]["oldest"] == "2024-03-04T09:00:00Z" and d[0]["subject"] == "Welcome to the listdex demo list" and d[0]["thread"] == "00000001"'
"$LISTDEX" search --index "$IX" --format json --output messages pamplemousse >"$WORK/sm.json"
check "message json fields" json "$WORK/sm.json" 'len(d) == 1 and d[0]["id"] == "forward-7@example.org" and d[0]["thread"] and d[0]["date"] == "2024-03-06T15:00:00Z" and d[0]["from"] == "Grace <grace@example.org>" and d[0]["list"] == "demo.lists.example.org" and "pamplemousse plan" in d[0]["snippet"]'
# mbox export: re-importing it gives the same messages, byte for byte.
"$LISTDEX" thread --index "$IX" --format mbox greetings-2@example.de >"$WORK/thread.mbox"
rm -rf "$WORK/ix5"
expect_status 0 "import exported thread" "$LISTDEX" import -q --index "$WORK/ix5" "$WORK/thread.mbox"
check "exported thread has 3 messages" test "$("$LISTDEX" count --index "$WORK/ix5")" = 3
for id in welcome-1@example.org greetings-2@example.de quotes-3@example.com; do
    "$LISTDEX" show --index "$IX" --raw "$id" >"$WORK/a.raw"; "$LISTDEX" show --index "$WORK/ix5" --raw "$id" >"$WORK/b.raw"
    check "mbox export keeps $id byte-exact" cmp -s "$WORK/a.raw" "$WORK/b.raw"
done
check "mbox export threads the same" test "$("$LISTDEX" thread --index "$WORK/ix5" welcome-1@example.org | tail -n +2)" = "$("$LISTDEX" thread --index "$IX" welcome-1@example.org | tail -n +2)"

# --- every input form ----------------------------------------------------------
fresh() { rm -rf "$WORK/ix2"; }
count2() { "$LISTDEX" count --index "$WORK/ix2"; }
for z in "gzip -c" "xz -c" "bzip2 -c" "zstd -q -c"; do
    fresh; $z "$SAMPLE" >"$WORK/archive.bin"    # name says nothing about the format
    expect_status 0 "import ${z%% *} archive" "$LISTDEX" import -q --index "$WORK/ix2" "$WORK/archive.bin"
    check "${z%% *}: 17 messages" test "$(count2)" = 17
done
fresh; expect_status 0 "import from stdin" sh -c "cat '$SAMPLE' | '$LISTDEX' import -q --index '$WORK/ix2' -"
check "stdin: 17 messages" test "$(count2)" = 17
fresh; expect_status 0 "import compressed stdin" sh -c "xz -c '$SAMPLE' | '$LISTDEX' import -q --index '$WORK/ix2' -"
check "compressed stdin: 17 messages" test "$(count2)" = 17
fresh; sed 's/$/\r/' "$SAMPLE" >"$WORK/crlf.mbox"
expect_status 0 "import CRLF mbox" "$LISTDEX" import -q --index "$WORK/ix2" "$WORK/crlf.mbox"
check "CRLF: 17 messages" test "$(count2)" = 17
expect_status 0 "CRLF copy is a duplicate of the LF original" "$LISTDEX" import --index "$WORK/ix2" --format json "$SAMPLE"
check "CRLF and LF dedup" json "$WORK/out" 'd["imported"] == 0 and d["duplicates"] == 17'

# Maildir tree and a single .eml file.
fresh; mkdir -p "$WORK/mail/inbox/"{cur,new,tmp} "$WORK/mail/lists/demo/cur"
"$LISTDEX" show --index "$IX" --raw welcome-1@example.org >"$WORK/mail/inbox/cur/1.host:2,S"
"$LISTDEX" show --index "$IX" --raw quotes-3@example.com >"$WORK/mail/inbox/new/2.host"
"$LISTDEX" show --index "$IX" --raw flowed-8@example.com >"$WORK/mail/lists/demo/cur/3.host:2,"
"$LISTDEX" show --index "$IX" --raw travel-11@example.com >"$WORK/mail/inbox/tmp/4.host"
expect_status 0 "import Maildir tree" "$LISTDEX" import -q --index "$WORK/ix2" "$WORK/mail"
check "Maildir: 3 messages (tmp/ ignored)" test "$(count2)" = 3
"$LISTDEX" show --index "$IX" --raw greetings-2@example.de >"$WORK/single.eml"
expect_status 0 "import .eml" "$LISTDEX" import -q --index "$WORK/ix2" "$WORK/single.eml"
check "eml: 4 messages" test "$(count2)" = 4

# A folder of loose files: what is not mail is skipped and listed, with why.
fresh; mkdir -p "$WORK/loose"
printf 'From: A <a@example.org>\nSubject: no blank line\nMessage-ID: <loose-1@example.org>\nFirst body line.\n' \
    >"$WORK/loose/no-blank.eml"
printf 'Meeting notes\nmore\n' >"$WORK/loose/notes.txt"
for i in $(seq 1 25); do printf '\211PNG\r\n\032\n\0\0' >"$WORK/loose/img$i.png"; done
expect_status 0 "import a folder with files that are not mail" "$LISTDEX" import --index "$WORK/ix2" "$WORK/loose"
check "folder: the loose message is imported" test "$(count2)" = 1
check "folder: 20 listed, then a count" grep -q '\.\.\. and 6 more (--verbose lists them)' "$WORK/out"
expect_status 0 "import the folder again, --verbose" "$LISTDEX" import --verbose --index "$WORK/ix2" "$WORK/loose"
check "folder: skipped files listed with why" grep -q 'loose/notes.txt: not mail: its first line "Meeting notes"' "$WORK/out"
check "--verbose lists every skipped file" test "$(grep -c 'binary data, not mail' "$WORK/out")" = 25
expect_status 0 "the body's first line is kept" "$LISTDEX" show --index "$WORK/ix2" loose-1@example.org
check "no blank line: first body line kept" grep -q '^First body line\.$' "$WORK/out"

# MHonArc web archives: a folder of pages as mirrored, one page, a .tar.gz.
MHONARC=$GOLDEN/../../corpus/mhonarc/pages
fresh
expect_status 0 "import an MHonArc folder" "$LISTDEX" import --index "$WORK/ix2" --format json "$MHONARC"
check "MHonArc: 2 messages rebuilt from HTML pages" json "$WORK/out" \
    'd["imported"] == 2 and d["from_html"] == 2 and d["index_messages"] == 2'
check "MHonArc: index pages and the saved attachment skipped, with why" json "$WORK/out" \
    'sorted(s.split("/")[-1] for s in d["skipped_files"]) == ["maillist.html: an MHonArc index page, not a message", "pdffI_g16PMf4.pdf: not mail: its first line \"%PDF-1.4\" is neither an mbox From_ line nor a message header", "threads.html: an MHonArc index page, not a message"]'
expect_status 0 "show a rebuilt message" "$LISTDEX" show --index "$WORK/ix2" m1@example.org
check "show says it was rebuilt" grep -q '^Rebuilt: *from a page of an HTML (MHonArc) archive' "$WORK/out"
check "rebuilt body decoded from its HTML" grep -q '^Use an external 10 MHz reference; grüße\.$' "$WORK/out"
check "hidden addresses: names kept" grep -q '^To: *Leech, Marcus$' "$WORK/out"
expect_status 0 "show --format json of a rebuilt message" "$LISTDEX" show --index "$WORK/ix2" --format json m0@example.org
check "JSON: rebuilt_from_html, sender from X-From-R13, attachment by name" json "$WORK/out" \
    'd["rebuilt_from_html"] and d["from"] == "Leech, Marcus <mleech@ripnet.com>" and [a["filename"] for a in d["attachments"]] == ["drift.pdf"]'
expect_status 5 "--part of an attachment MHonArc kept beside the page" "$LISTDEX" show --index "$WORK/ix2" --part 3 m0@example.org
check "--part: says its bytes are a file of the archive" grep -q "is not in the message: its bytes are a file of the HTML archive" "$WORK/err"
expect_status 0 "show --raw gives the page as found" "$LISTDEX" show --index "$WORK/ix2" --raw m0@example.org
check "raw is the page" cmp -s "$WORK/out" "$MHONARC/msg00000.html"
expect_status 0 "rebuilt messages thread" "$LISTDEX" thread --index "$WORK/ix2" m1@example.org
check "thread of 2 from the kept references" grep -q '2 messages' "$WORK/out"
expect_status 0 "to: finds a name whose address was hidden" "$LISTDEX" count --index "$WORK/ix2" 'to:"Leech, Marcus"'
check "to: name of a hidden address" grep -qx 1 "$WORK/out"
tar -C "$MHONARC/.." -czf "$WORK/mirror.tar.gz" pages
fresh
expect_status 0 "import a .tar.gz of an MHonArc mirror" "$LISTDEX" import --index "$WORK/ix2" --format json "$WORK/mirror.tar.gz"
check "tar.gz: the same 2 messages, the dot file passed over" json "$WORK/out" \
    'd["imported"] == 2 and d["from_html"] == 2 and len(d["skipped_files"]) == 3 and "mirror.tar.gz:pages/msg0000" in d["damaged_messages"][0]["source"]'
fresh
expect_status 0 "import one MHonArc page" "$LISTDEX" import -q --index "$WORK/ix2" "$MHONARC/msg00001.html"
check "one page: 1 message" test "$(count2)" = 1
expect_status 3 "an MHonArc index page named alone is refused" "$LISTDEX" import --index "$WORK/ix3" "$MHONARC/maillist.html"
check "index page: the error says what it is" grep -q 'maillist.html: an MHonArc index page' "$WORK/err"

# --- attachments: show --part N, --output, --save DIR --------------------------
# The bytes are compared with Python's email on the raw message (sha256).
"$LISTDEX" show --index "$IX" --raw attachments-6@example.com >"$WORK/att.eml"
python3 - "$WORK/att.eml" >"$WORK/att.want" <<'PY'
import email, email.policy, hashlib, sys
m = email.message_from_bytes(open(sys.argv[1], "rb").read(), policy=email.policy.default)
for p in m.iter_attachments():
    print(hashlib.sha256(p.get_payload(decode=True)).hexdigest(), p.get_filename())
PY
expect_status 0 "show --save DIR" "$LISTDEX" show --index "$IX" --save "$WORK/saved" attachments-6@example.com
check "--save: every attachment under its name, bytes as Python decodes them" \
    diff <(cd "$WORK/saved" && sha256sum -- * | sed 's/  / /' | sort) <(sort "$WORK/att.want")
check "--save prints each path" test "$(grep -c "$WORK/saved/" "$WORK/out")" = 2
expect_status 0 "show --save DIR again" "$LISTDEX" show --index "$IX" --save "$WORK/saved" attachments-6@example.com
check "--save never overwrites: -2 names" test -e "$WORK/saved/résumé final-2.pdf" -a -e "$WORK/saved/notes über build-2.txt"
expect_status 0 "show --part 3" "$LISTDEX" show --index "$IX" --part 3 attachments-6@example.com
check "--part 3 writes the PDF's bytes" cmp -s "$WORK/out" "$WORK/saved/résumé final.pdf"
expect_status 0 "show --part 4 --output FILE" "$LISTDEX" show --index "$IX" --part 4 --output "$WORK/part4" attachments-6@example.com
check "--output holds the part" cmp -s "$WORK/part4" "$WORK/saved/notes über build.txt"
expect_status 5 "show --part of a part that is not there" "$LISTDEX" show --index "$IX" --part 99 attachments-6@example.com
check "missing part: named" grep -q "no MIME part 99" "$WORK/err"
expect_status 2 "--output without --part" "$LISTDEX" show --index "$IX" --output "$WORK/x" attachments-6@example.com
expect_status 2 "--part with --save" "$LISTDEX" show --index "$IX" --part 3 --save "$WORK/x" attachments-6@example.com

# --- bad input: clear error naming the file, index untouched ---------------------
rm -rf "$WORK/ix3"
expect_status 3 "missing file" "$LISTDEX" import --index "$WORK/ix3" "$WORK/no-such.mbox"
check "missing file is named" grep -q "no-such.mbox" "$WORK/err"
printf 'Meeting notes\nFrom the desk of the editor\nFrom March 1, 2013, we move.\n' >"$WORK/notes.txt"
expect_status 3 "notes file is not a mailbox" "$LISTDEX" import --index "$WORK/ix3" "$SAMPLE" "$WORK/notes.txt"
check "notes file is named, with what it is" grep -q "notes.txt: not mail: its first line \"Meeting notes\"" "$WORK/err"
check "index untouched after bad input" test ! -e "$WORK/ix3"
expect_status 3 "stdin that is not mail" sh -c "echo 'just text' | '$LISTDEX' import --index '$WORK/ix3' -"
check "index untouched after bad stdin" test ! -e "$WORK/ix3"
expect_status 2 "import without paths" "$LISTDEX" import --index "$WORK/ix3"

# --- index location: --index, $LISTDEX_INDEX, $XDG_DATA_HOME, ~/.local/share --
LISTDEX_INDEX=$IX expect_status 0 "LISTDEX_INDEX" "$LISTDEX" count
check "LISTDEX_INDEX is used" grep -qx 17 "$WORK/out"
XDG_DATA_HOME=$WORK/xdg expect_status 0 "XDG_DATA_HOME import" "$LISTDEX" import -q "$SAMPLE"
check "XDG_DATA_HOME/listdex is used" test -e "$WORK/xdg/listdex/listdex.conf"
expect_status 0 "default index import" "$LISTDEX" import -q "$SAMPLE"
check "~/.local/share/listdex is the default" test -e "$HOME/.local/share/listdex/listdex.conf"

# --- results you can pipe -----------------------------------------------------
expect_status 0 "search --output ids" "$LISTDEX" search --index "$IX" --output ids --sort oldest welcome
check "ids: one id:KEY per matching message" test "$(cat "$WORK/out")" = "$(printf 'id:welcome-1@example.org\nid:greetings-2@example.de\nid:quotes-3@example.com')"
check "ids feed show" sh -c '"$1" search --index "$2" --output ids --limit 1 pamplemousse | xargs "$1" show --index "$2" | grep -q "pamplemousse plan"' _ "$LISTDEX" "$IX"
expect_status 0 "search --output mbox" "$LISTDEX" search --index "$IX" --output mbox pamplemousse
cp "$WORK/out" "$WORK/found.mbox"
rm -rf "$WORK/ix6"
expect_status 0 "import search --output mbox" "$LISTDEX" import -q --index "$WORK/ix6" "$WORK/found.mbox"
check "mbox of a search holds exactly the matches" test "$("$LISTDEX" count --index "$WORK/ix6")" = "$("$LISTDEX" count --index "$IX" pamplemousse)"
"$LISTDEX" show --index "$IX" --raw forward-7@example.org >"$WORK/a.raw"; "$LISTDEX" show --index "$WORK/ix6" --raw forward-7@example.org >"$WORK/b.raw"
check "mbox of a search is byte-exact" cmp -s "$WORK/a.raw" "$WORK/b.raw"
expect_status 0 "search --output mbox --threads" "$LISTDEX" search --index "$IX" --output mbox --threads id:greetings-2@example.de
check "whole threads: every message of the thread once" test "$(grep -c '^From ' "$WORK/out")" = "$("$LISTDEX" thread --index "$IX" greetings-2@example.de | head -1 | sed 's/.*  \([0-9]*\) messages/\1/')"
expect_status 0 "search --output ids --threads" "$LISTDEX" search --index "$IX" --output ids --threads id:greetings-2@example.de
check "ids --threads lists the thread in tree order" test "$(head -1 "$WORK/out")" = "id:welcome-1@example.org"
expect_status 2 "--threads needs mbox or ids" "$LISTDEX" search --index "$IX" --threads welcome
expect_status 0 "count --format json" "$LISTDEX" count --index "$IX" --format json --output threads welcome
check "count json" json "$WORK/out" 'd == {"query": "welcome", "output": "threads", "count": 1, "exact": True}'
# Options every command takes may come first, as in git and notmuch.
expect_status 0 "--index before the command" "$LISTDEX" --index "$IX" count welcome
check "--index before the command counts" grep -qx 3 "$WORK/out"
expect_status 0 "--index= before the command" "$LISTDEX" --index="$IX" count welcome
expect_status 0 "--index before a mime command" "$LISTDEX" --index "$IX" show welcome-1@example.org
expect_status 2 "mistyped command" "$LISTDEX" serch x
check "did you mean a command" grep -q "did you mean 'search'" "$WORK/err"
expect_status 2 "mistyped option" "$LISTDEX" count --index "$IX" --outptu threads x
check "did you mean an option" grep -q "did you mean --output" "$WORK/err"
# Wildcards that Xapian would read as another query are errors, with the rule.
for q in '*.patch' 's:*come' 'wel*me' 'foo *'; do
    expect_status 2 "unsupported wildcard $q" "$LISTDEX" count --index "$IX" "$q"
    check "wildcard error explains ($q)" grep -q "a wildcard can only end a word" "$WORK/err"
done
expect_status 0 "attachment suffix" "$LISTDEX" count --index "$IX" 'n:*.pdf'
check "n:*.pdf finds the PDF" grep -qx 1 "$WORK/out"
expect_status 0 "pasted Message-ID" "$LISTDEX" search --index "$IX" --output ids '<greetings-2@example.de>'
check "pasted Message-ID finds that message" grep -qx "id:greetings-2@example.de" "$WORK/out"
expect_status 0 "help search lists every field" "$LISTDEX" help search
for f in from: a: tc: bs: nq: q: dfn: dfa: dfb: dfhh: dfctx: dfpre: dfpost: dfblob: patchid: rt: dt:; do
    check "help search names $f" grep -q " $f" "$WORK/out"
done

# --- help ------------------------------------------------------------------
expect_status 0 "listdex help import" "$LISTDEX" help import
check "help shows usage" grep -q "^Usage: listdex import" "$WORK/out"
expect_status 0 "listdex help query" "$LISTDEX" help query
check "help query names the fields" grep -q "^  diffname: dfn:" "$WORK/out"
check "help query has examples" grep -q '^  \$ listdex search' "$WORK/out"
expect_status 2 "help of no topic" "$LISTDEX" help frobnicate
check "help of no topic says so" grep -q "no command or topic named 'frobnicate'" "$WORK/err"
expect_status 0 "listdex show --help" "$LISTDEX" show --help
check "--help shows options" grep -q -- "--raw" "$WORK/out"
expect_status 0 "listdex --help" "$LISTDEX" --help
expect_status 2 "unknown command" "$LISTDEX" frobnicate
expect_status 2 "unknown option" "$LISTDEX" import --frobnicate x

# --- Ctrl-C: whole messages only, and the next run completes the import ----------
python3 - "$WORK/big.mbox" <<'PY'
import sys
with open(sys.argv[1], 'w') as f:
    for i in range(30000):
        f.write(f"From a@example.org Mon Mar  4 09:00:00 2024\nFrom: A <a@example.org>\n"
                f"Subject: message {i}\nMessage-ID: <big-{i}@example.org>\n"
                f"Date: Mon, 04 Mar 2024 09:00:00 +0000\n\n" + ("filler text " * 40 + "\n") * 5 + "\n")
PY
rm -rf "$WORK/ix4"
"$LISTDEX" import -q --index "$WORK/ix4" "$WORK/big.mbox" & pid=$!
sleep 1.5; kill -INT $pid; wait $pid; st=$?
check "SIGINT exits 130 (or 0 if already done): got $st" test "$st" = 130 -o "$st" = 0
n=$("$LISTDEX" count --index "$WORK/ix4"); 
check "interrupted index opens ($n messages)" test -n "$n"
expect_status 0 "re-run completes the import" "$LISTDEX" import --index "$WORK/ix4" --format json "$WORK/big.mbox"
check "completed: 30000 messages, none twice" json "$WORK/out" 'd["index_messages"] == 30000 and d["imported"] + d["duplicates"] == 30000'

finish cli
