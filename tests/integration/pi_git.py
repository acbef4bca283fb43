# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The listdex authors
"""Building public-inbox git repositories with git's plumbing, for the tests
(public_inbox.py, update_mirrors.py): fixed author and dates, so commit ids
are the same every run."""

import os
import subprocess

GIT_ENV = dict(os.environ, GIT_AUTHOR_NAME="pi", GIT_AUTHOR_EMAIL="pi@example.org", GIT_COMMITTER_NAME="pi",
               GIT_COMMITTER_EMAIL="pi@example.org", GIT_AUTHOR_DATE="1700000000 +0000",
               GIT_COMMITTER_DATE="1700000000 +0000")


def git_command(*args, data=None, env=None):
    """git ARGS..., its output stripped; fails on a non-zero exit."""
    r = subprocess.run(["git", *args], input=data, capture_output=True, env=env or GIT_ENV, check=True)
    return r.stdout.decode().strip()


def git(repo, *args, data=None, env=None):
    """git --git-dir REPO ARGS..."""
    return git_command("--git-dir", str(repo), *args, data=data, env=env)


def head(repo):
    try:
        return git(repo, "rev-parse", "--verify", "-q", "refs/heads/master")
    except subprocess.CalledProcessError:
        return None


def commit_tree(repo, tree, subject):
    parent = head(repo)
    c = git(repo, "commit-tree", tree, *(["-p", parent] if parent else []), "-m", subject)
    git(repo, "update-ref", "refs/heads/master", c)


def v2_commit(repo, name, raw):
    """A v2 commit: a tree holding the one blob `name` (m: added, d: removed)."""
    blob = git(repo, "hash-object", "-w", "--stdin", data=raw)
    tree = git(repo, "mktree", data=f"100644 blob {blob}\t{name}\n".encode())
    commit_tree(repo, tree, "message" if name == "m" else "delete")
