#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The listdex authors
"""`listdex serve` keeps serving under abuse (ctest web_abuse).

- 256 half-open connections (a request line, then nothing) from four other
  loopback addresses while wrk loads the message and thread pages from
  127.0.0.1: page p99 <= 100 ms, no errors, and every half-open connection
  answered 408 and closed within the header deadline (+ 2 s).
- A client address holding --max-per-client connections gets 503 at once
  for the next one; a slow-drip client is cut at the header deadline.
- Oversized heads (431), chunked bodies (411), large bodies (413), other
  methods (405), POST to a page (405).

usage: abuse-test.py LISTDEX DATA_DIR
"""
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

LISTDEX, DATA = sys.argv[1], Path(sys.argv[2])
HEADER_SECONDS = 10  # the default; the test uses it as shipped
# The sanitizer build (scripts/test.sh --sanitize) runs the same test;
# ASan makes every request several times slower.
LATENCY_MS = 100 * (4 if os.environ.get("ASAN_OPTIONS") else 1)
failures = []
checks = 0


def check(name, ok, detail=""):
    global checks
    checks += 1
    print(("ok   " if ok else "FAIL ") + name + ("" if ok else f": {detail}"), flush=True)
    if not ok:
        failures.append(name)


def connect(source, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind((source, 0))
    s.connect(("127.0.0.1", port))
    return s


def answer(s, timeout):
    """Everything the server sends until it closes (or the timeout)."""
    s.settimeout(timeout)
    data = b""
    try:
        while True:
            d = s.recv(65536)
            if not d:
                break
            data += d
    except (socket.timeout, ConnectionResetError):
        pass
    return data


def wrk(url, connections, seconds):
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url],
                         capture_output=True, text=True, check=True).stdout

    def ms(label):
        m = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\b", out, re.M)
        v, unit = float(m.group(1)), m.group(2)
        return v / 1000 if unit == "us" else v * 1000 if unit == "s" else v
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors += int(m.group(1)) if m else 0
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    return {"p99": ms(99), "errors": errors, "requests": requests, "out": out}


with tempfile.TemporaryDirectory() as tmp:
    index = f"{tmp}/index"
    subprocess.run([LISTDEX, "import", "-q", "--index", index, str(DATA / "sample.mbox")], check=True)
    proc = subprocess.Popen([LISTDEX, "serve", "--index", index, "--listen", "127.0.0.1:0", "-q"],
                            stdout=subprocess.PIPE, text=True)
    port = int(re.search(r"127\.0\.0\.1:(\d+)/", proc.stdout.readline()).group(1))
    base = f"http://127.0.0.1:{port}"
    message = "/demo.lists.example.org/greetings-2@example.de/"
    thread = "/demo.lists.example.org/welcome-1@example.org/T/"
    try:
        # 256 half-open connections, 64 from each of four addresses.
        opened = time.monotonic()
        half_open = []
        for i in range(256):
            s = connect(f"127.0.0.{2 + i // 64}", port)
            s.sendall(b"GET / HTTP/1.1\r\nHost: attacker\r\n")
            half_open.append(s)
        results = {}
        loads = [threading.Thread(target=lambda name=name, path=path: results.__setitem__(
            name, wrk(base + path, 32, 6))) for name, path in (("message", message), ("thread", thread))]
        for t in loads:
            t.start()
        for t in loads:
            t.join()
        for name, r in results.items():
            check(f"{name} page under load beside 256 half-open connections: p99 {r['p99']:.1f} ms <= {LATENCY_MS} ms",
                  r["p99"] <= LATENCY_MS, r["out"])
            check(f"{name} page: no errors in {r['requests']} requests", r["errors"] == 0 and r["requests"] > 100,
                  r["out"])
        # Every half-open connection is answered 408 and closed in time.
        answers = [None] * len(half_open)

        def drain(i):
            answers[i] = (answer(half_open[i], HEADER_SECONDS + 5), time.monotonic() - opened)
        readers = [threading.Thread(target=drain, args=(i,)) for i in range(len(half_open))]
        for t in readers:
            t.start()
        for t in readers:
            t.join()
        late = [round(at, 1) for data, at in answers if at > HEADER_SECONDS + 2]
        timed_out = sum(1 for data, at in answers if data.startswith(b"HTTP/1.1 408"))
        check(f"256 half-open connections answered 408 ({timed_out}) and closed within {HEADER_SECONDS + 2} s",
              timed_out == 256 and not late, f"late: {late[:5]}")
        for s in half_open:
            s.close()

        # One address may hold --max-per-client (128) connections; the next is refused at once.
        held = [connect("127.0.0.10", port) for _ in range(128)]
        extra = connect("127.0.0.10", port)
        started = time.monotonic()
        refused = answer(extra, 5)
        check("the 129th connection from one address: 503 at once",
              refused.startswith(b"HTTP/1.1 503") and b"too many open connections" in refused
              and time.monotonic() - started < 1, refused[:200])
        other = connect("127.0.0.11", port)
        other.sendall(b"GET /style.css HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        check("another address is served meanwhile", answer(other, 5).startswith(b"HTTP/1.1 200"))
        for s in held:
            s.close()

        # A slow drip of header bytes does not extend the deadline.
        drip = connect("127.0.0.12", port)
        started = time.monotonic()
        dripped = b""
        try:
            for ch in b"GET / HTTP/1.1\r\nHost: slow\r\nX-Padding: " + b"a" * 100:
                drip.sendall(bytes([ch]))
                time.sleep(0.15)
                if time.monotonic() - started > HEADER_SECONDS + 3:
                    break
        except (BrokenPipeError, ConnectionResetError):
            pass
        dripped = answer(drip, 3)
        check("a slow drip is cut at the header deadline",
              time.monotonic() - started < HEADER_SECONDS + 4 and dripped.startswith(b"HTTP/1.1 408"), dripped[:100])

        def raw(request, timeout=5):
            s = connect("127.0.0.1", port)
            s.sendall(request)
            return answer(s, timeout)
        check("a 20 KiB request head: 431",
              raw(b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 20000 + b"\r\n\r\n").startswith(b"HTTP/1.1 431"))
        check("a chunked body: 411",
              raw(b"POST /all/?q=x&x=m HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
              .startswith(b"HTTP/1.1 411"))
        check("a 100 KiB body: 413",
              raw(b"POST /all/?q=x&x=m HTTP/1.1\r\nHost: x\r\nContent-Length: 102400\r\n\r\n").startswith(
                  b"HTTP/1.1 413"))
        check("PUT: 405", raw(b"PUT / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").startswith(b"HTTP/1.1 405"))
        check("POST to a page: 405",
              raw(b"POST /style.css HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
              .startswith(b"HTTP/1.1 405"))
        pipelined = raw(b"GET /style.css HTTP/1.1\r\nHost: x\r\n\r\nGET /nope HTTP/1.1\r\nHost: x\r\n\r\n"
                        b"HEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        check("three pipelined requests: three answers in order",
              [m.decode() for m in re.findall(rb"HTTP/1\.1 (\d{3})", pipelined)] == ["200", "404", "200"],
              re.findall(rb"HTTP/1\.1 \d{3}", pipelined))
        check("the server still serves", raw(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
              .startswith(b"HTTP/1.1 200"))
    finally:
        proc.terminate()
        rc = proc.wait(timeout=15)
    check("stops cleanly", rc == 0, rc)

print(f"{checks - len(failures)}/{checks} checks passed")
sys.exit(1 if failures else 0)
