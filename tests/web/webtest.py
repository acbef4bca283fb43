# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The listdex authors
"""Shared by the HTTP tests of `listdex serve` (run-web-tests.py,
lore-routes-test.py): a server on a free port, checks, the CLI, and the
hostile-content rules every page must keep."""
import re
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request

failures = []
checks = 0


def check(name, ok, detail=""):
    global checks
    checks += 1
    if not ok:
        failures.append(name)
        print(f"FAIL: {name} {detail}"[:2000])


def finish():
    print(f"{checks - len(failures)}/{checks} checks passed")
    sys.exit(1 if failures else 0)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


class Server:
    """`listdex serve` on a free port; collects its request log."""

    def __init__(self, listdex, index, *extra):
        self.proc = subprocess.Popen([listdex, "serve", "--index", index, "--listen", "127.0.0.1:0", *extra],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        m = re.search(r"at (http://127\.0\.0\.1:\d+)/", line)
        if not m:
            self.proc.kill()
            sys.exit(f"server did not start: {line!r} {self.proc.stderr.read()}")
        self.base = m.group(1)
        self.log = []
        threading.Thread(target=lambda: self.log.extend(self.proc.stderr), daemon=True).start()

    def get(self, path, method="GET", data=None, headers=None):
        """(status, headers, body); redirects are not followed."""
        req = urllib.request.Request(self.base + path, method=method, data=data, headers=headers or {})
        try:
            with OPENER.open(req, timeout=60) as r:
                return r.status, dict(r.headers), r.read()
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read()

    def post(self, path, data=b"", headers=None):
        return self.get(path, "POST", data, {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})})

    def stop(self):
        self.proc.terminate()
        return self.proc.wait(timeout=15)


def q(s):
    """One URL path segment or query value."""
    return urllib.parse.quote(s, safe="@")


HOSTILE_MARKERS = ["<script", 'href="javascript:', 'href="data:', "<img", "<b>"]
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)  # an on...= attribute inside a real tag


def safe_html(name, body):
    text = body.decode()
    for marker in HOSTILE_MARKERS:
        check(f"{name}: no raw {marker}", marker not in text.lower(), text[max(0, text.lower().find(marker) - 200):][:400])
    check(f"{name}: no event handler attribute", not EVENT_HANDLER.search(text), EVENT_HANDLER.search(text))
    for a in re.findall(r"<a [^>]*>", text):
        href = re.search(r'href="([^"]*)"', a).group(1)
        check(f"{name}: link {href[:60]} is local or http(s)", href.startswith(("/", "?", "#", "http://", "https://")))
        if href.startswith("http"):
            check(f"{name}: external link {href[:60]} is nofollow noopener noreferrer",
                  'rel="nofollow noopener noreferrer"' in a)


def security_headers(name, headers):
    check(f"{name}: nosniff", headers.get("X-Content-Type-Options") == "nosniff")
    csp = headers.get("Content-Security-Policy", "")
    check(f"{name}: CSP forbids scripts", "default-src 'none'" in csp and "script-src" not in csp, csp)
