#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The listdex authors
"""MHonArc web archives, made by the real tool from the real corpora.

Imports both corpora whole (mbox), then turns the first SLICE messages of
each into an MHonArc archive with Debian's `mhonarc` (linux-man as it comes,
usrp-users with -spammode, which hides addresses as lists.gnu.org and
lists.debian.org do) and imports the folders of pages. Every rebuilt message
is compared with the original it was made from (same Message-ID): sender
name and address, subject, date, threading, body words, attachment names,
To/Cc; the agreement of each is printed and must reach its bound. What
cannot come back (addresses MHonArc hid, attachment bytes stored beside the
pages, the line breaks of HTML bodies) is counted, not compared.

The Date of every message of both corpora is also compared with Python's
email.utils (an independent reader of RFC 5322 dates).

usage: mhonarc_archive.py LISTDEX CORPORA_DIR
Exits 77 (skipped) without the corpora or mhonarc."""
import datetime
import email.utils
import json
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from corpus import first_messages  # noqa: E402

LISTDEX, CORPORA = sys.argv[1], Path(sys.argv[2])
SLICE = 2500
failures = []
checks = 0


def check(name, ok, detail=""):
    global checks
    checks += 1
    print(("ok   " if ok else "FAIL ") + name + ("" if ok else f": {str(detail)[:2000]}"), flush=True)
    if not ok:
        failures.append(name)


corpora = [CORPORA / "linux-man.mbox.xz", CORPORA / "usrp-users.mbox.xz"]
if not all(c.exists() for c in corpora):
    print(f"SKIP: corpora not found in {CORPORA}")
    sys.exit(77)
if not shutil.which("mhonarc"):
    print("SKIP: mhonarc is not installed (scripts/install-deps.sh --test installs it)")
    sys.exit(77)


def run(*args, **kw):
    return subprocess.run([LISTDEX, *args], capture_output=True, text=True, **kw)


class Api:
    """`listdex serve` over an index, for the JSON of many messages."""

    def __init__(self, index):
        self.proc = subprocess.Popen([LISTDEX, "serve", "-q", "--index", index, "--listen", "127.0.0.1:0"],
                                     stdout=subprocess.PIPE, text=True)
        self.base = re.search(r"at (http://[\d.:]+)/", self.proc.stdout.readline()).group(1)

    def message(self, key):
        with urllib.request.urlopen(f"{self.base}/api/message/{urllib.parse.quote(key, safe='@')}", timeout=30) as r:
            data = json.loads(r.read())
        return data if isinstance(data, dict) else data[0]

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=15)


def all_messages(index):
    """Every message of an index: {message_id: search hit}, keys of shared ids collapsed."""
    hits = json.loads(run("search", "--index", index, "--format", "json", "--output", "messages", "*").stdout)
    out = {}
    for h in hits:
        out.setdefault(h["message_id"], h)
    return out


WORD = re.compile(r"[A-Za-z0-9_]{3,}")


def words(text):
    return set(w.lower() for w in WORD.findall(text or ""))


def hidden(address):
    domain = address.rsplit("@", 1)[-1].lower()
    return domain == "domain.hidden" or (domain and set(domain) <= set("x."))


with tempfile.TemporaryDirectory() as tmp:
    tmp = Path(tmp)
    # 1. Both corpora, whole, as mbox; and every Date against Python's email.utils.
    originals = str(tmp / "originals")
    for c in corpora:
        r = run("import", "-q", "--index", originals, str(c))
        check(f"{c.name} imports", r.returncode == 0, r.stderr)
    orig = all_messages(originals)
    # A Message-ID the corpus holds twice may carry two dates: any of them.
    o_dates = {}
    for hit in json.loads(run("search", "--index", originals, "--format", "json", "--output", "messages",
                              "*").stdout):
        o_dates.setdefault(hit["message_id"], set()).add(hit["date"])
    dates_total = dates_same = 0
    differ = []
    for c in corpora:
        _, msgs = first_messages(c, 10 ** 6)
        for raw in msgs:
            head = raw.split(b"\n\n", 1)[0].decode("utf-8", "replace")
            mid = re.search(r"(?im)^message-id:\s*<?([^>\s]+)>?", head)
            date = re.search(r"(?im)^date:[ \t]*(.*(?:\n[ \t].*)*)", head)
            if not mid or not date or mid.group(1) not in orig:
                continue
            try:
                ref = email.utils.parsedate_to_datetime(" ".join(date.group(1).split()))
                if ref.tzinfo is None:  # no zone: both read UTC
                    ref = ref.replace(tzinfo=datetime.timezone.utc)
            except (TypeError, ValueError, IndexError):
                continue  # Python cannot read it: nothing to compare with
            dates_total += 1
            mine = o_dates[mid.group(1)]
            if ref.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ") in mine:
                dates_same += 1
            else:
                differ.append((mid.group(1), date.group(1).strip(), sorted(mine)))
    print(f"     Dates read as Python's email.utils reads them: {dates_same} of {dates_total}")
    for d in differ[:10]:
        print(f"     differs: {d}")
    check("every Date Python reads is read the same", dates_same == dates_total and dates_total > 25000, differ[:5])

    # 2. MHonArc archives of the first SLICE messages of each corpus.
    pages = tmp / "pages"
    slices = []
    for c, spam in zip(corpora, (False, True)):
        mbox, msgs = first_messages(c, SLICE)
        (tmp / f"{c.stem}.mbox").write_bytes(mbox)
        out = pages / c.name.split(".")[0]
        out.mkdir(parents=True)
        subprocess.run(["mhonarc", "-outdir", str(out), "-quiet"] + (["-spammode"] if spam else []) +
                       [str(tmp / f"{c.stem}.mbox")], capture_output=True, check=True)
        slices.append((c, spam, msgs))
    rebuilt_index = str(tmp / "rebuilt")
    r = run("import", "--index", rebuilt_index, "--format", "json", str(pages))
    report = json.loads(r.stdout)
    page_count = len(list(pages.glob("*/msg*.html")))
    check("every message page imported, rebuilt from HTML",
          report["imported"] == page_count and report["from_html"] == page_count, (report["imported"], page_count))
    check("index pages and saved attachments skipped, each with a reason",
          all(re.search(r"(an MHonArc index page|binary data|not mail)", s) for s in report["skipped_files"]) and
          any("maillist.html: an MHonArc index page" in s for s in report["skipped_files"]), report["skipped_files"][:5])

    rebuilt = all_messages(rebuilt_index)
    wanted = {}
    for c, spam, msgs in slices:
        for raw in msgs:
            m = re.search(rb"(?im)^message-id:\s*<?([^>\s]+)>?", raw.split(b"\n\n", 1)[0])
            if m:
                wanted[m.group(1).decode("utf-8", "replace")] = spam
    present = [mid for mid in wanted if mid in rebuilt]
    check(f"every Message-ID comes back ({len(present)} of {len(wanted)})", len(present) == len(wanted),
          sorted(set(wanted) - set(rebuilt))[:5])

    o_api, r_api = Api(originals), Api(rebuilt_index)
    try:
        def pair(mid):
            return mid, o_api.message(orig[mid]["id"]), r_api.message(rebuilt[mid]["id"])
        with ThreadPoolExecutor(8) as pool:
            pairs = list(pool.map(pair, present))
    finally:
        o_api.stop()
        r_api.stop()

    # Threads: the same messages share a thread in both (placeholders aside).
    def threads(hits, ids):
        by = {}
        for mid in ids:
            by.setdefault(hits[mid]["thread"], set()).add(mid)
        return {mid: frozenset(by[hits[mid]["thread"]]) for mid in ids}
    o_threads, r_threads = threads(orig, present), threads(rebuilt, present)

    def unparenthesised(entries):
        """Addresses with (...) and quotes taken out of their names. MHonArc
        shows names decoded, so an encoded word that decodes to quotes reads
        as a quoted string, and a comment of the original (dropped by the
        parser) as part of the name: what the page shows cannot tell them
        apart."""
        return sorted(" ".join(re.sub(r"\([^)]*\)|\"", " ", x).split()).replace(" <", "<") for x in entries)

    def names_only(entries):
        """The display names of the entries that had one (a hidden address's
        name is all -spammode leaves), quotes taken off."""
        out = []
        for x in entries:
            name = x.rsplit(" <", 1)[0] if x.endswith(">") and " <" in x else (x if "@" not in x else "")
            name = name.strip().strip('"')
            if name and "@" not in name:
                out.append(name)
        return sorted(out)

    def split_parts(attachments):
        images = sum(1 for a in attachments if a["mime_type"].startswith("image/"))
        return images, sorted(a["filename"] for a in attachments if not a["mime_type"].startswith("image/"))

    keys = ("subject", "sender", "date", "thread", "body", "attachments", "to_cc")
    stats = {k: 0 for k in keys}
    examples = {k: [] for k in keys}
    lost = {"hidden addresses": 0, "ambiguous names": 0, "image names": 0, "inline text attachments": 0,
            "attachments without bytes": 0}
    for mid, o, h in pairs:
        spam = wanted[mid]
        agree = {
            "subject": o["subject"] == h["subject"],
            "sender": o["from"] == h["from"],
            "date": h["date"] in o_dates[mid],
            "thread": o_threads[mid] == r_threads[mid],
        }
        # Attachments: names, except what MHonArc does not keep. An image it
        # shows inline keeps its place but not its name; a text attachment
        # it shows inline (<pre>) keeps its text in the body but not its name.
        o_att = sorted(a["filename"] for a in o["attachments"])
        h_att = sorted(a["filename"] for a in h["attachments"])
        agree["attachments"] = o_att == h_att
        if not agree["attachments"]:
            (o_img, o_named), (h_img, h_named) = split_parts(o["attachments"]), split_parts(h["attachments"])
            inline_text = [a for a in o["attachments"] if a["mime_type"].startswith("text/")
                           and a["filename"] not in h_named]
            kept = sorted(set(o_named) - {a["filename"] for a in inline_text})
            if o_named == h_named and h_img and o_img >= h_img:
                lost["image names"] += h_img
                agree["attachments"] = True
            elif inline_text and kept == sorted(set(h_named)) and o_img >= h_img:
                lost["inline text attachments"] += len(inline_text)
                agree["attachments"] = True
        lost["attachments without bytes"] += sum(1 for a in h["attachments"] if a["size"] == 0)

        # Body words: 90% of the original's come back and 90% of the rebuilt
        # body's were in it, unless MHonArc showed a text attachment inline
        # (its words then join the body).
        ow, hw = words(o["body"]), words(h["body"])
        shown_inline = any(a["mime_type"].startswith("text/") and a["filename"] not in h_att
                           for a in o["attachments"])
        agree["body"] = not ow or (len(ow & hw) >= 0.9 * len(ow) and
                                   (shown_inline or len(ow & hw) >= 0.9 * len(hw)))

        if spam:  # the archive hid the addresses: names only
            # ... and never a placeholder such as user@xxxxxxxxx as an address.
            agree["to_cc"] = names_only(o["to"] + o["cc"]) == names_only(h["to"] + h["cc"]) and \
                not any(hidden(x.rsplit("<", 1)[-1].strip(">")) for x in h["to"] + h["cc"])
            lost["hidden addresses"] += sum(1 for x in o["to"] + o["cc"] if "@" in x)
        else:
            agree["to_cc"] = sorted(o["to"] + o["cc"]) == sorted(h["to"] + h["cc"])
            if not agree["to_cc"] and unparenthesised(o["to"] + o["cc"]) == unparenthesised(h["to"] + h["cc"]):
                lost["ambiguous names"] += 1
                agree["to_cc"] = True
        for k, ok in agree.items():
            stats[k] += ok
            if not ok and len(examples[k]) < 8:
                examples[k].append(mid)
    n = len(pairs)
    print(f"     rebuilt messages compared with their originals: {n}")
    bounds = {"subject": 0.999, "sender": 0.999, "date": 0.999, "thread": 0.999, "body": 0.99, "attachments": 0.999,
              "to_cc": 0.999}
    for k, bound in bounds.items():
        share = stats[k] / n if n else 0
        check(f"{k}: {stats[k]} of {n} the same ({share:.2%}, bound {bound:.1%})", share >= bound, examples[k])
        if examples[k]:
            print(f"     {k} differs in: {' '.join(examples[k])}")
    print("     cannot come back (counted as agreeing above): "
          f"{lost['hidden addresses']} To/Cc addresses hidden by -spammode (names kept); "
          f"{lost['ambiguous names']} messages whose To/Cc names hold quotes or comments MHonArc's decoding made "
          "ambiguous; "
          f"{lost['image names']} names of images shown inline; "
          f"{lost['inline text attachments']} names of text attachments shown inline (text kept in the body); "
          f"{lost['attachments without bytes']} attachments whose bytes are files beside the pages")

print(f"{checks - len(failures)}/{checks} checks passed")
sys.exit(1 if failures else 0)
