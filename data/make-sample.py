#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The listdex authors
"""Writes data/sample.mbox: a small mboxrd archive of an imaginary list,
written by the listdex project itself, exercising every decoding case the
importer handles. Run it again after editing; the output is deterministic.

Each message is built as raw bytes on purpose (not with the email package)
so that the damage in it is exactly what real archives contain."""

import base64
import quopri
import sys
from pathlib import Path

LIST = "List-Id: Listdex demo list <demo.lists.example.org>\n"
msgs = []


def b64(data: bytes) -> str:
    s = base64.b64encode(data).decode()
    return "\n".join(s[i:i + 76] for i in range(0, len(s), 76)) + "\n"


def add(envelope: str, text, *, raw=False):
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    msgs.append((envelope, data))


# 1. Plain ASCII, the start of a thread.
add("From alice@example.org Mon Mar  4 09:00:00 2024", LIST + """\
From: Alice Example <alice@example.org>
To: demo@lists.example.org
Subject: Welcome to the listdex demo list
Date: Mon, 04 Mar 2024 09:00:00 +0000
Message-ID: <welcome-1@example.org>
MIME-Version: 1.0
Content-Type: text/plain; charset=us-ascii

Hello everyone,

this list exists to show how listdex decodes mail. Reply to test threads.

-- 
Alice
""")

# 2. RFC 2047 headers: UTF-8 B, ISO-8859-1 Q, adjacent encoded words and a
#    malformed one inside a word; base64 UTF-8 body.
body2 = "Grüße aus Zürich! Ça va? Привет, мир. 日本語のテキスト.\n".encode("utf-8")
add("From bjoern@example.de Mon Mar  4 10:15:00 2024", LIST + """\
From: =?UTF-8?B?QmrDtnJuIE3DvGxsZXI=?= <bjoern@example.de>
To: =?ISO-8859-1?Q?Ren=E9e_Fran=E7ois?= <renee@example.fr>, demo@lists.example.org
Cc: "=?utf-8?q?Zo=C3=AB?=" <zoe@example.net>
Subject: Re: Welcome =?UTF-8?Q?=E2=80=93_Gr=C3=BC=C3=9Fe?==?UTF-8?Q?_aus_Z=C3=BCrich?=
Date: Mon, 04 Mar 2024 11:15:00 +0100
Message-ID: <greetings-2@example.de>
In-Reply-To: <welcome-1@example.org>
References: <welcome-1@example.org>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: base64

""" + b64(body2))

# 3. Quoted-printable labelled iso-8859-1 but using windows-1252 curly quotes
#    and a euro sign (0x80); soft line breaks.
text3 = ("\x93Smart quotes\x94 and \x80 prices are windows-1252, even when the "
         "header says iso-8859-1. Caf\xe9 cr\xe8me.\n").encode("latin-1")
add("From carol@example.com Mon Mar  4 12:00:00 2024", LIST + """\
From: Carol <carol@example.com>
To: demo@lists.example.org
Subject: Re: Welcome to the listdex demo list
Date: Mon, 04 Mar 2024 12:00:00 +0000
Message-ID: <quotes-3@example.com>
In-Reply-To: <welcome-1@example.org>
References: <welcome-1@example.org>
MIME-Version: 1.0
Content-Type: text/plain; charset=iso-8859-1
Content-Transfer-Encoding: quoted-printable

""" + quopri.encodestring(text3).decode("ascii") + "\n")

# 4. multipart/alternative: text/plain must win over text/html.
add("From dave@example.net Tue Mar  5 08:30:00 2024", LIST + """\
From: Dave <dave@example.net>
To: demo@lists.example.org
Subject: Alternative parts
Date: Tue, 05 Mar 2024 08:30:00 +0000
Message-ID: <alternative-4@example.net>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="alt-boundary"

--alt-boundary
Content-Type: text/plain; charset=utf-8

This is the plain text alternative.

--alt-boundary
Content-Type: text/html; charset=utf-8

<html><body><p>This is the <b>HTML</b> alternative.</p></body></html>

--alt-boundary--
""")

# 5. HTML only: scripts and styles dropped, entities decoded, links kept.
add("From erin@example.org Tue Mar  5 09:00:00 2024", LIST + """\
From: Erin <erin@example.org>
To: demo@lists.example.org
Subject: HTML only message
Date: Tue, 05 Mar 2024 09:00:00 +0000
Message-ID: <html-only-5@example.org>
MIME-Version: 1.0
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: quoted-printable

<html><head><style>p { color: red; }</style><title>Ignored title</title></head>
<body><script>alert("never run");</script>
<p>Fish &amp; chips cost &pound;5 &mdash; see <a href=3D"https://example.org/m=
enu">the menu</a>.</p>
<ul><li>first item</li><li>second item</li></ul>
<blockquote>quoted by the sender</blockquote>
</body></html>
""")

# 6. multipart/mixed with an RFC 2231 encoded filename, a base64 PDF-ish
#    attachment, and an RFC 2047 encoded filename on a second one.
pdf = b"%PDF-1.4\n% listdex sample attachment\n" + bytes(range(256))
add("From frank@example.com Wed Mar  6 14:00:00 2024", LIST + """\
From: Frank <frank@example.com>
To: demo@lists.example.org
Subject: Attachments with international names
Date: Wed, 06 Mar 2024 14:00:00 +0000
Message-ID: <attachments-6@example.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="mixed-boundary"

--mixed-boundary
Content-Type: text/plain; charset=utf-8

Two files attached.

--mixed-boundary
Content-Type: application/pdf
Content-Disposition: attachment; filename*=UTF-8''r%C3%A9sum%C3%A9%20final.pdf
Content-Transfer-Encoding: base64

""" + b64(pdf) + """
--mixed-boundary
Content-Type: text/plain; charset=utf-8; name="=?UTF-8?Q?notes_=C3=BCber_build.txt?="
Content-Disposition: attachment; filename="=?UTF-8?Q?notes_=C3=BCber_build.txt?="

build log line one
searchable attachment text: kumquat
--mixed-boundary--
""")

# 7. A forwarded message (message/rfc822): its headers and body are decoded.
add("From grace@example.org Wed Mar  6 15:00:00 2024", LIST + """\
From: Grace <grace@example.org>
To: demo@lists.example.org
Subject: Fwd: Meeting notes
Date: Wed, 06 Mar 2024 15:00:00 +0000
Message-ID: <forward-7@example.org>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="fwd-boundary"

--fwd-boundary
Content-Type: text/plain; charset=utf-8

Forwarding the notes below.

--fwd-boundary
Content-Type: message/rfc822
Content-Disposition: inline

From: Heidi <heidi@example.net>
To: grace@example.org
Subject: Meeting notes
Date: Tue, 05 Mar 2024 17:00:00 +0000
Message-ID: <notes-inner@example.net>
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

The meeting decided to adopt the pamplemousse plan.=0AAction: Heidi.

--fwd-boundary--
""")

# 8. format=flowed: soft line breaks (a trailing space) in quoted and new
#    text, space-stuffing, and a signature separator that is never joined.
add("From ivan@example.com Thu Mar  7 10:00:00 2024", LIST + """\
From: Ivan <ivan@example.com>
To: demo@lists.example.org
Subject: Re: Alternative parts
Date: Thu, 07 Mar 2024 10:00:00 +0000
Message-ID: <flowed-8@example.com>
In-Reply-To: <alternative-4@example.net>
References: <alternative-4@example.net>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8; format=flowed

> This is the plain text 
> alternative.

This paragraph was written as one long line and wrapped by the mail 
client with soft line breaks that listdex joins again for display.
 From here on, a space-stuffed line.

-- 
Ivan
""")

# 9. uuencoded block in a plain body; undeclared charset, 8-bit latin-1.
uu = "begin 644 hello.txt\n" + "".join(
    __import__("binascii").b2a_uu(b"Hello from a uuencoded file!\n").decode()
    for _ in [0]) + "`\nend\n"
add("From judy@example.net Thu Mar  7 11:00:00 2024", (LIST + """\
From: Judy <judy@example.net>
To: demo@lists.example.org
Subject: Old school attachment
Date: Thu, 07 Mar 2024 11:00:00 +0000
Message-ID: <uuencode-9@example.net>

Na\xefve senders write 8-bit latin-1 without declaring a charset.
""").encode("latin-1") + uu.encode("ascii"))

# 10. charset=3Dutf-8 damage (double quoted-printable encoding of the header).
add("From ken@example.org Fri Mar  8 09:00:00 2024", LIST + """\
From: Ken <ken@example.org>
To: demo@lists.example.org
Subject: Damaged charset parameter
Date: Fri, 08 Mar 2024 09:00:00 +0000
Message-ID: <charset-damage-10@example.org>
MIME-Version: 1.0
Content-Type: text/plain; charset=3Dutf-8
Content-Transfer-Encoding: 8bit

The charset parameter reads "3Dutf-8" but this is UTF-8: naïve café, ✓.
""")

# 11. Body lines beginning with "From" and ">From": the archive writer quotes
#     them (mboxrd), except "From March 1, ..." which is left unquoted, as
#     careless writers do: it is no From_ line and must not split the message.
add("From laura@example.com Fri Mar  8 10:00:00 2024", LIST + """\
From: Laura <laura@example.com>
To: demo@lists.example.org
Subject: Travel office hours
Date: Fri, 08 Mar 2024 10:00:00 +0000
Message-ID: <travel-11@example.com>

Please note:
From now on the office opens at nine.
From March 1, 2013, the travel office has moved to building B.
>From a quoted reply keeps its quote.
""")

# 12. No Message-ID at all: a stable synthetic id is derived from content.
add("From mallory@example.net Sat Mar  9 12:00:00 2024", LIST + """\
From: Mallory <mallory@example.net>
To: demo@lists.example.org
Subject: A message without a Message-ID
Date: Sat, 09 Mar 2024 12:00:00 +0000

Some old gateways drop the Message-ID header.
""")

# 13. A broken Date header: the date comes from the mbox From_ line.
add("From nick@example.org Sun Mar 10 13:30:00 2024", LIST + """\
From: Nick <nick@example.org>
To: demo@lists.example.org
Subject: Broken date
Date: Someday in the afternoon
Message-ID: <broken-date-13@example.org>

The Date header above cannot be parsed.
""")

# 14 + 15. Two different messages sharing one Message-ID (a resend with an
#     edited body): both are kept and retrievable.
for n, line in ((14, "First version of the announcement."),
                (15, "Second, corrected version of the announcement.")):
    add(f"From olivia@example.com Mon Mar 11 0{n - 13}:00:00 2024", LIST + f"""\
From: Olivia <olivia@example.com>
To: demo@lists.example.org
Subject: Announcement
Date: Mon, 11 Mar 2024 0{n - 13}:00:00 +0000
Message-ID: <announce@example.com>

{line}
""")

# 16. A reply that arrives before the message it replies to is missing from
#     the archive (a ghost parent), with a Japanese ISO-2022-JP subject.
subj = "=?ISO-2022-JP?B?" + base64.b64encode("日本語の件名".encode("iso-2022-jp")).decode() + "?="
add("From peggy@example.jp Tue Mar 12 09:00:00 2024", (LIST + f"""\
From: Peggy <peggy@example.jp>
To: demo@lists.example.org
Subject: Re: {subj}
Date: Tue, 12 Mar 2024 18:00:00 +0900
Message-ID: <reply-16@example.jp>
In-Reply-To: <missing-parent@example.jp>
References: <missing-parent@example.jp>
MIME-Version: 1.0
Content-Type: text/plain; charset=iso-2022-jp
Content-Transfer-Encoding: 7bit

""").encode("utf-8") + "返信です。\n".encode("iso-2022-jp") + b"\n")

# 17. A mailing list that uses X-Mailing-List instead of List-Id, and a
#     group address.
add("From quinn@example.org Wed Mar 13 09:00:00 2024", """\
From: Quinn <quinn@example.org>
To: Team: rita@example.org, sam@example.org;
Subject: Another list
Date: Wed, 13 Mar 2024 09:00:00 +0000
Message-ID: <other-list-17@example.org>
X-Mailing-List: <other@lists.example.org>

Lists are also recognised by X-Mailing-List.
""")


def mboxrd_escape(data: bytes) -> bytes:
    out = []
    for line in data.split(b"\n"):
        if line.lstrip(b">").startswith(b"From ") and not line.startswith(b"From March"):
            line = b">" + line
        out.append(line)
    return b"\n".join(out)


out = bytearray()
for envelope, data in msgs:
    if not data.endswith(b"\n"):
        data += b"\n"
    out += envelope.encode("ascii") + b"\n" + mboxrd_escape(data) + b"\n"

target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("sample.mbox")
target.write_bytes(bytes(out))
print(f"wrote {len(msgs)} messages to {target}")
