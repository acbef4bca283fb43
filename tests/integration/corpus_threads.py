#!/usr/bin/env python3
"""Imports the first 5,000 messages of linux-man.mbox.xz and checks listdex's
thread grouping against notmuch's, an independent implementation that also
threads by In-Reply-To and References (with ghosts for missing parents).

Both partitions of the Message-IDs into threads must be identical; every
difference is printed and fails the test (there are none on this slice).

usage: corpus_threads.py LISTDEX CORPUS.mbox.xz
Exits 77 (skipped) when the corpus or notmuch is absent."""

import email
import email.policy
import json
import os
import shutil
import subprocess
import sys
import tempfile

from corpus import first_messages

LIMIT = 5000


def notmuch_threads(maildir, tmp):
    config = os.path.join(tmp, "notmuch-config")
    with open(config, "w") as f:
        f.write(f"[database]\npath={maildir}\n[new]\ntags=new\n[search]\nexclude_tags=\n"
                "[maildir]\nsynchronize_flags=false\n")
    env = dict(os.environ, NOTMUCH_CONFIG=config)
    subprocess.run(["notmuch", "new", "--quiet"], check=True, env=env, capture_output=True)
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


def listdex_threads(listdex, index):
    out = subprocess.run([listdex, "search", "--index", index, "--output", "messages", "--format", "json", "*"],
                         check=True, capture_output=True, text=True).stdout
    by_thread = {}
    for m in json.loads(out):
        by_thread.setdefault(m["thread"], set()).add(m["message_id"])
    return [frozenset(ids) for ids in by_thread.values()]


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

        ours = listdex_threads(listdex, index)
        theirs = notmuch_threads(maildir, tmp)
        ours_set, theirs_set = set(ours), set(theirs)
        only_ours = [t for t in ours_set - theirs_set]
        only_theirs = [t for t in theirs_set - ours_set]
        print(f"{LIMIT} messages: listdex {len(ours)} threads, notmuch {len(theirs)} threads, "
              f"{len(ours_set & theirs_set)} identical")
        for t in sorted(only_ours, key=len, reverse=True)[:10]:
            print(f"  listdex only ({len(t)}): {sorted(t)[:4]}")
        for t in sorted(only_theirs, key=len, reverse=True)[:10]:
            print(f"  notmuch only ({len(t)}): {sorted(t)[:4]}")
        differences = len(only_ours) + len(only_theirs)
        print(f"{len(ours_set & theirs_set)} passed, {differences} failed")
        return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
