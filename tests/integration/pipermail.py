#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The listdex authors
"""Mailman archives: a folder of pipermail monthly files (.txt and .txt.gz,
named 2013-March.txt.gz, so name order is not date order) with obfuscated
addresses, a missing Message-ID and Date, stripped In-Reply-To, scrubbed
attachments and unescaped "From " lines in bodies; then --thread-by-subject;
and a HyperKitty (Mailman 3) .mbox.gz export.

usage: pipermail.py LISTDEX
"""
import gzip
import json
import subprocess
import sys
import tempfile
from pathlib import Path

LISTDEX = sys.argv[1]
failures = []


def check(name, ok, detail=""):
    if not ok:
        failures.append(name)
        print(f"FAIL: {name} {detail}"[:3000])


def run(*args):
    return subprocess.run([LISTDEX, *map(str, args)], capture_output=True, timeout=600)


def pipermail(sender, envelope, headers, body):
    """One message as pipermail archives it."""
    return f"From {sender}  {envelope}\n" + "".join(f"{k}: {v}\n" for k, v in headers) + "\n" + body + "\n\n"


FEB = pipermail("alice at example.com", "Wed Feb 20 09:00:00 2013", [
    ("From", "alice at example.com (Alice Archer)"), ("Date", "Wed, 20 Feb 2013 09:00:00 +0000"),
    ("Subject", "[test] Build broken"), ("Message-ID", "<a@example.com>")],
    "The build fails on arm.\n")
MARCH = pipermail("bob at example.com", "Thu Mar  7 15:51:00 2013", [
    ("From", "bob at example.com (Bob Baker)"), ("Date", "Thu, 07 Mar 2013 15:51:00 +0000"),
    ("Subject", "[test] Re: Build broken"), ("In-Reply-To", "<a@example.com>"),
    ("References", "<a@example.com>"), ("Message-ID", "<b@example.com>")],
    "Works for me.\n") + pipermail("carol at example.com", "Wed Mar 20 10:00:00 2013", [
    # Message-ID and In-Reply-To stripped; a patch and an mbox excerpt
    # pasted into the body, not escaped; an attachment scrubbed.
    ("From", "carol at example.com (Carol Cook)"), ("Date", "Wed, 20 Mar 2013 10:00:00 +0000"),
    ("Subject", "Re: [test] Build broken")],
    "Here is a fix:\n\n"
    "From 1234567890abcdef1234567890abcdef12345678 Mon Sep 17 00:00:00 2001\n"
    "From: Carol Cook <carol@example.com>\nSubject: [PATCH] fix arm build\n\n---\n"
    "And the bounce I got:\n"
    "From mailer@example.org Wed Mar 20 09:00:00 2013\nSubject: undeliverable\n\n"
    "-------------- next part --------------\n"
    "An HTML attachment was scrubbed...\n"
    "URL: <http://lists.example.com/pipermail/test/attachments/20130320/1234abcd/attachment.html>\n")
APRIL = pipermail("dave at example.com", "Tue Apr  2 08:00:00 2013", [
    ("From", "dave at example.com (Dave Dunn)"), ("Date", "Tue, 02 Apr 2013 08:00:00 +0000"),
    ("Subject", "RE: [test] Build broken"), ("Message-ID", "<d@example.com>")],
    "Fixed in git.\n") + pipermail("erin at example.com", "Wed Apr  3 08:30:00 2013", [
    # No Date header: the From_ line's date is used.
    ("From", "erin at example.com (Erin Evans)"), ("Subject", "[test] Meeting notes"),
    ("Message-ID", "<e@example.com>")],
    "Notes attached.\n")

with tempfile.TemporaryDirectory() as tmp:
    tmp = Path(tmp)
    archive = tmp / "pipermail"
    archive.mkdir()
    (archive / "2013-February.txt").write_text(FEB)
    with gzip.open(archive / "2013-March.txt.gz", "wt") as f:
        f.write(MARCH)
    with gzip.open(archive / "2013-April.txt.gz", "wt") as f:
        f.write(APRIL)

    def imported(index, *extra):
        r = run("import", "--index", index, "--format", "json", "--list", "test.example.com", *extra, archive)
        check(f"import {extra} exits 0", r.returncode == 0, (r.stdout + r.stderr).decode()[:2000])
        return json.loads(r.stdout or b"{}")

    def thread(index, mid):
        r = run("thread", "--index", index, "--format", "json", mid)
        nodes, out = json.loads(r.stdout or b'{"tree": []}')["tree"], {}
        def walk(ns, parent):
            for n in ns:
                out[n["id"]] = (parent, n.get("parent_by_subject", False))
                walk(n["children"], n["id"])
        walk(nodes, None)
        return out

    plain = tmp / "plain"
    rep = imported(plain)
    check("five messages, none rejected", rep.get("imported") == 5 and rep.get("rejected") == 0, json.dumps(rep)[:800])
    check("pasted From lines did not split messages", rep.get("messages_read") == 5)
    check("date from the From_ line", rep.get("dates_from_mbox_from_line") == 1, json.dumps(rep)[:800])

    r = run("show", "--index", plain, "--format", "json", "b@example.com")
    b = json.loads(r.stdout or b"{}")
    check("address restored", b.get("addresses", {}).get("from") == [{"name": "Bob Baker", "email": "bob@example.com"}],
          str(b.get("addresses")))
    r = run("show", "--index", plain, "--format", "json", "e@example.com")
    check("Date from the From_ line", json.loads(r.stdout or b"{}").get("date", "").startswith("2013-04-03T08:30:00"),
          r.stdout.decode()[:500])

    r = run("search", "--index", plain, "--format", "json", "--output", "messages", "scrubbed")
    hits = json.loads(r.stdout or b"[]")
    check("scrubbed-attachment note kept as text", len(hits) == 1 and hits[0]["from"].startswith("Carol"), str(hits))
    carol = hits[0]["id"] if hits else ""
    r = run("show", "--index", plain, carol)
    text = r.stdout.decode()
    check("pasted patch and mbox lines stay in the body",
          "From: Carol Cook <carol@example.com>" in text and "Subject: undeliverable" in text and
          "attachment.html" in text, text)

    t = thread(plain, "a@example.com")
    check("without --thread-by-subject: only the real reply", sorted(t) == ["a@example.com", "b@example.com"], str(t))

    # --thread-by-subject: Carol's and Dave's replies join by subject. Only
    # date order finds Carol's message before Dave's (March before April).
    by_subject = tmp / "by-subject"
    rep = imported(by_subject, "--thread-by-subject")
    check("two parents found by subject", rep.get("parents_by_subject") == 2, json.dumps(rep)[:800])
    t = thread(by_subject, "a@example.com")
    check("thread by subject", len(t) == 4 and t.get("b@example.com") == ("a@example.com", False) and
          t.get("d@example.com", (None, None))[1] is True and t.get(carol, (None, None)) == ("b@example.com", True) and
          t["d@example.com"][0] == carol, str(t))
    r = run("thread", "--index", by_subject, "a@example.com")
    check("inferred links marked in text output", r.stdout.decode().count("(linked by subject)") == 2,
          r.stdout.decode())
    r = run("lists", "--index", by_subject, "--format", "json")
    lists = json.loads(r.stdout or b"[]")
    check("lists: one list, 5 messages, 2 threads, first and last date",
          lists == [{"id": "test.example.com", "messages": 5, "threads": 2, "first": "2013-02-20T09:00:00Z",
                     "last": "2013-04-03T08:30:00Z"}], str(lists))

    # Mailman 3 / HyperKitty export: an ordinary gzipped mbox.
    hk = tmp / "test@lists.example.com-2013-03.mbox.gz"
    with gzip.open(hk, "wt") as f:
        f.write("From bob@example.com Thu Mar  7 15:51:00 2013\nFrom: Bob <bob@example.com>\n"
                "Subject: HyperKitty\nDate: Thu, 07 Mar 2013 15:51:00 +0000\nMessage-ID: <hk@example.com>\n"
                "List-Id: <test.lists.example.com>\n\nfrom Mailman 3\n")
    r = run("import", "--index", tmp / "hk", "--format", "json", hk)
    check("HyperKitty export", r.returncode == 0 and json.loads(r.stdout or b"{}").get("imported") == 1,
          (r.stdout + r.stderr).decode()[:800])
    r = run("count", "--index", tmp / "hk", "list:test.lists.example.com")
    check("HyperKitty export: list from List-Id", r.stdout.strip() == b"1", r.stdout.decode())

if failures:
    print(f"{len(failures)} failures")
    sys.exit(1)
print("Mailman archives: all checks passed")
