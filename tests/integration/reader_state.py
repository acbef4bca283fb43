#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The listdex authors
"""The reader's tags and read state on real mail (linux-man), against notmuch.

1. Tags set with `listdex tag` are dumped in notmuch's batch-tag format and
   restored into notmuch (`notmuch restore`): notmuch then finds the same
   Message-IDs for every tag, so the dump is notmuch's format for real.
   notmuch's own dump restored into a fresh listdex index gives the same
   sets back (notmuch's "unread" read the notmuch way).
2. Survival: re-import, compaction, `check --repair`, `kill -9` of an import
   at random moments (then the import completes) and of a big `tag`
   (then the next writer replays it): no tag is lost; the killed `tag`
   leaves every message's copies consistent and completes when re-run.
3. Rebuild: a fresh index from the same archives + `tags restore` of the
   dump gives the same `tag:` counts.
4. `listdex new`: after --mark nothing is new; new mail shows up, split
   into new threads and replies, and `is:unread` is exactly the new mail.

Exits 77 (skipped) when the corpus or notmuch is absent."""
import os
import json
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from corpus import first_messages  # noqa: E402

FIRST, MORE = 3000, 6000
passed = failed = 0


def check(what, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok   {what}")
    else:
        failed += 1
        print(f"FAIL {what}" + (f"\n     {detail}" if detail else ""))


def main():
    listdex, corpus = sys.argv[1], sys.argv[2]
    if not os.path.exists(corpus):
        print(f"SKIP: corpus {corpus} not found (needs ../shared/corpora beside the project)")
        return 77
    if not shutil.which("notmuch"):
        print("SKIP: notmuch is not installed (scripts/install-deps.sh --test installs it)")
        return 77
    mbox, msgs = first_messages(corpus, MORE)
    tmp = tempfile.mkdtemp(prefix="listdex-state-")
    env = dict(os.environ, HOME=tmp, XDG_CONFIG_HOME=f"{tmp}/config")
    env.pop("LISTDEX_INDEX", None)

    def run(*args, index=f"{tmp}/index", check_rc=True, **kw):
        out = subprocess.run([listdex, *args, "--index", index], capture_output=True, text=True, env=env, **kw)
        if check_rc and out.returncode != 0:
            raise RuntimeError(f"listdex {' '.join(args)}: exit {out.returncode}: {out.stderr}")
        return out.stdout

    def ids(query, index=f"{tmp}/index"):
        return set(l[3:].split("#")[0] for l in run("search", "--output", "ids", query, index=index).split())

    def count(query, index=f"{tmp}/index"):
        return int(run("count", query, index=index))

    try:
        # The first 3,000 messages, then the next 3,000 as "new mail".
        first_path, more_path = f"{tmp}/first.mbox", f"{tmp}/more.mbox"
        first_mbox, _ = first_messages(corpus, FIRST)
        with open(first_path, "wb") as f:
            f.write(first_mbox)
        with open(more_path, "wb") as f:
            f.write(mbox[len(first_mbox):])
        run("import", "-q", "--shards", "3", first_path)

        # --- tags on real mail ---------------------------------------------------
        run("tag", "+read", "--", "d:..2020-06-01")
        run("tag", "+patch", "--", "s:PATCH")
        run("tag", "+followed", "--", "s:clone3")
        run("tag", "+todo", "+review", "--", "s:PATCH d:2020-01-01..2020-03-01")
        run("tag", "-review", "--", "s:\"PATCH v2\"")
        queries = ["tag:read", "tag:patch", "tag:followed", "tag:todo", "tag:review", "is:unread", "is:followed"]
        before = {q: count(q) for q in queries}
        print("tag counts:", before)
        check("the tags are not empty", all(before[q] > 0 for q in queries), str(before))

        # --- the dump is notmuch's format: notmuch restores it -------------------
        dump = f"{tmp}/tags.dump"
        run("tags", "dump", "--output", dump)
        maildir = f"{tmp}/mail"
        for sub in ("cur", "new", "tmp"):
            os.makedirs(f"{maildir}/{sub}")
        for i, raw in enumerate(msgs[:FIRST]):
            with open(f"{maildir}/cur/{i:05d}.x:2,", "wb") as f:
                f.write(raw)
        config = f"{tmp}/notmuch-config"
        with open(config, "w") as f:
            f.write(f"[database]\npath={maildir}\n[new]\ntags=unread\n[search]\nexclude_tags=\n"
                    "[maildir]\nsynchronize_flags=false\n")
        nm_env = dict(os.environ, NOTMUCH_CONFIG=config)

        def notmuch(*args, **kw):
            return subprocess.run(["notmuch", *args], check=True, capture_output=True, text=True, env=nm_env, **kw).stdout

        notmuch("new", "--quiet")
        notmuch("restore", "--accumulate", "--format=batch-tag", f"--input={dump}")

        def nm_ids(query):
            return set(l[3:] for l in notmuch("search", "--output=messages", query).split())

        for tag in ("read", "patch", "followed", "todo", "review"):
            ours, theirs = ids(f"tag:{tag}"), nm_ids(f"tag:{tag}")
            check(f"notmuch restores our dump: tag:{tag} ({len(ours)} Message-IDs)", ours == theirs,
                  f"only ours {sorted(ours - theirs)[:3]}, only notmuch's {sorted(theirs - ours)[:3]}")

        # notmuch's own dump into a fresh listdex index: "unread" read the notmuch way.
        notmuch("tag", "-unread", "--", "tag:read")
        nm_dump = f"{tmp}/notmuch.dump"
        notmuch("dump", "--format=batch-tag", f"--output={nm_dump}")
        run("import", "-q", first_path, index=f"{tmp}/from-notmuch")
        run("tags", "restore", nm_dump, index=f"{tmp}/from-notmuch")
        check("notmuch's dump: unread there is unread here",
              ids("is:unread", f"{tmp}/from-notmuch") == nm_ids("tag:unread"))
        check("notmuch's dump: the rest is read", ids("is:read", f"{tmp}/from-notmuch") == nm_ids("not tag:unread"))
        check("notmuch's dump: tags", ids("tag:todo", f"{tmp}/from-notmuch") == ids("tag:todo"))

        # --- survival ------------------------------------------------------------
        def same(what):
            now = {q: count(q) for q in queries}
            check(what, now == before, f"{before} -> {now}")

        run("import", "-q", first_path)
        same("re-import keeps every tag")
        run("import", "-q", "--compact", "always", first_path)
        same("compaction keeps every tag")
        run("check", "--repair")
        same("check --repair keeps every tag")

        # kill -9 of an import of new mail at random moments, then the import completes.
        rng = random.Random(17)
        for attempt in range(4):
            p = subprocess.Popen([listdex, "import", "-q", "--index", f"{tmp}/index", more_path], env=env,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(0.3, 2.5))
            p.send_signal(signal.SIGKILL)
            p.wait()
        run("import", "-q", more_path)
        new_mail = MORE - FIRST
        now = {q: count(q) for q in ("tag:patch", "tag:followed", "tag:todo", "tag:review", "tag:read")}
        check("kill -9 during imports: no tag lost", all(now[q] == before[q] for q in now), f"{before} -> {now}")
        check("the new mail is unread", count("is:unread") >= before["is:unread"] + new_mail - 10)

        # kill -9 of a big tag command: every message's copies agree; re-running completes it.
        total = count("*")
        for attempt in range(3):
            p = subprocess.Popen([listdex, "tag", "+bulk", "--index", f"{tmp}/index", "--", "*"], env=env,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(0.2, 1.5))
            p.send_signal(signal.SIGKILL)
            p.wait()
            run("check", "--repair")  # the next writer replays a journalled round
            tagged, untagged = ids("tag:bulk"), ids("NOT tag:bulk")
            check(f"killed tag #{attempt + 1}: {len(tagged)} Message-IDs tagged; no Message-ID half tagged",
                  not (tagged & untagged) and count("tag:bulk") + count("NOT tag:bulk") == total)
            run("tag", "-bulk", "--", "*")
        run("tag", "+bulk", "--", "*")
        check("re-running the tag completes it", count("tag:bulk") == total)
        run("tag", "-bulk", "--", "*")

        # --- rebuild: a fresh index from the same archives, then restore ----------
        run("tags", "dump", "--output", dump)
        after = {q: count(q) for q in queries}
        run("import", "-q", "--shards", "2", first_path, more_path, index=f"{tmp}/rebuilt")
        run("tags", "restore", dump, index=f"{tmp}/rebuilt")
        rebuilt = {q: count(q, f"{tmp}/rebuilt") for q in queries}
        check("imports killed with -9 and completed hold what a clean import does",
              count("*") == count("*", f"{tmp}/rebuilt"))
        check("dump -> fresh index -> restore: the same tag: counts", rebuilt == after, f"{after} -> {rebuilt}")

        # --- new ------------------------------------------------------------------
        run("new", "--mark", "--limit", "0")
        check("after new --mark --limit 0 nothing is unread", count("is:unread") == 0)
        check("... and new says so", run("new").startswith("nothing new"))
        extra = f"{tmp}/extra.mbox"
        thread_root = sorted(ids("s:PATCH"))[0]
        with open(extra, "w") as f:
            f.write("From x@example.org Mon Jan  1 00:00:00 2030\nFrom: X <x@example.org>\n"
                    f"Subject: Re: a reply\nMessage-ID: <extra-1@example.org>\nIn-Reply-To: <{thread_root}>\n"
                    "List-Id: <linux-man.vger.kernel.org>\nDate: Mon, 1 Jan 2026 00:00:00 +0000\n\nreply\n\n"
                    "From x@example.org Mon Jan  1 00:00:00 2030\nFrom: X <x@example.org>\n"
                    "Subject: new topic\nMessage-ID: <extra-2@example.org>\n"
                    "List-Id: <linux-man.vger.kernel.org>\nDate: Mon, 1 Jan 2026 01:00:00 +0000\n\nnew\n\n")
        run("import", "-q", extra)
        check("is:unread is exactly the new mail", ids("is:unread") == {"extra-1@example.org", "extra-2@example.org"})
        news = json.loads(run("new", "--format", "json"))["lists"]
        groups = {n["list"]: n for n in news}.get("linux-man.vger.kernel.org", {})
        check("new: one new thread, one reply in an old thread",
              [t["subject"] for t in groups.get("new_threads", [])] == ["new topic"] and
              sum(len(groups.get(g, [])) for g in ("followed", "new_replies")) == 1, json.dumps(groups)[:300])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"\nreader state: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
