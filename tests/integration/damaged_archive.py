#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The listdex authors
"""Damaged archives: every message of an archive with all its line breaks
lost is recovered and decodes like the intact message.

Two damaged copies are generated from each archive (none is committed):
"one message per line" (every run of white space squeezed to one space, as
web scrapes do) and "one line" (the whole archive on a single line, each
line break turned into one space). Each is imported next to the intact
archive and every message is compared through `show --format json`: id,
addresses, date, subject, threading headers, list, attachments, and the
body text word for word (line breaks of plain text cannot come back).
The import summary must count every message as recovered, and `show` must
flag them; the intact import must flag none.

usage: damaged_archive.py LISTDEX ARCHIVE [ARCHIVE.xz [LIMIT]]
The optional real archive (../shared/corpora) is compared on its first
LIMIT messages (default 400).
"""
import difflib
import json
import lzma
import re
import subprocess
import sys
import tempfile
from pathlib import Path

LISTDEX = sys.argv[1]
failures = []

# A uuencoded block is made of lines; once they are joined nothing tells
# where one ended, so its attachment cannot come back (docs/reliability.md).
UNRECOVERABLE = {
    "uuencode-9@example.net": "uuencoded attachment (line-based)",
    # linux-man: a bounce whose forwarded header ends with a free-text field
    # (X-OriginalArrivalTime); it reaches to the "subject:" of the text.
    "YCxMNJ0nJ000104cb@WIN-ZY15IU028UN": "body of a forwarded message after a free-text field",
}


def check(name, ok, detail=""):
    if not ok:
        failures.append(name)
        print(f"FAIL: {name} {detail}"[:2000])


def run(*args):
    return subprocess.run([LISTDEX, *args], capture_output=True, timeout=600)


FROM_LINE = re.compile(rb"(?m)^From ((?:\S+ ){1,3}(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|"
                       rb"Sep|Oct|Nov|Dec) +\d{1,2} \d\d:\d\d(?::\d\d)? (?:[A-Z]{1,5} |[+-]\d{4} )?\d{4}).*\n")


def messages(data, limit=None):
    """(From_ line without 'From ', raw bytes) of each message of an mboxrd
    archive, split at strict RFC 4155 From_ lines and unquoted."""
    parts = FROM_LINE.split(data)
    out = []
    for k in range(1, len(parts) - 1, 2):
        raw = re.sub(rb"(?m)^>(>*From )", rb"\1", parts[k + 1])
        out.append((parts[k].decode(), raw[:-1] if raw.endswith(b"\n\n") else raw))
        if limit and len(out) >= limit:
            break
    return out


def read(path):
    if path.suffix == ".xz":
        with lzma.open(path) as f:
            return f.read()
    return path.read_bytes()


def squeezed(msgs):
    return b"".join(re.sub(rb"\s+", b" ", b"From " + f.encode() + b" " + raw).strip() + b"\n" for f, raw in msgs)


def one_line(msgs):
    return b" ".join(re.sub(rb"\r?\n", b" ", b"From " + f.encode() + b"\n" + raw).strip() for f, raw in msgs) + b"\n"


def intact(msgs):
    out = b""
    for f, raw in msgs:
        raw = re.sub(rb"(?m)^(>*From )", rb">\1", raw)
        out += b"From " + f.encode() + b"\n" + raw + (b"" if raw.endswith(b"\n") else b"\n") + b"\n"
    return out


def import_json(index, path):
    r = run("import", "--index", str(index), "--format", "json", str(path))
    check(f"import {path.name} exit", r.returncode == 0, r.stderr.decode(errors="replace"))
    return json.loads(r.stdout) if r.stdout else {}


def shown(index):
    """Message-ID -> [(recovered, comparable)] of every message in @p index.
    Keys are not compared: a key made unique by a content hash (a shared
    Message-ID) and a synthetic id both change with the raw bytes."""
    r = run("search", "--index", str(index), "--output", "messages", "--format", "json", "*")
    out = {}
    for hit in json.loads(r.stdout):
        m = json.loads(run("show", "--index", str(index), "--format", "json", "--", hit["id"]).stdout)
        mid = "(synthetic)" if m["synthetic_id"] else m["message_id"]
        c = comparable(m)
        c["guessed"] = any("header ends is a guess" in p for p in m["problems"])
        out.setdefault(mid, []).append((m["recovered"], c))
    for v in out.values():
        v.sort(key=lambda x: json.dumps(x[1], sort_keys=True))
    return out


def words(text):
    # Quote markers go: format=flowed joins quoted lines only while they
    # are lines, so a recovered message keeps some markers inline.
    return " ".join(w.lstrip(">") for w in text.split() if w.strip(">"))


def same_text(kind, intact_body, recovered_body, guessed):
    """Squeezing white space also squeezes the space after a quoted-printable
    soft break (" =\n word" and "=\n word" become one), so that variant is
    compared without spaces. When the header's end was a guess, free text
    of its last field may lead the body: the intact body must be inside."""
    if kind == "squeezed":
        intact_body = intact_body.replace(" ", "").replace(">", "")
        recovered_body = recovered_body.replace(" ", "").replace(">", "")
    return intact_body in recovered_body if guessed else intact_body == recovered_body


def comparable(m):
    return {
        "from": m["from"], "to": m["to"], "cc": m["cc"], "date": m["date"], "subject": m["subject"],
        "list": m["list"], "in_reply_to": m["in_reply_to"], "references": m["references"],
        # Line breaks are part of the bytes of text, messages and ASCII armour.
        "attachments": [(a["filename"], a["mime_type"],
                         None if a["mime_type"].startswith(("text/", "message/", "application/pgp")) else a["size"])
                        for a in m["attachments"]],
        "body": words(m["body"]),
    }


def difference(a, b):
    """The fields that differ; for bodies the first few differing words."""
    out = {}
    for f in a:
        if a[f] == b.get(f) or f == "guessed":
            continue
        if f == "body" and b.get(f) is not None:
            x, y = a[f].split(), b[f].split()
            ops = difflib.SequenceMatcher(None, x, y, autojunk=False).get_opcodes()
            out[f] = [(" ".join(x[max(i1 - 3, 0):i2])[:120], " ".join(y[max(j1 - 3, 0):j2])[:120])
                      for op, i1, i2, j1, j2 in ops if op != "equal"][:3]
        else:
            out[f] = (a[f], b.get(f))
    return json.dumps(out, ensure_ascii=False)


def compare(name, msgs, work):
    src = {"intact": intact(msgs), "squeezed": squeezed(msgs), "one-line": one_line(msgs)}
    result, imported = {}, None
    for kind, data in src.items():
        path = work / f"{name}.{kind}.mbox"
        path.write_bytes(data)
        report = import_json(work / f"{name}.{kind}.index", path)
        if kind == "intact":
            imported = report.get("imported")
            check(f"{name} intact: nothing recovered", report.get("recovered") == 0)
        else:
            check(f"{name} {kind}: all {imported} imported and recovered",
                  report.get("imported") == imported and report.get("recovered") == imported,
                  f"imported {report.get('imported')}, recovered {report.get('recovered')}, "
                  f"rejected {report.get('rejected_messages')}")
        result[kind] = shown(work / f"{name}.{kind}.index")
    good = result["intact"]
    check(f"{name}: intact messages not flagged", not any(r for v in good.values() for r, _ in v))
    for kind in ("squeezed", "one-line"):
        got = result[kind]
        check(f"{name} {kind}: same Message-IDs", sorted(got) == sorted(good),
              f"missing {sorted(set(good) - set(got))[:5]} extra {sorted(set(got) - set(good))[:5]}")
        exact = total = 0
        for mid, versions in good.items():
            theirs = got.get(mid, [])
            check(f"{name} {kind} <{mid}> flagged recovered", all(r for r, _ in theirs))
            for k, (_, a) in enumerate(versions):
                total += 1
                b = theirs[k][1] if k < len(theirs) else {}
                fields = [f for f in a if f not in ("body", "guessed")]
                if b and all(a[f] == b[f] for f in fields) and same_text(kind, a["body"], b["body"], b["guessed"]):
                    exact += 1
                elif mid in UNRECOVERABLE:
                    print(f"  expected loss in {name} {kind} <{mid}>: {UNRECOVERABLE[mid]}")
                else:
                    check(f"{name} {kind} <{mid}> decodes like the intact message", False, difference(a, b))
        print(f"{name} {kind}: {exact}/{total} messages decode exactly like the intact import")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        compare("sample", messages(read(Path(sys.argv[2]))), work)
        if len(sys.argv) > 3 and Path(sys.argv[3]).exists():
            limit = int(sys.argv[4]) if len(sys.argv) > 4 else 400
            compare("corpus", messages(read(Path(sys.argv[3])), limit), work)
        else:
            print("(no real archive given or found: sample only)")
    if failures:
        print(f"{len(failures)} failures")
        sys.exit(1)
    print("damaged archives: all recovered")


if __name__ == "__main__":
    main()
