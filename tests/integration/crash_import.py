#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The listdex authors
"""kill -9 of an import at many moments: the index left behind opens and
answers, holds only whole messages, and re-running the same import gives
exactly what a clean import gives (same messages by id and content, same
threads, no duplicates). The killed imports start a new Xapian database
per shard every 300 documents (--database-documents), so kills land between
the databases' commits and around the stub rewrites too; the clean import
keeps one database per shard, and both must answer alike.

The archive is generated here: threads of every shape, arriving shuffled,
with replies to messages the archive lacks, exact duplicates and a
Message-ID shared by two different messages. usage: crash_import.py LISTDEX
"""
import json
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LISTDEX = sys.argv[1]
failures = []


def check(name, ok, detail=""):
    if not ok:
        failures.append(name)
        print(f"FAIL: {name} {detail}"[:2000])


def archive(n_threads=150, seed=7):
    rnd = random.Random(seed)
    messages = []
    for t in range(n_threads):
        ids = []
        for k in range(rnd.randint(1, 40)):
            mid = f"t{t}.m{k}@example.org"
            refs = []
            if ids:
                parent = rnd.choice(ids)
                refs = [parent]
            elif rnd.random() < 0.2:
                refs = [f"t{t}.absent@example.org"]  # the thread's root is not in the archive
            words = " ".join(rnd.choice(["kernel", "patch", "memory", "barrier", "review", "thanks", "mmap",
                                         "signal", "page", "fault", "lock", "retry"]) for _ in range(rnd.randint(20, 200)))
            day, minute = 1 + (t * 40 + k) // 1440, (t * 40 + k) % 1440
            h = (f"From: Author {k % 7} <a{k % 7}@example.org>\nSubject: {'Re: ' if refs else ''}thread {t}\n"
                 f"Message-ID: <{mid}>\nDate: Mon, {day:02d} Jan 2024 {minute // 60:02d}:{minute % 60:02d}:00 +0000\n")
            if refs:
                h += f"In-Reply-To: <{refs[0]}>\nReferences: <{refs[0]}>\n"
            messages.append(h + f"\n{words}\n")
            ids.append(mid)
    messages += messages[:25]  # exact duplicates
    messages.append(messages[0].replace("kernel", "KERNEL", 1) if "kernel" in messages[0] else messages[0] + "x\n")
    rnd.shuffle(messages)
    return messages


def snapshot(index):
    """(sorted message keys with content hashes, thread partition) of an index."""
    out = subprocess.run([LISTDEX, "search", "--index", index, "--output", "messages", "--format", "json", "*"],
                         capture_output=True, text=True)
    if out.returncode != 0:
        return None, None, out.stderr
    hits = json.loads(out.stdout)
    keys = sorted(h["id"] for h in hits)
    threads = {}
    for h in hits:
        threads.setdefault(h["thread"], set()).add(h["message_id"])
    return keys, sorted(sorted(t) for t in threads.values()), ""


def import_cmd(index, mbox, databases=0):
    return [LISTDEX, "import", "-q", "--memory", "16", "--shards", "2", "--database-documents", str(databases),
            "--index", index, mbox]


with tempfile.TemporaryDirectory() as tmp:
    mbox = f"{tmp}/a.mbox"
    messages = archive()
    whole = {m.strip().encode() for m in messages}
    Path(mbox).write_text("".join(f"From a@example.org Mon Jan  1 00:00:00 2024\n{m}\n" for m in messages))
    started = time.monotonic()
    subprocess.run(import_cmd(f"{tmp}/clean", mbox), check=True)
    clean_seconds = time.monotonic() - started
    clean_keys, clean_threads, _ = snapshot(f"{tmp}/clean")
    check("clean import has every message", len(clean_keys) == len(set(clean_keys)) and len(clean_keys) > 2000,
          len(clean_keys))

    # Kill points spread over the whole import (compaction at the end too),
    # as fractions of its duration. The clean import may have run on a
    # busier machine than the later ones (ctest runs tests side by side):
    # an import that finishes before its kill point shortens the duration
    # the later points are taken from.
    fractions = (0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98)
    duration = clean_seconds
    killed = repaired = layered = 0
    for n, fraction in enumerate(fractions):
        delay = duration * fraction
        index = f"{tmp}/crash{n}"
        started = time.monotonic()
        p = subprocess.Popen(import_cmd(index, mbox, 300))
        while p.poll() is None and time.monotonic() - started < delay:
            time.sleep(0.005)
        if p.poll() is None:
            p.send_signal(signal.SIGKILL)
            killed += 1
        else:
            duration = min(duration, time.monotonic() - started)
        p.wait()
        stub = Path(index, "shards", "0.stub")
        layered += stub.exists() and len(stub.read_text().split("\n")) > 2  # more than one "glass" line
        c = subprocess.run([LISTDEX, "count", "--index", index], capture_output=True, text=True)
        if c.returncode == 4:  # killed before the first commit: no index yet, and it says so
            check(f"kill at {delay:.2f}s: 'no index' before the first commit", "no listdex index" in c.stderr, c.stderr)
        else:
            check(f"kill at {delay:.2f}s: index opens and counts", c.returncode == 0, c.stderr)
            keys, _, err = snapshot(index)
            check(f"kill at {delay:.2f}s: index answers searches", keys is not None, err)
            for key in (keys or [])[:: max(1, len(keys or []) // 15)]:
                s = subprocess.run([LISTDEX, "show", "--index", index, "--raw", key], capture_output=True)
                check(f"kill at {delay:.2f}s: {key} is whole", s.returncode == 0 and s.stdout.strip() in whole,
                      s.stderr or s.stdout[-200:])
            if c.returncode == 0:
                # check sees the cut-short round; --repair makes the shards agree.
                chk = subprocess.run([LISTDEX, "check", "--index", index], capture_output=True, text=True)
                journal = Path(index, "round.journal").exists()
                check(f"kill at {delay:.2f}s: check reports an unfinished round", not journal or
                      (chk.returncode == 1 and "commit round was cut short" in chk.stdout), chk.stdout + chk.stderr)
                if chk.returncode != 0:
                    rep = subprocess.run([LISTDEX, "check", "--repair", "--index", index], capture_output=True, text=True)
                    check(f"kill at {delay:.2f}s: check --repair leaves no problem", rep.returncode == 0,
                          rep.stdout + rep.stderr)
                    repaired += 1
        r = subprocess.run(import_cmd(index, mbox, 300), capture_output=True, text=True)
        check(f"kill at {delay:.2f}s: re-run completes", r.returncode == 0, r.stderr[-500:])
        keys, threads, err = snapshot(index)
        check(f"kill at {delay:.2f}s: same messages as a clean import", keys == clean_keys,
              f"{len(keys or [])} vs {len(clean_keys)}: {sorted(set(keys or []) ^ set(clean_keys))[:5]}")
        check(f"kill at {delay:.2f}s: same threads as a clean import", threads == clean_threads,
              f"{len(threads or [])} threads vs {len(clean_threads)}")
        chk = subprocess.run([LISTDEX, "check", "--index", index], capture_output=True, text=True)
        check(f"kill at {delay:.2f}s: check finds nothing after the re-run", chk.returncode == 0, chk.stdout + chk.stderr)
    check("most kill points hit a running import", killed >= len(fractions) // 2, killed)
    check("most kills left several databases per shard", layered >= len(fractions) // 2, layered)

    # Damage check cannot repair: a raw copy overwritten in the middle of a pack.
    pack = Path(f"{tmp}/clean/raw/0.pack")
    data = bytearray(pack.read_bytes())
    data[len(data) // 2: len(data) // 2 + 64] = b"\0" * 64
    pack.write_bytes(bytes(data))
    chk = subprocess.run([LISTDEX, "check", "--format", "json", "--index", f"{tmp}/clean"], capture_output=True, text=True)
    report = json.loads(chk.stdout) if chk.stdout else {}
    check("damaged raw copy: check exits 1", chk.returncode == 1, chk.stderr)
    check("damaged raw copy: named as unrepairable", any("raw copy" in p for p in report.get("unrepairable", [])), report)
    rep = subprocess.run([LISTDEX, "check", "--repair", "--index", f"{tmp}/clean"], capture_output=True, text=True)
    check("damaged raw copy: --repair cannot fix it, says so", rep.returncode == 1 and "raw copy" in rep.stdout, rep.stdout)

print(f"{len(failures)} failures" if failures else
      f"index consistent after {len(fractions)} kills and re-runs ({repaired} repaired by check --repair first, "
      f"{layered} killed with several databases per shard)")
sys.exit(1 if failures else 0)
