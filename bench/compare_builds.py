#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The listdex authors
"""Two listdex builds in one run on one machine: import time, peak RSS,
index size and end-to-end query times (median of --runs), for a before/after
record of a change (docs/benchmarks.md). The builds run one after another,
alternating, so machine noise hits both.

usage: bench/compare_builds.py OLD_LISTDEX NEW_LISTDEX [--corpus linux-man] [--work DIR] [--runs 5]
Build the old one from the commit before the change (git worktree add /tmp/old COMMIT;
scripts/build.sh there)."""

import argparse
import lzma
import os
import shutil
import statistics
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT.parent / "shared" / "corpora"
QUERIES = ["mmap", "from:alx@kernel.org", "subject:pthread", '"memory barrier"',
           "date:2023-01-01..2023-12-31 AND signal", "patch", "@threads madvise"]


def du(path):
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file())


def timed(cmd):
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    return time.perf_counter() - start


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("--corpus", default="linux-man")
    ap.add_argument("--work", default="/tmp/listdex-compare")
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    work = Path(a.work)
    work.mkdir(parents=True, exist_ok=True)
    mbox = work / f"{a.corpus}.mbox"
    if not mbox.exists():
        with lzma.open(CORPORA / f"{a.corpus}.mbox.xz") as src, open(mbox, "wb") as dst:
            shutil.copyfileobj(src, dst)
    builds = {"before": a.old, "after": a.new}
    result = {k: {} for k in builds}
    for name, exe in builds.items():
        index = work / f"index-{name}"
        shutil.rmtree(index, ignore_errors=True)
        out = subprocess.run(["/usr/bin/time", "-f", "%e %M", exe, "import", "-q", "--index", str(index), str(mbox)],
                             check=True, capture_output=True, text=True).stderr.split()
        result[name]["import s"] = float(out[-2])
        result[name]["RSS MB"] = int(out[-1]) / 1024
        result[name]["index MB"] = du(index) / 1e6
        result[name]["xapian MB"] = du(index / "shards") / 1e6
    for q in QUERIES:
        threads = q.startswith("@threads ")
        text = q.removeprefix("@threads ")
        times = {k: [] for k in builds}
        for _ in range(a.runs):
            for name, exe in builds.items():
                cmd = [exe, "search", "--index", str(work / f"index-{name}"), "--limit", "50",
                       "--output", "threads" if threads else "messages", text]
                times[name].append(timed(cmd) * 1000)
        for name in builds:
            result[name][f"{q} ms"] = statistics.median(times[name])
    print(f"{'':45} {'before':>10} {'after':>10} {'after/before':>13}")
    for key in result["before"]:
        b, n = result["before"][key], result["after"][key]
        print(f"{key:45} {b:10.1f} {n:10.1f} {n / b if b else 0:13.2f}")


if __name__ == "__main__":
    main()
