#!/usr/bin/env python3
"""Load test of `listdex serve` with wrk (Debian package wrk).

Imports the first half of a corpus, serves it on 127.0.0.1 and runs wrk
against the home page, a search, a thread page and a message page; then
runs the same while `listdex import` adds the second half to the same index.
Prints requests per second, latency percentiles and errors per page.

usage: python3 bench/web_load.py [--corpus linux-man] [--seconds 10] [--connections 8]
"""
import argparse
import json
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT.parent / "shared" / "corpora"
LISTDEX = ROOT / "build" / "listdex"
SEPARATOR = re.compile(rb"^From \S+ (?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) .*$", re.M)


def halves(corpus, work):
    """The corpus split in two mbox files at a message boundary (not timed)."""
    data = subprocess.run(["xz", "-dc", str(corpus)], check=True, capture_output=True).stdout
    starts = [m.start() for m in SEPARATOR.finditer(data)]
    cut = starts[len(starts) // 2]
    first, second = work / "first.mbox", work / "second.mbox"
    first.write_bytes(data[:cut])
    second.write_bytes(data[cut:])
    return first, second


def wrk(url, seconds, connections):
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url],
                         capture_output=True, text=True, check=True).stdout
    def ms(label):
        m = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)", out, re.M)
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
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--connections", type=int, default=8)
    ap.add_argument("--import-seconds", type=int, default=4, help="wrk time while the import runs")
    ap.add_argument("--work", default="/tmp/listdex-web-load")
    args = ap.parse_args()
    if not shutil.which("wrk"):
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, stdout=subprocess.DEVNULL)
    corpus = CORPORA / f"{args.corpus}.mbox.xz"
    work = Path(args.work)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    first, second = halves(corpus, work)
    index = work / "index"
    subprocess.run([LISTDEX, "import", "-q", "--index", index, first], check=True)

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
    mid = first_id(view["tree"])

    server = subprocess.Popen([LISTDEX, "serve", "-q", "--index", index, "--listen", "127.0.0.1:0"],
                              stdout=subprocess.PIPE, text=True)
    base = re.search(r"at (http://[\d.:]+)/", server.stdout.readline()).group(1)
    from urllib.parse import quote
    pages = {"home": "/", "search": "/search?q=mmap", "thread": "/t/" + quote(mid, safe="@"),
             "message": "/m/" + quote(mid, safe="@")}
    results = {}
    try:
        for name, path in pages.items():
            results[("idle", name)] = wrk(base + path, args.seconds, args.connections)
        # During an import of the second half: all pages at once, for as
        # long as the import runs (checked below).
        importer = subprocess.Popen([LISTDEX, "import", "-q", "--index", index, second])
        time.sleep(0.5)
        with ThreadPoolExecutor(len(pages)) as pool:
            runs = {name: pool.submit(wrk, base + path, args.import_seconds, max(1, args.connections // 4))
                    for name, path in pages.items()}
            for name, run in runs.items():
                results[("during import", name)] = run.result()
        still_importing = importer.poll() is None
        importer.wait()
    finally:
        server.terminate()
        server.wait()

    print(f"\n## listdex serve under wrk ({args.corpus}, {args.connections} connections, {args.seconds} s per page)\n")
    print("| page | phase | requests/s | p50 (ms) | p90 (ms) | p99 (ms) | errors |")
    print("|---|---|---|---|---|---|---|")
    for (phase, name), r in results.items():
        print(f"| {name} `{pages[name]}` | {phase} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p90']:.1f} | "
              f"{r['p99']:.1f} | {r['errors']} |")
    print(f"\nduring import: the four pages at once, {max(1, args.connections // 4)} connections each, "
          f"{args.import_seconds} s; the import was still running at the end: {still_importing}")
    bad = [f"{n} ({p})" for (p, n), r in results.items() if
           (r["errors"] or (n in ("thread", "message") and r["p99"] >= 50))]
    if not still_importing:
        print("the import ended before the measurement did: lower --import-seconds")
    if bad:
        print("target missed (p99 < 50 ms for thread and message pages, no errors): " + ", ".join(bad))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
