#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The listdex authors
"""Writes the fuzzers' seed corpus from the project's own test inputs:
mbox: the sample and hostile archives, whole and with their line breaks
lost, and the hand-written mboxo case; mime: each of their messages, and
each flattened, the loose messages of tests/corpus/decoding and the MHonArc
pages of tests/corpus/mhonarc; query: the lines of queries.txt.
usage: make-seeds.py OUTDIR"""
import re
import sys
from pathlib import Path

root = Path(__file__).resolve().parents[2]
out = Path(sys.argv[1])
archives = [root / "data" / "sample.mbox", root / "tests" / "web" / "hostile.mbox"]
from_line = re.compile(rb"(?m)^From \S.*\d{4}\n")

for kind in ("mbox", "mime", "query"):
    (out / kind).mkdir(parents=True, exist_ok=True)
n = 0
for archive in archives:
    data = archive.read_bytes()
    (out / "mbox" / archive.name).write_bytes(data)
    (out / "mbox" / (archive.name + ".flat")).write_bytes(re.sub(rb"\r?\n", b" ", data))
    for raw in from_line.split(data):
        if raw.strip():
            n += 1
            (out / "mime" / f"{n}.eml").write_bytes(raw)
            (out / "mime" / f"{n}.flat.eml").write_bytes(re.sub(rb"\s+", b" ", raw))
# Loose and broken mail, and MHonArc pages, as they are (mime), and the
# mboxo archive with an attached patch (mbox).
cases = root / "tests" / "corpus"
loose = sorted((cases / "decoding").glob("*.eml")) + sorted((cases / "mhonarc" / "pages").glob("msg*.html"))
for path in loose:
    (out / "mime" / f"case-{path.name}").write_bytes(path.read_bytes())
mboxes = sorted((cases / "decoding").glob("*.mbox"))
for path in mboxes:
    (out / "mbox" / path.name).write_bytes(path.read_bytes())
for k, q in enumerate((Path(__file__).parent / "queries.txt").read_text().splitlines()):
    (out / "query" / f"{k}.txt").write_text(q)
print(f"seeds: {len(archives) * 2 + len(mboxes)} archives, {2 * n + len(loose)} messages, {k + 1} queries in {out}")
