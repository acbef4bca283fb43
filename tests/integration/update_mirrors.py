#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The listdex authors
"""listdex update against live mirrors, simulated with local "remote"
public-inbox v2 inboxes (file:// URLs) that gain commits between runs: the
mirrors are bare `git clone --mirror` copies, as public-inbox-clone and
grok-pull make. Checked: --dry-run says what would be fetched and changes
nothing; update fetches and imports only what is new (also removals), from
any working folder; a second run finds nothing; a remote that starts a new
epoch gets it cloned and imported; an unreachable remote is named, exit 7,
while the other mirror is still updated; the --list of the first import is
kept for new messages; a repository without a remote is
read again; a clone with a work tree is refused by name; an index without
git sources says so.

usage: update_mirrors.py LISTDEX
"""
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from pi_git import git, git_command, v2_commit

LISTDEX = sys.argv[1]
failures = []


def check(name, ok, detail=""):
    if not ok:
        failures.append(name)
        print(f"FAIL: {name} {detail}"[:3000])


def run(*args, cwd=None):
    return subprocess.run([LISTDEX, *args], capture_output=True, timeout=600, cwd=cwd)


def message(mid, subject, day, irt=None):
    lines = ["From: Ann Author <ann@example.org>", "To: gpio@example.org", f"Subject: {subject}",
             f"Date: Mon, {day:02d} Jan 2024 10:00:00 +0000", f"Message-ID: <{mid}>",
             "List-Id: <gpio.example.org>"]
    if irt:
        lines.append(f"In-Reply-To: <{irt}>")
    return ("\n".join(lines) + f"\n\nbody of {mid}\n").encode()


def new_epoch(inbox, n):
    repo = inbox / "git" / f"{n}.git"
    git_command("init", "-q", "--bare", "-b", "master", str(repo))
    return repo


def count(ix, query="*"):
    r = run("count", "--index", str(ix), query)
    return int(r.stdout) if r.returncode == 0 else -1


with tempfile.TemporaryDirectory() as tmp:
    tmp = Path(tmp)
    ix = tmp / "ix"
    remote = tmp / "remote" / "gpio"  # what lore.kernel.org serves
    mirror = tmp / "mirror" / "gpio"  # what public-inbox-clone made here
    epoch0 = new_epoch(remote, 0)
    for i in range(1, 4):
        v2_commit(epoch0, "m", message(f"m{i}@example.org", f"patch {i}", i))
    (mirror / "git").mkdir(parents=True)
    git_command("clone", "-q", "--mirror", f"file://{epoch0}", str(mirror / "git" / "0.git"))

    r = run("update", "--index", str(ix))
    check("update without an index: exit 4", r.returncode == 4, r.stderr.decode())
    # --list wins over the messages' List-Id, and update remembers it.
    r = run("import", "-q", "--index", str(ix), "--list", "lore-gpio.example.net", str(mirror))
    check("first import of the mirror", r.returncode == 0 and count(ix, "list:lore-gpio.example.net") == 3,
          r.stderr.decode())
    r = run("update", "--dry-run", "--index", str(ix))
    check("dry run with nothing new: up to date", r.returncode == 0 and b": up to date" in r.stdout,
          r.stdout.decode() + r.stderr.decode())

    # The remote grows: two messages, one removal.
    v2_commit(epoch0, "m", message("m4@example.org", "Re: patch 1", 4, irt="m1@example.org"))
    v2_commit(epoch0, "m", message("m5@example.org", "patch 5", 5))
    v2_commit(epoch0, "d", message("m2@example.org", "patch 2", 2))
    new_tip = git(epoch0, "rev-parse", "refs/heads/master")
    r = run("update", "--dry-run", "--index", str(ix))
    out = r.stdout.decode()
    check("dry run names the mirror and what it would fetch", r.returncode == 0 and "would fetch file://" in out
          and new_tip[:12] in out, out + r.stderr.decode())
    check("dry run changes nothing", count(ix) == 3 and
          git(mirror / "git" / "0.git", "rev-parse", "refs/heads/master") != new_tip)

    elsewhere = tmp / "elsewhere"
    elsewhere.mkdir()
    r = run("update", "--index", str(ix), cwd=elsewhere)  # paths were stored absolute
    out = r.stdout.decode()
    check("update fetches and imports (from another folder)", r.returncode == 0 and ": fetched " in out
          and "Imported 2 new messages" in out, out + r.stderr.decode())
    check("the mirror moved to the remote's commit",
          git(mirror / "git" / "0.git", "rev-parse", "refs/heads/master") == new_tip)
    check("new messages searchable, the removal honoured",
          count(ix, "id:m5@example.org") == 1 and count(ix, "id:m2@example.org") == 0 and count(ix) == 4)
    check("... under the --list of the first import", count(ix, "list:lore-gpio.example.net") == 4,
          run("lists", "--index", str(ix)).stdout.decode())
    check("the reply threads under its parent",
          count(ix, "thread:" + run("search", "--index", str(ix), "--output", "messages", "--format", "json",
                                    "id:m1@example.org").stdout.decode().split('"thread": "')[1].split('"')[0]) == 2)
    r = run("update", "--index", str(ix))
    check("a second update finds nothing new", r.returncode == 0 and b"up to date" in r.stdout
          and b"Imported 0 new messages" in r.stdout, r.stdout.decode() + r.stderr.decode())

    # The remote starts epoch 1: cloned beside 0.git and imported.
    epoch1 = new_epoch(remote, 1)
    v2_commit(epoch1, "m", message("m6@example.org", "patch 6", 6))
    r = run("update", "--dry-run", "--index", str(ix))
    check("dry run: would clone the new epoch", b"would clone file://" in r.stdout and b"1.git" in r.stdout
          and not (mirror / "git" / "1.git").exists(), r.stdout.decode() + r.stderr.decode())
    r = run("update", "--index", str(ix))
    check("update clones the new epoch and imports it", r.returncode == 0 and b"(a new epoch)" in r.stdout
          and (mirror / "git" / "1.git").is_dir() and count(ix, "list:lore-gpio.example.net id:m6@example.org") == 1,
          r.stdout.decode() + r.stderr.decode())
    check("... as a mirror (no partial clone left)", not (mirror / "git" / "1.git.partial").exists() and
          git(mirror / "git" / "1.git", "config", "remote.origin.mirror") == "true")
    v2_commit(epoch1, "m", message("m7@example.org", "patch 7", 7))
    r = run("update", "-q", "--index", str(ix))
    check("the new epoch is followed too", r.returncode == 0 and count(ix, "list:lore-gpio.example.net id:m7@example.org") == 1,
          r.stderr.decode())

    # A second list whose remote disappears: named, exit 7, the first list
    # still updated.
    remote2 = tmp / "remote" / "xen"
    x0 = new_epoch(remote2, 0)
    v2_commit(x0, "m", message("x1@example.org", "xen 1", 1))
    mirror2 = tmp / "mirror" / "xen"
    (mirror2 / "git").mkdir(parents=True)
    git_command("clone", "-q", "--mirror", f"file://{x0}", str(mirror2 / "git" / "0.git"))
    run("import", "-q", "--index", str(ix), str(mirror2))
    subprocess.run(["rm", "-rf", str(remote2)], check=True)
    v2_commit(epoch1, "m", message("m8@example.org", "patch 8", 8))
    r = run("update", "-q", "--index", str(ix))
    err = r.stderr.decode()
    check("an unreachable remote: exit 7, named on stderr", r.returncode == 7 and str(mirror2 / "git" / "0.git") in err
          and "file://" in err, f"exit {r.returncode}: {err}")
    check("... the other mirror still updated", count(ix, "id:m8@example.org") == 1)

    # --format json: stdout is one JSON document, whatever happened.
    v2_commit(epoch1, "m", message("m9@example.org", "patch 9", 9))
    tip1 = git(epoch1, "rev-parse", "refs/heads/master")
    r = run("update", "--format", "json", "--index", str(ix))
    try:
        doc = json.loads(r.stdout)
    except ValueError as e:
        doc = {"error": str(e)}
    by_status = {}
    for m in doc.get("mirrors", []):
        by_status.setdefault(m["status"], []).append(m)
    check("update --format json: one document; mirrors and imports in it", r.returncode == 7
          and [m["new"] for m in by_status.get("fetched", [])] == [tip1]
          and [m["repo"] for m in by_status.get("failed", [])] == [str(mirror2 / "git" / "0.git")]
          and "file://" in by_status["failed"][0]["error"]
          and len(doc.get("imports", [])) == 2  # the two mirrors were imported with different lists
          and sum(i["imported"] for i in doc["imports"]) == 1, r.stdout.decode() + r.stderr.decode())

    # A repository without a remote is read again; a work-tree clone is refused.
    plain = tmp / "plain"
    p0 = new_epoch(plain, 0)
    v2_commit(p0, "m", message("p1@example.org", "plain 1", 1))
    run("import", "-q", "--index", str(ix), str(plain))
    v2_commit(p0, "m", message("p2@example.org", "plain 2", 2))
    r = run("update", "--index", str(ix))
    check("no remote: read again", b"no remote; read again" in r.stdout and count(ix, "id:p2@example.org") == 1,
          r.stdout.decode() + r.stderr.decode())
    ix2 = tmp / "ix2"
    work = tmp / "work"
    git_command("clone", "-q", f"file://{epoch0}", str(work))
    run("import", "-q", "--index", str(ix2), str(work))
    r = run("update", "--index", str(ix2))
    check("a clone with a work tree: refused by name, exit 7", r.returncode == 7 and str(work) in r.stderr.decode()
          and "git pull" in r.stderr.decode(), f"exit {r.returncode}: {r.stderr.decode()}")

    ix3 = tmp / "ix3"
    mbox = tmp / "a.mbox"
    mbox.write_bytes(b"From x Mon Jan  1 00:00:00 2024\n" + message("a@example.org", "a", 1))
    run("import", "-q", "--index", str(ix3), str(mbox))
    r = run("update", "--index", str(ix3))
    check("an index without git sources: says so, exit 0", r.returncode == 0 and b"Nothing to update" in r.stdout,
          r.stdout.decode() + r.stderr.decode())

print(f"update_mirrors: {'ok' if not failures else f'{len(failures)} failed'}")
sys.exit(1 if failures else 0)
