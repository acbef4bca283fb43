#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The listdex authors
"""Reading in a real terminal, driven under tmux: the pager starts on a TTY
and not when piped or with --no-pager, $LISTDEX_PAGER / $PAGER / less are
chosen as documented, colour is on at a terminal and off with NO_COLOR,
--color never, or a pipe; --color always wins over NO_COLOR.

usage: terminal-test.py LISTDEX DATA_DIR"""
import os
import shutil
import subprocess
import sys
import tempfile
import time

LISTDEX, DATA = os.path.abspath(sys.argv[1]), sys.argv[2]
if not shutil.which("tmux") or not shutil.which("less"):
    print("SKIP: tmux and less are needed (scripts/install-deps.sh --test installs them)")
    sys.exit(77)
work = tempfile.mkdtemp(prefix="listdex-tty-")
SOCKET = ["tmux", "-L", "listdex-test-" + str(os.getpid())]
passed = failed = 0


def check(what, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAIL: {what}" + (f"\n    {detail}" if detail else ""))


def tmux(*args, **kw):
    return subprocess.run(SOCKET + list(args), capture_output=True, text=True, **kw)


def run(name, command, env=None, rows=40, wait=True):
    """Runs a shell command in a new tmux window of a fixed size, with a
    clean environment; waits until it ends unless told not to."""
    environment = {"LISTDEX_INDEX": f"{work}/index", "HOME": work, "TERM": "xterm-256color",
                   "PATH": os.environ["PATH"], "LANG": "C.UTF-8"}
    environment.update(env or {})
    exports = " ".join(f"{k}='{v}'" for k, v in environment.items())
    script = f"{work}/{name}.sh"
    with open(script, "w") as f:
        f.write(f"#!/bin/sh\nexec env -i {exports} sh -c \"$1\"\n")
    os.chmod(script, 0o755)
    shell = f"{script} {sh_quote(command)}; {' '.join(SOCKET)} wait-for -S {name}; sleep 600"
    tmux("new-session", "-d", "-s", name, "-x", "100", "-y", str(rows), shell)
    if wait:
        tmux("wait-for", name, timeout=30)


def sh_quote(s):
    return "'" + s.replace("'", "'\\''") + "'"


def screen(name, escapes=False):
    return tmux("capture-pane", "-p", *(["-e"] if escapes else []), "-t", name).stdout


def pagers():
    """The less processes started by a listdex (through sh -c)."""
    out = subprocess.run(["ps", "-eo", "pid=,ppid=,comm="], capture_output=True, text=True).stdout
    procs = {p[0]: (p[1], p[2]) for p in (l.split(None, 2) for l in out.splitlines()) if len(p) == 3}

    def under_listdex(pid):
        for _ in range(4):
            pid = procs.get(pid, ("", ""))[0]
            if procs.get(pid, ("", ""))[1].startswith("listdex"):
                return True
        return False
    return [pid for pid, (_, name) in procs.items() if name == "less" and under_listdex(pid)]


try:
    subprocess.run([LISTDEX, "import", "-q", "--index", f"{work}/index", f"{DATA}/sample.mbox"], check=True)
    L = LISTDEX
    thread = f"{L} thread welcome-1@example.org"

    # A pager on a terminal: less, waiting at the end of a screen it filled.
    run("less", f"{L} search '*'", rows=8, wait=False)
    deadline = time.time() + 10
    while not (pagers() and screen("less").rstrip().endswith(":")) and time.time() < deadline:
        time.sleep(0.1)
    check("on a terminal, output goes through less", len(pagers()) == 1)
    check("less waits at its prompt after a full screen", screen("less").rstrip().endswith(":"), screen("less"))
    check("less shows the first screen", "thread:0000000d" in screen("less"), screen("less"))
    tmux("send-keys", "-t", "less", "q")
    ended = tmux("wait-for", "less", timeout=10).returncode == 0
    check("quitting less ends listdex", ended and not pagers())

    # less -FRX: text that fits one screen is printed and less quits at once.
    run("fits", thread, rows=60)
    check("less -F quits when the thread fits the screen", "Café crème" in screen("fits"), screen("fits"))

    # $LISTDEX_PAGER wins over $PAGER; both are run by the shell.
    run("custom", thread, {"LISTDEX_PAGER": f"cat > {work}/paged", "PAGER": f"cat > {work}/wrong"})
    check("$LISTDEX_PAGER gets the output", os.path.exists(f"{work}/paged") and not os.path.exists(f"{work}/wrong"))
    paged = open(f"{work}/paged", encoding="utf-8").read() if os.path.exists(f"{work}/paged") else ""
    check("... with the bodies", "Café crème" in paged)
    check("... coloured, since stdout was a terminal", "\x1b[1;34mFrom:\x1b[m" in paged, repr(paged[:200]))
    run("pager", thread, {"PAGER": f"cat > {work}/pager-env"})
    check("$PAGER when $LISTDEX_PAGER is unset", os.path.exists(f"{work}/pager-env"))
    run("nopager", thread + " --no-pager", {"LISTDEX_PAGER": f"cat > {work}/not-paged"})
    check("--no-pager: no pager", not os.path.exists(f"{work}/not-paged"))
    check("--no-pager: printed on the terminal", "Café crème" in screen("nopager"), screen("nopager"))
    run("cat", thread, {"LISTDEX_PAGER": "cat"})
    check("LISTDEX_PAGER=cat: printed straight", "Café crème" in screen("cat"))
    run("piped", thread + f" | cat > {work}/piped.txt", {"LISTDEX_PAGER": f"cat > {work}/piped-paged"})
    check("piped: no pager", not os.path.exists(f"{work}/piped-paged"))
    piped = open(f"{work}/piped.txt", encoding="utf-8").read()
    check("piped: the whole output", "Café crème" in piped)
    check("piped: no colour", "\x1b" not in piped)

    # Colour as the terminal shows it (tmux re-encodes the attributes).
    def from_line(name):
        return next((l for l in screen(name, escapes=True).splitlines() if "From:" in l), "")

    run("colour", thread + " --no-pager")
    check("colour on a terminal", "\x1b[" in from_line("colour"), repr(from_line("colour")))
    run("nocolor", thread + " --no-pager", {"NO_COLOR": "1"})
    check("NO_COLOR: no colour", "\x1b[" not in from_line("nocolor") and "From:" in from_line("nocolor"),
          repr(from_line("nocolor")))
    run("emptynocolor", thread + " --no-pager", {"NO_COLOR": ""})
    check("an empty NO_COLOR does not count (no-color.org)", "\x1b[" in from_line("emptynocolor"))
    run("never", thread + " --no-pager --color never")
    check("--color never", "\x1b[" not in from_line("never") and "From:" in from_line("never"))
    run("always", thread + " --no-pager --color always", {"NO_COLOR": "1"})
    check("--color always wins over NO_COLOR", "\x1b[" in from_line("always"))
    run("dumb", thread + " --no-pager", {"TERM": "dumb"})
    check("TERM=dumb: no colour", "\x1b[" not in from_line("dumb") and "From:" in from_line("dumb"))

    # Width: the terminal's, when $COLUMNS is not set.
    run("width", f"{L} search --no-pager '*'", rows=30)
    lines = [l for l in screen("width").splitlines() if l.strip()]
    check("listings fit the terminal's 100 columns", lines and all(len(l) <= 100 for l in lines))
    run("narrow", f"{L} thread --headers-only --no-pager welcome-1@example.org", {"COLUMNS": "50"})
    check("$COLUMNS narrows tree lines",
          all(len(l.rstrip()) <= 50 for l in screen("narrow").splitlines()) and "…" in screen("narrow"),
          screen("narrow"))
    # The bash completion with real readline: listdex se<TAB><TAB>, list:<TAB>.
    completion = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "completions", "listdex.bash")
    path = os.path.dirname(LISTDEX) + ":" + os.environ["PATH"]
    tmux("new-session", "-d", "-s", "bash", "-x", "100", "-y", "20",
         f"env -i HOME={work} TERM=xterm PATH={path} LISTDEX_INDEX={work}/index PS1='$ ' bash --norc --noprofile")
    tmux("send-keys", "-t", "bash", f"source {completion}", "Enter")
    tmux("send-keys", "-t", "bash", "listdex se", "Tab", "Tab")
    deadline = time.time() + 10
    while "serve" not in screen("bash") and time.time() < deadline:
        time.sleep(0.1)
    check("bash: listdex se<TAB><TAB> offers search and serve",
          "search" in screen("bash") and "serve" in screen("bash"), screen("bash"))
    tmux("send-keys", "-t", "bash", "C-u", "listdex search list:ot", "Tab")
    deadline = time.time() + 10
    while "list:other.lists.example.org" not in screen("bash") and time.time() < deadline:
        time.sleep(0.1)
    check("bash: list:ot<TAB> completes a list id", "list:other.lists.example.org" in screen("bash"), screen("bash"))
finally:
    tmux("kill-server")
    shutil.rmtree(work, ignore_errors=True)

print(f"\nterminal: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
