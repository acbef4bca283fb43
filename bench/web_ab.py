#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The listdex authors
"""Two or more `listdex serve` configurations under the lore_scale web load,
taken in turns during one import: a paired comparison.

bench/lore_scale.py judges the web's p99 during an import in one 10-second
run. On this 2-core machine the same binary gave 39 to 71 ms from run to run
(its speed moves by half between runs), so one run cannot tell two builds
apart. Here every configuration serves the same index from its own process,
and they take turns (--seconds each, the seven reader pages on 9
connections each, as lore_scale's "pages" phase) while one import of
--messages replayed messages runs as the packaged units run it. Each turn
prints the total requests/s and the worst page's p99; the end prints the
medians per configuration, and in how many rounds each had a lower p99
and more requests/s than the first configuration (sign tests: p < 0.05
says the difference is more than chance).

usage: bench/web_ab.py --index DIR BINARY[:THREADS] BINARY[:THREADS] ... [--messages 60000] [--seconds 6]
DIR: an index lore_scale.py built (its `replayed` file beside it says where
the replay goes on). THREADS: `serve --threads` (default: the server's own).
"""
import argparse
import math
import re
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import lore_scale  # noqa: E402  the replay, the import as the units run it
from web_load import wrk  # noqa: E402


def reader_pages(binary, index):
    """The seven pages lore_scale's web phase loads, for a message in the middle of the hits of `patch`."""
    from urllib.parse import quote
    import json
    hits = json.loads(subprocess.run([binary, "search", "--index", str(index), "--format", "json", "--output",
                                      "messages", "--limit", "50", "patch"],
                                     check=True, capture_output=True, text=True).stdout)
    hit = hits[len(hits) // 2]
    lst, mid = hit["lists"][0], quote(hit["id"], safe="@")
    return {"home": "/", "thread": f"/t/{mid}", "message": f"/m/{mid}", "lore message": f"/{lst}/{mid}/",
            "lore T/": f"/{lst}/{mid}/T/", "t.mbox.gz": f"/{lst}/{mid}/t.mbox.gz", "raw": f"/{lst}/{mid}/raw"}


def sign_test(wins, n):
    """Two-sided p of @wins of @n under a fair coin."""
    k = min(wins, n - wins)
    return min(1.0, 2 * sum(math.comb(n, i) for i in range(k + 1)) / 2 ** n) if n else 1.0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("configs", nargs="+", help="BINARY or BINARY:THREADS")
    ap.add_argument("--index", required=True)
    ap.add_argument("--messages", type=int, default=60_000)
    ap.add_argument("--seconds", type=int, default=6)
    ap.add_argument("--memory", type=int, default=400)
    args = ap.parse_args()
    index = Path(args.index)
    configs = [(c.rsplit(":", 1) if re.search(r":\d+$", c) else (c, None)) for c in args.configs]
    pages = reader_pages(configs[0][0], index)
    servers = []
    try:
        for binary, threads in configs:
            cmd = [binary, "serve", "-q", "--index", str(index), "--listen", "127.0.0.1:0"]
            server = subprocess.Popen(cmd + (["--threads", threads] if threads else []), stdout=subprocess.PIPE,
                                      text=True)
            base = re.search(r"at (http://[\d.:]+)/", server.stdout.readline()).group(1)
            for path in pages.values():  # warm
                for _ in range(10):
                    subprocess.run(["curl", "-s", "-o", "/dev/null", base + path], check=True)
            servers.append((f"{binary}{':' + threads if threads else ''}", base, server))
        lore_scale.LISTDEX = Path(configs[0][0])
        start = int(lore_scale.replayed_file(index).read_text())
        corpora = [(name, lore_scale.corpus_messages(name)) for name in ("linux-man", "usrp-users")]
        mbox = index.parent / "web-ab.mbox"
        with open(mbox, "wb") as f:
            for m in lore_scale.stream(corpora, start, args.messages):
                f.write(m)
        importer = threading.Thread(target=lore_scale.import_step,
                                    args=(index, corpora, start, args.messages, args.memory,
                                          lore_scale.unit_scheduling(), mbox))
        importer.start()
        time.sleep(2)
        turns = []  # per round: {config: (p99, rps)}
        while importer.is_alive():
            row = {}
            for name, base, _ in servers:
                with ThreadPoolExecutor(len(pages)) as pool:
                    runs = [pool.submit(wrk, base + path, args.seconds, 9, None, 1) for path in pages.values()]
                    results = [r.result() for r in runs]
                row[name] = (max(r["p99"] for r in results), sum(r["rps"] for r in results))
                print(f"{name:40} {row[name][1]:6.0f} req/s  worst p99 {row[name][0]:6.1f} ms", flush=True)
            if importer.is_alive():  # a round the import ran through
                turns.append(row)
        importer.join()
        mbox.unlink(missing_ok=True)
    finally:
        for _, _, server in servers:
            server.terminate()
            server.wait()
    print(f"\n{len(turns)} whole rounds during the import of {args.messages:,} messages:")
    first = servers[0][0]
    for name, _, _ in servers:
        p99s = [t[name][0] for t in turns]
        line = (f"  {name:40} median worst p99 {statistics.median(p99s):6.1f} ms, "
                f"median {statistics.median(t[name][1] for t in turns):6.0f} req/s") if turns else f"  {name}"
        if turns and name != first:
            n = len(turns)
            lower = sum(t[name][0] < t[first][0] for t in turns)
            faster = sum(t[name][1] > t[first][1] for t in turns)
            line += (f"; against the first: lower p99 in {lower} of {n} rounds (p = {sign_test(lower, n):.3f}), "
                     f"more req/s in {faster} (p = {sign_test(faster, n):.3f})")
        print(line)


if __name__ == "__main__":
    main()
