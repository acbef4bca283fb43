#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The listdex authors
"""The real b4 and lei (Debian's packages) against `listdex serve`.

Imports the first SLICE messages of linux-man (../shared/corpora), serves
them on 127.0.0.1 and drives, each with a throwaway HOME:
  b4  - `b4 am COVER -o DIR`: the series' .mbx holds every patch, in order;
      - `b4 am -c OLD_COVER`: finds the newest revision (a later thread,
        through the POST search b4 sends), and `git am` applies it to an
        empty repository (the series only adds files), as `b4 shazam` does
        in one step;
      - `b4 mbox MSGID`: the whole thread;
  lei - `lei q -I URL QUERY` for several queries: the same Message-IDs as
        `listdex search --output ids`;
      - `lei q --threads`: the thread of a message;
      - `lei lcat URL` with the server as an external;
      - `lei q -o mboxrd:OUT` then `lei up OUT` after new mail arrives.
The series are found in the slice (a v1 cover letter whose later revision
is a thread of its own, by the same sender), not named here.

usage: clients_b4_lei.py LISTDEX CORPUS_MBOX_XZ
Exits 77 (skipped) without the corpus or the clients."""

import email
import email.policy
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

LISTDEX, CORPUS = sys.argv[1], Path(sys.argv[2])
SLICE = 7000
LIST = "linux-man.vger.kernel.org"
failures = []
checks = 0


def check(name, ok, detail=""):
    global checks
    checks += 1
    print(("ok   " if ok else "FAIL ") + name + ("" if ok else f": {str(detail)[:3000]}"), flush=True)
    if not ok:
        failures.append(name)


def run(cmd, env=None, check_rc=True, **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, env=env, **kw)
    if check_rc and r.returncode != 0:
        sys.exit(f"{cmd[0]} failed ({r.returncode}): {' '.join(map(str, cmd))}\n{r.stdout[-2000:]}\n{r.stderr[-3000:]}")
    return r


for tool in ("b4", "lei", "curl", "git"):
    if not shutil.which(tool):
        print(f"SKIP: {tool} is not installed (scripts/install-deps.sh --test installs it)")
        sys.exit(77)
if not CORPUS.exists():
    print(f"SKIP: {CORPUS} not found (../shared/corpora is beside the project in CI)")
    sys.exit(77)


def listdex(*args):
    return run([LISTDEX, *args, "--index", INDEX]).stdout


def ids_of(query):
    """Message-IDs (not keys) listdex finds for @query."""
    out = listdex("search", "--output", "ids", query)
    return {line[3:].split("#")[0] for line in out.split()}


def patch_numbers(subject):
    m = re.match(r"\s*\[(?:RFC )?PATCH(?: v(\d+))?(?: (\d+)/(\d+))?\]\s*(.*)", subject, re.I)
    if not m or not m.group(2):
        return None
    return int(m.group(1) or 1), int(m.group(2)), int(m.group(3)), m.group(4).strip()


def find_rerolled_series():
    """(v1 cover id, newest cover id, its version, its patch count): a
    series whose later revision is a complete thread of its own, by the
    same sender, preferring one whose patches only add files."""
    threads = json.loads(listdex("search", "--format", "json", 's:"PATCH" s:"0/"'))
    covers = {}
    for t in threads:
        view = json.loads(listdex("thread", "--format", "json", "thread:" + t["thread"]))
        root = next((n for n in view["tree"] if not n.get("missing")), None)
        if not root:
            continue
        n = patch_numbers(root["subject"])
        if not n or n[1] != 0:
            continue
        version, _, total, title = n
        members = []

        def walk(node):
            if not node.get("missing"):
                members.append(node)
            for c in node["children"]:
                walk(c)
        for r in view["tree"]:
            walk(r)
        present = {patch_numbers(m["subject"])[1] for m in members
                   if patch_numbers(m["subject"]) and not m["subject"].lower().startswith("re:")}
        covers.setdefault((title, root["from"]), []).append(
            {"version": version, "total": total, "id": root["id"], "complete": present >= set(range(1, total + 1)),
             "date": root["date"], "members": [m["id"] for m in members]})
    best = None
    for (title, sender), revs in covers.items():
        revs.sort(key=lambda r: r["date"])
        if len(revs) < 2 or revs[0]["version"] != 1 or not revs[-1]["complete"] or revs[-1]["version"] < 2:
            continue
        newest = revs[-1]
        raw = listdex("search", "--output", "mbox", "--threads", "id:" + newest["id"])
        adds_only = "new file mode" in raw and "\n--- a/" not in raw
        candidate = (adds_only, len(revs), revs[0]["id"], newest)
        if best is None or candidate[:2] > best[:2]:
            best = candidate
    return best


with tempfile.TemporaryDirectory() as tmp:
    tmp = Path(tmp)
    INDEX = str(tmp / "index")
    # The first SLICE messages of the corpus (mboxrd, oldest first).
    data = subprocess.run(["xz", "-dc", str(CORPUS)], check=True, capture_output=True).stdout
    starts = [m.start() for m in re.finditer(rb"^From mboxrd@z ", data, re.M)]
    (tmp / "slice.mbox").write_bytes(data[:starts[SLICE]] if len(starts) > SLICE else data)
    del data
    listdex("import", "-q", str(tmp / "slice.mbox"))
    server = subprocess.Popen([LISTDEX, "serve", "--index", INDEX, "--listen", "127.0.0.1:0", "-q"],
                              stdout=subprocess.PIPE, text=True)
    base = re.search(r"at (http://127\.0\.0\.1:\d+)/", server.stdout.readline()).group(1)
    try:
        home = tmp / "home"
        home.mkdir()
        env = dict(os.environ, HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"),
                   XDG_DATA_HOME=str(home / ".local/share"), XDG_CACHE_HOME=str(home / ".cache"),
                   XDG_RUNTIME_DIR=str(home / "run"), GIT_CONFIG_NOSYSTEM="1")
        (home / "run").mkdir(mode=0o700)
        for key, value in [("b4.midmask", f"{base}/{LIST}/%s"), ("b4.linkmask", f"{base}/{LIST}/%s"),
                           ("b4.searchmask", f"{base}/{LIST}/?x=m&t=1&q=%s"),
                           ("b4.attestation-policy", "off"),  # no network here for DKIM keys
                           ("user.name", "listdex test"), ("user.email", "test@example.org")]:
            run(["git", "config", "--global", key, value], env=env)

        # ------------------------------------------------------------ b4
        found = find_rerolled_series()
        check("the slice holds a series with a later revision", found is not None)
        adds_only, _, old_cover, newest = found
        print(f"     series: v1 <{old_cover}>, v{newest['version']} <{newest['id']}> ({newest['total']} patches)")

        def mbx_messages(path):
            """The messages of an mbox as git am splits it (git mailsplit)."""
            split = Path(tempfile.mkdtemp(dir=tmp))
            run(["git", "mailsplit", "-o" + str(split), str(path)])
            return [email.message_from_bytes(f.read_bytes(), policy=email.policy.default)
                    for f in sorted(split.iterdir())]

        def mbx_subjects(path):
            return [str(m["subject"]) for m in mbx_messages(path)]

        out = tmp / "am-new"
        out.mkdir()
        r = run(["b4", "am", newest["id"], "-o", str(out)], env=env, cwd=tmp)
        mbx = list(out.glob("*.mbx"))
        subjects = mbx_subjects(mbx[0]) if mbx else []
        numbers = [patch_numbers(s.replace("\n", " ")) for s in subjects]
        check(f"b4 am: a .mbx with every patch of v{newest['version']} in order",
              len(mbx) == 1 and [n[1] for n in numbers if n] == list(range(1, newest["total"] + 1)),
              (r.stderr, subjects))

        out = tmp / "am-check"
        out.mkdir()
        r = run(["b4", "am", "-c", old_cover, "-o", str(out)], env=env, cwd=tmp)
        mbx = list(out.glob("*.mbx"))
        check(f"b4 am -c from v1 finds v{newest['version']}",
              f"latest revision: v{newest['version']}" in r.stderr and len(mbx) == 1 and
              mbx[0].name.startswith(f"v{newest['version']}_") and
              len(mbx_subjects(mbx[0])) == newest["total"], r.stderr)
        if adds_only and mbx:
            repo = tmp / "repo"
            run(["git", "init", "-q", str(repo)], env=env)
            run(["git", "-C", str(repo), "commit", "-q", "--allow-empty", "-m", "base"], env=env)
            r = run(["git", "-C", str(repo), "am", str(mbx[0])], env=env, check_rc=False)
            log = run(["git", "-C", str(repo), "log", "--format=%s"], env=env).stdout.splitlines()
            check("git am applies the series b4 fetched", r.returncode == 0 and len(log) == newest["total"] + 1,
                  r.stdout + r.stderr)
            shazam = tmp / "shazam"
            run(["git", "init", "-q", str(shazam)], env=env)
            run(["git", "-C", str(shazam), "commit", "-q", "--allow-empty", "-m", "base"], env=env)
            r = run(["b4", "shazam", newest["id"]], env=env, cwd=shazam, check_rc=False)
            log = run(["git", "-C", str(shazam), "log", "--format=%s"], env=env).stdout.splitlines()
            check("b4 shazam fetches and applies the series in one step",
                  r.returncode == 0 and len(log) == newest["total"] + 1, r.stdout + r.stderr)

        out = tmp / "mbox"
        out.mkdir()
        r = run(["b4", "mbox", old_cover, "-o", str(out)], env=env, cwd=tmp)
        mbx = list(out.glob("*.mbx")) + list(out.glob("*.mbox"))
        got = {m["message-id"].strip("<> \n") for m in mbx_messages(mbx[0])} if mbx else set()
        thread = {line[3:].split("#")[0] for line in
                  listdex("search", "--output", "ids", "--threads", "id:" + old_cover).split()}
        check("b4 mbox: the whole thread", got == thread, (r.stderr, len(got), len(thread)))

        # ------------------------------------------------------------ lei
        url = f"{base}/all/"
        queries = ["s:landlock", "f:mtk.manpages@gmail.com", "dfn:man2/statx.2", '"system call" s:patch',
                   "nq:ruleset", "b:EINVAL AND s:open*", "dfb:O_PATH"]
        for q in queries:
            # As a shell splits what a user types: lei joins the words.
            r = run(["lei", "q", "--no-local", "-I", url, *shlex.split(q)], env=env, check_rc=False)
            try:
                got = {m["m"] for m in json.loads(r.stdout) if m}
            except json.JSONDecodeError:
                got = None
            want = ids_of(q)
            check(f"lei q {q!r}: the Message-IDs of listdex search ({len(want)})", want and got == want,
                  (r.stderr[-500:], None if got is None else (sorted(got - want)[:5], sorted(want - got)[:5])))

        r = run(["lei", "q", "--no-local", "--threads", "-I", url, "m:" + old_cover], env=env)
        got = {m["m"] for m in json.loads(r.stdout) if m}
        check("lei q --threads: the whole thread", got == thread, (len(got), len(thread)))

        run(["lei", "add-external", url], env=env)
        r = run(["lei", "lcat", f"{base}/{LIST}/{urllib.parse.quote(newest['id'], safe='@')}/"], env=env)
        check("lei lcat URL: the message, through the external",
              re.search(r"^Message-ID: <" + re.escape(newest["id"]) + ">", r.stdout, re.M | re.I) is not None,
              r.stdout[:500] + r.stderr[-500:])
        run(["lei", "forget-external", url], env=env)

        saved = tmp / "saved.mbox"
        query = "s:landlock"
        r = run(["lei", "q", "--no-local", "-o", f"mboxrd:{saved}", "-I", url, query], env=env)
        before = saved.read_bytes().count(b"\nFrom ") + saved.read_bytes().startswith(b"From ")
        check("lei q -o mboxrd: every match saved", before == len(ids_of(query)), (before, r.stderr[-300:]))
        # New mail arrives (dated now: lei up asks for dt: since its last run).
        now = email.utils.formatdate(time.time(), usegmt=True)
        new_ids = [f"lei-up-{i}.{int(time.time())}@example.org" for i in range(2)]
        (tmp / "new.mbox").write_text("".join(
            f"From test@example.org Mon Jan  1 00:00:00 2024\nFrom: Test <test@example.org>\nTo: {LIST.split('.')[0]}"
            f"@vger.kernel.org\nList-Id: <{LIST}>\nSubject: landlock follow-up {i}\nDate: {now}\n"
            f"Message-ID: <{mid}>\n\nA new landlock message.\n\n" for i, mid in enumerate(new_ids)))
        listdex("import", "-q", str(tmp / "new.mbox"))
        r = run(["lei", "up", str(saved)], env=env)
        text = saved.read_text(errors="replace")
        check("lei up: the new messages, once each",
              all(text.count(f"Message-ID: <{m}>") == 1 for m in new_ids) and
              text.count("\nFrom ") + text.startswith("From ") == before + 2, r.stderr[-800:])
        run(["lei", "daemon-kill"], env=env, check_rc=False)
    finally:
        server.terminate()
        server.wait(timeout=15)

print(f"{checks - len(failures)}/{checks} checks passed")
sys.exit(1 if failures else 0)
