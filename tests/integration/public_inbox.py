#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The listdex authors
"""public-inbox git archives: v2 inboxes (epochs git/N.git, one blob `m` per
commit, `d` for a removal) and v1 repositories (a file per message, removed
by a commit deleting it), built here with git's plumbing commands, imported,
grown by new commits and imported again: only new commits are read,
removals are honoured, lists come from the inbox configuration or --list,
and a message cross-posted to another list is stored once under both.

usage: public_inbox.py LISTDEX
"""
import hashlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from pi_git import GIT_ENV, commit_tree, git, v2_commit

LISTDEX = sys.argv[1]
failures = []


def check(name, ok, detail=""):
    if not ok:
        failures.append(name)
        print(f"FAIL: {name} {detail}"[:3000])


def run(*args):
    return subprocess.run([LISTDEX, *args], capture_output=True, timeout=600)


def message(mid, subject, date, irt=None, list_id=None, body="text"):
    lines = [f"From: Ann Author <ann@example.org>", "To: list@example.org", f"Subject: {subject}",
             f"Date: {date}", f"Message-ID: <{mid}>"]
    if irt:
        lines.append(f"In-Reply-To: <{irt}>")
    if list_id:
        lines.append(f"List-Id: <{list_id}>")
    return ("\n".join(lines) + f"\n\n{body}\n").encode()


def v1_path(mid):
    h = hashlib.sha1(f"<{mid}>".encode()).hexdigest()
    return f"{h[:2]}/{h[2:]}"


def v1_commit(repo, index_file, add=(), remove=()):
    """A v1 commit: messages added and removed in the whole tree."""
    env = dict(GIT_ENV, GIT_INDEX_FILE=str(index_file))
    for mid, raw in add:
        blob = git(repo, "hash-object", "-w", "--stdin", data=raw)
        git(repo, "update-index", "--add", "--cacheinfo", f"100644,{blob},{v1_path(mid)}", env=env)
    for mid in remove:  # mode 0 removes the entry (no work tree needed)
        git(repo, "update-index", "--index-info", data=f"0 {'0' * 40}\t{v1_path(mid)}\n".encode(), env=env)
    commit_tree(repo, git(repo, "write-tree", env=env), "update")


def import_json(index, *args):
    r = run("import", "--index", str(index), "--format", "json", *map(str, args))
    check(f"import {args} exits 0", r.returncode == 0, r.stderr.decode() + r.stdout.decode()[:2000])
    try:
        return json.loads(r.stdout)
    except json.JSONDecodeError:
        return {}


def count(index, query):
    r = run("count", "--index", str(index), query)
    check(f"count {query}", r.returncode == 0, r.stderr.decode())
    return int(r.stdout or b"-1")


def ids(index, query):
    r = run("search", "--index", str(index), "--format", "json", "--output", "messages", "--limit", "0", query)
    check(f"search {query}", r.returncode == 0, r.stderr.decode())
    return sorted(h["message_id"] for h in json.loads(r.stdout or b"[]"))


def tree_ids(nodes):
    """Message-IDs in a `thread --format json` tree (placeholders left out)."""
    out = []
    for n in nodes:
        if not n.get("missing"):
            out.append(n["id"].split("#")[0])
        out += tree_ids(n["children"])
    return out


def lists(index):
    r = run("lists", "--index", str(index), "--format", "json")
    check("lists exits 0", r.returncode == 0, r.stderr.decode())
    return {l["id"]: l for l in json.loads(r.stdout or b"[]")}


with tempfile.TemporaryDirectory() as tmp:
    tmp = Path(tmp)
    index = tmp / "index"

    # --- v2 inbox: two epochs, a configuration naming the list ---
    inbox = tmp / "test-inbox"
    e0, e1 = inbox / "git" / "0.git", inbox / "git" / "1.git"
    for e in (e0, e1):
        subprocess.run(["git", "init", "-q", "--bare", str(e)], check=True, env=GIT_ENV)
    (inbox / "inbox.config.example").write_text(
        '[publicinbox "test"]\n\taddress = test@example.org\n\tinboxdir = /srv/test\n'
        "\tlistid = Test.Example.Org\n")
    msgs = {
        "a@x": message("a@x", "Kernel question", "Mon, 06 Mar 2023 10:00:00 +0000"),
        "b@x": message("b@x", "Re: Kernel question", "Mon, 06 Mar 2023 11:00:00 +0000", irt="a@x"),
        "c@x": message("c@x", "Spam", "Mon, 06 Mar 2023 12:00:00 +0000", body="buy now"),
        "d@x": message("d@x", "Re: Kernel question", "Tue, 07 Mar 2023 10:00:00 +0000", irt="b@x"),
        "e@x": message("e@x", "Another topic", "Tue, 07 Mar 2023 11:00:00 +0000"),
    }
    for mid in ("a@x", "b@x", "c@x"):
        v2_commit(e0, "m", msgs[mid])
    for mid in ("d@x", "e@x"):
        v2_commit(e1, "m", msgs[mid])

    rep = import_json(index, inbox)
    check("v2: five messages imported", rep.get("imported") == 5, json.dumps(rep)[:500])
    check("v2: list from inbox.config.example", count(index, "list:test.example.org") == 5)
    check("v2: list: accepts the short name", count(index, "list:test") == 5)
    r = run("thread", "--index", str(index), "--format", "json", "a@x")
    members = sorted(tree_ids(json.loads(r.stdout or b"{}").get("tree", [])))
    check("v2: thread across epochs", members == ["a@x", "b@x", "d@x"], r.stdout.decode()[:500])

    # Nothing new: nothing read.
    rep = import_json(index, inbox)
    check("v2: unchanged inbox reads nothing", rep.get("messages_read") == 0 and rep.get("imported") == 0,
          json.dumps(rep)[:500])

    # New commits: one message, one removal (public-inbox's `d`). The reader
    # tagged the message that goes, and one that stays.
    tagged = run("tag", "--index", str(index), "+todo", "--", "id:c@x OR id:d@x")
    check("v2: tagged before the removal", tagged.returncode == 0 and count(index, "tag:todo") == 2,
          tagged.stderr.decode()[-300:])
    msgs["f@x"] = message("f@x", "Re: Another topic", "Wed, 08 Mar 2023 10:00:00 +0000", irt="e@x")
    v2_commit(e1, "m", msgs["f@x"])
    v2_commit(e0, "d", msgs["c@x"])
    rep = import_json(index, inbox)
    check("v2: only the new commit is read", rep.get("messages_read") == 1 and rep.get("imported") == 1,
          json.dumps(rep)[:500])
    check("v2: removal honoured", rep.get("removed") == 1, json.dumps(rep)[:500])
    check("v2: removed message gone", ids(index, "list:test.example.org") == ["a@x", "b@x", "d@x", "e@x", "f@x"])
    check("v2: show of the removed message fails", run("show", "--index", str(index), "c@x").returncode == 5)
    check("v2: a removed message's tag goes with it; the other stays",
          ids(index, "tag:todo") == ["d@x"] and "id:c@x" not in run("tags", "dump", "--index", str(index)).stdout.decode())

    # A single epoch named directly is read from where the inbox import left it.
    msgs["g@x"] = message("g@x", "Third topic", "Thu, 09 Mar 2023 10:00:00 +0000")
    v2_commit(e1, "m", msgs["g@x"])
    rep = import_json(index, e1)
    check("v2 epoch: one new message", rep.get("messages_read") == 1 and rep.get("imported") == 1,
          json.dumps(rep)[:500])
    check("v2 epoch: list from the inbox configuration", count(index, "list:test.example.org") == 6)

    # --- cross-post: the same message from another list's mbox ---
    other = tmp / "other.mbox"
    copy = message("a@x", "[other] Kernel question", "Mon, 06 Mar 2023 10:00:00 +0000", list_id="other.example.net",
                   body="text\n-- \nother list footer")
    other.write_bytes(b"From ann@example.org Mon Mar  6 10:00:00 2023\n" + copy +
                      b"\nFrom ann@example.org Mon Mar  6 13:00:00 2023\n" +
                      message("h@x", "Only on other", "Mon, 06 Mar 2023 13:00:00 +0000", list_id="other.example.net"))
    before = count(index, "*")
    rep = import_json(index, other)
    check("cross-post: one copy, one new", rep.get("copies") == 1 and rep.get("imported") == 1, json.dumps(rep)[:500])
    check("cross-post: stored once", count(index, "*") == before + 1)
    check("cross-post: found under both lists",
          "a@x" in ids(index, "list:test.example.org") and "a@x" in ids(index, "list:other.example.net"))
    rep = import_json(index, other)
    check("cross-post: re-import skips the copy", rep.get("duplicates") == 2 and rep.get("copies") == 0,
          json.dumps(rep)[:500])
    summary = lists(index)
    check("lists: both lists", set(summary) == {"test.example.org", "other.example.net"}, str(summary))
    t = summary.get("test.example.org", {})
    check("lists: counts and dates", t.get("messages") == 6 and t.get("threads") == 3 and
          t.get("first", "").startswith("2023-03-06") and t.get("last", "").startswith("2023-03-09"), str(t))
    o = summary.get("other.example.net", {})
    check("lists: cross-post counted under the other list", o.get("messages") == 2 and o.get("threads") == 2, str(o))
    r = run("lists", "--index", str(index))
    check("lists: text output", r.returncode == 0 and b"test.example.org" in r.stdout and b"other.example.net" in r.stdout,
          r.stdout.decode())

    # --- v1 repository, list from --list ---
    v1 = tmp / "v1.git"
    subprocess.run(["git", "init", "-q", "--bare", str(v1)], check=True, env=GIT_ENV)
    v1_index = tmp / "v1.index"
    one = {m: message(m, f"v1 {m}", "Fri, 10 Mar 2023 10:00:00 +0000") for m in ("p@x", "q@x", "r@x")}
    v1_commit(v1, v1_index, add=[("p@x", one["p@x"])])
    v1_commit(v1, v1_index, add=[("q@x", one["q@x"])])
    rep = import_json(index, "--list", "V1.Example.Org", v1)
    check("v1: two messages", rep.get("imported") == 2, json.dumps(rep)[:500])
    check("v1: --list", ids(index, "list:v1.example.org") == ["p@x", "q@x"])
    v1_commit(v1, v1_index, add=[("r@x", one["r@x"])], remove=["p@x"])
    rep = import_json(index, "--list", "v1.example.org", v1)
    check("v1: incremental add and removal", rep.get("imported") == 1 and rep.get("removed") == 1,
          json.dumps(rep)[:500])
    check("v1: after removal", ids(index, "list:v1.example.org") == ["q@x", "r@x"])

    # --- a history with merges: every branch read, parents before children ---
    # (public-inbox's own histories are a line; a hand-made or converted one
    # may not be, and is read in libgit2's topological order instead.)
    merged = tmp / "merged.git"
    subprocess.run(["git", "init", "-q", "--bare", str(merged)], check=True, env=GIT_ENV)
    mail = {m: message(m, f"merged {m}", "Fri, 10 Mar 2023 11:00:00 +0000") for m in
            ("s@x", "t@x", "u@x", "v@x", "w@x", "y@x")}

    def tree_of(messages):
        listing = "".join(f"100644 blob {git(merged, 'hash-object', '-w', '--stdin', data=mail[m])}\t{m}\n"
                          for m in messages)
        return git(merged, "mktree", data=listing.encode())

    def commit(messages, *parents):
        c = git(merged, "commit-tree", tree_of(messages), *(a for p in parents for a in ("-p", p)), "-m", "update")
        git(merged, "update-ref", "refs/heads/master", c)
        return c

    a = commit(["s@x"])
    b = commit(["s@x", "t@x"], a)
    c = commit(["u@x"], a)  # adds u, removes s
    m = commit(["t@x", "u@x"], b, c)  # against its first parent: u again, s removed again
    rep = import_json(index, "--list", "merged.example.org", merged)
    check("merges: every branch's messages", ids(index, "list:merged.example.org") == ["t@x", "u@x"],
          json.dumps(rep)[:500])
    check("merges: every commit read", rep.get("messages_read") == 4 and rep.get("imported") == 3 and
          rep.get("removed") == 1, json.dumps(rep)[:500])
    d = commit(["t@x", "u@x", "v@x"], m)
    rep = import_json(index, "--list", "merged.example.org", merged)
    check("merges: a line after a merge, only the new commit read",
          rep.get("imported") == 1 and rep.get("messages_read") == 1, json.dumps(rep)[:500])
    e = commit(["t@x", "u@x", "v@x", "w@x"], d)
    f = commit(["t@x", "u@x", "v@x", "y@x"], d)
    commit(["t@x", "u@x", "v@x", "w@x", "y@x"], e, f)
    rep = import_json(index, "--list", "merged.example.org", merged)
    check("merges: a new merge, only the commits after the last import read",
          rep.get("imported") == 2 and rep.get("messages_read") == 3, json.dumps(rep)[:500])
    check("merges: after", ids(index, "list:merged.example.org") == ["t@x", "u@x", "v@x", "w@x", "y@x"])

    # --- a rewritten history (public-inbox-purge) is read again, nothing doubled ---
    subprocess.run(["git", "--git-dir", str(e1), "update-ref", "refs/heads/master",
                    git(e1, "rev-parse", "refs/heads/master~1")], check=True)
    v2_commit(e1, "m", message("i@x", "After purge", "Sat, 11 Mar 2023 10:00:00 +0000"))
    before = count(index, "*")
    rep = import_json(index, inbox)
    check("rewritten history: one new message, the rest known", rep.get("imported") == 1 and
          rep.get("duplicates", 0) >= 3, json.dumps(rep)[:500])
    check("rewritten history: nothing doubled", count(index, "*") == before + 1)

    # --- a repository with a missing object: the input fails, named, the rest is kept ---
    broken = tmp / "broken.git"
    subprocess.run(["git", "init", "-q", "--bare", str(broken)], check=True, env=GIT_ENV)
    v2_commit(broken, "m", message("j@x", "Kept", "Sun, 12 Mar 2023 10:00:00 +0000"))
    lost = message("k@x", "Lost", "Sun, 12 Mar 2023 11:00:00 +0000")
    v2_commit(broken, "m", lost)
    blob = git(broken, "hash-object", "--stdin", data=lost)
    (broken / "objects" / blob[:2] / blob[2:]).unlink()
    v2_commit(broken, "m", message("l@x", "After", "Sun, 12 Mar 2023 12:00:00 +0000"))
    r = run("import", "--index", str(index), "--list", "broken.example.org", str(broken))
    out = (r.stdout + r.stderr).decode()
    check("broken repository: exit 7, naming repository, commit and blob",
          r.returncode == 7 and "broken.git" in out and "commit" in out and blob in out, out)
    check("broken repository: the messages around it are kept",
          ids(index, "list:broken.example.org") == ["j@x", "l@x"])
    # The object comes back (a repaired mirror): the next import reads it.
    git(broken, "hash-object", "-w", "--stdin", data=lost)
    rep = import_json(index, "--list", "broken.example.org", broken)
    check("broken repository: the unread message is read once it can be", rep.get("imported") == 1,
          json.dumps(rep)[:500])
    check("broken repository: all three", ids(index, "list:broken.example.org") == ["j@x", "k@x", "l@x"])

    r = run("check", "--index", str(index))
    check("check: index sound after all this", r.returncode == 0, (r.stdout + r.stderr).decode()[-2000:])

if failures:
    print(f"{len(failures)} failures")
    sys.exit(1)
print("public-inbox archives: all checks passed")
