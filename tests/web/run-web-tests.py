#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The listdex authors
"""HTTP tests of `listdex serve`: listdex's own URLs (documented as stable
before the lore-compatible ones, tests/web/lore-routes-test.py), the
status and content type of every route, the security headers, escaping of
a hostile sample, limits, and live updates.

usage: run-web-tests.py LISTDEX DATA_DIR HOSTILE_MBOX
"""
import gzip
import json
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from webtest import Server as WebServer, check, finish, q, safe_html, security_headers  # noqa: E402

LISTDEX, DATA, HOSTILE = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])


def Server(index, *extra):
    return WebServer(LISTDEX, index, *extra)


def run(*args):
    return subprocess.run([LISTDEX, *args], check=True, capture_output=True).stdout


with tempfile.TemporaryDirectory() as tmp:
    index = f"{tmp}/index"
    run("import", "-q", "--index", index, str(DATA / "sample.mbox"), str(HOSTILE))
    srv = Server(index)

    # Every route: status and content type; security headers on everything.
    routes = [
        ("/", 200, "text/html"),
        ("/style.css", 200, "text/css"),
        ("/demo.lists.example.org/", 200, "text/html"),
        ("/demo.lists.example.org/?page=2&n=2", 200, "text/html"),
        ("/demo.lists.example.org/new.atom", 200, "application/atom+xml"),
        ("/search?q=welcome", 200, "text/html"),
        ("/search?q=welcome&o=messages", 200, "text/html"),
        ("/search?q=*&l=victims.lists.example.org", 200, "text/html"),
        ("/search", 200, "text/html"),
        ("/search.atom?q=welcome", 200, "application/atom+xml"),
        ("/m/welcome-1@example.org", 200, "text/html"),
        ("/m/welcome-1@example.org/raw", 200, "text/plain"),
        ("/m/attachments-6@example.com/4/notes", 200, "text/plain"),
        ("/m/attachments-6@example.com/3/x.pdf", 200, "application/pdf"),
        ("/t/welcome-1@example.org", 200, "text/html"),
        ("/t/welcome-1@example.org?view=flat", 200, "text/html"),
        ("/t/welcome-1@example.org.mbox.gz", 200, "application/gzip"),
        ("/api/search?q=welcome", 200, "application/json"),
        ("/api/search?q=welcome&output=messages", 200, "application/json"),
        ("/api/thread/welcome-1@example.org", 200, "application/json"),
        ("/api/message/welcome-1@example.org", 200, "application/json"),
        ("/nope", 404, "text/html"),
        ("/nope/deeper/path", 404, "text/html"),
        ("/no.such.list/", 404, "text/html"),
        ("/m/missing@example.org", 404, "text/html"),
        ("/m/missing@example.org/raw", 404, "text/html"),
        ("/m/welcome-1@example.org/9/x", 404, "text/html"),
        ("/t/missing@example.org", 404, "text/html"),
        ("/api/message/missing@example.org", 404, "application/json"),
        ("/search?q=(unbalanced", 400, "text/html"),
        ("/search?q=fromm:alice", 400, "text/html"),
        ("/search?q=x&l=bad%20list", 404, "text/html"),
        ("/search?q=x&l=no.such.list", 404, "text/html"),
        ("/api/search?q=date:nonsense", 400, "application/json"),
        # The reader's own state is not the public archive's.
        ("/search?q=tag:todo", 400, "text/html"),
        ("/search?q=is:unread", 400, "text/html"),
        ("/api/search?q=is:followed", 400, "application/json"),
        ("/api/search", 400, "application/json"),
        ("/../../etc/passwd", 404, "text/html"),
        ("/m/..%2F..%2Fetc%2Fpasswd", 404, "text/html"),
    ]
    for path, status, ctype in routes:
        got, headers, body = srv.get(path)
        check(f"{path}: status {status}", got == status, f"got {got}: {body[:300]!r}")
        check(f"{path}: {ctype}", headers.get("Content-Type", "").startswith(ctype), headers.get("Content-Type"))
        security_headers(path, headers)
        if got >= 400:
            check(f"{path}: the error page shows no server path", tmp.encode() not in body, body[-600:])
    for method in ("PUT", "DELETE", "PATCH"):
        check(f"{method} refused", srv.get("/", method)[0] == 405)
    check("POST to a page refused", srv.get("/", "POST", b"")[0] == 405)

    # Contents.
    _, _, home = srv.get("/")
    check("home lists both lists", b'href="/demo.lists.example.org/"' in home and b"victims.lists.example.org" in home)
    _, _, page = srv.get("/search?q=pamplemousse&o=messages")
    check("snippet highlights the matched word", b"<mark>pamplemousse</mark>" in page, page[-800:])
    _, _, page = srv.get("/search?q=*&n=3&page=2&o=messages")
    check("page 2 of 3 per page", page.count(b'<a class="subject"') == 3 and b"page=1" in page and b"page=3" in page)
    _, _, page = srv.get("/search?q=*&n=100000&o=messages")
    check("huge page size is clamped, not refused", page.count(b'<a class="subject"') == 19, page.count(b'class="subject"'))
    _, _, page = srv.get("/search?q=tag:todo")
    check("tag: is refused, saying why", b"a reader&#39;s own state" in page or b"reader's own state" in page, page[-800:])
    _, _, page = srv.get("/_/text/help/")
    check("the help page does not offer tag: or is:", b"<code>tag:" not in page and b"<code>is:" not in page)
    _, _, page = srv.get("/search?q=(unbalanced")
    check("invalid query says what is wrong", b"is not closed" in page or b"without a matching" in page, page)
    _, _, page = srv.get("/m/welcome-1@example.org")
    check("message page links its thread and raw (lore URLs, every list)",
          b'href="/all/welcome-1@example.org/T/' in page and b'href="/all/welcome-1@example.org/raw"' in page, page)
    _, _, page = srv.get("/m/greetings-2@example.de")
    check("reply links its parent", b'href="/all/welcome-1@example.org/" rel="up"' in page, page)
    check("decoded UTF-8 body", "Grüße aus Zürich".encode() in page)
    _, _, page = srv.get("/t/greetings-2@example.de")
    check("thread page indents the reply under its parent",
          re.search(rb'<td class="t d0"><a href="/all/welcome-1@example.org/">.*?'
                    rb'<a href="/all/greetings-2@example.de/">[^<]*</a></td><td class="t d1">', page, re.S) is not None,
          page[-1500:])
    _, _, page = srv.get("/t/reply-16@example.jp")
    check("placeholder for a missing parent, reply indented under it",
          re.search(rb'<tr class="missing">.*?<td class="t d0">\[not in the archive\] &lt;missing-parent@example.jp&gt;'
                    rb'</td></tr>\s*<tr>.*?<td class="t d1"><a href="/all/reply-16@example.jp/">', page, re.S)
          is not None, page[-900:])
    check("thread titled by its first message under the placeholder", "<h1>Re: 日本語の件名</h1>".encode() in page)
    _, _, raw = srv.get("/m/welcome-1@example.org/raw")
    check("raw is the stored bytes", raw == run("show", "--index", index, "--raw", "welcome-1@example.org"))
    _, _, gz = srv.get("/t/welcome-1@example.org.mbox.gz")
    check("mbox.gz is the thread's mboxrd",
          gzip.decompress(gz) == run("thread", "--index", index, "--format", "mbox", "welcome-1@example.org"))
    _, h, att = srv.get("/m/attachments-6@example.com/4/x")
    check("attachment bytes", b"searchable attachment text: kumquat" in att)
    check("a text attachment is shown as plain text", h.get("Content-Type") == "text/plain; charset=utf-8" and
          h.get("Content-Disposition", "").startswith("inline;"), h)
    _, h, att = srv.get("/m/attachments-6@example.com/3/x.pdf")
    check("a PDF attachment is a download", h.get("Content-Disposition", "").startswith("attachment;"), h)
    for path in ("/demo.lists.example.org/new.atom", "/search.atom?q=welcome"):
        _, _, feed = srv.get(path)
        root = ET.fromstring(feed)
        entries = root.findall("{http://www.w3.org/2005/Atom}entry")
        check(f"{path}: Atom with entries linking message pages", len(entries) > 0 and all(
            re.match(re.escape(srv.base) + r"/(all|demo\.lists\.example\.org)/[^/]+/$",
                     e.find("{http://www.w3.org/2005/Atom}link").get("href")) for e in entries))

    # The JSON API prints what the CLI prints (but the reader's own tags,
    # which only the CLI shows).
    for api, cli in [("/api/search?q=welcome", ["search", "--format", "json", "welcome"]),
                     ("/api/search?q=welcome&output=messages",
                      ["search", "--format", "json", "--output", "messages", "welcome"]),
                     ("/api/thread/welcome-1@example.org", ["thread", "--format", "json", "welcome-1@example.org"]),
                     ("/api/message/welcome-1@example.org", ["show", "--format", "json", "welcome-1@example.org"])]:
        _, _, body = srv.get(api)
        ours = json.loads(run(*cli, "--index", index))
        if cli[0] == "show":
            check("show --format json has the reader's tags", ours.pop("tags", None) == [])
        check(f"{api} = listdex {' '.join(cli)}", json.loads(body) == ours)
    _, _, body = srv.get("/api/search?q=(")
    check("JSON errors say what is wrong", "error" in json.loads(body))

    # Hostile content is escaped everywhere it appears.
    hostile_pages = ["/m/hostile-1@example.net", "/m/" + q("hostile-2/odd%id@example.net"),
                     "/t/hostile-1@example.net", "/t/hostile-1@example.net?view=flat",
                     "/search?q=xylophonist&o=messages", "/search?q=hostile", "/search?q=" + q("<script>"),
                     "/victims.lists.example.org/", "/search?q=" + q("javascript:alert(1)")]
    for path in hostile_pages:
        status, _, body = srv.get(path)
        check(f"{path}: served", status in (200, 400), status)
        safe_html(path, body)
    _, _, page = srv.get("/m/hostile-1@example.net")
    check("hostile subject shown as text", b"&lt;script&gt;alert(&quot;subject&quot;)&lt;/script&gt;" in page)
    check("hostile From name shown as text", b"&lt;img src=x onerror=alert(&quot;from&quot;)&gt;" in page)
    _, _, page = srv.get("/m/" + q("hostile-2/odd%id@example.net"))
    check("Message-ID with / and % reachable", b"Re: links and a patch &lt;b&gt;bold&lt;/b&gt;" in page, page[:300])
    check("diff lines styled", b'<span class="add">+new &lt;line&gt;</span>' in page and b'<span class="del">' in page)
    check("quoted lines styled", b'<span class="q">&gt; quoted' in page)
    check("http URL linked, escaped", b'<a href="https://example.org/page?a=1&amp;b=" rel="nofollow noopener noreferrer">'
          in page, page)
    for path in ("/demo.lists.example.org/new.atom", "/victims.lists.example.org/new.atom",
                 "/search.atom?q=" + q("hostile")):
        _, _, feed = srv.get(path)
        ET.fromstring(feed)  # well-formed despite hostile content
        check(f"{path}: no raw markup", b"<script" not in feed)
    _, h, body = srv.get("/m/hostile-1@example.net/3/x.html")
    check("hostile HTML attachment is served as plain text, never as a page",
          h.get("Content-Type") == "text/plain; charset=utf-8" and h.get("X-Content-Type-Options") == "nosniff", h)
    check("hostile filename made safe in the header", "<script>" not in h.get("Content-Disposition", "").split(";")[1],
          h.get("Content-Disposition"))

    # Messages imported while the server runs appear without a restart.
    (Path(tmp) / "new.mbox").write_text(
        "From a@example.org Mon Apr  8 10:00:00 2024\nFrom: New <new@example.org>\nSubject: fresh quokka\n"
        "Message-ID: <fresh-1@example.org>\nDate: Mon, 08 Apr 2024 10:00:00 +0000\n\nA quokka appears.\n")
    check("nothing yet", b"fresh quokka" not in srv.get("/search?q=quokka")[2])
    run("import", "-q", "--index", index, f"{tmp}/new.mbox")
    check("new message found without a restart", b"fresh quokka" in srv.get("/search?q=quokka")[2])
    check("new message page", srv.get("/m/fresh-1@example.org")[0] == 200)

    # One line per request in the log.
    rc = srv.stop()
    check("server stops cleanly on SIGTERM", rc == 0, rc)
    logged = [l for l in srv.log if re.match(r"127\.0\.0\.1 GET /\S* \d{3} \d+ [\d.]+ms$", l.strip())]
    check("one log line per request", len(logged) >= len(routes), f"{len(logged)} lines; e.g. {srv.log[:3]}")

    # A search over its time limit gets a clear error page, not a hang.
    slow = Server(index, "--search-seconds", "0.000000001", "--quiet")
    status, _, body = slow.get("/search?q=*")
    check("over the time limit: 503", status == 503, status)
    check("over the time limit: says so", b"took longer than" in body, body[-600:])
    check("message pages need no search", slow.get("/m/welcome-1@example.org")[0] == 200)
    slow.stop()

    # A second server cannot silently share a port.
    first = Server(index, "--quiet")
    port = first.base.rsplit(":", 1)[1]
    second = subprocess.run([LISTDEX, "serve", "--index", index, "--listen", f"127.0.0.1:{port}"],
                            capture_output=True, text=True, timeout=10)
    check("port in use: exit 1 naming the address", second.returncode == 1 and f"127.0.0.1:{port}" in second.stderr,
          second.stderr)
    first.stop()
    nothing = subprocess.run([LISTDEX, "serve", "--index", f"{tmp}/none", "--listen", "127.0.0.1:0"],
                             capture_output=True, text=True, timeout=10)
    check("no index: exit 4", nothing.returncode == 4, nothing.stderr)

    # A message rebuilt from an MHonArc page says so; raw is the page.
    pages = Path(__file__).resolve().parent.parent / "corpus" / "mhonarc" / "pages"
    run("import", "-q", "--index", f"{tmp}/mhonarc", str(pages))
    html = Server(f"{tmp}/mhonarc", "--quiet")
    status, _, body = html.get("/m/m1@example.org")
    check("rebuilt message page: 200", status == 200, status)
    check("rebuilt message page: says it was rebuilt from an HTML archive",
          b"Rebuilt" in body and b"from a page of an HTML (MHonArc) archive" in body, body[:2000])
    status, _, body = html.get("/m/m1@example.org/raw")
    check("rebuilt message raw: the page as found", status == 200 and body == (pages / "msg00001.html").read_bytes())
    html.stop()

finish()
