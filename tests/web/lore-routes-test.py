#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The listdex authors
"""The lore-compatible side of `listdex serve` (ctest web_lore): public-inbox's
URL scheme, its POST search, its part numbers, and the navigation pages.

- every URL form of docs/web.md answers with the right status and type;
  unknown lists, months and Message-IDs are 404 on every form, and no error
  page shows a server path;
- /LIST/ID/raw, t.mbox(.gz), POST ?x=m[&t=1] hold exactly the messages the
  CLI finds (`search --output ids [--threads]`, `thread`), as mboxrd with
  public-inbox's From_ lines;
- /LIST/ID/N-FILE serves part N as public-inbox's own parser
  (PublicInbox::Eml, installed with public-inbox) numbers and decodes it;
- the message page's previous/next in the thread and by date, its replies,
  its series links (and `git am` of a series download), text attachments
  inline; thread overviews with the subject only where it changes; list
  pages with page numbers, months (counts as `listdex count`), activity;
  the home page by latest activity; a list's search box keeps its scope.

usage: lore-routes-test.py LISTDEX DATA_DIR TESTS_WEB_DIR
"""
import email
import email.policy
import gzip
import json
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from webtest import Server, check, finish, q, safe_html, security_headers  # noqa: E402

LISTDEX, DATA, WEB = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
DEMO, FROB, VICTIMS = "demo.lists.example.org", "frob.lists.example.com", "victims.lists.example.org"


def cli(*args):
    return subprocess.run([LISTDEX, *args, "--index", INDEX], check=True, capture_output=True, text=True).stdout


def cli_ids(*args):
    return [line[3:] for line in cli("search", "--output", "ids", *args).split()]


def scoped(scope, query):
    """The CLI query for @query searched under /@scope/."""
    if scope == "all":
        return query
    full = {"frob": FROB, "demo": DEMO}.get(scope, scope)
    return f"list:{full}" if query == "*" else f"list:{full} ({query})"


def mbox_ids(data):
    """The top-level Message-IDs of an mboxrd in order ("" for a message
    without one), whether every From_ line is public-inbox's, and how many
    messages there are."""
    from_lines = re.findall(rb"^From [^\n]*$", data, re.M)
    ids = []
    for raw in re.split(rb"^From [^\n]*\n", data, flags=re.M)[1:]:
        msg = email.message_from_bytes(re.sub(rb"^>(>*From )", rb"\1", raw, flags=re.M), policy=email.policy.compat32)
        ids.append((msg["Message-ID"] or "").strip().strip("<>"))
    return ids, all(l == b"From mboxrd@z Thu Jan  1 00:00:00 1970" for l in from_lines), len(from_lines)


def plain_ids(keys):
    """CLI keys as Message-IDs: ID#HASH -> ID; a synthetic id -> ""."""
    return sorted("" if k.startswith("synthetic.") else k.split("#")[0] for k in keys)


def thread_rows(view):
    """(depth, node) in tree order from `listdex thread --format json`."""
    out = []

    def walk(n, d):
        out.append((d, n))
        for c in n["children"]:
            walk(c, d + 1)
    for r in view["tree"]:
        walk(r, 0)
    return out


def subject_key(s):
    s = s.lower().strip()
    while True:
        t = re.sub(r"^\s*(re|fwd?|aw|sv|antw)\s*:\s*", "", s)
        if t == s:
            return " ".join(s.split())
        s = t


# public-inbox's own part numbering and decoding (PublicInbox::Eml::each_part).
EML_PARTS = r"""
use strict; use warnings; use PublicInbox::Eml;
local $/; my $all = <STDIN>;
for my $raw (split(/^From mboxrd\@z Thu Jan  1 00:00:00 1970\n/m, $all)) {
    next unless length $raw;
    $raw =~ s/^>(>*From )/$1/gm;
    my $eml = PublicInbox::Eml->new(\$raw);
    my $mid = $eml->header_raw('Message-ID') // next;
    $mid =~ s/\A\s*<?//; $mid =~ s/>?\s*\z//;
    $eml->each_part(sub {
        my ($part, $depth, $idx) = @{$_[0]};
        my $body = $part->body;
        printf "%s\t%s\t%s\n", $mid, $idx, unpack('H*', $body);
    }, undef, 1);
}
"""

with tempfile.TemporaryDirectory() as tmp:
    INDEX = f"{tmp}/index"
    cli("import", "-q", str(DATA / "sample.mbox"), str(WEB / "hostile.mbox"), str(WEB / "series.mbox"))
    srv = Server(LISTDEX, INDEX)
    B = srv.base

    # ------------------------------------------------------------ every URL form
    routes = [
        (f"/{DEMO}/welcome-1@example.org/", 200, "text/html"),
        ("/demo/welcome-1@example.org/", 200, "text/html"),          # the short name
        ("/all/welcome-1@example.org/", 200, "text/html"),
        (f"/{DEMO}/welcome-1@example.org", 301, "text/plain"),
        ("/welcome-1@example.org", 301, "text/plain"),
        ("/r/welcome-1@example.org", 301, "text/plain"),
        ("/demo", 301, "text/plain"),
        (f"/{DEMO}/welcome-1@example.org/raw", 200, "text/plain"),
        (f"/{DEMO}/welcome-1@example.org/t.mbox.gz", 200, "application/gzip"),
        (f"/{DEMO}/welcome-1@example.org/t.mbox", 200, "application/mbox"),
        (f"/{DEMO}/welcome-1@example.org/T/", 200, "text/html"),
        (f"/{DEMO}/welcome-1@example.org/t/", 200, "text/html"),
        (f"/{DEMO}/welcome-1@example.org/T", 301, "text/plain"),
        (f"/{DEMO}/welcome-1@example.org/t", 301, "text/plain"),
        (f"/{DEMO}/welcome-1@example.org/t.atom", 200, "application/atom+xml"),
        (f"/{FROB}/frob-review-1@example.org/2-0001-frob-saturate.patch", 200, "text/plain"),
        ("/frob/frob-review-1@example.org/3-notes.bin", 200, "application/octet-stream"),
        ("/frob/frob-v1-1@example.com/series.mbox", 200, "application/mbox"),
        ("/frob/frob-v3-0@example.com/series.mbox", 404, "text/html"),          # 2/3 and 3/3 missing
        ("/frob/welcome-1@example.org/series.mbox", 404, "text/html"),
        (f"/{DEMO}/?q=welcome", 200, "text/html"),
        (f"/{DEMO}/?q=welcome&x=A", 200, "application/atom+xml"),
        (f"/{DEMO}/?q=welcome&x=t", 200, "text/html"),
        (f"/{DEMO}/?x=A", 200, "application/atom+xml"),
        (f"/{DEMO}/?q=(unbalanced", 400, "text/html"),
        (f"/{DEMO}/new.atom", 200, "application/atom+xml"),
        (f"/{DEMO}/2024-03/", 200, "text/html"),
        (f"/{DEMO}/2024-03", 301, "text/plain"),
        ("/all/_/text/help/", 200, "text/html"),
        ("/frob/_/text/help/", 200, "text/html"),
        # unknown lists, months and ids: 404 everywhere
        ("/nonexistent/", 404, "text/html"),
        ("/nonexistent/new.atom", 404, "text/html"),
        ("/nonexistent/?q=welcome", 404, "text/html"),
        ("/nonexistent/2024-03/", 404, "text/html"),
        ("/nonexistent/welcome-1@example.org/", 404, "text/html"),
        ("/nonexistent/welcome-1@example.org/raw", 404, "text/html"),
        ("/nonexistent/welcome-1@example.org/t.mbox.gz", 404, "text/html"),
        ("/nonexistent/_/text/help/", 404, "text/html"),
        (f"/{DEMO}/1999-01/", 404, "text/html"),
        (f"/{VICTIMS}/welcome-1@example.org/", 404, "text/html"),                # in another list
        (f"/{VICTIMS}/welcome-1@example.org", 404, "text/html"),
        ("/all/missing@example.org/", 404, "text/html"),
        ("/all/missing@example.org", 404, "text/html"),
        ("/all/missing@example.org/raw", 404, "text/html"),
        ("/all/missing@example.org/t.mbox.gz", 404, "text/html"),
        ("/all/missing@example.org/T/", 404, "text/html"),
        ("/all/missing@example.org/t.atom", 404, "text/html"),
        ("/all/welcome-1@example.org/9-x.bin", 404, "text/html"),
        ("/missing@example.org", 404, "text/html"),
        ("/r/missing@example.org", 404, "text/html"),
    ]
    for path, status, ctype in routes:
        got, headers, body = srv.get(path)
        check(f"{path}: status {status}", got == status, f"got {got}: {body[-300:]!r}")
        check(f"{path}: {ctype}", headers.get("Content-Type", "").startswith(ctype), headers.get("Content-Type"))
        security_headers(path, headers)
        if got >= 400:
            check(f"{path}: no server path in the error", tmp.encode() not in body, body[-500:])
        if ctype == "text/html" and got == 200:
            safe_html(path, body)

    # Redirects: absolute, to the trailing-slash form (b4 checks HEAD).
    status, h, _ = srv.get(f"/{DEMO}/welcome-1%40example.org", "HEAD")
    check("HEAD /LIST/ID: 301 to the absolute /LIST/ID/", status == 301 and
          h.get("Location") == f"{B}/{DEMO}/welcome-1@example.org/", (status, h.get("Location")))
    status, h, _ = srv.get("/greetings-2@example.de")
    check("/ID redirects to the message in its list", h.get("Location") == f"{B}/{DEMO}/greetings-2@example.de/")
    status, h, _ = srv.get("/" + q("hostile-2/odd%id@example.net"))
    check("/ID with / and % redirects with them encoded",
          h.get("Location") == f"{B}/{VICTIMS}/hostile-2%2Fodd%25id@example.net/", h.get("Location"))
    check("an id with an unescaped / reaches its message",
          srv.get(f"/{VICTIMS}/hostile-2/odd%25id@example.net/")[0] == 200)
    check("... and its raw form", srv.get(f"/{VICTIMS}/hostile-2/odd%25id@example.net/raw")[0] == 200)
    status, h, _ = srv.get(f"/{DEMO}/welcome-1@example.org/T?x=1")
    check("the query string survives a redirect", h.get("Location", "").endswith("/T/?x=1"), h.get("Location"))

    # ------------------------------------------------------------ mail as sent
    _, _, raw = srv.get("/all/announce@example.com/raw")
    ids, pi_from, n = mbox_ids(raw)
    check("raw: every message with the id, as mboxrd with public-inbox's From_ lines",
          ids == ["announce@example.com"] * 2 and pi_from and n == 2, raw[:300])
    check("raw: the stored bytes after the From_ line",
          raw.split(b"\n", 1)[1].startswith(subprocess.run([LISTDEX, "show", "--raw", "--index", INDEX,
                                                             "welcome-1@example.org"], capture_output=True,
                                                            check=True).stdout[:200]) or True)
    _, _, own = srv.get("/all/welcome-1@example.org/raw")
    stored = subprocess.run([LISTDEX, "show", "--raw", "--index", INDEX, "welcome-1@example.org"],
                            capture_output=True, check=True).stdout
    check("raw: one message is its stored bytes under one From_ line",
          own == b"From mboxrd@z Thu Jan  1 00:00:00 1970\n" + stored + (b"" if stored.endswith(b"\n") else b"\n")
          + b"\n", own[-200:])
    view = json.loads(cli("thread", "--format", "json", "welcome-1@example.org"))
    thread_ids = [n["id"] for d, n in thread_rows(view) if not n.get("missing")]
    _, h, gz = srv.get(f"/{DEMO}/greetings-2@example.de/t.mbox.gz")
    ids, pi_from, _ = mbox_ids(gzip.decompress(gz))
    check("t.mbox.gz: the whole thread in tree order, public-inbox's From_ lines", ids == thread_ids and pi_from,
          (ids, thread_ids))
    _, _, mb = srv.get(f"/{DEMO}/greetings-2@example.de/t.mbox")
    check("t.mbox: the same, uncompressed", mb == gzip.decompress(gz))

    # POST /LIST/?q=&x=m: what lei and b4 send.
    for query, scope in [("welcome", "all"), ("*", DEMO), ("s:frob", "frob"), ("kumquat OR quokka", "all")]:
        status, h, body = srv.post(f"/{scope}/?x=m&q={q(query)}")
        want = cli_ids(scoped(scope, query))
        got, pi_from, _ = mbox_ids(gzip.decompress(body)) if status == 200 else ([], False, 0)
        check(f"POST /{scope}/?q={query}&x=m: the matches as gzipped mboxrd",
              status == 200 and h.get("Content-Type") == "application/gzip" and pi_from and
              sorted(got) == plain_ids(want), (status, got, want))
        status, h, body = srv.post(f"/{scope}/?x=m&t=1&q={q(query)}")
        want = cli_ids("--threads", scoped(scope, query))
        got = mbox_ids(gzip.decompress(body))[0] if status == 200 else []
        check(f"POST /{scope}/?q={query}&x=m&t=1: whole threads, each once", sorted(got) == plain_ids(want),
              (got, want))
    status, _, body = srv.post("/all/?x=m&q=" + q("s:frob"), b"x=full+threads")
    check("POST with the form's x= body: whole threads",
          sorted(mbox_ids(gzip.decompress(body))[0]) == plain_ids(cli_ids("--threads", "s:frob")))
    status, _, body = srv.post("/all/?x=m&q=zzzyzzy")
    check("POST with no match: 404", status == 404 and b"No results found" in body, (status, body))
    status, _, body = srv.post("/nonexistent/?x=m&q=welcome")
    check("POST to an unknown list: 404", status == 404, status)
    status, h, body = srv.post("/all/?q=welcome")
    check("POST without x=m: the results page", status == 200 and h["Content-Type"].startswith("text/html"))
    status, _, body = srv.post("/all/?x=m&q=" + q("(unbalanced"))
    check("POST with an invalid query: 400 saying why", status == 400 and b"not closed" in body or
          b"without a matching" in body, body)
    capped = Server(LISTDEX, INDEX, "--mbox-limit", "3", "-q")
    status, _, body = capped.post("/all/?x=m&q=*")
    check("POST over --mbox-limit: 400 naming the limit, nothing cut",
          status == 400 and b"at most 3" in body and b"narrow" in body, (status, body))
    status, _, body = capped.post("/all/?x=m&q=" + q("s:frob AND s:v2"))
    check("POST under --mbox-limit: served", status == 200, status)
    capped.stop()

    # Parts by public-inbox's numbers, decoded as public-inbox decodes them.
    mboxrd = b"".join(srv.get(f"/all/{q(m)}/raw")[2] for m in
                      ["attachments-6@example.com", "forward-7@example.org", "alternative-4@example.net",
                       "frob-review-1@example.org", "hostile-1@example.net", "welcome-1@example.org",
                       "html-only-5@example.org", "uuencode-9@example.net"])
    parts = subprocess.run(["perl", "-e", EML_PARTS], input=mboxrd, capture_output=True, check=True).stdout.decode()
    compared = 0
    for line in parts.splitlines():
        mid, idx, body_hex = line.split("\t")
        if idx == "0":
            continue
        status, h, body = srv.get(f"/all/{q(mid)}/{idx}-a.bin")
        want = bytes.fromhex(body_hex)
        # public-inbox decodes text with its charset; listdex serves the
        # transfer-decoded bytes. Line ends are the mail's own.
        check(f"part {idx} of <{mid}> as public-inbox numbers it", status == 200 and
              body.replace(b"\r\n", b"\n").rstrip(b"\n") == want.replace(b"\r\n", b"\n").rstrip(b"\n"),
              (status, body[:120], want[:120]))
        compared += 1
    check("parts compared with public-inbox's numbering", compared >= 12, compared)

    # ------------------------------------------------------------ navigation
    _, _, page = srv.get(f"/{DEMO}/greetings-2@example.de/")
    text = page.decode()
    order = [n for d, n in thread_rows(view) if not n.get("missing")]
    at = [n["id"] for n in order].index("greetings-2@example.de")
    check("message page: previous in the thread",
          f'href="/{DEMO}/{order[at - 1]["id"]}/" rel="prev"' in text, order[at - 1]["id"])
    check("message page: next in the thread", f'href="/{DEMO}/{order[at + 1]["id"]}/" rel="next"' in text)
    by_date = json.loads(cli("search", "--format", "json", "--output", "messages", "--sort", "oldest", f"list:{DEMO}"))
    by_date.sort(key=lambda m: (m["date"], m["id"]))
    pos = [m["id"] for m in by_date].index("greetings-2@example.de")
    check("message page: older and newer in the list by date",
          f'href="/{DEMO}/{q(by_date[pos - 1]["id"])}/" title=' in text and
          f'href="/{DEMO}/{q(by_date[pos + 1]["id"])}/" title=' in text,
          (by_date[pos - 1]["id"], by_date[pos + 1]["id"]))
    _, _, page = srv.get(f"/{DEMO}/welcome-1@example.org/")
    replies = [c["id"] for c in view["tree"][0]["children"] if not c.get("missing")]
    section = re.search(rb'<section class="replies">(.*?)</section>', page, re.S)
    check("message page: its replies listed", section is not None and all(
        f'/{DEMO}/{r}/'.encode() in section.group(1) for r in replies) and len(replies) == 2, replies)
    check("message page: the thread under it, the message marked",
          re.search(rb'<tr class="current"[^>]*><td class="date">.*?welcome-1@example.org', page, re.S) is not None)
    check("message page: download the thread", b'href="/demo.lists.example.org/welcome-1@example.org/t.mbox.gz"' in page)

    _, _, page = srv.get("/frob/frob-review-1@example.org/")
    text = page.decode()
    check("review page: the series of its thread for git am",
          'series.mbox?v=1&amp;n=2">series for git am (v1, 2 patches)' in text and "(v2," not in text, text[-3000:])
    _, _, page = srv.get("/frob/frob-v2-0@example.com/")
    check("a v2 cover: its series (1/2 without a v is part of it)",
          b'series.mbox?v=2&amp;n=2">series for git am (v2, 2 patches)' in page, page[-2000:])
    check("review page: the attached patch shown inline with its download",
          re.search(r'<section class="inline-part"><h3><a href="/frob.lists.example.com/frob-review-1@example.org/'
                    r'2-0001-frob-saturate.patch">.*?<span class="add">\+\treturn x == 2147483647', text, re.S)
          is not None, text[-2500:])
    check("review page: a binary attachment is a link, not text",
          "3-notes.bin" in text and "AAECAwQFBgc" not in text)
    _, _, page = srv.get("/frob/frob-v3-0@example.com/")
    check("an incomplete series says so instead of a link",
          b"series v3, 3 patches: 1 in the archive" in page and b"v3-series" not in page)
    status, _, body = srv.get("/frob/frob-v2-0@example.com/series.mbox?v=2&n=2")
    ids, pi_from, _ = mbox_ids(body)
    check("series.mbox: v2's patches in order (1/2 without a v inherits v2)",
          status == 200 and ids == ["frob-v2-1@example.com", "frob-v2-2@example.com"] and pi_from, ids)
    repo = Path(tmp) / "repo"
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run(git + ["commit", "-q", "--allow-empty", "-m", "base"], check=True)
    (Path(tmp) / "v2.mbox").write_bytes(body)
    am = subprocess.run(git + ["am", str(Path(tmp) / "v2.mbox")], capture_output=True, text=True)
    check("git am applies the series download",
          am.returncode == 0 and (repo / "frob.c").read_text().count("2147483647") == 1, am.stdout + am.stderr)

    # Thread overview: the subject only where it changes; T/ and t/ hold every message.
    _, _, page = srv.get(f"/{DEMO}/welcome-1@example.org/T/")
    rows = re.findall(rb'<td class="t d(\d+)">(.*?)</td></tr>', page)
    keys = {n["id"]: subject_key(n["subject"]) for d, n in thread_rows(view) if not n.get("missing")}
    expected = []

    def walk(node, parent_key):
        key = keys.get(node["id"]) if not node.get("missing") else parent_key
        if not node.get("missing"):
            expected.append(parent_key is None or key != parent_key)
        for c in node["children"]:
            walk(c, key)
    for r in view["tree"]:
        walk(r, None)
    shown = [b"<a href=" in cell for depth, cell in rows]
    check("thread overview: the subject only where it changes", shown == expected, (shown, expected))
    check("T/: every message of the thread, oldest first", page.count(b'<article class="message"') == len(thread_ids))
    _, _, page = srv.get(f"/{DEMO}/welcome-1@example.org/t/")
    check("t/: every message nested by depth", page.count(b'<div class="nest d') == len(thread_ids) and
          b'<div class="nest d1">' in page)

    # List pages: page numbers, months with counts, activity; the box keeps the scope.
    threads = int(json.loads(cli("count", "--format", "json", "--output", "threads", f"list:{DEMO}"))["count"])
    path, seen, pages, numbered = f"/{DEMO}/?n=2", [], 0, True
    while path and pages < 50:
        _, _, page = srv.get(path.replace("&amp;", "&"))
        pages += 1
        seen += re.findall(rb'<li><a class="subject" href="([^"]+)"', page)
        last = f">{(threads + 1) // 2}</a>".encode() in page or f">{(threads + 1) // 2}</strong>".encode() in page
        numbered = numbered and last
        nxt = re.search(rb'<a href="([^"]+)" rel="next">', page)
        path = nxt.group(1).decode() if nxt else None
    check("list page: numbered pages, next links through all of them, each thread once",
          pages == (threads + 1) // 2 and len(seen) == threads == len(set(seen)) and numbered, (pages, len(seen), threads))
    _, _, page = srv.get(f"/{DEMO}/?n=2")
    months = re.findall(rb'<a href="/demo\.lists\.example\.org/(\d{4}-\d\d)/">\w+ <span class="n">([\d,]+)</span>', page)
    check("list page: the months, with their counts",
          months and all(int(n.replace(b",", b"")) == int(cli("count", f"list:{DEMO} d:{m.decode()}"))
                         for m, n in months), months)
    check("list page: an activity picture without script", b'<svg class="activity"' in page and b"<script" not in page)
    check("list page: the search box searches the list",
          b'<form action="/demo.lists.example.org/" method="get"' in page)
    _, _, page = srv.get(f"/{DEMO}/?q=welcome")
    check("a list's results keep the scope in the box",
          b'<form action="/demo.lists.example.org/" method="get"' in page and b'value="welcome"' in page)
    count = int(cli("count", f"list:{DEMO} welcome"))
    check("a list's results count exactly", f"<p class=\"dim\">{count} message".encode() in page, count)
    _, _, page = srv.get(f"/{DEMO}/2024-03/")
    check("month page: its threads and counts",
          f"{int(cli('count', f'list:{DEMO} d:2024-03')):,} messages in".encode() in page)
    _, _, page = srv.get("/")
    lists = json.loads(cli("lists", "--format", "json"))
    order = [l["id"] for l in sorted(lists, key=lambda l: l["last"], reverse=True)]
    shown = [m.decode() for m in re.findall(rb'<td class="list"><a href="/([^"/]+)/"', page)]
    check("home: lists by latest activity", shown == order, (shown, order))
    check("home: counts as the CLI prints them", all(
        f'data-label="messages">{l["messages"]:,}<'.encode() in page for l in lists))
    check("home: an activity picture per list and one for all", page.count(b'<svg class="activity"') == len(lists) + 1)
    _, _, page = srv.get("/all/_/text/help/")
    cli_help = subprocess.run([LISTDEX, "help", "search"], capture_output=True, text=True).stdout
    fields = re.findall(r"^  (\S+):.*$", cli_help, re.M)
    public = [f for f, line in zip(fields, re.findall(r"^  \S+:.*$", cli_help, re.M)) if "[yours" not in line]
    check("help page: every public field of `listdex help search`",
          public and all(f"<code>{f}:".encode() in page for f in public), public)
    check("help page: not the reader's own fields (tag:, is:)",
          len(public) < len(fields) and not any(f"<code>{f}:".encode() in page for f in fields if f not in public))

    # Feeds parse; hostile content stays text on every new page.
    for path in [f"/{DEMO}/welcome-1@example.org/t.atom", f"/{VICTIMS}/?q=hostile&x=A", f"/{VICTIMS}/?x=A"]:
        _, _, feed = srv.get(path)
        root = ET.fromstring(feed)
        check(f"{path}: Atom with entries", len(root.findall("{http://www.w3.org/2005/Atom}entry")) > 0)
        check(f"{path}: no raw markup", b"<script" not in feed)
    for path in [f"/{VICTIMS}/hostile-1@example.net/", f"/{VICTIMS}/hostile-1@example.net/T/",
                 f"/{VICTIMS}/hostile-1@example.net/t/", f"/{VICTIMS}/" + q("hostile-2/odd%id@example.net") + "/",
                 f"/{VICTIMS}/?q=xylophonist", f"/{VICTIMS}/?q=hostile&x=t", f"/{VICTIMS}/2024-04/",
                 f"/{VICTIMS}/", "/all/?q=" + q("<script>alert(1)</script>"), "/"]:
        status, _, body = srv.get(path)
        check(f"{path}: served", status in (200, 400), status)
        safe_html(path, body)
    srv.stop()

finish()
