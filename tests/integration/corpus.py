# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The listdex authors
"""Reading slices of the shared corpora (mboxrd, xz-compressed) for tests."""

import lzma
import re

SEPARATOR = re.compile(rb"^From \S+ (?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) .*$", re.M)


def first_messages(path, limit):
    """(mbox bytes of the first `limit` messages, [raw message bytes with the
    From_ line removed and mboxrd quoting undone])."""
    # Count separators chunk by chunk (with an overlap for one cut in two),
    # so reading a whole corpus stays linear.
    marker = b"\nFrom mboxrd@z "
    chunks, seen, tail = [], 0, b""
    with lzma.open(path) as f:
        while seen <= limit:
            chunk = f.read(1 << 22)
            if not chunk:
                break
            seen += (tail + chunk).count(marker)
            tail = chunk[-(len(marker) - 1):]
            chunks.append(chunk)
    buf = b"".join(chunks)
    starts = [m.start() for m in SEPARATOR.finditer(buf)][: limit + 1]
    mbox = buf[: starts[limit]] if len(starts) > limit else buf
    starts = starts[:limit]
    msgs = []
    for a, b in zip(starts, starts[1:] + [len(mbox)]):
        body = mbox[a:b].split(b"\n", 1)[1]
        if body.endswith(b"\n\n"):
            body = body[:-1]
        msgs.append(re.sub(rb"(?m)^>(>*From )", rb"\1", body))
    return mbox, msgs
