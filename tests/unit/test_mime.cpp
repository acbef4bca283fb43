// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "listdex/base/Text.hpp"
#include "listdex/mime/Diff.hpp"
#include "listdex/mime/MimeParser.hpp"
#include "listdex/mime/ParsedRecord.hpp"
#include "mime/Charset.hpp"
#include "mime/Flowed.hpp"
#include "mime/HtmlToText.hpp"

#include <gtest/gtest.h>

#include <algorithm>

using namespace listdex;

namespace {

ParsedMessage parse(const std::string& raw)
{
    MimeParser parser;
    auto pm = parser.parse(raw);
    EXPECT_TRUE(pm.has_value()) << (pm ? "" : pm.error().message);
    EXPECT_TRUE(is_valid_utf8(pm->body));
    EXPECT_TRUE(is_valid_utf8(pm->subject));
    return pm ? *pm : ParsedMessage{};
}

bool contains(const std::string& hay, const std::string& needle)
{
    return hay.find(needle) != std::string::npos;
}

} // namespace

TEST(Headers, Rfc2047EncodedWordsIncludingMalformedOnes)
{
    auto pm = parse("From: =?UTF-8?B?QmrDtnJuIE3DvGxsZXI=?= <bjoern@example.de>\n"
                    "To: =?ISO-8859-1?Q?Ren=E9e?= <renee@example.fr>, \"=?utf-8?q?Zo=C3=AB?=\" <zoe@example.net>\n"
                    "Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?==?UTF-8?Q?_aus?= =?koi8-r?B?8NLJ18XU?= x=?utf-8?q?=C3=A9?=\n"
                    "Message-ID: <a@b>\n\nbody\n");
    ASSERT_EQ(pm.from.size(), 1u);
    EXPECT_EQ(pm.from[0].name, "Björn Müller");
    EXPECT_EQ(pm.from[0].email, "bjoern@example.de");
    ASSERT_EQ(pm.to.size(), 2u);
    EXPECT_EQ(pm.to[0].display(), "Renée <renee@example.fr>");
    EXPECT_EQ(pm.to[1].name, "Zoë"); // encoded word inside quotes (malformed, common)
    EXPECT_TRUE(contains(pm.subject, "Grüße aus")) << pm.subject;
    EXPECT_TRUE(contains(pm.subject, "Привет")) << pm.subject;
}

TEST(Headers, UndeclaredEightBitHeadersBecomeUtf8)
{
    auto pm = parse("From: Andr\xe9 <andre@example.fr>\nSubject: caf\xe9 \xe2\x9c\x93\nMessage-ID: <a@b>\n\nx\n");
    EXPECT_EQ(pm.from[0].name, "André");
    EXPECT_TRUE(is_valid_utf8(pm.subject));
}

TEST(Headers, DecodedHeadersAreSingleLines)
{
    auto pm = parse("From: =?UTF-8?Q?Evil=0AName?= <e@x>\nSubject: =?UTF-8?Q?two=0D=0Alines=09and_tab?=\n"
                    "Message-ID: <a@b>\n\nx\n");
    EXPECT_EQ(pm.subject, "two lines and tab");
    EXPECT_EQ(pm.from[0].name, "Evil Name");
}

TEST(Headers, GroupsAndDisplayNames)
{
    auto pm = parse("From: \"Last, First\" <first@example.org>\nTo: Team: a@example.org, B <b@example.org>;\n"
                    "Cc: undisclosed-recipients:;\nMessage-ID: <a@b>\n\nx\n");
    EXPECT_EQ(pm.from[0].name, "Last, First");
    ASSERT_EQ(pm.to.size(), 2u);
    EXPECT_EQ(pm.to[1].display(), "B <b@example.org>");
    EXPECT_TRUE(pm.cc.empty());
}

TEST(Headers, IdsDatesAndLists)
{
    auto pm = parse("Message-ID: <id-1@example.org>\nIn-Reply-To: <parent@x> (message from Bob)\n"
                    "References: <root@x>\n <parent@x>\nDate: Thu, 07 Mar 2013 15:51:00 +0100\n"
                    "List-Id: Linux man pages <linux-man.vger.kernel.org>\n\nx\n");
    EXPECT_EQ(pm.message_id, "id-1@example.org");
    EXPECT_EQ(pm.in_reply_to, std::vector<std::string>{"parent@x"});
    EXPECT_EQ(pm.references, (std::vector<std::string>{"root@x", "parent@x"}));
    EXPECT_EQ(pm.date, 1362667860);
    EXPECT_EQ(pm.list_id, "linux-man.vger.kernel.org");
    // name@host is the RFC 2919 id name.host (scraped archives, X-Mailing-List).
    EXPECT_EQ(parse("X-Mailing-List: <other@lists.example.org>\n\nx").list_id, "other.lists.example.org");
    EXPECT_EQ(parse("X-Mailing-List: linux-man@vger.kernel.org archive/latest/1\n\nx").list_id,
              "linux-man.vger.kernel.org");
    EXPECT_EQ(parse("Mailing-List: list dev@example.org; contact dev-help@example.org\n\nx").list_id,
              "dev.example.org");
    EXPECT_EQ(parse("List-Id: xen-devel@lists.xenproject.org\n\nx").list_id, "xen-devel.lists.xenproject.org");
    EXPECT_EQ(parse("List-Id: Xen <xen-devel.lists.xenproject.org>\n\nx").list_id, "xen-devel.lists.xenproject.org");
}

TEST(Headers, BrokenDateIsMissingNotWrong)
{
    auto pm = parse("Date: Someday in the afternoon\nMessage-ID: <a@b>\n\nx\n");
    EXPECT_FALSE(pm.date.has_value());
    EXPECT_EQ(pm.date_header, "Someday in the afternoon");
    EXPECT_FALSE(parse("Date: Thu, 01 Jan 1970 00:00:00 +0000\nMessage-ID: <a@b>\n\nx\n").date.has_value());
}

TEST(Headers, MissingMessageIdGetsStableSyntheticId)
{
    const std::string raw = "From: a@b\nSubject: no id\n\nbody\n";
    auto a = parse(raw);
    auto b = parse(raw);
    auto c = parse(raw + "more\n");
    EXPECT_TRUE(a.synthetic_id);
    EXPECT_EQ(a.message_id, b.message_id);
    EXPECT_NE(a.message_id, c.message_id);
    EXPECT_TRUE(a.message_id.ends_with("@listdex.invalid"));
}

TEST(Bodies, Base64AndQuotedPrintable)
{
    auto b64 = parse("Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n"
                     "R3LDvMOfZSBhdXMgWsO8cmljaCE=\n");
    EXPECT_EQ(b64.body, "Grüße aus Zürich!");
    auto qp = parse("Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n"
                    "caf=C3=A9 with a soft=\n break\n");
    EXPECT_EQ(qp.body, "café with a soft break\n");
}

TEST(Bodies, EightBitAndBinaryTransferEncodings)
{
    EXPECT_EQ(parse("Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\nnaïve\n").body,
              "naïve\n");
    EXPECT_EQ(parse("Content-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: binary\n\nna\xefve\n").body,
              "naïve\n");
}

TEST(Charsets, MislabelledLatin1IsWindows1252)
{
    auto pm = parse("Subject: s\nContent-Type: text/plain; charset=iso-8859-1\n\n\x93quoted\x94 \x80 5\n");
    EXPECT_EQ(pm.body, "“quoted” € 5\n");
    EXPECT_FALSE(pm.damaged());
}

TEST(Charsets, UndeclaredEightBitIsDetected)
{
    EXPECT_EQ(parse("Subject: x\n\nna\xefve latin-1\n").body, "naïve latin-1\n");
    EXPECT_EQ(parse("Subject: x\n\nnaïve utf-8 ✓\n").body, "naïve utf-8 ✓\n");
}

TEST(Charsets, DamagedAndUnknownCharsetNames)
{
    EXPECT_EQ(clean_charset_name("3Dutf-8"), "utf-8");
    EXPECT_EQ(clean_charset_name(" \"UTF-8\" "), "utf-8");
    EXPECT_EQ(parse("Content-Type: text/plain; charset=3Dutf-8\n\ncafé ✓\n").body, "café ✓\n");
    auto unknown = parse("Content-Type: text/plain; charset=x-no-such-charset\n\ncaf\xe9\n");
    EXPECT_EQ(unknown.body, "café\n");
    EXPECT_TRUE(unknown.damaged());
    auto wrong = parse("Content-Type: text/plain; charset=utf-8\n\ncaf\xe9\n"); // says UTF-8, is latin-1
    EXPECT_EQ(wrong.body, "café\n");
}

TEST(Charsets, OtherCharsetsConvert)
{
    EXPECT_EQ(to_utf8("\xf0\xd2\xc9\xd7\xc5\xd4", "koi8-r"), "Привет");
    EXPECT_EQ(to_utf8("\x1b$BF|K\\\x38\x6c\x1b(B", "iso-2022-jp"), "日本語");
    EXPECT_EQ(to_utf8("\xa4\xa4\xa4\xe5", "big5"), "中文");
    EXPECT_EQ(to_utf8(std::string("a\0b", 3), "utf-8"), "ab");
    for (const char* cp1252 : {"windows-1252", "Windows-1252", "cp1252"}) {
        bool changed = true;
        EXPECT_EQ(to_utf8("it\x92s \x93ok\x94", cp1252, &changed), "it’s “ok”") << cp1252;
        EXPECT_FALSE(changed) << cp1252;
    }
    bool changed = true;
    EXPECT_EQ(to_utf8("\xe8\xf1\xf2", "windows-1251", &changed), "ист");
    EXPECT_FALSE(changed);
}

TEST(Bodies, UuencodedBlocksBecomeAttachments)
{
    auto pm = parse("Subject: uu\n\nBefore.\nbegin 644 hello.txt\n"
                    "=2&5L;&\\@9G)O;2!A('5U96YC;V1E9\"!F:6QE(0H`\n`\nend\nAfter.\n");
    ASSERT_EQ(pm.attachments.size(), 1u);
    EXPECT_EQ(pm.attachments[0].filename, "hello.txt");
    EXPECT_EQ(pm.attachments[0].size, 29u);
    EXPECT_TRUE(contains(pm.body, "Before.\n[uuencoded attachment: hello.txt, 29 bytes]\nAfter.")) << pm.body;
}

TEST(Structure, AlternativePrefersPlainText)
{
    auto pm = parse("Content-Type: multipart/alternative; boundary=b\n\n--b\nContent-Type: text/html\n\n<p>html</p>\n"
                    "--b\nContent-Type: text/plain\n\nplain\n--b--\n");
    EXPECT_EQ(pm.body, "plain"); // the line break before a boundary belongs to the boundary (RFC 2046)
    EXPECT_TRUE(std::count(pm.mime_types.begin(), pm.mime_types.end(), "text/html"));
    auto html_only = parse("Content-Type: multipart/alternative; boundary=b\n\n--b\nContent-Type: text/plain\n\n\n"
                           "--b\nContent-Type: text/html\n\n<p>only <i>html</i></p>\n--b--\n");
    EXPECT_EQ(html_only.body, "only html\n");
}

TEST(Structure, HtmlBecomesReadableText)
{
    const std::string text = html_to_text(
        "<html><head><title>t</title><style>p{}</style></head><body><script>alert(1)</script>"
        "<h1>Title</h1><p>Fish &amp; chips &pound;5&nbsp;now</p><p>see <a href=\"https://x.org/a\">menu</a> and "
        "<a href=\"https://x.org/b\">https://x.org/b</a></p><ul><li>one</li><li>two</li></ul>"
        "<blockquote><p>quoted</p></blockquote>line<br>break<img alt=\"logo\" src=x></body></html>");
    EXPECT_FALSE(contains(text, "alert"));
    EXPECT_FALSE(contains(text, "p{}"));
    EXPECT_TRUE(contains(text, "Title\n\nFish & chips £5 now")) << text;
    EXPECT_TRUE(contains(text, "menu <https://x.org/a>")) << text;
    EXPECT_FALSE(contains(text, "<https://x.org/b>")) << text; // label already is the URL
    EXPECT_TRUE(contains(text, "* one\n* two")) << text;
    EXPECT_TRUE(contains(text, "> quoted")) << text;
    EXPECT_TRUE(contains(text, "line\nbreak[logo]")) << text;
}

TEST(Structure, AttachmentsWithRfc2231AndRfc2047Names)
{
    auto pm = parse("Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nsee attached\n"
                    "--b\nContent-Type: application/pdf\n"
                    "Content-Disposition: attachment; filename*0*=UTF-8''r%C3%A9sum; filename*1*=%C3%A9.pdf\n"
                    "Content-Transfer-Encoding: base64\n\nJVBERi0xLjQK\n"
                    "--b\nContent-Type: image/png; name=\"=?UTF-8?Q?bild_=C3=BC.png?=\"\n"
                    "Content-Transfer-Encoding: base64\n\niVBORw0KGgo=\n"
                    "--b\nContent-Type: text/x-log\nContent-Disposition: attachment; filename=build.log\n\n"
                    "error: kumquat overflow\n--b--\n");
    ASSERT_EQ(pm.attachments.size(), 3u);
    EXPECT_EQ(pm.attachments[0].filename, "résumé.pdf");
    EXPECT_EQ(pm.attachments[0].mime_type, "application/pdf");
    EXPECT_EQ(pm.attachments[0].size, 9u);
    EXPECT_EQ(pm.attachments[1].filename, "bild ü.png");
    EXPECT_EQ(pm.attachments[1].size, 8u);
    EXPECT_EQ(pm.body, "see attached");
    ASSERT_EQ(pm.attachment_texts.size(), 1u);
    EXPECT_TRUE(contains(pm.attachment_texts[0].text, "kumquat")); // text attachments are indexed
}

TEST(Structure, AttachmentBytesMatchTheListing)
{
    const std::string raw = "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nx\n"
                            "--b\nContent-Type: application/octet-stream; name=a.bin\n"
                            "Content-Transfer-Encoding: base64\n\nAAECAwQ=\n--b--\n";
    MimeParser parser;
    auto pm = parser.parse(raw);
    ASSERT_TRUE(pm);
    ASSERT_EQ(pm->attachments.size(), 1u);
    auto bytes = parser.attachment_bytes(raw, pm->attachments[0].part);
    ASSERT_TRUE(bytes);
    EXPECT_EQ(*bytes, std::string("\0\1\2\3\4", 5));
    EXPECT_FALSE(parser.attachment_bytes(raw, 99));
}

TEST(Structure, ForwardedMessagesAreDecoded)
{
    auto pm = parse("Subject: Fwd\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nfyi\n"
                    "--b\nContent-Type: message/rfc822\n\nFrom: Heidi <h@example.net>\n"
                    "Subject: =?UTF-8?Q?Notiz_=C3=BC?=\nContent-Type: text/plain; charset=utf-8\n"
                    "Content-Transfer-Encoding: base64\n\nUGFtcGxlbW91c3NlIHBsYW4=\n--b--\n");
    EXPECT_TRUE(contains(pm.body, "fyi")) << pm.body;
    EXPECT_TRUE(contains(pm.body, "From: Heidi <h@example.net>")) << pm.body;
    EXPECT_TRUE(contains(pm.body, "Subject: Notiz ü")) << pm.body;
    EXPECT_TRUE(contains(pm.body, "Pamplemousse plan")) << pm.body;
    ASSERT_EQ(pm.attachments.size(), 1u);
    EXPECT_EQ(pm.attachments[0].filename, "Notiz ü.eml");
    EXPECT_EQ(pm.attachments[0].mime_type, "message/rfc822");
}

TEST(Structure, FormatFlowed)
{
    EXPECT_EQ(unflow("one \ntwo\n> quoted \n> more\n-- \nsig\n", false), "one two\n> quoted more\n-- \nsig\n");
    EXPECT_EQ(unflow("hyphen-\nated \nword\n", true), "hyphen-\natedword\n");
    EXPECT_EQ(unflow(" From stuffed\n", false), "From stuffed\n");
    auto pm = parse("Content-Type: text/plain; charset=utf-8; format=flowed\n\nsoft \nbreak\n");
    EXPECT_EQ(pm.body, "soft break\n");
}

TEST(Damage, BrokenMessagesAreDecodedAsFarAsPossible)
{
    // Truncated base64 and a multipart without its closing boundary.
    auto pm = parse("Message-ID: <t@x>\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\n"
                    "kept text\n--b\nContent-Type: application/pdf\nContent-Transfer-Encoding: base64\n\nJVBERi0xLj");
    EXPECT_EQ(pm.body, "kept text");
    EXPECT_EQ(pm.attachments.size(), 1u);
    // Binary garbage with NUL bytes: imported, flagged, valid UTF-8.
    auto garbage = parse(std::string("\x01\x02\0\xff\xfe garbage\0\n\x80\x81", 18));
    EXPECT_TRUE(garbage.damaged());
    EXPECT_EQ(garbage.body.find('\0'), std::string::npos);
    // Invalid header name.
    EXPECT_TRUE(parse("Subject: x\nBad Header Name: y\n\nbody\n").damaged());
}

TEST(Damage, EmptyInputIsRejected)
{
    MimeParser parser;
    auto pm = parser.parse("  \n\n");
    ASSERT_FALSE(pm);
    EXPECT_EQ(pm.error().code, ExitCode::bad_input);
}

TEST(Structure, CrlfMessagesDecodeToLf)
{
    auto pm = parse("Subject: crlf\r\nContent-Type: text/plain\r\n\r\nline one\r\nline two\r\n");
    EXPECT_EQ(pm.subject, "crlf");
    EXPECT_EQ(pm.body, "line one\nline two\n");
}

TEST(Damage, FlattenedMessagesAreRecoveredAndFlagged)
{
    auto pm = parse("From: Ann <ann@example.org> Subject: =?utf-8?q?caf=C3=A9?= Date: Thu, 07 Mar 2013 15:51:00 +0000 "
                    "Message-ID: <flat@example.org> In-Reply-To: <root@example.org> MIME-Version: 1.0 "
                    "Content-Type: multipart/mixed; boundary=XX --XX Content-Type: text/plain; charset=utf-8 "
                    "Content-Transfer-Encoding: base64 "
                    "SGVsbG8gbGlzdCwKdGhpcyBtZXNzYWdlIGxvc3QgZXZlcnkgbGluZSBicmVhayBvbiBpdHMgd2F5 "
                    "IHRocm91Z2ggYSB3ZWIgYXJjaGl2ZSwgYW5kIGxpc3RkZXggcmVidWlsdCBpdC4K --XX "
                    "Content-Type: application/pdf; name=a.pdf Content-Transfer-Encoding: base64 JVBERi0xLjQgdGVzdA== "
                    "--XX--\n");
    EXPECT_TRUE(pm.recovered);
    EXPECT_FALSE(pm.damaged());
    EXPECT_EQ(pm.subject, "café");
    EXPECT_EQ(pm.message_id, "flat@example.org");
    ASSERT_EQ(pm.from.size(), 1u);
    EXPECT_EQ(pm.from[0].email, "ann@example.org");
    EXPECT_EQ(pm.in_reply_to, std::vector<std::string>{"root@example.org"});
    EXPECT_TRUE(pm.date.has_value());
    EXPECT_EQ(pm.body, "Hello list,\nthis message lost every line break on its way through a web archive, and "
                       "listdex rebuilt it.\n");
    ASSERT_EQ(pm.attachments.size(), 1u);
    EXPECT_EQ(pm.attachments[0].filename, "a.pdf");
    MimeParser parser;
    std::string raw = "From: a@b Subject: x Content-Type: multipart/mixed; boundary=XX --XX Content-Type: "
                      "application/pdf; name=a.pdf Content-Transfer-Encoding: base64 JVBERi0xLjQgdGVzdA== --XX--";
    auto pdf = parser.attachment_bytes(raw, 2);
    ASSERT_TRUE(pdf);
    EXPECT_EQ(*pdf, "%PDF-1.4 test");
    // An intact message is never taken for a flattened one.
    EXPECT_FALSE(parse("From: a@b\nTo: c@d\nSubject: From: x To: y Cc: z\n\nbody\n").recovered);
}

TEST(Headers, PipermailAtAddressesAreRestored)
{
    auto pm = parse("From: ann.b at example.org (Ann B)\nCc: bob at example.org\nSubject: lunch at noon\n\nhi\n");
    ASSERT_EQ(pm.from.size(), 1u);
    EXPECT_EQ(pm.from[0].email, "ann.b@example.org");
    EXPECT_EQ(pm.from[0].name, "Ann B");
    ASSERT_EQ(pm.cc.size(), 1u);
    EXPECT_EQ(pm.cc[0].email, "bob@example.org");
    EXPECT_EQ(pm.subject, "lunch at noon");
    EXPECT_FALSE(pm.recovered);
}

// ---- patches, as public-inbox reads them, and git patch-id --stable

namespace {
const char* kTwoFileDiff = "Fix two files.\n\n"
                           "diff --git a/x.c b/x.c\n"
                           "index 1234567..89abcde 100644\n"
                           "--- a/x.c\n"
                           "+++ b/x.c\n"
                           "@@ -1,3 +1,3 @@ int main(void)\n"
                           " a\n"
                           "-b\n"
                           "+c\n"
                           " d\n"
                           "diff --git a/y.c b/y.c\n"
                           "--- a/y.c\n"
                           "+++ b/y.c\n"
                           "@@ -1 +1 @@\n"
                           "-old\n"
                           "+new\n"
                           "-- \n"
                           "2.39.5\n";
} // namespace

TEST(Diff, PiecesFollowPublicInboxFields)
{
    EXPECT_TRUE(looks_like_diff(kTwoFileDiff));
    EXPECT_FALSE(looks_like_diff("no diff here\n> diff --git a/x b/x\n"));
    const DiffText d = parse_diff(kTwoFileDiff);
    std::vector<std::string> names, removed, added, hunks, context, other;
    for (const auto& p : d.pieces) {
        switch (p.part) {
        case DiffPart::name: names.push_back(p.text); break;
        case DiffPart::removed: removed.push_back(p.text); break;
        case DiffPart::added: added.push_back(p.text); break;
        case DiffPart::hunk: hunks.push_back(p.text); break;
        case DiffPart::context: context.push_back(p.text); break;
        case DiffPart::other: other.push_back(p.text); break;
        }
    }
    EXPECT_EQ(names, (std::vector<std::string>{"x.c", "y.c"})); // each path once
    EXPECT_EQ(removed, (std::vector<std::string>{"b", "old"}));
    EXPECT_EQ(added, (std::vector<std::string>{"c", "new"}));
    EXPECT_EQ(hunks, std::vector<std::string>{"int main(void)"});
    EXPECT_EQ(context, (std::vector<std::string>{"a", "d"}));
    ASSERT_FALSE(other.empty());
    EXPECT_TRUE(other.front().starts_with("Fix two files.\ndiff --git")); // text, with the header line
    EXPECT_EQ(d.pre_blobs, std::vector<std::string>{"1234567"});
    EXPECT_EQ(d.post_blobs, std::vector<std::string>{"89abcde"});
}

TEST(Diff, PatchIdIsGitsStableOne)
{
    // `git patch-id --stable` (git 2.39) prints this for kTwoFileDiff;
    // tests/integration/search_vs_public_inbox.py compares every patch id
    // of 3,000 real messages with the ids public-inbox got from git.
    EXPECT_EQ(patch_id(kTwoFileDiff), "d5d9e6576eddea515c6b1528810f187f71fa4b77");
    // --stable: the order of the files does not matter.
    std::string swapped(kTwoFileDiff);
    const size_t y = swapped.find("diff --git a/y.c"), sig = swapped.find("-- \n");
    const std::string first = swapped.substr(swapped.find("diff --git a/x.c"), y - swapped.find("diff --git a/x.c"));
    const std::string second = swapped.substr(y, sig - y);
    EXPECT_EQ(patch_id("intro\n\n" + second + first), patch_id(kTwoFileDiff));
    // White space does not count; line numbers do not either.
    std::string spaced(kTwoFileDiff);
    spaced.replace(spaced.find("+c\n"), 3, "+ c\t\n");
    spaced.replace(spaced.find("@@ -1,3 +1,3 @@"), 15, "@@ -7,3 +9,3 @@");
    EXPECT_EQ(patch_id(spaced), patch_id(kTwoFileDiff));
    EXPECT_FALSE(patch_id("just text\n--- not a diff\n"));
}

// ------------------------------------------------------------ what loose mail carries (issue 16)

#include "listdex/mime/MailDate.hpp"

TEST(LooseMail, ABodyWithoutBlankLineKeepsItsFirstLineAndIsFlagged)
{
    const ParsedMessage pm = parse("From: A <a@b.org>\nSubject: no blank\nMessage-ID: <nb@x>\n"
                                   "First body line.\nSecond.\n");
    EXPECT_EQ(pm.subject, "no blank");
    EXPECT_EQ(pm.body, "First body line.\nSecond.\n");
    EXPECT_TRUE(pm.damaged());
    // A byte-order mark no longer hides the first field.
    EXPECT_EQ(parse("\xEF\xBB\xBF" "From: A <a@b.org>\nSubject: bom\n\nx\n").from.at(0).email, "a@b.org");
    EXPECT_EQ(parse("From: A <a@b.org>\nSubject : spaced\n\nx\n").subject, "spaced");
}

TEST(LooseMail, ContentTypeWithoutSubtypeIsPlainText)
{
    ParsedMessage pm = parse("From: a@b.org\nContent-Type: text\n\nthe body\n");
    EXPECT_EQ(pm.body, "the body\n");
    EXPECT_TRUE(pm.attachments.empty());
    pm = parse("From: a@b.org\nContent-Type: text; charset=iso-8859-1\n\ncaf\xE9\n");
    EXPECT_EQ(pm.body, "caf\xC3\xA9\n"); // the charset written after the bad type is kept
    pm = parse("From: a@b.org\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n"
               "--b\nContent-Type: garbage\n\npart text\n--b--\n");
    EXPECT_TRUE(contains(pm.body, "part text"));
}

TEST(LooseMail, SendersWithoutAnAddressKeepTheirName)
{
    ParsedMessage pm = parse("From: MAILER DAEMON <>\nSubject: bounce\n\nx\n");
    ASSERT_EQ(pm.from.size(), 1u);
    EXPECT_EQ(pm.from[0].name, "MAILER DAEMON");
    EXPECT_EQ(pm.from[0].email, "");
    pm = parse("From: Jennifer Herbert\nSubject: scraped\n\nx\n");
    ASSERT_EQ(pm.from.size(), 1u);
    EXPECT_EQ(pm.from[0].display(), "Jennifer Herbert");
    pm = parse("From: =?UTF-8?Q?J=C3=B6rg_Sch=C3=A4fer?=\nSubject: encoded\n\nx\n");
    ASSERT_EQ(pm.from.size(), 1u);
    EXPECT_EQ(pm.from[0].display(), "J\xC3\xB6rg Sch\xC3\xA4" "fer");
}

TEST(LooseMail, RecipientsWithoutAnAddressKeepTheirName)
{
    // What an archive that hid the addresses leaves: quoted names alone.
    ParsedMessage pm = parse("From: a@b.org\nTo: \"Marcus D. Leech\", \"Clark \\(US\\), Kenneth\"\nCc: root, "
                             "=?UTF-8?Q?J=C3=B6rg?=\nSubject: x\n\nx\n");
    ASSERT_EQ(pm.to.size(), 2u);
    EXPECT_EQ(pm.to[0].name, "Marcus D. Leech");
    EXPECT_EQ(pm.to[0].email, "");
    EXPECT_EQ(pm.to[1].name, "Clark (US), Kenneth"); // without the quoted string's escapes
    ASSERT_EQ(pm.cc.size(), 2u);
    EXPECT_EQ(pm.cc[0].email, "root"); // a lone word is a local address
    EXPECT_EQ(pm.cc[0].name, "");
    EXPECT_EQ(pm.cc[1].name, "J\xC3\xB6rg");
    EXPECT_EQ(pm.cc[1].email, "");
}

TEST(LooseMail, AnUnpaddedLastBase64GroupKeepsItsBytes)
{
    const std::string raw = "From: a@b.org\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n"
                            "--b\nContent-Type: text/plain\n\nsee attached\n"
                            "--b\nContent-Type: application/octet-stream; name=x.bin\n"
                            "Content-Transfer-Encoding: base64\n\nQUJDREU\n--b--\n";
    const ParsedMessage pm = parse(raw);
    ASSERT_EQ(pm.attachments.size(), 1u);
    EXPECT_EQ(pm.attachments[0].size, 5u);
    MimeParser parser;
    auto bytes = parser.attachment_bytes(raw, pm.attachments[0].part);
    ASSERT_TRUE(bytes);
    EXPECT_EQ(*bytes, "ABCDE");
    EXPECT_EQ(parse("From: a@b.org\nContent-Transfer-Encoding: base64\n\naGVsbG8gd29ybGQ\n").body, "hello world");
}

TEST(MailDates, WhatRfc5322AndRealMailersWrite)
{
    auto at = [](const char* s) { return parse_mail_date(s).value_or(MailDate{-1, {}}).unix_time; };
    const int64_t t = 1709542800; // 2024-03-04T09:00:00Z
    EXPECT_EQ(at("Mon, 04 Mar 2024 09:00:00 +0000"), t);
    EXPECT_EQ(at("Mon, 4 Mar 2024 03:00:00 cst"), t);                  // lower-case zone names
    EXPECT_EQ(at("Mon, 4 Mar 2024 03:00:00 CST"), t);
    EXPECT_EQ(at("4 Mar 2024 09:01+0000") - 60, t);                     // zone glued to the time
    EXPECT_EQ(at("Mon, 4 Mar 2024 04:00:00-05:00"), t);
    EXPECT_EQ(at("Mon, 4 Mar 2024 9:00 PM +1200"), t);                  // PM
    EXPECT_EQ(at("Mon, 4 Mar 2024 12:30 AM +0000"), t - 9 * 3600 + 1800); // 12:30 AM is 00:30
    EXPECT_EQ(at("Mon, 4 Mar 2024 10:00:00 +0100 (CET)"), t);           // comment
    EXPECT_EQ(at("Mon Mar  4 09:00:00 2024"), t);                       // asctime
    EXPECT_EQ(at("Monday, 04-Mar-24 09:00:00 GMT"), t);                 // RFC 850
    EXPECT_EQ(at("2024-03-04T10:00:00+01:00"), t);                      // ISO 8601
    EXPECT_EQ(at("2024-03-04 09:00:00 +0000"), t);
    EXPECT_EQ(at("Mon, 04 Mar 2024 10:00:00 CET"), t);
    auto guessed = parse_mail_date("4 Mar 96 09:00:00 GMT");
    ASSERT_TRUE(guessed);
    EXPECT_EQ(guessed->guesses, std::vector<std::string>{"two-digit year 96 read as 1996"});
    EXPECT_EQ(parse_mail_date("4 Mar 24 09:00:00 GMT")->guesses.at(0), "two-digit year 24 read as 2024");
    EXPECT_EQ(parse_mail_date("4 Mar 124 09:00:00 GMT")->guesses.at(0), "three-digit year read as 2024");
    EXPECT_EQ(parse_mail_date("Mon, 4 Mar 2024 09:00:00")->guesses.at(0), "no time zone; read as UTC");
    EXPECT_EQ(parse_mail_date("Mon, 4 Mar 2024 09:00:00 J")->guesses.at(0), "time zone \"J\" unknown; read as UTC");
    EXPECT_TRUE(parse_mail_date("Mon, 04 Mar 2024 09:00:00 +0000")->guesses.empty());
    for (const char* bad : {"", "Someday in the afternoon", "31 Feb 2024 09:00:00 +0000", "Mon, 4 Mar 2024",
                            "4 Mar 2024 25:00:00 +0000", "4 Mar 2024 13:00 PM +0000"})
        EXPECT_FALSE(parse_mail_date(bad)) << bad;
    // Through the parser: guesses are flagged on the message.
    const ParsedMessage pm = parse("From: a@b.org\nDate: 4 Mar 96 09:00:00 GMT\n\nx\n");
    EXPECT_EQ(pm.date, 825930000);
    EXPECT_TRUE(std::find(pm.problems.begin(), pm.problems.end(), "Date: two-digit year 96 read as 1996") !=
                pm.problems.end());
}

TEST(ParsedRecord, KeepsEveryFieldAReaderSees)
{
    // Attachments (a text one shown after the body, a binary one), an
    // encoded sender, threading headers, a date, problems.
    const ParsedMessage pm = parse(
        "From: =?UTF-8?Q?J=C3=BCrgen?= <j@example.org>\nTo: a@example.org, B <b@example.org>\nCc: c@example.org\n"
        "Subject: [PATCH] caf\xc3\xa9\nDate: Tue, 1 Mar 2022 10:00:00 +0100\nMessage-ID: <rec@example.org>\n"
        "In-Reply-To: <up@example.org>\nReferences: <top@example.org> <up@example.org>\nList-Id: <l.example.org>\n"
        "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b\"\n\n"
        "--b\nContent-Type: text/plain; charset=utf-8\n\nThe body.\n> quoted\n"
        "--b\nContent-Type: text/x-diff; name=\"fix.patch\"\nContent-Disposition: attachment; filename=\"fix.patch\"\n\n"
        "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-old\n+new\n"
        "--b\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\nAAEC\n--b--\n");
    ASSERT_EQ(pm.attachments.size(), 2u);
    ASSERT_EQ(pm.attachment_texts.size(), 1u);
    const std::string record = encode_parsed_record(pm);
    auto back = decode_parsed_record(record);
    ASSERT_TRUE(back);
    EXPECT_EQ(first_record_difference(*back, pm), "");
    EXPECT_EQ(back->from[0].name, "J\xc3\xbcrgen");
    EXPECT_EQ(back->references, (std::vector<std::string>{"top@example.org", "up@example.org"}));
    EXPECT_EQ(back->attachments[0].filename, "fix.patch");
    EXPECT_EQ(back->attachment_texts[0].text, pm.attachment_texts[0].text);
    EXPECT_EQ(back->date, pm.date);
    EXPECT_TRUE(back->body_as_sent.empty()); // not kept: readers never see it

    // Flags and a message without a date.
    const ParsedMessage damaged = parse("no header at all, just text\n");
    auto damaged_back = decode_parsed_record(encode_parsed_record(damaged));
    ASSERT_TRUE(damaged_back);
    EXPECT_EQ(first_record_difference(*damaged_back, damaged), "");
    EXPECT_TRUE(damaged_back->synthetic_id);
    EXPECT_FALSE(damaged_back->date);

    // The comparison names the field that differs.
    ParsedMessage other = *back;
    other.attachments[1].size += 1;
    EXPECT_EQ(first_record_difference(other, pm), "attachments");
    other = *back;
    other.cc.clear();
    EXPECT_EQ(first_record_difference(other, pm), "cc");
}

TEST(ParsedRecord, DamagedOrOtherVersionsAreNotRead)
{
    const std::string record = encode_parsed_record(parse("From: a@b.org\nSubject: s\n\nbody\n"));
    ASSERT_TRUE(decode_parsed_record(record));
    // Every truncation, and trailing bytes, fail: never a half record.
    for (size_t n = 0; n < record.size(); ++n)
        EXPECT_FALSE(decode_parsed_record(std::string_view(record).substr(0, n))) << n;
    EXPECT_FALSE(decode_parsed_record(record + "x"));
    // A record of another decoder version: readers parse the raw copy.
    std::string other_version = record;
    other_version[8] = static_cast<char>(other_version[8] + 1); // after "LDPM"'s length and bytes
    EXPECT_FALSE(decode_parsed_record(other_version));
    // A count larger than the bytes left is damage, not a huge allocation.
    std::string huge = record;
    const size_t from = 4 + 4 + 4 + 4; // magic, version, flags
    const size_t id_length = static_cast<unsigned char>(huge[from]);
    huge.replace(from + 4 + id_length, 4, std::string("\xff\xff\xff\x7f", 4)); // the From count
    EXPECT_FALSE(decode_parsed_record(huge));
}
