#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The listdex authors
"""Imports the first 2,000 messages of linux-man.mbox.xz and checks, message
by message, that the body `listdex show` prints equals an independent
decoding by Python's email package, for every single-part text/plain message
sent base64 or quoted-printable among them.

usage: corpus_decode.py LISTDEX CORPUS.mbox.xz
Exits 77 (skipped) when the corpus is absent."""

import email
import email.policy
import json
import os
import re
import subprocess
import sys
import tempfile

from corpus import first_messages

LIMIT = 2000


def expected_body(raw):
    """Python's decoding, or None when the message is not a case we compare."""
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    if msg.is_multipart() or msg.get_content_type() != "text/plain":
        return None, None
    cte = str(msg.get("Content-Transfer-Encoding", "")).strip().lower()
    if cte not in ("base64", "quoted-printable"):
        return None, None
    if msg.get_param("format", "").lower() == "flowed":
        return None, None
    payload = msg.get_payload(decode=True)
    charset = (msg.get_content_charset() or "us-ascii").lower()
    # The one documented deviation from a literal decoding: iso-8859-1 and
    # us-ascii text with bytes 0x80-0x9F is windows-1252 (what senders mean).
    if charset in ("iso-8859-1", "us-ascii", "latin1") and re.search(rb"[\x80-\x9f]", payload):
        charset = "windows-1252"
    try:
        text = payload.decode(charset)
    except (LookupError, UnicodeDecodeError):
        return None, None  # undecodable as declared: listdex detects; not comparable
    return cte, text


def normalise(text):
    text = text.replace("\r\n", "\n").replace("\x00", "")
    return "\n".join(line.rstrip() for line in text.strip().split("\n"))


def main():
    listdex, corpus = sys.argv[1], sys.argv[2]
    if not os.path.exists(corpus):
        print(f"SKIP: corpus {corpus} not found (needs ../shared/corpora beside the project)")
        return 77
    mbox, msgs = first_messages(corpus, LIMIT)
    assert len(msgs) == LIMIT, f"expected {LIMIT} messages, split {len(msgs)}"
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "slice.mbox")
        with open(path, "wb") as f:
            f.write(mbox)
        index = os.path.join(tmp, "index")
        r = subprocess.run([listdex, "import", "--index", index, "--format", "json", path],
                           capture_output=True, text=True)
        report = json.loads(r.stdout)
        assert report["messages_read"] == LIMIT, report["messages_read"]
        assert report["rejected"] == 0, report["rejected_messages"]

        counts = {"base64": 0, "quoted-printable": 0}
        mismatches = []
        for raw in msgs:
            cte, want = expected_body(raw)
            if cte is None:
                continue
            mid = email.message_from_bytes(raw, policy=email.policy.compat32)["Message-ID"]
            shown = subprocess.run([listdex, "show", "--index", index, "--format", "json", mid.strip()],
                                   capture_output=True, text=True)
            assert shown.returncode == 0, f"show {mid}: {shown.stderr}"
            got = json.loads(shown.stdout)
            if isinstance(got, list):  # a Message-ID shared by several messages
                got = next((g for g in got if normalise(g["body"]) == normalise(want)), got[0])
            counts[cte] += 1
            if normalise(got["body"]) != normalise(want):
                mismatches.append((mid, cte))
        print(f"compared {counts['base64']} base64 and {counts['quoted-printable']} quoted-printable "
              f"messages of the first {LIMIT}")
        for mid, cte in mismatches[:20]:
            print(f"MISMATCH {cte}: {mid}")
        assert counts["base64"] >= 20 and counts["quoted-printable"] >= 50, f"too few cases: {counts}"
        passed = sum(counts.values()) - len(mismatches)
        print(f"{passed} passed, {len(mismatches)} failed")
        return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
