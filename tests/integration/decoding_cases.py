#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The listdex authors
"""The hand-written cases of tests/corpus/decoding against Python's email.

Imports the folder as a user would (`listdex import FOLDER --format json`):
every message file must be imported, and the one file that is not mail
(README.md) skipped with its reason. Then each message as `listdex show
--format json` prints it is compared with Python's email package
(policy.default) on the same file: sender, subject, date, body, attachment
names and sizes. Where listdex reads a message differently on purpose the
case says so below (and docs/decoding.md why); everything else must agree.
Checks that need no reference (list ids, flags, the mboxo split) follow.

usage: decoding_cases.py LISTDEX CASES_DIR
"""
import datetime
import email
import email.policy
import json
import subprocess
import sys
import tempfile
from pathlib import Path

LISTDEX, CASES = sys.argv[1], Path(sys.argv[2])
failures = []
checks = 0


def check(name, ok, detail=""):
    global checks
    checks += 1
    print(("ok   " if ok else "FAIL ") + name + ("" if ok else f": {detail}"), flush=True)
    if not ok:
        failures.append(name)


# Where listdex departs from Python's reading on purpose: case -> fields
# compared with listdex's own expectation instead of Python's.
EXPECTED = {
    # RFC 5322 4.5.3 allows white space before the colon; Python and mutt
    # take "Subject :" for the start of the body and lose the fields.
    "space-before-colon.eml": {"subject": "white space before the colon", "date": "2024-03-04T09:15:00Z",
                               "body": "body of an obsolete-syntax header\n"},
    # Python drops a first field that starts with white space.
    "leading-space.eml": {"from": "Carol Example <carol@example.org>"},
    # Python reads a lone name as a quoted address; it is a name.
    "sender-name-only.eml": {"from": "Jennifer Herbert"},
    # Python takes the byte-order mark for body text (the whole message).
    "byte-order-mark.eml": {"from": "Mallory Example <mallory@example.org>", "subject": "a byte-order mark first",
                            "date": "2024-03-04T10:00:00Z", "body": "body\n"},
    # An empty address: Python keeps "<>" as the address.
    "sender-empty-address.eml": {"from": "MAILER DAEMON"},
    # The body starts at the 8-bit field name, as in Python; its bytes,
    # undeclared, are detected as UTF-8 (docs/decoding.md) where Python
    # writes replacement characters.
    "eight-bit-field-name.eml": {"body": "X-\u00dcbersetzung: ja\nX-Mailer: old\n\nbody\n"},
}
FLAGGED = {"no-blank-line.eml", "broken-continuation.eml", "eight-bit-field-name.eml", "takeout-no-separator.eml",
           "content-type-text.eml", "byte-order-mark.eml", "leading-space.eml", "date-two-digit-year.eml",
           "date-rfc850.eml"}


def python_view(raw):
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    view = {}
    frm = msg["from"]
    if frm is not None and frm.addresses:
        a = frm.addresses[0]
        view["from"] = f"{a.display_name} <{a.addr_spec}>" if a.display_name and a.addr_spec else (
            a.display_name or a.addr_spec)
    view["subject"] = str(msg["subject"]) if msg["subject"] is not None else ""
    try:
        view["date"] = msg["date"].datetime.astimezone(datetime.timezone.utc).strftime(
            "%Y-%m-%dT%H:%M:%SZ") if msg["date"] is not None else None
    except (AttributeError, ValueError):
        view["date"] = None
    body = msg.get_body(preferencelist=("plain",))
    view["body"] = body.get_content() if body is not None else ""
    view["attachments"] = sorted((p.get_filename() or "", len(p.get_payload(decode=True) or b""))
                                 for p in msg.iter_attachments())
    return view


def listdex_view(shown):
    return {"from": shown["from"] or "", "subject": shown["subject"], "date": shown["date"], "body": shown["body"],
            "attachments": sorted((a["filename"], a["size"]) for a in shown["attachments"])}


def run(*args):
    return subprocess.run([LISTDEX, *args], capture_output=True, text=True)


with tempfile.TemporaryDirectory() as tmp:
    index = f"{tmp}/index"
    r = run("import", "--index", index, "--format", "json", str(CASES))
    check("the folder imports (exit 0)", r.returncode == 0, r.stdout[-500:] + r.stderr)
    report = json.loads(r.stdout)
    eml = sorted(CASES.glob("*.eml"))
    check("every loose message imported, README.md skipped with its reason",
          report["skipped_files"] == [f"{CASES / 'README.md'}: not mail: its first line \"# Hand-written decoding "
                                      "cases\" is neither an mbox From_ line nor a message header"],
          report["skipped_files"])
    check("every message read: the .eml files and the two of the mboxo archive",
          report["messages_read"] == len(eml) + 2, report["messages_read"])

    for path in eml:
        raw = path.read_bytes()
        # The message by its subject as listdex reads it (where Python
        # loses fields, its Message-ID may be body text).
        subject = EXPECTED.get(path.name, {}).get("subject") or python_view(raw)["subject"]
        keys = run("search", "--index", index, "--output", "ids", f's:"{subject}"').stdout.split()
        if len(keys) != 1:
            check(f"{path.name}: found by its subject", False, keys)
            continue
        shown = run("show", "--index", index, "--format", "json", keys[0][3:])
        if shown.returncode != 0:
            check(f"{path.name}: shown", False, shown.stderr)
            continue
        got = json.loads(shown.stdout)
        mine, ref = listdex_view(got), python_view(raw)
        ref.update(EXPECTED.get(path.name, {}))
        if ref["date"] is None:  # no Date field left: listdex says where its date came from
            check(f"{path.name}: no Date field, and the date is said not to come from one",
                  got["date_source"] != "header", got["date_source"])
            ref["date"] = mine["date"]
        for field in ("from", "subject", "date", "body", "attachments"):
            check(f"{path.name}: {field} as Python's email reads it"
                  + (" (or as documented)" if field in EXPECTED.get(path.name, {}) else ""),
                  mine[field] == ref[field], f"listdex {mine[field]!r} vs {ref[field]!r}")
        check(f"{path.name}: {'flagged' if path.name in FLAGGED else 'not flagged'} as damaged",
              bool(got["problems"]) == (path.name in FLAGGED), got["problems"])

    # What Python's email has no notion of.
    both = run("search", "--index", index, "--output", "ids", "list:xen-devel").stdout.split()
    check("list:xen-devel finds the List-Id written as name@host and as <name.host>",
          sorted(both) == ["id:list-id-address@example.org", "id:list-id-rfc2919@example.org"], both)
    lists = json.loads(run("lists", "--index", index, "--format", "json").stdout)
    check("one list for both forms", [l["id"] for l in lists if "xen" in l["id"]] == ["xen-devel.lists.xenproject.org"])
    for who in ("from:daemon", 'from:"Jennifer Herbert"'):
        check(f"{who} finds the sender without an address", len(run("search", "--index", index, "--output", "ids",
                                                                    who).stdout.split()) == 1)
    ids = run("search", "--index", index, "--output", "ids", "s:\"patch attached\" OR s:\"next message\"").stdout.split()
    check("mboxo: a From_ line inside an attachment does not split the message", len(ids) == 2, ids)
    shown = json.loads(run("show", "--index", index, "--format", "json", "attached-patch@example.org").stdout)
    check("mboxo: the attached patch is whole",
          [a["filename"] for a in shown["attachments"]] == ["0001-fix.patch"] and shown["attachments"][0]["size"] > 150,
          shown["attachments"])
    unpadded = json.loads(run("show", "--index", index, "--format", "json", "unpadded-base64@example.org").stdout)
    check("an unpadded base64 attachment keeps all five bytes", unpadded["attachments"] == [
        {"filename": "five.bin", "mime_type": "application/octet-stream", "size": 5, "part": 3}],
          unpadded["attachments"])

print(f"{checks - len(failures)}/{checks} checks passed")
sys.exit(1 if failures else 0)
