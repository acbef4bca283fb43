#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The listdex authors
"""Hostile and broken archives: each imports in bounded time and memory,
without a crash, with a report, and without losing the messages around it.

Every archive is generated here (none is committed): a normal message
before and after the hostile one, so the test sees that the neighbours
survive. usage: hostile_inputs.py LISTDEX
"""
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

LISTDEX = sys.argv[1]
TIME_LIMIT = 120   # seconds per archive
# MB of peak RSS per import (default --memory is 400); AddressSanitizer's
# shadow memory and quarantine (scripts/test.sh --sanitize) take about 10x
# more for many small allocations.
MEMORY_LIMIT = 600 * (4 if "ASAN_OPTIONS" in os.environ else 1)
failures = []


def check(name, ok, detail=""):
    if not ok:
        failures.append(name)
        print(f"FAIL: {name} {detail}"[:3000])


def msg(mid, body="plain body\n", headers="", subject="neighbour", sep="\n"):
    h = (f"From: Tester <t@example.org>{sep}Subject: {subject}{sep}Message-ID: <{mid}>{sep}"
         f"Date: Mon, 01 Apr 2024 10:00:00 +0000{sep}{headers}")
    return f"From t@example.org Mon Apr  1 10:00:00 2024{sep}{h}{sep}{body}{sep}"


def wrap(hostile):
    return msg("before@example.org") + hostile + msg("after@example.org")


def multipart(mid, parts):
    body = "".join(f"--b\nContent-Type: text/plain\n\npart {i}\n" for i in range(parts)) + "--b--\n"
    return msg(mid, body, 'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="b"\n')


def nested(mid, depth):
    body, tail = "", ""
    for i in range(depth):
        body += f'--b{i}\nContent-Type: multipart/mixed; boundary="b{i + 1}"\n\n'
        tail = f"--b{i}--\n" + tail
    body += f"--b{depth}\nContent-Type: text/plain\n\ndeep leaf\n--b{depth}--\n" + tail
    return msg(mid, body, 'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="b0"\n')


def cases():
    big_line = "x" * (1 << 20)
    refs = " ".join(f"<r{i}@example.org>" for i in range(10_000))
    yield "100 MB message", wrap(msg("huge@example.org", ("y" * 1000 + "\n") * 100_000)), {"rejected": 1}
    yield "10,000 parts", wrap(multipart("parts@example.org", 10_000)), {
        "shows": {"parts@example.org": lambda m: "part 0\n" in m["body"] and m["body"].rstrip().endswith("part 9999")}}
    yield "MIME nested 1,000 deep", wrap(nested("deep@example.org", 1000)), {
        "shows": {"deep@example.org": lambda m: any("nesting" in p for p in m["problems"])}}
    yield "NUL and invalid UTF-8", wrap(msg("nul@example.org", "a\0b \xff\xfe c\n",
                                            "X-Bad: \0\xff\xfe\n", subject="sub\xffject\0")), {
        "shows": {"nul@example.org": lambda m: "\0" not in m["body"] + m["subject"] and "c" in m["body"]}}
    yield "1 MB header line", wrap(msg("longhdr@example.org", headers=f"X-Long: {big_line}\n")), {
        "shows": {"longhdr@example.org": lambda m: m["body"] == "plain body\n"}}
    yield "References with 10,000 ids", wrap(msg("refs@example.org", headers=f"References: {refs}\n")), {
        "thread": ["refs@example.org"], "thread_check": lambda t: t["messages"] == 1}
    yield "reference cycle", wrap(msg("cyc-a@example.org", headers="References: <cyc-b@example.org>\n") +
                                  msg("cyc-b@example.org", headers="References: <cyc-a@example.org>\n") +
                                  msg("self@example.org", headers="In-Reply-To: <self@example.org>\n")), {
        "thread": ["cyc-a@example.org", "cyc-b@example.org"], "thread_check": lambda t: t["messages"] == 2}
    yield "mixed LF and CRLF", msg("before@example.org", sep="\r\n") + msg("crlf@example.org") + \
        msg("after@example.org", sep="\r\n"), {}
    flat = " ".join(msg(f"flat{i}@example.org", "body " * 100).replace("\n", " ") for i in range(20_000))
    yield "20,000 messages on one line (line breaks lost)", wrap(flat + "\n"), {
        "imported": 20_002, "also": ["flat0@example.org", "flat19999@example.org"],
        "shows": {"flat7@example.org": lambda m: m["recovered"] and m["subject"] == "neighbour"}}
    b64 = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=\n" * 50
    truncated = msg("before@example.org") + msg("after@example.org") + msg(
        "cut@example.org", b64, "Content-Transfer-Encoding: base64\n")[:-700]
    yield "truncated in a base64 body", truncated, {
        "also": ["cut@example.org"],
        "shows": {"cut@example.org": lambda m: m["body"].startswith("ABCDEFGHIJKLMNOPQRSTUVWXYZ")}}


with tempfile.TemporaryDirectory() as tmp:
    for n, (name, text, expect) in enumerate(cases()):
        path = Path(tmp) / f"case{n}.mbox"
        path.write_bytes(text.encode("utf-8", "surrogateescape") if isinstance(text, str) else text)
        index = Path(tmp) / f"index{n}"
        try:
            p = subprocess.run(["/usr/bin/time", "-f", "%M", LISTDEX, "import", "--format", "json", "--index",
                                str(index), str(path)], capture_output=True, text=True, timeout=TIME_LIMIT)
        except subprocess.TimeoutExpired:
            check(f"{name}: finishes within {TIME_LIMIT} s", False)
            continue
        rss = int(p.stderr.strip().splitlines()[-1]) // 1024
        check(f"{name}: exit 0 or 7 (partial), not a crash", p.returncode in (0, 7), f"{p.returncode}: {p.stderr[-800:]}")
        check(f"{name}: peak memory {rss} MB under {MEMORY_LIMIT} MB", rss < MEMORY_LIMIT)
        try:
            report = json.loads(p.stdout)
        except json.JSONDecodeError:
            check(f"{name}: JSON report", False, p.stdout[-500:])
            continue
        check(f"{name}: rejected {expect.get('rejected', 0)}", report["rejected"] == expect.get("rejected", 0), report)
        if "imported" in expect:
            check(f"{name}: imported {expect['imported']}", report["imported"] == expect["imported"], report["imported"])
        if report["rejected"]:
            check(f"{name}: rejection names file and offset", all(
                r["source"] == str(path) and r["offset"] > 0 for r in report["rejected_messages"]), report)
            check(f"{name}: exit 7", p.returncode == 7)
        for mid in ["before@example.org", "after@example.org"] + expect.get("also", []):
            shown = subprocess.run([LISTDEX, "show", "--index", str(index), mid], capture_output=True, text=True)
            check(f"{name}: {mid} imported", shown.returncode == 0, shown.stderr)
        for mid, must in expect.get("shows", {}).items():
            shown = subprocess.run([LISTDEX, "show", "--format", "json", "--index", str(index), mid],
                                   capture_output=True, timeout=TIME_LIMIT)
            check(f"{name}: {mid} shown", shown.returncode == 0, shown.stderr[-500:])
            if shown.returncode == 0:
                text = shown.stdout.decode("utf-8")  # strict: valid UTF-8
                m = json.loads(text)
                check(f"{name}: {mid} decoded as expected", must(m), json.dumps(m)[:1500])
        for mid in expect.get("thread", []):
            t = subprocess.run([LISTDEX, "thread", "--format", "json", "--index", str(index), mid],
                               capture_output=True, text=True, timeout=TIME_LIMIT)
            check(f"{name}: thread of {mid}", t.returncode == 0, t.stderr[-500:])
            if t.returncode == 0:
                check(f"{name}: thread of {mid}: {expect['thread_check']}", expect["thread_check"](json.loads(t.stdout)),
                      t.stdout[:800])
        # Searching and threading still work over what was imported.
        c = subprocess.run([LISTDEX, "count", "--index", str(index), "neighbour"], capture_output=True, text=True)
        check(f"{name}: searchable", c.returncode == 0 and int(c.stdout) >= 2, c.stdout + c.stderr)

    # Something that is not mail at all is refused before the index is touched.
    junk = Path(tmp) / "junk.bin"
    junk.write_bytes(bytes(range(256)) * 4096)
    p = subprocess.run([LISTDEX, "import", "--index", f"{tmp}/junk-index", str(junk)], capture_output=True, text=True)
    check("not mail: exit 3 naming the file", p.returncode == 3 and str(junk) in p.stderr, p.stderr)
    check("not mail: no index written", not Path(f"{tmp}/junk-index").exists())

print(f"{len(failures)} failures" if failures else "all hostile inputs handled")
sys.exit(1 if failures else 0)
