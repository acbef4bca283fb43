#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The listdex authors
"""Load test of `listdex serve` with wrk (Debian package wrk).

Imports the first half of a corpus, serves it on 127.0.0.1 and runs wrk
against listdex's pages, the lore-compatible routes (message, flat thread,
t.mbox.gz, raw) and the POST search lei and b4 send: each page alone at
--connections connections; then, while `listdex import` adds the third
quarter to the same index, the pages (not the searches) at once, the
connections shared among them; then, while it adds the last quarter,
every page and search at once; then the message and thread pages beside
256 half-open connections. Prints requests per second, latency
percentiles and errors per page.

usage: python3 bench/web_load.py [--corpus linux-man] [--seconds 8] [--connections 64]
"""
import argparse
import json
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT.parent / "shared" / "corpora"
LISTDEX = ROOT / "build" / "listdex"
SEPARATOR = re.compile(rb"^From \S+ (?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) .*$", re.M)
POST_SCRIPT = 'wrk.method = "POST"\nwrk.body = ""\nwrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n'


def parts(corpus, work):
    """The corpus split at message boundaries into its first half, third
    quarter and last quarter (not timed)."""
    data = subprocess.run(["xz", "-dc", str(corpus)], check=True, capture_output=True).stdout
    starts = [m.start() for m in SEPARATOR.finditer(data)]
    cuts = [0, starts[len(starts) // 2], starts[3 * len(starts) // 4], len(data)]
    files = []
    for i, name in enumerate(("half", "third-quarter", "last-quarter")):
        (work / f"{name}.mbox").write_bytes(data[cuts[i]:cuts[i + 1]])
        files.append(work / f"{name}.mbox")
    return files


def wrk(url, seconds, connections, script=None, threads=2):
    cmd = ["wrk", f"-t{min(threads, connections)}", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    if script:
        cmd[1:1] = ["-s", script]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout

    def ms(label):
        m = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\b", out, re.M)
        v, unit = float(m.group(1)), m.group(2)
        return v / 1000 if unit == "us" else v * 1000 if unit == "s" else v
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors += int(m.group(1)) if m else 0
    return {"rps": rps, "p50": ms(50), "p90": ms(90), "p99": ms(99), "errors": errors}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default="linux-man")
    ap.add_argument("--seconds", type=int, default=8)
    ap.add_argument("--connections", type=int, default=64)
    ap.add_argument("--import-seconds", type=int, default=5, help="wrk time while the import runs")
    ap.add_argument("--work", default="/tmp/listdex-web-load")
    args = ap.parse_args()
    if not shutil.which("wrk"):
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, stdout=subprocess.DEVNULL)
    corpus = CORPORA / f"{args.corpus}.mbox.xz"
    work = Path(args.work)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    first, third, fourth = parts(corpus, work)
    index = work / "index"
    subprocess.run([LISTDEX, "import", "-q", "--index", index, first], check=True)
    lists = json.loads(subprocess.run([LISTDEX, "lists", "--index", index, "--format", "json"], check=True,
                                      capture_output=True, text=True).stdout)
    lst = max(lists, key=lambda l: l["messages"])["id"]

    # A message in a thread of several messages, from the first half.
    hits = json.loads(subprocess.run([LISTDEX, "search", "--index", index, "--format", "json", "--limit", "200",
                                      "patch"], check=True, capture_output=True, text=True).stdout)
    thread = next(h for h in hits if 4 <= h["messages"] <= 30)
    view = json.loads(subprocess.run([LISTDEX, "thread", "--index", index, "--format", "json", "thread:" +
                                      thread["thread"]], check=True, capture_output=True, text=True).stdout)

    def first_id(nodes):  # the first message of the tree (placeholders have "missing")
        for n in nodes:
            if not n.get("missing"):
                return n["id"]
            found = first_id(n["children"])
            if found:
                return found
    mid = quote(first_id(view["tree"]), safe="@")
    script = work / "post.lua"
    script.write_text(POST_SCRIPT)

    server = subprocess.Popen([LISTDEX, "serve", "-q", "--index", index, "--listen", "127.0.0.1:0"],
                              stdout=subprocess.PIPE, text=True)
    base = re.search(r"at (http://[\d.:]+)/", server.stdout.readline()).group(1)
    pages = {"home": ("/", None), "list": (f"/{lst}/", None), "search": ("/search?q=mmap", None),
             "lore search": (f"/{lst}/?q=mmap", None), "thread": (f"/t/{mid}", None), "message": (f"/m/{mid}", None),
             "lore message": (f"/{lst}/{mid}/", None), "lore T/": (f"/{lst}/{mid}/T/", None),
             "t.mbox.gz": (f"/{lst}/{mid}/t.mbox.gz", None), "raw": (f"/{lst}/{mid}/raw", None),
             "POST search": (f"/all/?x=m&t=1&q={quote('s:mmap d:2021..2022')}", str(script))}
    results = {}
    try:
        for name, (path, lua) in pages.items():
            results[("idle", name)] = wrk(base + path, args.seconds, args.connections, lua)
        # During imports: the pages at once, then pages and searches at
        # once, the connections shared among them. One wrk thread per page:
        # a dozen load generators with two threads each would take the
        # cores from the server and the import.
        searches = {"list", "search", "lore search", "POST search"}
        still_importing = []
        for phase, mbox, names in (("pages during import", third, [n for n in pages if n not in searches]),
                                   ("all during import", fourth, list(pages))):
            importer = subprocess.Popen([LISTDEX, "import", "-q", "--index", index, mbox])
            time.sleep(0.5)
            each = max(1, args.connections // len(names))
            with ThreadPoolExecutor(len(names)) as pool:
                runs = {name: pool.submit(wrk, base + pages[name][0], args.import_seconds, each, pages[name][1], 1)
                        for name in names}
                for name, run in runs.items():
                    results[(phase, name)] = run.result()
            still_importing.append(f"{phase}: {each} connections on each of {len(names)} pages "
                                   f"({each * len(names)} in all), import still running at the end: "
                                   f"{importer.poll() is None}")
            importer.wait()
        # Beside 256 half-open connections from four other addresses.
        port = int(base.rsplit(":", 1)[1])
        half_open = []
        for i in range(256):
            s = socket.socket()
            s.bind((f"127.0.0.{2 + i // 64}", 0))
            s.connect(("127.0.0.1", port))
            s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
            half_open.append(s)
        with ThreadPoolExecutor(2) as pool:
            runs = {name: pool.submit(wrk, base + pages[name][0], args.seconds, args.connections // 2)
                    for name in ("lore message", "thread")}
            for name, run in runs.items():
                results[("256 half-open", name)] = run.result()
        for s in half_open:
            s.close()
    finally:
        server.terminate()
        server.wait()

    print(f"\n## listdex serve under wrk ({args.corpus}, {args.connections} connections, {args.seconds} s per page)\n")
    print("| page | phase | requests/s | p50 (ms) | p90 (ms) | p99 (ms) | errors |")
    print("|---|---|---|---|---|---|---|")
    for (phase, name), r in results.items():
        print(f"| {name} | {phase} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p90']:.1f} | {r['p99']:.1f} | "
              f"{r['errors']} |")
    print(f"\npages: " + ", ".join(f"{n} `{p}`" for n, (p, _) in pages.items()))
    for line in still_importing:
        print(line)
    print(f"256 half-open: {args.connections // 2} connections on each of the two pages")
    bad = [f"{n} ({p})" for (p, n), r in results.items() if r["errors"] or
           (n in ("thread", "message", "lore message") and p != "all during import" and r["p99"] >= 50)]
    if any(line.endswith("False") for line in still_importing):
        print("an import ended before its measurement did: lower --import-seconds")
    if bad:
        print("target missed (p99 < 50 ms for message and thread pages idle, during an import and beside half-open "
              "connections; no errors anywhere): " + ", ".join(bad))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
