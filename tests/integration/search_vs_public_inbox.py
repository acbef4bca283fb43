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
  - patchid:/dfpre:/dfpost: queries for a sample of those ids agree too.
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
]


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


def main():
    listdex, bundle = sys.argv[1], sys.argv[2]
    if not os.path.exists(bundle):
        print(f"SKIP: {bundle} not found (needs ../shared/corpora beside the project)")
        return 77
    for tool in ("public-inbox-index", "xapian-delve", "git"):
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
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
