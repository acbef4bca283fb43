#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The listdex authors
"""`listdex new` and tags at lore scale: an index of ~200,000 messages.

Builds (once, kept in --work) an index of 11 copies of linux-man under 11
list ids, every Message-ID made unique per copy (196,735 messages), then
measures, each the median of --runs runs:
  - `listdex count '*'`: starting listdex and opening the index (the floor);
  - `listdex new` with every message unread (a first run; the worst case:
    the newest 50 threads of each list, exact totals);
  - `listdex new --limit 0` then: every one of the ~43,000 threads;
  - `listdex tag +read -- '*'` (once: the first morning; `new --mark` marks
    only what it listed);
  - `listdex new` and `new --format json` after 300 new messages arrived
    on 3 lists (every morning): the goal is under 200 ms;
  - `listdex tag +followed -- thread:X`, and `count is:followed`.
Timings vary with the machine's load; ratios to the floor are printed too.

usage: python3 bench/reader_state.py [--work /tmp/listdex-200k] [--runs 5]
"""
import argparse
import re
import statistics
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpora" / "linux-man.mbox.xz"
LISTDEX = ROOT / "build" / "listdex"
COPIES = 11
ID = re.compile(rb"<([^<>\s]+@[^<>\s]+)>")
HEADER_WITH_IDS = re.compile(rb"^(Message-ID|In-Reply-To|References):.*(?:\n[ \t].*)*", re.M | re.I)


def copy_of(mbox, k):
    """The mbox with every Message-ID in Message-ID/In-Reply-To/References
    made unique to copy k (the bodies stay)."""
    def ids(m):
        return ID.sub(lambda i: b"<" + i.group(1) + b".c" + str(k).encode() + b">", m.group(0))
    out = []
    for message in re.split(rb"(?m)^(?=From mboxrd@z )", mbox):
        head, sep, body = message.partition(b"\n\n")
        out.append(HEADER_WITH_IDS.sub(ids, head) + sep + body)
    return b"".join(out)


def timed(args, runs):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([str(LISTDEX), *args], check=True, capture_output=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", default="/tmp/listdex-200k")
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    work = Path(a.work)
    index = work / "index"
    work.mkdir(parents=True, exist_ok=True)
    mbox = subprocess.run(["xz", "-dc", str(CORPUS)], check=True, capture_output=True).stdout
    if not (index / "listdex.conf").exists():
        for k in range(COPIES):
            t = time.perf_counter()
            subprocess.run([str(LISTDEX), "import", "-q", "--index", str(index), "--compact", "never",
                            "--list", f"list{k}.example.org", "-"], input=copy_of(mbox, k), check=True)
            print(f"copy {k + 1}/{COPIES} imported in {time.perf_counter() - t:.0f} s", flush=True)
        # One compaction at the end, as a bulk import does by itself
        # (a re-import of a message known already: nothing added).
        first = re.split(rb"(?m)^(?=From mboxrd@z )", mbox)[1]
        subprocess.run([str(LISTDEX), "import", "-q", "--index", str(index), "--compact", "always",
                        "--list", "list0.example.org", "-"], input=copy_of(first, 0), check=True)
    ix = ["--index", str(index)]
    subprocess.run([str(LISTDEX), "tag", *ix, "-read", "-followed", "--", "*"], check=True, capture_output=True)
    total = int(subprocess.run([str(LISTDEX), "count", *ix], check=True, capture_output=True, text=True).stdout)
    print(f"index: {total:,} messages in {COPIES} lists", flush=True)
    floor = timed(["count", *ix, "*"], a.runs)
    rows = [("count '*' (start + open: the floor)", floor)]
    rows.append(("new, every message unread", timed(["new", *ix], a.runs)))
    rows.append(("new --limit 0, every message unread", timed(["new", *ix, "--limit", "0"], 1)))
    t = time.perf_counter()
    subprocess.run([str(LISTDEX), "tag", *ix, "+read", "--", "*"], check=True, capture_output=True)
    rows.append(("tag +read -- '*', every message (once)", time.perf_counter() - t))
    # 300 new messages on 3 lists: the last 100 messages, under ids no run
    # has used, on each.
    tail = b"".join(re.split(rb"(?m)^(?=From mboxrd@z )", mbox)[-100:])
    run = int(time.time())
    for k in range(3):
        subprocess.run([str(LISTDEX), "import", "-q", *ix, "--list", f"list{k}.example.org", "-"],
                       input=copy_of(tail, f"{run}-{k}"), check=True)
    unread = subprocess.run([str(LISTDEX), "count", *ix, "is:unread"], check=True, capture_output=True,
                            text=True).stdout.strip()
    rows.append((f"new, {unread} unread on 3 lists", timed(["new", *ix], a.runs)))
    rows.append((f"new --format json, {unread} unread", timed(["new", *ix, "--format", "json"], a.runs)))
    thread = subprocess.run([str(LISTDEX), "search", *ix, "--limit", "1", "s:PATCH"], check=True,
                            capture_output=True, text=True).stdout.split("thread:")[-1].strip()
    rows.append(("tag +followed -- thread:X", timed(["tag", *ix, "+followed", "--", f"thread:{thread}"], a.runs)))
    rows.append(("count is:followed", timed(["count", *ix, "is:followed"], a.runs)))
    print(f"\n{'what':44} {'ms':>8} {'x floor':>8}")
    for what, seconds in rows:
        print(f"{what:44} {seconds * 1000:8.0f} {seconds / floor:8.1f}")


if __name__ == "__main__":
    main()
