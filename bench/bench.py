#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The listdex authors
"""listdex against notmuch, mu and mairix, in one run on one machine.

For each tool: full import/index time (wall clock), peak RSS, index size on
disk, and the end-to-end CLI time of a fixed query set (median of 5 runs,
at most 50 results printed). Prints a table with each figure and the ratio
listdex/peer, and compares match counts where the tools' semantics agree.

usage: bench/bench.py [--corpus linux-man|usrp-users|FILE.mbox[.xz]] [--tools listdex,notmuch,mu,mairix]
                      [--work DIR] [--runs 5]
Peers are installed from Debian when missing (as root). Preparing their input
(a Maildir copy for notmuch, mu and mairix) is not timed. listdex imports the
uncompressed mbox."""

import argparse
import json
import lzma
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT.parent / "shared" / "corpora"
SEPARATOR = re.compile(rb"^From \S+ (?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) .*$", re.M)

# Queries per corpus: (name, comparable, {tool: query}). `comparable` marks
# queries whose semantics agree across listdex, notmuch and mu (exact address,
# Message-ID), so their counts must match; the others differ by design
# (stemming, which fields bare words search). notmuch keeps one message per
# Message-ID, listdex and mu every distinct message, so notmuch is compared
# with listdex's number of distinct Message-IDs. mairix is not compared.
QUERIES = {
    "linux-man": [
        ("single term", False, {"listdex": "mmap", "notmuch": "mmap", "mu": "mmap", "mairix": "bs:mmap"}),
        ("from: address", True, {"listdex": "from:alx@kernel.org", "notmuch": "from:alx@kernel.org",
                                 "mu": "from:alx@kernel.org", "mairix": "f:alx@kernel.org"}),
        ("subject:", False, {"listdex": "subject:pthread", "notmuch": "subject:pthread", "mu": "subject:pthread",
                             "mairix": "s:pthread"}),
        ("phrase", False, {"listdex": '"memory barrier"', "notmuch": '"memory barrier"', "mu": '"memory barrier"'}),
        ("date range + term", False, {"listdex": "date:2023-01-01..2023-12-31 AND signal",
                                      "notmuch": "date:2023-01-01..2023-12-31 AND signal",
                                      "mu": "date:20230101..20231231 AND signal",
                                      "mairix": "d:20230101-20231231 bs:signal"}),
        ("thousands of matches", False, {"listdex": "patch", "notmuch": "patch", "mu": "patch", "mairix": "bs:patch"}),
        ("Message-ID", True, {"listdex": "id:{msgid}", "notmuch": "id:{msgid}", "mu": "msgid:{msgid}"}),
        ("threads of a term", False, {"listdex": "@threads madvise", "notmuch": "@threads madvise",
                                      "mu": "@threads madvise", "mairix": "@threads bs:madvise"}),
    ],
    "usrp-users": [
        ("single term", False, {"listdex": "fpga", "notmuch": "fpga", "mu": "fpga", "mairix": "bs:fpga"}),
        ("from: address", True, {"listdex": "from:usrp-users@lists.ettus.com", "notmuch": "from:usrp-users@lists.ettus.com",
                                 "mu": "from:usrp-users@lists.ettus.com", "mairix": "f:usrp-users@lists.ettus.com"}),
        ("subject:", False, {"listdex": "subject:x310", "notmuch": "subject:x310", "mu": "subject:x310",
                             "mairix": "s:x310"}),
        ("phrase", False, {"listdex": '"sample rate"', "notmuch": '"sample rate"', "mu": '"sample rate"'}),
        ("date range + term", False, {"listdex": "date:2021-01-01..2021-12-31 AND gnuradio",
                                      "notmuch": "date:2021-01-01..2021-12-31 AND gnuradio",
                                      "mu": "date:20210101..20211231 AND gnuradio",
                                      "mairix": "d:20210101-20211231 bs:gnuradio"}),
        ("thousands of matches", False, {"listdex": "usrp", "notmuch": "usrp", "mu": "usrp", "mairix": "bs:usrp"}),
        ("Message-ID", True, {"listdex": "id:{msgid}", "notmuch": "id:{msgid}", "mu": "msgid:{msgid}"}),
        ("threads of a term", False, {"listdex": "@threads dpdk", "notmuch": "@threads dpdk", "mu": "@threads dpdk",
                                      "mairix": "@threads bs:dpdk"}),
    ],
}


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, **kw)


def ensure_tools(tools):
    need = {"notmuch": "notmuch", "mu": "maildir-utils", "mairix": "mairix"}
    missing = [pkg for tool, pkg in need.items() if tool in tools and not shutil.which(tool)]
    if not Path("/usr/bin/time").exists():
        missing.append("time")
    if missing:
        print(f"installing {' '.join(missing)}", file=sys.stderr)
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", *missing], check=True,
                       env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"), stdout=subprocess.DEVNULL)


def timed(cmd, env=None):
    """(wall seconds, peak RSS MB) of a command, via GNU time."""
    out = subprocess.run(["/usr/bin/time", "-f", "%e %M", "-o", "/dev/stderr", *cmd], env=env,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    last = out.stderr.strip().splitlines()[-1]
    if out.returncode != 0:
        raise RuntimeError(f"{cmd[0]} failed ({out.returncode}): {out.stderr[-2000:]}")
    wall, rss = last.split()
    return float(wall), int(rss) / 1024


def du(path):
    return int(run(["du", "-sb", str(path)]).stdout.split()[0]) / 1e6


class Tool:
    name = ""

    def __init__(self, work, mbox, maildir):
        self.work, self.mbox, self.maildir = work, mbox, maildir
        self.dir = work / self.name
        shutil.rmtree(self.dir, ignore_errors=True)
        self.dir.mkdir(parents=True)

    def env(self):
        return None

    def search_size(self):
        """The index without any copy of the mail (MB)."""
        return self.size()

    def kept_size(self):
        """What must stay on disk to search and read the mail (MB): the peers
        read messages from the Maildir they indexed; listdex from its index."""
        return self.size() + du(self.maildir)


class Listdex(Tool):
    name = "listdex"
    binary = str(ROOT / "build" / "listdex")

    def index_cmd(self):
        return [self.binary, "import", "-q", "--index", str(self.dir / "index"), str(self.mbox)]

    def size(self):
        return du(self.dir / "index")

    def search_size(self):
        return self.size() - sum(p.stat().st_size for p in (self.dir / "index" / "raw").glob("*.pack")) / 1e6

    def kept_size(self):
        return self.size()

    def query_cmd(self, q):
        ix = ["--index", str(self.dir / "index")]
        if q.startswith("@threads "):
            return [self.binary, "search", *ix, "--limit", "50", q[9:]]
        return [self.binary, "search", *ix, "--output", "messages", "--limit", "50", q]

    def count_cmd(self, q):
        return [self.binary, "count", "--index", str(self.dir / "index"), q.removeprefix("@threads ")]


class Notmuch(Tool):
    name = "notmuch"

    def __init__(self, *a):
        super().__init__(*a)
        self.config = self.dir / "config"
        self.config.write_text(f"[database]\npath={self.dir / 'db'}\nmail_root={self.maildir}\n"
                               "[new]\ntags=new\n[search]\nexclude_tags=\n[maildir]\nsynchronize_flags=false\n")
        (self.dir / "db").mkdir()

    def env(self):
        return dict(os.environ, NOTMUCH_CONFIG=str(self.config))

    def index_cmd(self):
        return ["notmuch", "new", "--quiet"]

    def size(self):
        return du(self.dir / "db")

    def query_cmd(self, q):
        if q.startswith("@threads "):
            return ["notmuch", "search", "--limit=50", q[9:]]
        return ["notmuch", "search", "--output=messages", "--limit=50", q]

    def count_cmd(self, q):
        return ["notmuch", "count", q.removeprefix("@threads ")]


class Mu(Tool):
    name = "mu"

    def index_cmd(self):
        run(["mu", "init", f"--muhome={self.dir}", f"--maildir={self.maildir}"])
        return ["mu", "index", "--quiet", f"--muhome={self.dir}"]

    def size(self):
        return du(self.dir / "xapian")

    def query_cmd(self, q):
        if q.startswith("@threads "):
            return ["mu", "find", f"--muhome={self.dir}", "--threads", "--maxnum=50", q[9:]]
        return ["mu", "find", f"--muhome={self.dir}", "--maxnum=50", q]

    def count_cmd(self, q):
        return ["sh", "-c", f"mu find --muhome={self.dir} --fields=i {shlex_quote(q.removeprefix('@threads '))} | wc -l"]


class Mairix(Tool):
    name = "mairix"

    def __init__(self, *a):
        super().__init__(*a)
        self.rc = self.dir / "mairixrc"
        # mairix reads the Maildir: it takes public-inbox's "From mboxrd@z Thu Jan  1
        # 00:00:00 1970" separators for no separators and sees one huge message.
        self.rc.write_text(f"base={self.maildir.parent}\nmaildir={self.maildir.name}\n"
                           f"mfolder={self.dir / 'results'}\nmformat=maildir\ndatabase={self.dir / 'database'}\n")

    def index_cmd(self):
        return ["mairix", "-f", str(self.rc)]

    def size(self):
        return du(self.dir / "database")

    def query_cmd(self, q):
        threads = q.startswith("@threads ")
        return ["mairix", "-f", str(self.rc), *(["-t"] if threads else []), "-r", q.removeprefix("@threads ")]

    def count_cmd(self, q):
        return ["sh", "-c", f"mairix -f {self.rc} -r {shlex_quote(q.removeprefix('@threads '))} | wc -l"]


def shlex_quote(s):
    import shlex
    return shlex.quote(s)


TOOLS = {t.name: t for t in (Listdex, Notmuch, Mu, Mairix)}


def prepare(corpus, work):
    """The corpus as one uncompressed mbox and as a Maildir; a sample Message-ID."""
    mbox = work / "corpus.mbox"
    maildir = work / "maildir"
    opener = lzma.open if str(corpus).endswith(".xz") else open
    with opener(corpus, "rb") as f:
        data = f.read()
    mbox.write_bytes(data)
    shutil.rmtree(maildir, ignore_errors=True)
    for sub in ("cur", "new", "tmp"):
        (maildir / sub).mkdir(parents=True)
    starts = [m.start() for m in SEPARATOR.finditer(data)]
    msgid = None
    for i, (a, b) in enumerate(zip(starts, starts[1:] + [len(data)])):
        body = data[a:b].split(b"\n", 1)[1]
        body = re.sub(rb"(?m)^>(>*From )", rb"\1", body)
        (maildir / "cur" / f"{i:06d}.bench:2,S").write_bytes(body)
        if msgid is None and i >= len(starts) // 2:
            m = re.search(rb"(?im)^Message-ID:\s*<([^>]+)>", body)
            msgid = m.group(1).decode() if m else None
    return mbox, maildir, len(starts), msgid


def median_time(cmd, env, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def count(tool, q):
    out = subprocess.run(tool.count_cmd(q), env=tool.env(), capture_output=True, text=True)
    try:
        return int(out.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default="linux-man")
    ap.add_argument("--tools", default="listdex,notmuch,mu,mairix")
    ap.add_argument("--work", default="/tmp/listdex-bench")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--json", help="also write the results to this file")
    args = ap.parse_args()
    tools = args.tools.split(",")
    corpus = Path(args.corpus)
    key = args.corpus if args.corpus in QUERIES else "linux-man"
    if not corpus.exists():
        corpus = CORPORA / f"{args.corpus}.mbox.xz"
    if not corpus.exists():
        sys.exit(f"bench: corpus {args.corpus} not found (looked in {CORPORA})")
    ensure_tools(tools)
    if not Path(Listdex.binary).exists():
        run([str(ROOT / "scripts" / "build.sh"), "-DLISTDEX_TESTS=OFF"])
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    print(f"preparing {corpus.name} in {work} (not timed)...", file=sys.stderr)
    mbox, maildir, n, msgid = prepare(corpus, work)

    results = {"corpus": corpus.name, "messages": n, "tools": {}, "queries": []}
    instances = {}
    for name in tools:
        tool = TOOLS[name](work, mbox, maildir)
        print(f"indexing with {name}...", file=sys.stderr)
        run(["sync"])
        wall, rss = timed(tool.index_cmd(), tool.env())
        instances[name] = tool
        results["tools"][name] = {"import_s": wall, "rss_mb": rss, "size_mb": tool.size(),
                                  "search_mb": tool.search_size(), "kept_mb": tool.kept_size()}

    for qname, comparable, per_tool in QUERIES[key]:
        row = {"query": qname, "comparable": comparable, "times": {}, "counts": {}}
        for name, tool in instances.items():
            q = per_tool.get(name)
            if q is None:
                continue
            q = q.replace("{msgid}", msgid or "none")
            row["times"][name] = median_time(tool.query_cmd(q), tool.env(), args.runs)
            row["counts"][name] = count(tool, q)
            if name == "listdex" and comparable:
                row["listdex_distinct_ids"] = distinct_ids(tool, q)
        results["queries"].append(row)

    report(results, tools)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    mismatched = [r["query"] for r in results["queries"] if r["comparable"] and not agree(r)]
    if mismatched:
        print(f"\ncount mismatch where semantics agree: {', '.join(mismatched)}")
        return 1
    return 0


def agree(q):
    """listdex == mu, and listdex's distinct Message-IDs == notmuch."""
    c = q["counts"]
    ok = c.get("mu") is None or c.get("mu") == c.get("listdex")
    return ok and (c.get("notmuch") is None or c.get("notmuch") == q.get("listdex_distinct_ids", c.get("listdex")))


def distinct_ids(tool, q):
    out = subprocess.run([tool.binary, "search", "--index", str(tool.dir / "index"), "--output", "messages",
                          "--format", "json", q], capture_output=True, text=True, check=True).stdout
    return len({m["message_id"] for m in json.loads(out)})


def report(r, tools):
    peers = [t for t in tools if t != "listdex"]
    print(f"\n## {r['corpus']}: {r['messages']:,} messages\n")
    head = "| figure | " + " | ".join(tools) + " | " + " | ".join(f"listdex/{p}" for p in peers) + " |"
    print(head)
    print("|" + "---|" * (1 + len(tools) + len(peers)))

    def line(label, values, fmt):
        lx = values.get("listdex")
        cells = [fmt(values[t]) if values.get(t) is not None else "n/a" for t in tools]
        ratios = [f"{lx / values[p]:.2f}" if lx and values.get(p) else "n/a" for p in peers]
        print(f"| {label} | " + " | ".join(cells) + " | " + " | ".join(ratios) + " |")

    for key, label, fmt in (("import_s", "import (s)", lambda v: f"{v:.1f}"),
                            ("rss_mb", "peak RSS (MB)", lambda v: f"{v:.0f}"),
                            ("size_mb", "index size (MB)", lambda v: f"{v:.0f}"),
                            ("search_mb", "index without mail copies (MB)", lambda v: f"{v:.0f}"),
                            ("kept_mb", "disk to search and read (MB)", lambda v: f"{v:.0f}")):
        line(label, {t: r["tools"][t][key] for t in tools if t in r["tools"]}, fmt)
    for q in r["queries"]:
        line(f"query: {q['query']} (ms)", {t: v * 1000 for t, v in q["times"].items()}, lambda v: f"{v:.0f}")
    print("\nmatch counts (" + ", ".join(tools) + "):")
    for q in r["queries"]:
        counts = ", ".join(str(q["counts"].get(t, "n/a")) for t in tools)
        note = ""
        if q["comparable"]:
            note = (f"  (listdex {q['counts'].get('listdex')} = mu; its {q.get('listdex_distinct_ids')} distinct "
                    f"Message-IDs = notmuch: " + ("they agree" if agree(q) else "DIFFER") + ")")
        print(f"  {q['query']}: {counts}{note}")


if __name__ == "__main__":
    sys.exit(main())
