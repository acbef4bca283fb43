#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The listdex authors
"""Memory of an import, anonymous and file-backed apart, git against mbox.

Imports the same mail twice into fresh indexes, taking turns: linux-man's
real lore epoch (../shared/corpora/linux-man.git.bundle, cloned bare as a
mirror) and the same messages as an mbox (linux-man.mbox.xz, decompressed
first, not timed). The importer's /proc/PID/status is sampled every 50 ms:
peak RssAnon (heap: what --memory bounds), RssFile (mapped files: git packs,
Xapian's tables, the binary and its libraries) and VmRSS (what top shows),
plus VmHWM (the kernel's own peak RSS). Prints a table, medians over --runs,
and fails (exit 1) when a goal of docs/benchmarks.md is missed:
peak RssAnon <= --memory, peak VmHWM <= 1.25 x --memory, git no slower than
mbox per message.

usage: bench/import_memory.py [--memory 400] [--runs 3] [--work DIR]
"""
import argparse
import lzma
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT.parent / "shared" / "corpora"
LISTDEX = ROOT / "build" / "listdex"


def status(pid):
    fields = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key in ("RssAnon", "RssFile", "RssShmem", "VmRSS", "VmHWM"):
                    fields[key] = int(value.split()[0]) * 1024
    except (FileNotFoundError, ProcessLookupError):
        return None
    return fields


def sampled_import(index, source, memory):
    shutil.rmtree(index, ignore_errors=True)
    start = time.monotonic()
    proc = subprocess.Popen([str(LISTDEX), "import", "--quiet", "--memory", str(memory), "--index", str(index),
                             str(source)])
    peak = {"RssAnon": 0, "RssFile": 0, "VmRSS": 0, "VmHWM": 0}
    while proc.poll() is None:
        s = status(proc.pid)
        if s:
            for k in peak:
                peak[k] = max(peak[k], s.get(k, 0))
        time.sleep(0.05)
    seconds = time.monotonic() - start
    if proc.returncode != 0:
        sys.exit(f"import of {source} failed: exit {proc.returncode}")
    return seconds, peak


def mb(n):
    return f"{n / 1e6:7.0f}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--memory", type=int, default=400)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--work")
    args = ap.parse_args()
    bundle, mbox_xz = CORPORA / "linux-man.git.bundle", CORPORA / "linux-man.mbox.xz"
    if not bundle.exists() or not mbox_xz.exists():
        sys.exit(f"needs {bundle} and {mbox_xz}")
    work = Path(args.work or tempfile.mkdtemp(prefix="listdex-memory-"))
    work.mkdir(parents=True, exist_ok=True)
    inbox = work / "linux-man"
    if not (inbox / "git" / "0.git").exists():
        subprocess.run(["git", "clone", "-q", "--mirror", str(bundle), str(inbox / "git" / "0.git")], check=True)
    mbox = work / "linux-man.mbox"
    if not mbox.exists():
        mbox.write_bytes(lzma.decompress(mbox_xz.read_bytes()))
    results = {"git": [], "mbox": []}
    for _ in range(args.runs):
        for name, source in (("git", inbox), ("mbox", mbox)):
            results[name].append(sampled_import(work / f"ix-{name}", source, args.memory))
    budget = args.memory * 1024 * 1024
    print(f"linux-man, 17,885 messages, --memory {args.memory}; medians of {args.runs} (MB)")
    print(f"{'source':6} {'seconds':>8} {'RssAnon':>8} {'RssFile':>8} {'VmRSS':>8} {'VmHWM':>8}")
    medians = {}
    for name, runs in results.items():
        m = {"seconds": statistics.median(r[0] for r in runs)}
        for k in ("RssAnon", "RssFile", "VmRSS", "VmHWM"):
            m[k] = statistics.median(r[1][k] for r in runs)
        medians[name] = m
        print(f"{name:6} {m['seconds']:8.1f} {mb(m['RssAnon'])} {mb(m['RssFile'])} {mb(m['VmRSS'])} {mb(m['VmHWM'])}")
    ratio = medians["git"]["seconds"] / medians["mbox"]["seconds"]
    print(f"git / mbox time: {ratio:.2f}")
    missed = []
    for name, m in medians.items():
        if m["RssAnon"] > budget:
            missed.append(f"{name}: peak RssAnon {m['RssAnon'] / 1e6:.0f} MB > --memory")
        if m["VmHWM"] > 1.25 * budget:
            missed.append(f"{name}: peak RSS {m['VmHWM'] / 1e6:.0f} MB > 1.25 x --memory")
    if ratio > 1.0:
        missed.append(f"git is {ratio:.2f}x the time of mbox")
    for m in missed:
        print("MISSED:", m)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
