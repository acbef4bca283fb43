#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The listdex authors
"""listdex's search against public-inbox 1.9's own, on the same real messages.

Takes the first COMMITS commits of linux-man's real lore epoch
(../shared/corpora/linux-man.git.bundle), indexes them with public-inbox's
own indexer (public-inbox-index -L full) and imports the same epoch into
listdex. Then:
  - every query below must match the same Message-IDs in both (public-inbox
    queried through PublicInbox::Search, as its WWW and lei do);
  - the patch ids (XDFID, computed by public-inbox with the real
    `git patch-id --stable`) and the pre-/post-image blob ids of both indexes
    must be the same sets;
  - patchid:/dfpre:/dfpost: queries for a sample of those ids agree too;
  - phrases of common words, which listdex asks as common grams (terms its
    import derives from word positions, docs/schema.md `XG`): the most
    frequent pairs and triples of kCommonWords in the messages themselves,
    and rarer phrases beside them, must match as many messages as Xapian's
    own phrase matching over listdex's word positions (xapian-quest on the
    same shards, with the same default fields), and a few also the same
    Message-IDs as public-inbox (the queries marked so in QUERIES).
Every difference is printed and fails. Where the two tools differ by design
the query is left out; docs/query.md says which and why.

usage: search_vs_public_inbox.py LISTDEX BUNDLE
Exits 77 (skipped) when the bundle or public-inbox is absent."""

import os
import re
import shutil
import subprocess
import sys
import tempfile

COMMITS = 3000

QUERIES = [
    # words, phrases, wildcards over words as written
    "mmap", "patch", "statx", '"undefined behavior"', '"system call"', "sigaction*", "signature*",
    "s:documentation*", 's:"PATCH v2"', "s:mmap", "s:patches",
    # addresses
    "f:mtk.manpages", "a:linux-man", "tc:mtk.manpages", "t:mtk.manpages", "c:linux-api",
    # body, quoted, unquoted
    "b:mmap", "bs:mmap", "q:mmap", 'q:"undefined behavior"', 'nq:"undefined behavior"', "nq:errno",
    # attachments
    "n:signature.asc",
    # diffs
    "dfn:Makefile", 'dfn:"man2/open.2"', "dfn:man2", "dfa:strcpy", "dfb:EINVAL", 'dfb:"return value"',
    "dfhh:main", "dfctx:return", "dfa:EINVAL dfb:EINVAL",
    # dates (Date header; public-inbox reads these ends like listdex does)
    "d:20200101..20200301", "d:2020-01-01..2020-02-01", "dt:20200101000000..20200201000000",
    "rt:2020-01-15..", "d:last.week..",
    # lists and operators
    "l:linux-man.vger.kernel.org", "mmap OR madvise", "mmap AND NOT madvise", "(mmap OR madvise) f:mtk.manpages",
    # phrases of common words (common grams in listdex)
    '"the patch"', '"this patch"', '"signed off by"', 'q:"the patch"', 'nq:"it is"', 's:"of the"',
    'dfb:"if the"', '"this is a"', '"the patch" d:20200101..20200301',
]
# The default fields of an unprefixed word (schema::kDefaultPrefixes), and
# q:, for xapian-quest.
DEFAULT_PREFIXES = ["", "XQUOT", "S", "A", "XATT", "XDFN", "XDFA", "XDFB", "XDFHH", "XDFCTX"]
FIELD_PREFIXES = {"": DEFAULT_PREFIXES, "q:": ["XQUOT"], "s:": ["S"]}
PHRASES = 60  # most frequent pairs of common words checked, and as many triples
WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


PI_QUERY = r"""
use strict; use warnings;
use PublicInbox::Config;
my ($name, @queries) = @ARGV;
my $ibx = PublicInbox::Config->new->lookup_name($name) or die "no inbox $name\n";
my $srch = $ibx->isrch or die "no search\n";
for my $q (@queries) {
    my $qs = $q;
    $srch->query_approxidate($ibx->git, $qs);
    my $mset = $srch->mset($qs, { limit => 1000000, relevance => -1 });
    my %mids;
    $mids{$_->{mid}} = 1 for @{$srch->mset_to_smsg($ibx, $mset)};
    print "Q\t$q\n", map { "$_\n" } sort keys %mids;
}
"""


def public_inbox_ids(env, queries):
    out = run(["perl", "-e", PI_QUERY, "lm"] + queries, env=env).stdout
    result, current = {}, None
    for line in out.splitlines():
        if line.startswith("Q\t"):
            current = line[2:]
            result[current] = set()
        else:
            result[current].add(line)
    return result


def listdex_ids(listdex, index, query):
    out = run([listdex, "search", "--index", index, "--output", "ids", query]).stdout.split()
    return {line[3:].split("#")[0] for line in out}


def terms(dbs, prefix):
    found = set()
    for db in dbs:
        for t in run(["xapian-delve", "-1", "-a", db]).stdout.split():
            if t.startswith(prefix):
                found.add(t)
    return found


def common_words():
    """kCommonWords, read from the one place that declares it."""
    header = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "include", "listdex", "index",
                          "Schema.hpp")
    text = open(header).read()
    start = text.index("kCommonWords[] = {")
    return set(re.findall(r'"([^"]+)"', text[start:text.index("};", start)]))


def sample_phrases(epoch, commits, common):
    """The most frequent runs of two and three common words in the messages'
    own lines, and as many pairs with one rare word, from every 10th commit."""
    pairs, triples, rare = {}, {}, {}
    for commit in commits[::10]:
        text = run(["git", "-C", epoch, "show", f"{commit}:m"], errors="replace").stdout
        for line in text.lower().split("\n"):
            words = WORD.findall(line)
            for i in range(len(words) - 1):
                a, b = words[i], words[i + 1]
                if a in common and b in common:
                    pairs[(a, b)] = pairs.get((a, b), 0) + 1
                    if i + 2 < len(words) and words[i + 2] in common:
                        t = (a, b, words[i + 2])
                        triples[t] = triples.get(t, 0) + 1
                elif (a in common) != (b in common) and len(a) > 2 and len(b) > 2:
                    rare[(a, b)] = rare.get((a, b), 0) + 1
    top = lambda d: [" ".join(k) for k, _ in sorted(d.items(), key=lambda kv: (-kv[1], kv[0]))[:PHRASES]]
    return top(pairs) + top(triples) + top(rare)[: PHRASES // 3]


def quest_count(dbs, prefixes, query):
    args = ["quest", "-m", "0", "-c", "100000000"] + [f"--prefix=:{p}" for p in prefixes]
    for db in dbs:
        args += ["-d", db]
    out = run(args + [query]).stdout
    m = re.search(r"^Exactly (\d+) matches", out, re.M)
    if not m:
        raise RuntimeError(f"quest gave no exact count for {query}: {out[:300]}")
    return int(m.group(1))


def main():
    listdex, bundle = sys.argv[1], sys.argv[2]
    if not os.path.exists(bundle):
        print(f"SKIP: {bundle} not found (needs ../shared/corpora beside the project)")
        return 77
    for tool in ("public-inbox-index", "xapian-delve", "quest", "git"):
        if not shutil.which(tool):
            print(f"SKIP: {tool} is not installed (scripts/install-deps.sh --test installs it)")
            return 77
    failed = passed = 0
    with tempfile.TemporaryDirectory() as tmp:
        inbox = os.path.join(tmp, "inbox")
        epoch = os.path.join(inbox, "git", "0.git")
        run(["git", "clone", "-q", "--bare", bundle, epoch])
        commit = run(["git", "-C", epoch, "rev-list", "--reverse", "HEAD"]).stdout.split()[COMMITS - 1]
        run(["git", "-C", epoch, "update-ref", "refs/heads/master", commit])
        open(os.path.join(inbox, "inbox.lock"), "w").close()  # marks a v2 inbox for public-inbox
        home = os.path.join(tmp, "home")
        os.makedirs(os.path.join(home, ".public-inbox"))
        config = os.path.join(home, ".public-inbox", "config")
        with open(config, "w") as f:
            f.write(f'[publicinbox "lm"]\n\tinboxdir = {inbox}\n\taddress = linux-man@vger.kernel.org\n'
                    f"\turl = http://example.invalid/lm\n\tindexlevel = full\n")
        env = dict(os.environ, HOME=home, PI_CONFIG=config, TZ="UTC")
        run(["public-inbox-index", "-L", "full", inbox], env=env)
        index = os.path.join(tmp, "index")
        run([listdex, "import", "-q", "--index", index, inbox])

        theirs = public_inbox_ids(env, QUERIES)
        for q in QUERIES:
            ours, pi = listdex_ids(listdex, index, q), theirs[q]
            if ours == pi:
                passed += 1
                print(f"same   {len(ours):5}  {q}")
                continue
            failed += 1
            print(f"DIFFER {q}: listdex {len(ours)}, public-inbox {len(pi)}; only listdex {sorted(ours - pi)[:3]}, "
                  f"only public-inbox {sorted(pi - ours)[:3]}")

        pi_dbs = [os.path.join(inbox, "xap15", d) for d in os.listdir(os.path.join(inbox, "xap15"))
                  if d.isdigit()]
        shards = os.path.join(index, "shards")
        our_dbs = [os.path.join(shards, d) for d in os.listdir(shards) if re.fullmatch(r"\d+\.g\d+", d)]
        samples = []
        for prefix, field in (("XDFID", "patchid"), ("XDFPRE", "dfpre"), ("XDFPOST", "dfpost")):
            a, b = terms(pi_dbs, prefix), terms(our_dbs, prefix)
            if a == b and a:
                passed += 1
                print(f"same   {len(a):5}  {prefix} terms")
            else:
                failed += 1
                print(f"DIFFER {prefix} terms: public-inbox {len(a)}, listdex {len(b)}; only public-inbox "
                      f"{sorted(a - b)[:3]}, only listdex {sorted(b - a)[:3]}")
            samples += [f"{field}:{t[len(prefix):]}" for t in sorted(a)[:: max(1, len(a) // 20)]]
        theirs = public_inbox_ids(env, samples)
        same = sum(listdex_ids(listdex, index, q) == theirs[q] for q in samples)
        print(f"{same}/{len(samples)} patchid:/dfpre:/dfpost: queries match the same messages")
        passed += same
        failed += len(samples) - same

        commits = run(["git", "-C", epoch, "rev-list", "--reverse", "HEAD"]).stdout.split()
        phrases = sample_phrases(epoch, commits, common_words())
        agree = matched = 0
        for phrase in phrases:
            for field in ("", "q:", "s:") if phrase in phrases[:10] else ("",):
                q = f'{field}"{phrase}"'
                ours = int(run([listdex, "count", "--index", index, q]).stdout)
                reference = quest_count(our_dbs, FIELD_PREFIXES[field], f'"{phrase}"')
                matched += ours > 0
                if ours == reference:
                    agree += 1
                else:
                    failed += 1
                    print(f"DIFFER {q}: listdex {ours}, Xapian's phrase {reference}")
        print(f"{agree} phrases ({matched} matching something) count what Xapian's phrase matching counts")
        passed += agree
        if matched < len(phrases) // 2:
            failed += 1
            print(f"FAIL: only {matched} of {len(phrases)} sampled phrases matched anything")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
