#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The listdex authors
"""Imports the first 5,000 messages of linux-man.mbox.xz and checks listdex
against notmuch, an independent implementation on GMime and Xapian:

1. Threads: notmuch also threads by In-Reply-To and References (with ghosts
   for missing parents). Both partitions of the Message-IDs into threads must
   be identical; every difference is printed and fails the test.
2. Counts: of every message and every thread (listdex reads them from the
   totals its import stored).
3. Search: for each query of SEARCHES, the Message-IDs both find, and their
   exact thread counts. A difference must have one of the explanations that
   docs/query.md gives (checked here on the message itself, not listed by
   hand): listdex also searches text attachments; notmuch reads some
   malformed Message-IDs differently; listdex (like public-inbox) indexes
   each diff line on its own, so a phrase does not run across two diff
   lines. Anything else fails.

All three run twice: on an index imported at once, and on one imported in
five parts whose shards each become several Xapian databases
(--database-documents), so notmuch also checks threads joined across imports
and the mapping of documents to shards across databases.

usage: corpus_threads.py LISTDEX CORPUS.mbox.xz
Exits 77 (skipped) when the corpus or notmuch is absent."""

import email
import email.policy
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

from corpus import SEPARATOR, first_messages

LIMIT = 5000
# Imports of the layered index, and its databases' size: small enough that
# every shard holds several databases.
PARTS = 5
DATABASE_DOCUMENTS = 300


def notmuch_database(maildir, tmp):
    config = os.path.join(tmp, "notmuch-config")
    with open(config, "w") as f:
        f.write(f"[database]\npath={maildir}\n[new]\ntags=new\n[search]\nexclude_tags=\n"
                "[maildir]\nsynchronize_flags=false\n")
    env = dict(os.environ, NOTMUCH_CONFIG=config)
    subprocess.run(["notmuch", "new", "--quiet"], check=True, env=env, capture_output=True)
    return env


def notmuch_thread_partition(env):
    out = subprocess.run(["notmuch", "show", "--format=json", "--body=false", "--entire-thread=true", "*"],
                         check=True, env=env, capture_output=True).stdout
    threads = []

    def walk(nodes, ids):
        for message, replies in nodes:
            ids.add(message["id"])
            walk(replies, ids)

    for thread in json.loads(out):
        ids = set()
        walk(thread, ids)
        threads.append(frozenset(ids))
    return threads


# Queries whose meaning is the same in notmuch and listdex (notmuch's
# subject: does not stem, so subject words are left to the public-inbox test).
SEARCHES = ["mmap", "statx", "madvise", "sigaction*", "thread*", '"undefined behavior"', '"system call"',
            '"memory leak"', "subject:documentation*", "from:mtk.manpages@gmail.com", "from:kerrisk",
            "(mmap OR madvise) AND from:kerrisk", "date:2021-01-01..2021-06-30 AND signal", "NOT patch",
            # A field before a date range, and after it: both ANDed (Xapian 1.4's range
            # processor once ORed the first form).
            "from:mtk.manpages@gmail.com date:2020-06-01..2020-12-31",
            "date:2020-06-01..2020-12-31 from:mtk.manpages@gmail.com"]


def notmuch_ids(env, query, output="messages"):
    out = subprocess.run(["notmuch", "search", f"--output={output}", query], check=True, env=env,
                         capture_output=True, text=True).stdout.split()
    return {line.split(":", 1)[1] for line in out}


def listdex_ids(listdex, index, query):
    out = subprocess.run([listdex, "search", "--index", index, "--output", "ids", query], check=True,
                         capture_output=True, text=True).stdout.split()
    return {line[3:].split("#")[0] for line in out}


def explain(listdex, index, mid, only_listdex):
    """Why one tool found a message the other did not, or None."""
    if not listdex_ids(listdex, index, "id:" + mid):
        return "a Message-ID notmuch reads differently"
    shown = subprocess.run([listdex, "show", "--index", index, "--format", "json", "id:" + mid], check=True,
                           capture_output=True, text=True).stdout
    raw = subprocess.run([listdex, "show", "--index", index, "--raw", "id:" + mid], check=True,
                         capture_output=True).stdout
    message = json.loads(shown)
    message = message[0] if isinstance(message, list) else message
    if only_listdex and any(a["mime_type"].startswith("text/") for a in message.get("attachments", [])):
        return "listdex searches text attachments"
    if re.search(rb"(?m)^diff --git |^\+\+\+ ", raw):
        return "diff lines are indexed one by one"
    return None


def compare_searches(listdex, index, env):
    passed = failed = 0
    for q in SEARCHES:
        ours, theirs = listdex_ids(listdex, index, q), notmuch_ids(env, q)
        reasons = {}
        for mid in ours ^ theirs:
            reasons.setdefault(explain(listdex, index, mid, mid in ours), []).append(mid)
        unexplained = reasons.pop(None, [])
        summary = ", ".join(f"{len(v)} because {k}" for k, v in reasons.items())
        threads = ""
        if ours == theirs:
            t_ours = int(subprocess.run([listdex, "count", "--index", index, "--output", "threads", q], check=True,
                                        capture_output=True, text=True).stdout)
            t_theirs = len(notmuch_ids(env, q, "threads"))
            threads = f", threads {t_ours}/{t_theirs}"
            if t_ours != t_theirs:
                unexplained.append(f"thread count {t_ours} != {t_theirs}")
        print(f"{'ok' if not unexplained else 'DIFFER':6} {q}: listdex {len(ours)}, notmuch {len(theirs)}{threads}"
              f"{'; ' + summary if summary else ''}{'; unexplained ' + str(sorted(unexplained)[:4]) if unexplained else ''}")
        if unexplained:
            failed += 1
        else:
            passed += 1
    return passed, failed


def listdex_threads(listdex, index):
    out = subprocess.run([listdex, "search", "--index", index, "--output", "messages", "--format", "json", "*"],
                         check=True, capture_output=True, text=True).stdout
    by_thread = {}
    for m in json.loads(out):
        by_thread.setdefault(m["thread"], set()).add(m["message_id"])
    return [frozenset(ids) for ids in by_thread.values()]


def import_layered(listdex, mbox, tmp):
    """An index of `mbox` imported in PARTS imports with small databases;
    asserts that every shard's stub lists several databases."""
    starts = [m.start() for m in SEPARATOR.finditer(mbox)]
    cuts = [starts[len(starts) * i // PARTS] for i in range(PARTS)] + [len(mbox)]
    index = os.path.join(tmp, "layered")
    for i, (a, b) in enumerate(zip(cuts, cuts[1:])):
        part = os.path.join(tmp, f"part{i}.mbox")
        with open(part, "wb") as f:
            f.write(mbox[a:b])
        # (Not compacted: an import adding a quarter of the index would merge them.)
        subprocess.run([listdex, "import", "-q", "--index", index, "--compact", "never",
                        "--database-documents", str(DATABASE_DOCUMENTS), part], check=True)
    stubs = sorted(glob.glob(os.path.join(index, "shards", "*.stub")))
    assert stubs, f"no shard stubs in {index}/shards"
    databases = []
    for stub in stubs:
        with open(stub) as f:
            databases.append(sum(1 for line in f if line.strip() and not line.startswith("#")))
        assert databases[-1] > 1, f"{stub} lists {databases[-1]} database; the layered index needs several"
    print(f"layered index: {PARTS} imports, shards of {', '.join(map(str, databases))} databases")
    return index


def compare(listdex, index, env, theirs, label):
    """Threads, counts and searches of `index` against notmuch's; the number
    of (passed, failed) checks."""
    ours = listdex_threads(listdex, index)
    ours_set, theirs_set = set(ours), set(theirs)
    only_ours = [t for t in ours_set - theirs_set]
    only_theirs = [t for t in theirs_set - ours_set]
    print(f"{label}: {LIMIT} messages: listdex {len(ours)} threads, notmuch {len(theirs)} threads, "
          f"{len(ours_set & theirs_set)} identical")
    for t in sorted(only_ours, key=len, reverse=True)[:10]:
        print(f"  listdex only ({len(t)}): {sorted(t)[:4]}")
    for t in sorted(only_theirs, key=len, reverse=True)[:10]:
        print(f"  notmuch only ({len(t)}): {sorted(t)[:4]}")
    differences = len(only_ours) + len(only_theirs)
    # The whole index's counts, which listdex reads from the import's
    # stored totals (not by query): notmuch counts them by query.
    for output in ("messages", "threads"):
        n_ours = int(subprocess.run([listdex, "count", "--index", index, "--output", output, "*"], check=True,
                                    capture_output=True, text=True).stdout)
        n_theirs = int(subprocess.run(["notmuch", "count", f"--output={output}", "*"], check=True, env=env,
                                      capture_output=True, text=True).stdout)
        print(f"{'ok' if n_ours == n_theirs else 'DIFFER':6} count --output {output} '*': "
              f"listdex {n_ours}, notmuch {n_theirs}")
        differences += n_ours != n_theirs
    passed, failed = compare_searches(listdex, index, env)
    return len(ours_set & theirs_set) + passed, differences + failed


def main():
    listdex, corpus = sys.argv[1], sys.argv[2]
    if not os.path.exists(corpus):
        print(f"SKIP: corpus {corpus} not found (needs ../shared/corpora beside the project)")
        return 77
    if not shutil.which("notmuch"):
        print("SKIP: notmuch is not installed (scripts/install-deps.sh --test installs it)")
        return 77
    mbox, msgs = first_messages(corpus, LIMIT)
    assert len(msgs) == LIMIT
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "slice.mbox")
        with open(path, "wb") as f:
            f.write(mbox)
        index = os.path.join(tmp, "index")
        subprocess.run([listdex, "import", "-q", "--index", index, path], check=True)
        maildir = os.path.join(tmp, "mail")
        for sub in ("cur", "new", "tmp"):
            os.makedirs(os.path.join(maildir, sub))
        for i, raw in enumerate(msgs):
            with open(os.path.join(maildir, "cur", f"{i:05d}.slice:2,S"), "wb") as f:
                f.write(raw)

        layered = import_layered(listdex, mbox, tmp)
        env = notmuch_database(maildir, tmp)
        theirs = notmuch_thread_partition(env)
        passed = failed = 0
        for label, ix in (("one import", index), ("five imports, several databases per shard", layered)):
            p, f = compare(listdex, ix, env, theirs, label)
            passed, failed = passed + p, failed + f
        print(f"{passed} passed, {failed} failed")
        return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
