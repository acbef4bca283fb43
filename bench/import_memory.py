#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The listdex authors
"""Memory and time of an import, git against mbox.

Imports the same mail into fresh indexes, taking turns: linux-man's real
lore epoch (../shared/corpora/linux-man.git.bundle, cloned bare as a
mirror), the same messages as an mbox (linux-man.mbox.xz, decompressed
first, not timed), as the gzipped mbox lore serves for download and as
the xz-compressed mbox the corpus ships (the file the issue names); for
memory also as a Maildir (a file per message) and as the MHonArc web
archive Debian's `mhonarc` makes of the mbox (made once, not timed;
skipped with a note when mhonarc is not installed).

Memory, on the whole epoch (--runs imports of each): the importer's
/proc/PID/status is sampled every 50 ms: peak RssAnon (heap: what --memory
bounds), RssFile (mapped files: git packs, Xapian's tables, the binary and
its libraries) and VmRSS (what top shows), plus VmHWM (the kernel's own
peak RSS); medians, with wall and CPU seconds.

Time, on slices of the first --slice messages (--rounds rounds of the
four, a few seconds each, in turns): the ratio git / mbox, git / mbox.gz
and git / mbox.xz of each round, and a sign test of "git is slower than
mbox". Then what each reader costs alone on the slice, before any
parsing (bench/read_cost.cpp, built with `cmake --build build --target
read_cost`): the whole difference between the sources is there.

Fails (exit 1) when a goal of docs/benchmarks.md is missed: peak RssAnon
<= --memory, peak VmHWM <= 1.25 x --memory, git no slower than mbox
(slower in so many rounds that chance would do it less than once in 20).

usage: bench/import_memory.py [--memory 400] [--runs 3] [--rounds 10] [--slice 4000] [--work DIR]
"""
import argparse
import gzip
import lzma
import math
import os
import re
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
SEPARATOR = re.compile(rb"^From \S+ (?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) .*\n", re.M)


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
    """Wall seconds, CPU seconds (user + system) and peak memory of one import."""
    shutil.rmtree(index, ignore_errors=True)
    start = time.monotonic()
    proc = subprocess.Popen([str(LISTDEX), "import", "--quiet", "--memory", str(memory), "--index", str(index),
                             str(source)])
    peak = {"RssAnon": 0, "RssFile": 0, "VmRSS": 0, "VmHWM": 0}
    while True:
        s = status(proc.pid)
        if s:
            for k in peak:
                peak[k] = max(peak[k], s.get(k, 0))
        done, code, usage = os.wait4(proc.pid, os.WNOHANG)
        if done:
            break
        time.sleep(0.05)
    seconds = time.monotonic() - start
    if code != 0:
        sys.exit(f"import of {source} failed: exit status {code}")
    return seconds, usage.ru_utime + usage.ru_stime, peak


def mb(n):
    return f"{n / 1e6:7.0f}"


def sources_of(work, bundle, mbox_xz, messages=None):
    """The same mail as a public-inbox mirror, an mbox, a gzipped mbox
    (what lore serves for download) and an xz-compressed one (the corpus's
    own file, or the slice compressed as xz does by default), in WORK; with
    MESSAGES, only the first that many (the mirror's branch set back to its
    MESSAGES-th commit)."""
    work.mkdir(parents=True, exist_ok=True)
    inbox, mbox, mbox_gz = work / "linux-man", work / "linux-man.mbox", work / "linux-man.mbox.gz"
    sliced_xz = work / "linux-man.mbox.xz"
    repo = inbox / "git" / "0.git"
    if not repo.exists():
        subprocess.run(["git", "clone", "-q", "--mirror", str(bundle), str(repo)], check=True)
        if messages:
            commits = subprocess.run(["git", "-C", str(repo), "rev-list", "--reverse", "HEAD"], capture_output=True,
                                     text=True, check=True).stdout.split()
            subprocess.run(["git", "-C", str(repo), "update-ref", "HEAD", commits[messages - 1]], check=True)
    if not mbox.exists():
        text = lzma.decompress(mbox_xz.read_bytes())
        if messages:
            starts = [m.start() for m in SEPARATOR.finditer(text)]
            text = text[:starts[messages]] if messages < len(starts) else text
        mbox.write_bytes(text)
    if not mbox_gz.exists():
        mbox_gz.write_bytes(gzip.compress(mbox.read_bytes(), 6))
    if messages and not sliced_xz.exists():
        sliced_xz.write_bytes(lzma.compress(mbox.read_bytes(), preset=6))
    return {"git": inbox, "mbox": mbox, "mbox.gz": mbox_gz, "mbox.xz": sliced_xz if messages else mbox_xz}


def other_sources(work, mbox):
    """The same mail as a Maildir and as an MHonArc archive (when mhonarc
    is installed), in WORK."""
    out = {}
    maildir = work / "linux-man.maildir"
    if not maildir.exists():
        text = mbox.read_bytes()
        starts = [m.start() for m in SEPARATOR.finditer(text)] + [len(text)]
        for d in ("tmp", "new", "cur"):
            (maildir / d).mkdir(parents=True, exist_ok=True)
        for i, (a, b) in enumerate(zip(starts, starts[1:])):
            message = text[a:b]
            message = message[message.index(b"\n") + 1:]  # the From_ line is mbox's, not the message's
            (maildir / "cur" / f"{i:06}.bench:2,S").write_bytes(message)
    out["Maildir"] = maildir
    pages = work / "linux-man.mhonarc"
    if shutil.which("mhonarc"):
        if not (pages / "maillist.html").exists():
            pages.mkdir(parents=True, exist_ok=True)
            subprocess.run(["mhonarc", "-outdir", str(pages), "-quiet", str(mbox)], capture_output=True, check=True)
        out["MHonArc"] = pages
    else:
        print("mhonarc is not installed (apt-get install mhonarc): no MHonArc archive imported")
    return out


def turns(sources, rounds, index, memory):
    """Imports every source once per round, back to back, forwards and
    backwards in turns (the one after finds the page cache full of the
    other's writes): {name: [(seconds, CPU seconds, peaks)]}."""
    results = {name: [] for name in sources}
    names = list(sources)
    for r in range(rounds):
        for name in names if r % 2 == 0 else names[::-1]:
            results[name].append(sampled_import(index, sources[name], memory))
    return results


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--memory", type=int, default=400)
    ap.add_argument("--runs", type=int, default=3, help="imports of the whole epoch per source (memory)")
    ap.add_argument("--rounds", type=int, default=10, help="rounds of the slices (time)")
    ap.add_argument("--slice", type=int, default=4000, help="messages of a slice")
    ap.add_argument("--work")
    args = ap.parse_args()
    bundle, mbox_xz = CORPORA / "linux-man.git.bundle", CORPORA / "linux-man.mbox.xz"
    if not bundle.exists() or not mbox_xz.exists():
        sys.exit(f"needs {bundle} and {mbox_xz}")
    work = Path(args.work or tempfile.mkdtemp(prefix="listdex-memory-"))
    budget = args.memory * 1024 * 1024
    missed = []

    # Memory: the whole epoch.
    sources = sources_of(work, bundle, mbox_xz)
    whole = turns({**sources, **other_sources(work, sources["mbox"])}, args.runs, work / "ix", args.memory)
    print(f"linux-man, 17,885 messages, --memory {args.memory}; medians of {args.runs} (MB)")
    print(f"{'source':7} {'seconds':>8} {'CPU s':>8} {'RssAnon':>8} {'RssFile':>8} {'VmRSS':>8} {'VmHWM':>8}")
    for name, runs in whole.items():
        m = {"seconds": statistics.median(r[0] for r in runs), "cpu": statistics.median(r[1] for r in runs)}
        for k in ("RssAnon", "RssFile", "VmRSS", "VmHWM"):
            m[k] = statistics.median(r[2][k] for r in runs)
        print(f"{name:7} {m['seconds']:8.1f} {m['cpu']:8.1f} {mb(m['RssAnon'])} {mb(m['RssFile'])} {mb(m['VmRSS'])} "
              f"{mb(m['VmHWM'])}")
        if m["RssAnon"] > budget:
            missed.append(f"{name}: peak RssAnon {m['RssAnon'] / 1e6:.0f} MB > --memory")
        if m["VmHWM"] > 1.25 * budget:
            missed.append(f"{name}: peak RSS {m['VmHWM'] / 1e6:.0f} MB > 1.25 x --memory")

    # Time: this machine's speed drifts by 10-20% over minutes (imports of
    # the whole epoch took 38-50 CPU seconds for the same work), so the
    # sources are compared on slices a few seconds long, many rounds
    # in turns, and git is called slower only when a sign test says so:
    # slower in so many rounds that chance would do it less than once in 20.
    slice_sources = sources_of(work / f"slice-{args.slice}", bundle, mbox_xz, args.slice)
    sliced = turns(slice_sources, args.rounds, work / "ix", args.memory)
    print(f"\nslices of {args.slice:,} messages, {args.rounds} rounds: git / other, each round")
    for other in ("mbox", "mbox.gz", "mbox.xz"):
        for what, label in ((0, "time"), (1, "CPU time")):
            ratios = [g[what] / o[what] for g, o in zip(sliced["git"], sliced[other])]
            print(f"git / {other:7} {label:8}: " + " ".join(f"{r:.3f}" for r in ratios) +
                  f"; median {statistics.median(ratios):.3f}")
    ratios = [g[0] / o[0] for g, o in zip(sliced["git"], sliced["mbox"])]
    slower = sum(r > 1 for r in ratios)
    p = sum(math.comb(len(ratios), k) for k in range(slower, len(ratios) + 1)) / 2 ** len(ratios)
    print(f"git slower than mbox in {slower} of {len(ratios)} rounds (sign test: p = {p:.3f})")
    extra = statistics.median(g[1] - o[1] for g, o in zip(sliced["git"], sliced["mbox"]))
    print(f"git's extra CPU time over the mbox: median {extra:.3f} s", flush=True)
    built = subprocess.run(["cmake", "--build", str(LISTDEX.parent), "--target", "read_cost"], capture_output=True)
    if built.returncode == 0:
        subprocess.run([str(LISTDEX.parent / "read_cost"), "--rounds", "5", str(slice_sources["git"] / "git" / "0.git"),
                        *(str(slice_sources[k]) for k in ("mbox", "mbox.gz", "mbox.xz"))], check=True)
    else:
        print("read_cost could not be built: what each reader costs alone is not shown")
    if p < 0.05:
        missed.append(f"git is slower than mbox: in {slower} of {len(ratios)} rounds, "
                      f"median {statistics.median(ratios):.3f}x")
    for m in missed:
        print("MISSED:", m)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
