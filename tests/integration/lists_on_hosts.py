#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The listdex authors
"""Lists served from two hosts: an index placed by list (`import --shards 2
--shard-by list --list-shard LIST=N`) whose shard 0 (list alpha) and shard 1
(lists beta and the sample's demo list) are each served by their own
`xapian-tcpsrv` on loopback, one front end (`listdex serve` and the CLI)
over both. Checked:
- placement, read with Xapian's own `xapian-delve` in each shard: every
  list's messages are in its shard and nowhere else; `lists` names them;
- the front end answers exactly as a one-shard all-local index of the same
  mail (search, count, thread, show: text and JSON; the web API);
- a thread that spans the hosts (a message on alpha, its reply on beta) is
  one thread, read from both: `thread`, `/api/thread/`, the `/T/` page;
- a host that is down makes every search fail naming it, also one scoped
  to the other host's list (all shards are always searched: no partial
  answer), in the CLI (exit 4) and on the web API (503, the error as JSON);
- placement is kept: another --shard-by, a pin out of range, or moving a
  list that has messages is refused (exit 2); a new list can be pinned.

usage: lists_on_hosts.py LISTDEX DATA_DIR
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "web"))
from webtest import Server, check, finish  # noqa: E402

LISTDEX, DATA = sys.argv[1], Path(sys.argv[2])
ALPHA, BETA, DEMO = "alpha.lists.example.org", "beta.lists.example.org", "demo.lists.example.org"
OTHER = "other.lists.example.org"

TWO_LISTS = f"""From alice@example.org Mon Jan  1 10:00:00 2024
From: Alice <alice@example.org>
To: alpha@lists.example.org
Subject: [PATCH] alpha: fix the frobnicator
Date: Mon, 1 Jan 2024 10:00:00 +0000
Message-ID: <start@example.org>
List-Id: <{ALPHA}>

The frobnicator overflowed on alpha.

From bob@example.org Mon Jan  1 11:00:00 2024
From: Bob <bob@example.org>
To: beta@lists.example.org
Subject: Re: [PATCH] alpha: fix the frobnicator
Date: Mon, 1 Jan 2024 11:00:00 +0000
Message-ID: <reply@example.org>
In-Reply-To: <start@example.org>
References: <start@example.org>
List-Id: <{BETA}>

Beta uses the frobnicator too; reviewed.

From carol@example.org Tue Jan  2 09:00:00 2024
From: Carol <carol@example.org>
Subject: alpha only
Date: Tue, 2 Jan 2024 09:00:00 +0000
Message-ID: <alpha-only@example.org>
List-Id: <{ALPHA}>

Nothing to do with beta.
"""


def run(*args):
    return subprocess.run([LISTDEX, *args], capture_output=True, text=True, timeout=300)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_shard(stub):
    """xapian-tcpsrv for one shard on a free loopback port, once it accepts."""
    port = free_port()
    # Its own session: on SIGTERM xapian-tcpsrv signals its whole process group.
    proc = subprocess.Popen(["xapian-tcpsrv", "--quiet", "--interface", "127.0.0.1", "--port", str(port), str(stub)],
                            stderr=subprocess.DEVNULL, start_new_session=True)
    for _ in range(50):
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    return proc, port


def postings(stub, term):
    """How many documents of one shard hold @term, by xapian-delve."""
    out = subprocess.run(["xapian-delve", "-t", term, str(stub)], capture_output=True, text=True)
    if "not in database" in out.stdout + out.stderr:
        return 0
    for line in out.stdout.splitlines():
        if "termfreq" in line:
            return int(line.split("termfreq")[1].split(",")[0].strip(" :"))
    raise SystemExit(f"xapian-delve: {out.stdout} {out.stderr}")


def answers(index):
    """Everything a reader asks, as text: must not depend on where shards are."""
    out = []
    # Phrases and date ranges under filters are rebuilt on the front end
    # (QueryFilter.cpp, FieldProcessors.cpp): the hosts must answer them alike.
    for q in ["*", f"list:{ALPHA}", f"list:{BETA}", f"list:{DEMO}", "frobnicator", "from:bob", "thread:00000001",
              f'"the frobnicator" list:{BETA}', '"the frobnicator" d:2024-01-01', "frobnicator d:2023-12-15..2024-01"]:
        for output in ["messages", "threads"]:
            for fmt in ["text", "json"]:
                r = run("search", "--index", index, "--output", output, "--format", fmt, "--limit", "0", "--", q)
                out.append(f"== search {output} {fmt} {q}\n{r.stdout}{r.stderr}exit {r.returncode}")
            r = run("count", "--index", index, "--output", output, "--", q)
            out.append(f"== count {output} {q}\n{r.stdout}{r.stderr}exit {r.returncode}")
    for t in ["start@example.org", "reply@example.org", "welcome-1@example.org"]:
        for fmt in ["text", "json", "mbox"]:
            r = run("thread", "--index", index, "--format", fmt, t)
            out.append(f"== thread {fmt} {t}\n{r.stdout}{r.stderr}exit {r.returncode}")
    r = run("show", "--index", index, "--format", "json", "reply@example.org")
    out.append(f"== show\n{r.stdout}{r.stderr}exit {r.returncode}")
    return "\n".join(out)


def main():
    work = Path(tempfile.mkdtemp(prefix="listdex-hosts-"))
    servers = []
    try:
        mail = work / "two-lists.mbox"
        mail.write_text(TWO_LISTS)
        ref, split = str(work / "ref"), str(work / "split")
        r = run("import", "--quiet", "--index", ref, "--shards", "1", str(mail), str(DATA / "sample.mbox"))
        check("reference import", r.returncode == 0, r.stderr)
        r = run("import", "--quiet", "--index", split, "--shards", "2", "--shard-by", "list",
                "--list-shard", f"{ALPHA}=0", "--list-shard", f"{BETA}=1", "--list-shard", f"{DEMO}=1",
                str(mail), str(DATA / "sample.mbox"))
        check("import placed by list", r.returncode == 0, r.stderr)
        conf = Path(split, "listdex.conf").read_text()
        check("listdex.conf records the placement",
              "shard-by = list\n" in conf and f"list.{ALPHA} = 0\n" in conf and f"list.{BETA} = 1\n" in conf, conf)

        # Placement, read by Xapian's own tool in each shard.
        stubs = [Path(split, "shards", f"{n}.stub") for n in (0, 1)]
        expected = {ALPHA: (2, 0), BETA: (0, 1), DEMO: (0, 16)}
        for list_id, counts in expected.items():
            got = tuple(postings(stub, "XLIST" + list_id) for stub in stubs)
            check(f"{list_id}'s messages are all in its shard", got == counts, f"{got} != {counts}")
        r = run("lists", "--index", split, "--format", "json")
        shards = {l["id"]: l.get("shard") for l in json.loads(r.stdout or "[]")}
        # other.lists.example.org (one sample message) is not pinned: a hash of its id places it.
        other = shards.get(OTHER)
        check("lists names each list's shard", shards == {ALPHA: 0, BETA: 1, DEMO: 1, OTHER: other}
              and other in (0, 1), r.stdout + r.stderr)
        if other in (0, 1):
            got = tuple(postings(stub, "XLIST" + OTHER) for stub in stubs)
            check("an unpinned list is in the one shard its id picks", got[other] == 1 and got[1 - other] == 0, got)
        r = run("lists", "--index", ref, "--format", "json")
        check("an index placed by message names no shard", all("shard" not in l for l in json.loads(r.stdout)))
        r = run("check", "--index", split)
        check("check finds the placement right", r.returncode == 0, r.stdout + r.stderr)

        # The front end: no local Xapian shard, two hosts.
        front = str(work / "front")
        shutil.copytree(split, front)
        shutil.rmtree(Path(front, "shards"))
        ports = []
        for stub in stubs:
            proc, port = serve_shard(stub)
            servers.append(proc)
            ports.append(port)
        with open(Path(front, "listdex.conf"), "a") as f:
            for n, port in enumerate(ports):
                f.write(f"shard.{n} = tcp://127.0.0.1:{port}\n")

        expected_answers = answers(ref)
        got = answers(front)
        check("the answers are not empty", "frobnicator" in expected_answers and "Welcome" in expected_answers)
        if got != expected_answers:
            import difflib
            diff = "".join(list(difflib.unified_diff(expected_answers.splitlines(True), got.splitlines(True)))[:60])
            check("two hosts answer like one local shard", False, diff)
        else:
            check("two hosts answer like one local shard", True)

        # start@ is on host 0 (alpha), reply@ on host 1 (beta): placement above.
        r = run("thread", "--index", front, "--format", "json", "reply@example.org")
        tree = json.loads(r.stdout or "{}").get("tree", [])
        check("a thread spanning the hosts is one thread, read from both",
              [(m["id"], [c["id"] for c in m["children"]]) for m in tree] == [("start@example.org", ["reply@example.org"])],
              r.stdout + r.stderr)

        ref_server, server = Server(LISTDEX, ref), Server(LISTDEX, front)
        try:
            for path in ["/api/thread/start@example.org", f"/api/search?q=frobnicator&output=messages",
                         f"/api/search?q=list:{BETA}", "/api/message/reply@example.org"]:
                a, b = ref_server.get(path), server.get(path)
                check(f"web {path} answers as the local index", a[0] == 200 and (a[0], a[2]) == (b[0], b[2]),
                      f"{a[0]} {b[0]} {b[2][:300]!r}")
            status, _, body = server.get(f"/{ALPHA}/start@example.org/T/")
            body = body.decode()
            check("the /T/ page shows both hosts' messages",
                  status == 200 and "overflowed on alpha" in body and "Beta uses the frobnicator" in body,
                  f"{status} {body[:300]}")

            # Host 1 (beta, demo) goes down.
            servers[1].send_signal(signal.SIGTERM)
            servers[1].wait(10)
            port = str(ports[1])
            for q in ["frobnicator", f"list:{ALPHA}"]:
                r = run("search", "--index", front, "--", q)
                check(f"a host down: search {q} fails naming it",
                      r.returncode == 4 and port in r.stderr and r.stdout == "", f"{r.returncode} {r.stderr}")
            status, _, body = server.get(f"/api/search?q=list:{ALPHA}")
            body = body.decode()
            check("a host down: the web API says so (503, JSON naming it), no partial answer",
                  status == 503 and port in json.loads(body).get("error", "") and "alpha only" not in body,
                  f"{status} {body[:300]}")
            status, _, body = server.get(f"/{ALPHA}/")
            check("a host down: a list page is a 503 naming it", status == 503 and port in body.decode(),
                  f"{status} {body[:300]}")
        finally:
            ref_server.stop()
            server.stop()

        # Placement is kept.
        r = run("import", "--index", split, "--shard-by", "message", str(mail))
        check("another --shard-by is refused", r.returncode == 2 and "places messages by list" in r.stderr, r.stderr)
        r = run("import", "--index", split, "--list-shard", f"{ALPHA}=1", str(mail))
        check("moving a list that has messages is refused, naming its shard",
              r.returncode == 2 and f"{ALPHA} has 2 messages in shard 0" in r.stderr, r.stderr)
        r = run("import", "--index", split, "--list-shard", "gamma.lists.example.org=2", str(mail))
        check("a pin to a shard the index lacks is refused", r.returncode == 2 and "has 2 shards" in r.stderr,
              r.stderr)
        gamma = work / "gamma.mbox"
        gamma.write_text(TWO_LISTS.replace(ALPHA, "gamma.lists.example.org").replace(BETA, "gamma.lists.example.org")
                         .replace("@example.org>", "@gamma.example.org>"))
        r = run("import", "--quiet", "--index", split, "--list-shard", "gamma.lists.example.org=0", str(gamma))
        check("a new list can be pinned", r.returncode == 0 and "list.gamma.lists.example.org = 0\n"
              in Path(split, "listdex.conf").read_text(), f"{r.returncode} {r.stderr} {Path(split, 'listdex.conf').read_text()}")
        check("its messages went to its shard", postings(stubs[0], "XLISTgamma.lists.example.org") == 3
              and postings(stubs[1], "XLISTgamma.lists.example.org") == 0)
        r = run("import", "--index", ref, "--list-shard", "gamma.lists.example.org=0", str(gamma))
        check("pins need an index placed by list", r.returncode == 2 and "--shard-by list" in r.stderr, r.stderr)
    finally:
        for proc in servers:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        shutil.rmtree(work, ignore_errors=True)
    finish()


if __name__ == "__main__":
    main()
