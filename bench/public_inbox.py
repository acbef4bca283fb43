#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The listdex authors
"""Reading from a public-inbox git archive against reading the same messages
from an mbox, in one run on one machine.

Builds a public-inbox v2 epoch from a corpus with `git fast-import` (one
commit per message, the message in blob `m`, then `git repack -adf` as a
mirror would be packed; not timed), then imports the epoch and the same
messages as an mbox (uncompressed, gzip, xz) into fresh indexes, taking
turns, and prints the median wall time of each and the per-message ratio to
git. A second, incremental import of the unchanged epoch shows what a
`git fetch` with nothing new costs.

usage: bench/public_inbox.py [--corpus linux-man|usrp-users|FILE.mbox[.xz]] [--runs 3] [--work DIR]
"""
import argparse
import lzma
import re
import shutil
import statistics
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT.parent / "shared" / "corpora"
LISTDEX = ROOT / "build" / "listdex"
SEPARATOR = re.compile(rb"^From \S+ (?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) .*\n", re.M)


def mbox_bytes(corpus):
    path = Path(corpus) if Path(corpus).exists() else CORPORA / f"{corpus}.mbox.xz"
    data = path.read_bytes()
    return lzma.decompress(data) if path.suffix == ".xz" else data


def messages(data):
    """The messages of an mboxrd archive, unquoted, as public-inbox stores them."""
    parts = SEPARATOR.split(data)
    return [re.sub(rb"(?m)^>(>*From )", rb"\1", p.rstrip(b"\n") + b"\n") for p in parts[1:]]


def build_epoch(msgs, repo):
    subprocess.run(["git", "init", "-q", "--bare", str(repo)], check=True)
    stream = bytearray()
    for n, m in enumerate(msgs):
        stream += b"commit refs/heads/master\n"
        stream += b"committer pi <pi@example.org> %d +0000\n" % (1600000000 + n)
        stream += b"data 1\nm\n"  # each commit continues the branch
        stream += b"M 100644 inline m\ndata %d\n%s\n" % (len(m), m)
    subprocess.run(["git", "--git-dir", str(repo), "fast-import", "--quiet"], input=bytes(stream), check=True)
    subprocess.run(["git", "--git-dir", str(repo), "repack", "-adfq"], check=True)


def timed_import(index, path):
    shutil.rmtree(index, ignore_errors=True)
    start = time.monotonic()
    subprocess.run([str(LISTDEX), "import", "--quiet", "--compact", "never", "--index", str(index), str(path)],
                   check=True)
    return time.monotonic() - start


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default="linux-man")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--work", default="/tmp/listdex-bench-git")
    args = ap.parse_args()
    work = Path(args.work)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    data = mbox_bytes(args.corpus)
    msgs = messages(data)
    mbox = work / "archive.mbox"
    mbox.write_bytes(data)
    sources = {"git": work / "inbox", "mbox": mbox}
    for tool, level in (("gzip", "-6"), ("xz", "-6")):
        subprocess.run([tool, "-k", "-f", level, str(mbox)], check=True)
        sources[f"mbox.{'gz' if tool == 'gzip' else 'xz'}"] = Path(f"{mbox}.{'gz' if tool == 'gzip' else 'xz'}")
    epoch = work / "inbox" / "git" / "0.git"
    epoch.parent.mkdir(parents=True)
    build_epoch(msgs, epoch)
    pack = sum(f.stat().st_size for f in (epoch / "objects").rglob("*") if f.is_file())
    print(f"{args.corpus}: {len(msgs)} messages; mbox {len(data) / 1e6:.0f} MB, git epoch {pack / 1e6:.0f} MB packed")

    times = {k: [] for k in sources}
    for _ in range(args.runs):
        for k, path in sources.items():
            times[k].append(timed_import(work / f"index-{k}", path))
    start = time.monotonic()
    subprocess.run([str(LISTDEX), "import", "--quiet", "--index", str(work / "index-git"), str(work / "inbox")],
                   check=True)
    again = time.monotonic() - start
    median = {k: statistics.median(t) for k, t in times.items()}
    print(f"| source | import (s, median of {args.runs}) | messages indexed | µs per message | ratio git/source |")
    print("|---|---|---|---|---|")
    for k, t in median.items():
        n = subprocess.run([str(LISTDEX), "count", "--index", str(work / f"index-{k}"), "*"], check=True,
                           capture_output=True, text=True).stdout.strip()
        print(f"| {k} | {t:.2f} | {n} | {t / len(msgs) * 1e6:.0f} | {median['git'] / t:.2f} |")
    print(f"re-import of the unchanged epoch: {again:.2f} s")


if __name__ == "__main__":
    main()
