// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
// Repairs and rebuilds of raw messages before any MIME parsing: flattened
// messages, pipermail addresses, loose header blocks, MHonArc pages.
#include "listdex/mbox/MessageRepair.hpp"
#include "listdex/mbox/MhonarcPage.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

using namespace listdex;

namespace {
const std::string kB64a = "SGVsbG8gbGlzdCwKdGhpcyBtZXNzYWdlIGxvc3QgZXZlcnkgbGluZSBicmVhayBvbiBpdHMgd2F5";
const std::string kB64b = "IHRocm91Z2ggYSB3ZWIgYXJjaGl2ZSwgYW5kIGxpc3RkZXggcmVidWlsdCBpdC4K";
} // namespace

TEST(MessageRepair, OnlyOneLineHoldingHeaderFieldsIsFlattened)
{
    EXPECT_TRUE(is_flattened("From: a@b To: c@d Subject: hi body\n"));
    EXPECT_TRUE(is_flattened("Return-Path: <a@b> X-Spam-Score: 1 subject: x"));
    EXPECT_FALSE(is_flattened("From: a@b\nTo: c@d\nSubject: hi\n\nbody\n")); // intact
    EXPECT_FALSE(is_flattened("From: a@b To: c@d\n"));                     // too few fields
    EXPECT_FALSE(is_flattened("hello From: a@b To: c@d Subject: x"));        // not a header first
    EXPECT_FALSE(is_flattened("Frum: a@b To: c@d Subject: x Date: y\nz"));   // has a line break
    EXPECT_FALSE(unflatten("From: a@b\nTo: c@d\nSubject: hi\n\nbody\n"));
    EXPECT_TRUE(starts_with_known_field("Subject: x"));
    EXPECT_TRUE(starts_with_known_field("X-Whatever-7: x"));
    EXPECT_FALSE(starts_with_known_field("Subject:"));
    EXPECT_FALSE(starts_with_known_field("Nonsense: x"));
}

TEST(MessageRepair, FieldsSplitByNameAndEachValueBoundedByItsGrammar)
{
    auto u = unflatten("From: \"Example, Ann\" <ann@example.org> (Ann) To: list@example.org, Bob <bob@example.org> "
                       "Subject: Re: [PATCH v2] fix the parser Date: Thu, 07 Mar 2013 15:51:00 +0000 (UTC) "
                       "Message-ID: <abc@example.org> References: <root@example.org> <parent@example.org> "
                       "List-Id: Example list <list.example.org> MIME-Version: 1.0 "
                       "Content-Type: text/plain; charset=\"utf-8\"; format=flowed "
                       "Content-Transfer-Encoding: base64 " +
                       kB64a + " " + kB64b + "\n");
    ASSERT_TRUE(u);
    EXPECT_FALSE(u->header_end_guessed);
    EXPECT_EQ(u->bytes, "From: \"Example, Ann\" <ann@example.org> (Ann)\n"
                        "To: list@example.org, Bob <bob@example.org>\n"
                        "Subject: Re: [PATCH v2] fix the parser\n"
                        "Date: Thu, 07 Mar 2013 15:51:00 +0000 (UTC)\n"
                        "Message-ID: <abc@example.org>\n"
                        "References: <root@example.org> <parent@example.org>\n"
                        "List-Id: Example list <list.example.org>\n"
                        "MIME-Version: 1.0\n"
                        "Content-Type: text/plain; charset=\"utf-8\"; format=flowed\n"
                        "Content-Transfer-Encoding: base64\n"
                        "\n" +
                            kB64a + "\n" + kB64b + "\n");
}

TEST(MessageRepair, BodyAfterFreeTextFieldFoundByBase64ShapeOrGuessed)
{
    auto u = unflatten("Message-ID: <a@b> Content-Transfer-Encoding: base64 Subject: hello there " + kB64a + " " +
                       kB64b);
    ASSERT_TRUE(u);
    EXPECT_FALSE(u->header_end_guessed);
    EXPECT_EQ(u->bytes, "Message-ID: <a@b>\nContent-Transfer-Encoding: base64\nSubject: hello there\n\n" + kB64a + "\n" +
                            kB64b + "\n");
    // Plain text after a free-text field: nothing marks where it starts, so
    // the field is taken to be empty and the text to be the body.
    auto g = unflatten("Message-ID: <a@b> Date: Thu, 07 Mar 2013 15:51:00 +0000 X-Mailer: Mutt body text");
    ASSERT_TRUE(g);
    EXPECT_TRUE(g->header_end_guessed);
    EXPECT_EQ(g->bytes, "Message-ID: <a@b>\nDate: Thu, 07 Mar 2013 15:51:00 +0000\nX-Mailer:\n\nMutt body text\n");
    // After a bounded field the body starts at the first word that is not a field.
    auto b = unflatten("Subject: hi Date: Thu, 07 Mar 2013 15:51:00 +0000 Message-ID: <a@b> Hi all, see below.");
    ASSERT_TRUE(b);
    EXPECT_FALSE(b->header_end_guessed);
    EXPECT_EQ(b->bytes, "Subject: hi\nDate: Thu, 07 Mar 2013 15:51:00 +0000\nMessage-ID: <a@b>\n\nHi all, see below.\n");
    // A field a message has once, seen again, starts the body (a patch's
    // "From:" and "Cc:" lines); unknown field names are body text too.
    auto p = unflatten("From: a@b Cc: c@d Subject: [PATCH] x DKIM-Filter: v2 Message-ID: <a@b> From: Real Author <r@a> "
                       "Cc: e@f Signed-off-by: R <r@a>");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->bytes, "From: a@b\nCc: c@d\nSubject: [PATCH] x\nDKIM-Filter: v2\nMessage-ID: <a@b>\n\n"
                        "From: Real Author <r@a> Cc: e@f Signed-off-by: R <r@a>\n");
}

TEST(MessageRepair, MultipartAndQuotedPrintableBodiesAreRebuilt)
{
    auto u = unflatten("From: a@example.org Subject: parts MIME-Version: 1.0 "
                       "Content-Type: multipart/mixed; boundary=\"XX\" preamble --XX Content-Type: text/plain; "
                       "charset=utf-8 Content-Transfer-Encoding: quoted-printable caf=C3=A9 and a long= line --XX "
                       "Content-Type: application/pdf; name=\"a b.pdf\" Content-Transfer-Encoding: base64 "
                       "JVBERi0xLjQgdGVzdA== --XX-- epilogue");
    ASSERT_TRUE(u);
    EXPECT_EQ(u->bytes, "From: a@example.org\nSubject: parts\nMIME-Version: 1.0\n"
                        "Content-Type: multipart/mixed; boundary=\"XX\"\n\npreamble\n"
                        "--XX\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n"
                        "caf=C3=A9 and a long=\nline\n"
                        "--XX\nContent-Type: application/pdf; name=\"a b.pdf\"\nContent-Transfer-Encoding: base64\n\n"
                        "JVBERi0xLjQgdGVzdA==\n\n"
                        "--XX--\nepilogue\n");
}

TEST(MessageRepair, PipermailAtAddressesAreRestoredInAddressFieldsOnly)
{
    auto r = restore_at_addresses("From: ann.b at example.org (Ann B)\nTo: list at lists.example.org,\n"
                                  " bob at example.org\nSubject: meet at noon at example.com\n\n"
                                  "From: ann at example.org wrote\n");
    ASSERT_TRUE(r);
    EXPECT_EQ(*r, "From: ann.b@example.org (Ann B)\nTo: list@lists.example.org,\n bob@example.org\n"
                  "Subject: meet at noon at example.com\n\nFrom: ann at example.org wrote\n");
    EXPECT_FALSE(restore_at_addresses("From: Ann <ann@example.org>\nTo: bob at home\n\nx\n"));
}

TEST(HeaderBlock, IntactMessagesAreLeftAlone)
{
    EXPECT_FALSE(repair_header_block("From: a@b\nSubject: x\n\nbody\n"));
    EXPECT_FALSE(repair_header_block("From: a@b\r\nSubject: x\r\n folded\r\n\r\nbody\r\n"));
    EXPECT_FALSE(repair_header_block("From: a@b\nSubject: x\n")); // a header and no body
}

TEST(HeaderBlock, NoBlankLineTheBodyStartsAtTheFirstLineThatIsNotAField)
{
    auto r = repair_header_block("From: a@b\nSubject: x\nFirst body line.\nSecond.\n");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->bytes, "From: a@b\nSubject: x\n\nFirst body line.\nSecond.\n");
    ASSERT_EQ(r->problems.size(), 1u);
    // A broken continuation (Exchange) and an 8-bit byte in a name end the
    // header, as in Python's email and mutt.
    r = repair_header_block("From: a@b\nSubject: long\nwrapped badly\nMessage-ID: <x@y>\n\nbody\n");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->bytes, "From: a@b\nSubject: long\n\nwrapped badly\nMessage-ID: <x@y>\n\nbody\n");
    r = repair_header_block("From: a@b\nX-\xC3\x9Cml: y\nSubject: s\n\nbody\n");
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->bytes.starts_with("From: a@b\n\nX-\xC3\x9Cml: y\n"));
    r = repair_header_block("From: a@b\r\nBody at once\r\n");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->bytes, "From: a@b\r\n\r\nBody at once\r\n");
}

TEST(HeaderBlock, ByteOrderMarkLeadingSpaceAndSpaceBeforeTheColon)
{
    auto r = repair_header_block("\xEF\xBB\xBF" "From: a@b\nSubject: x\n\nbody\n");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->bytes, "From: a@b\nSubject: x\n\nbody\n");
    EXPECT_EQ(r->problems.size(), 1u);
    r = repair_header_block("  From: a@b\nSubject: x\n\nbody\n");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->bytes, "From: a@b\nSubject: x\n\nbody\n");
    // RFC 5322 4.5.3 allows white space before the colon: modernised, not a problem.
    r = repair_header_block("From: a@b\nSubject : spaced\nDate\t: Mon, 4 Mar 2024 09:00:00 +0000\n\nbody\n");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->bytes, "From: a@b\nSubject: spaced\nDate: Mon, 4 Mar 2024 09:00:00 +0000\n\nbody\n");
    EXPECT_TRUE(r->problems.empty());
}

namespace {

// A page as Debian's mhonarc -spammode writes it for a message with a PNG
// shown inline and a PDF attached (trimmed to the parts that matter).
const std::string kMhonarcPage =
    "<!-- MHonArc v2.6.19+ -->\n"
    "<!--X-Subject: =?UTF&#45;8?Q?Re=3A_caf=C3=A9?= -->\n"
    "<!--X-From-R13: \"Zrrpu, [nephf\" &#60;zyrrpuNevcarg.pbz> -->\n"
    "<!--X-Date: Mon, 4 Mar 2024 09:00:00 +0100 -->\n"
    "<!--X-Message-Id: m1@example.org -->\n"
    "<!--X-Content-Type: multipart/mixed -->\n"
    "<!--X-Reference: m0@example.org -->\n"
    "<!--X-Derived: pngTQDax6isRk.png -->\n"
    "<!--X-Derived: pdfJ6UYwToIrw.pdf -->\n"
    "<!--X-Head-End-->\n<html><head><title>Re: caf&#xE9;</title></head><body>\n"
    "<!--X-Head-of-Message-->\n<ul>\n"
    "<li><em>To</em>: Ettus List &lt;<a href=\"mailto:usrp-users@DOMAIN.HIDDEN\">usrp-users@xxxxxxxxxxxxxxx</a>&gt;, "
    "<a href=\"mailto:bob@DOMAIN.HIDDEN\">bob@xxxxxxxxxxx</a></li>\n"
    "<li><em>Cc</em>: Ann &lt;ann@example.org&gt;</li>\n"
    "<li><em>Subject</em>: Re: caf&#xE9;</li>\n"
    "<li><em>Date</em>: Mon, 4 Mar 2024 09:00:00 +0100</li>\n"
    "<li><em>In-reply-to</em>: &lt;m0@example.org&gt;</li>\n"
    "</ul>\n<!--X-Head-of-Message-End-->\n"
    "<!--X-Body-of-Message-->\n"
    "<pre>Hello &lt;world&gt; &amp; all.</pre><p><a href=\"pngTQDax6isRk.png\" >"
    "<img\n    src=\"pngTQDax6isRk.png\" alt=\"PNG image\"></a></p>\n"
    "<p><img src=\"https://example.org/logo.png\" alt=\"remote\"></p>\n"
    "<p><strong>Attachment:\n<a href=\"pdfJ6UYwToIrw.pdf\" ><tt>doc.pdf</tt></a></strong><br>\n"
    "<em>Description:</em> Adobe PDF document</p>\n"
    "<!--X-Body-of-Message-End-->\n</body></html>\n";

bool has(const std::string& hay, std::string_view needle)
{
    return hay.find(needle) != std::string::npos;
}

} // namespace

TEST(MhonarcPage, KindsOfPages)
{
    EXPECT_EQ(mhonarc_kind(kMhonarcPage), MhonarcKind::message);
    EXPECT_EQ(mhonarc_kind("\n<!-- MHonArc v2.6.19+ -->\n<!DOCTYPE HTML>\n<title>Date Index</title>"),
              MhonarcKind::index);
    EXPECT_EQ(mhonarc_kind("<html><!--X-Message-Id: x --></html>"), MhonarcKind::none);
    EXPECT_FALSE(rebuild_mhonarc_message("<!-- MHonArc v2.6.19+ -->\n<title>Thread Index</title>"));
}

TEST(MhonarcPage, HeadersComeBackFromTheCommentsAndTheShownList)
{
    const auto m = rebuild_mhonarc_message(kMhonarcPage);
    ASSERT_TRUE(m);
    const std::string& msg = m->message;
    // X-From-R13 is the sender as written, address included (R13: '@' <-> 'N').
    EXPECT_TRUE(has(msg, "From: \"Leech, Marcus\" <mleech@ripnet.com>\n")) << msg;
    // X-Subject keeps the encoded word, not MHonArc's decoded title.
    EXPECT_TRUE(has(msg, "Subject: =?UTF-8?Q?Re=3A_caf=C3=A9?=\n")) << msg;
    EXPECT_TRUE(has(msg, "Date: Mon, 4 Mar 2024 09:00:00 +0100\n")) << msg;
    EXPECT_TRUE(has(msg, "Message-ID: <m1@example.org>\n")) << msg;
    EXPECT_TRUE(has(msg, "References: <m0@example.org>\n")) << msg;
    EXPECT_TRUE(has(msg, "In-Reply-To: <m0@example.org>\n")) << msg;
    // Hidden addresses: the name stays (quoted, alone), a bare one goes.
    EXPECT_TRUE(has(msg, "To: \"Ettus List\"\n")) << msg;
    EXPECT_FALSE(has(msg, "xxxx")) << msg;
    EXPECT_TRUE(has(msg, "Cc: Ann <ann@example.org>\n")) << msg;
    EXPECT_NE(std::ranges::find(m->notes, std::string("addresses in To hidden by the archive; names kept")),
              m->notes.end());
}

TEST(MhonarcPage, BodyAttachmentsAndInlineImages)
{
    // The saved parts are the X-Derived comments; pages of MHonArc versions
    // that wrote none give the same parts from the body.
    std::string without_derived = kMhonarcPage;
    for (size_t at; (at = without_derived.find("<!--X-Derived:")) != std::string::npos;)
        without_derived.erase(at, without_derived.find('\n', at) + 1 - at);
    for (const std::string& page : {kMhonarcPage, without_derived}) {
        const auto m = rebuild_mhonarc_message(page);
        ASSERT_TRUE(m);
        const std::string& msg = m->message;
        EXPECT_TRUE(has(msg, "Content-Type: multipart/mixed;")) << msg;
        // The body goes on as the HTML it was; the attachment paragraph leaves it.
        EXPECT_TRUE(has(msg, "<pre>Hello &lt;world&gt; &amp; all.</pre>")) << msg;
        EXPECT_FALSE(has(msg, "Attachment:")) << msg;
        EXPECT_TRUE(has(msg, "Content-Type: application/pdf; name=\"doc.pdf\"\n"
                             "Content-Disposition: attachment; filename=\"doc.pdf\"\n")) << msg;
        // The inline image is named after its file in the archive (MHonArc's
        // alt is only the type); a remote image is not a part of the message.
        EXPECT_TRUE(has(msg, "Content-Type: image/png; name=\"pngTQDax6isRk.png\"\n"
                             "Content-Disposition: inline; filename=\"pngTQDax6isRk.png\"\n")) << msg;
        EXPECT_FALSE(has(msg, "logo.png\"\n")) << msg;
        EXPECT_EQ(std::ranges::count_if(m->notes, [](const std::string& n) { return n.find("beside the page") !=
                                                                                 std::string::npos; }),
                  2);
    }
}

TEST(MhonarcPage, DecodedNamesStayOneName)
{
    // MHonArc shows names decoded: a comma or parentheses from an encoded
    // word must not split the entry or read as a comment.
    const std::string page = "<!-- MHonArc v2.6.19+ -->\n<!--X-Message-Id: n@x -->\n<!--X-Head-End-->\n"
                             "<!--X-Head-of-Message-->\n<ul>\n"
                             "<li><em>Cc</em>: Skorstad,J&#xF8;rn &lt;j@n.no&gt;, Kai M&#xE4;kisara (Kolumbus) "
                             "&lt;k@f.fi&gt;, &quot;Clark \\(US\\), Kenneth&quot; &lt;<a href=\"mailto:c@DOMAIN.HIDDEN\">"
                             "c@xxxxxxxxxx</a>&gt;, &quot;<a href=\"mailto:u@DOMAIN.HIDDEN\">u@xxxxxxxxxx</a>&quot; &lt;"
                             "<a href=\"mailto:u@DOMAIN.HIDDEN\">u@xxxxxxxxxx</a>&gt;, Damon &lt;<a href=\"mailto:d@DOMAIN.HIDDEN\">d@xxxxxxxxx</a>&gt;"
                             "</li>\n</ul>\n<!--X-Head-of-Message-End-->\n"
                             "<!--X-Body-of-Message-->\n<pre>x</pre>\n<!--X-Body-of-Message-End-->\n";
    const auto m = rebuild_mhonarc_message(page);
    ASSERT_TRUE(m);
    EXPECT_TRUE(has(m->message, "Cc: \"Skorstad,J\xC3\xB8rn\" <j@n.no>, \"Kai M\xC3\xA4kisara (Kolumbus)\" <k@f.fi>, "
                                "\"Clark \\(US\\), Kenneth\", \"Damon\"\n"))
        << m->message;
}
