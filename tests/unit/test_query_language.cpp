// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
// The query language in lore's vocabulary, and the wrong answers issue 14
// found: each test here failed on the schema-6 code.

#include "TempDir.hpp"
#include "listdex/index/Importer.hpp"
#include "listdex/query/QueryDate.hpp"
#include "listdex/query/Searcher.hpp"

#include <gtest/gtest.h>

using namespace listdex;

namespace {

/// A patch as git format-patch / send-email writes it.
const char* kPatch = R"(From: Alice Author <alice@example.org>
To: list@example.org
Cc: Bob Reviewer <bob@example.org>
Subject: [PATCH v2] sigaction.2: document SA_RESTART
Message-ID: <patch1@example.org>
Date: Mon, 04 Mar 2024 09:15:00 +0000
Received: from mx.example.org by list.example.org; Tue, 05 Mar 2024 10:00:00 +0000
List-Id: <man.example.org>
Content-Type: text/plain; charset=utf-8

The sigaction documentation lacked SA_RESTART.

Signed-off-by: Alice Author <alice@example.org>
---
 man2/sigaction.2 | 3 ++-
 1 file changed, 2 insertions(+), 1 deletion(-)

diff --git a/man2/sigaction.2 b/man2/sigaction.2
index 1234567abc..89abcdef01 100644
--- a/man2/sigaction.2
+++ b/man2/sigaction.2
@@ -10,7 +10,8 @@ static int install_handler(void)
 The handler is called
-with SA_NODEFER unset.
+with SA_RESTART set,
+restarting interrupted calls.
 and returns.
-- 
2.39.5
)";

/// A reply quoting the patch: its diff is not the reply's own.
const char* kReply = R"(From: Bob Reviewer <bob@example.org>
To: Alice Author <alice@example.org>
Subject: Re: [PATCH v2] sigaction.2: document SA_RESTART
Message-ID: <reply1@example.org>
In-Reply-To: <patch1@example.org>
References: <patch1@example.org>
Date: Tue, 05 Mar 2024 11:00:00 +0000
List-Id: <man.example.org>

> diff --git a/man2/sigaction.2 b/man2/sigaction.2
> +with SA_RESTART set,

Looks right; undefined behavior otherwise.

Reviewed-by: Bob Reviewer <bob@example.org>
)";

/// Attachments: a patch file, a signature, a PNG and a PDF.
const char* kAttachments = R"(From: Carol <carol@example.net>
To: list@example.org
Subject: logs and a fix
Message-ID: <attach1@example.net>
Date: Wed, 06 Mar 2024 12:00:00 +0000
List-Id: other list <other.example.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b"

--b
Content-Type: text/plain

See the signature attached.
--b
Content-Type: text/x-patch; name="0001-Fix-the-Frobnicator.patch"
Content-Disposition: attachment; filename="0001-Fix-the-Frobnicator.patch"

diff --git a/src/frob.c b/src/frob.c
--- a/src/frob.c
+++ b/src/frob.c
@@ -1 +1 @@
-old_frob();
+new_frob();
--b
Content-Type: application/pgp-signature; name="signature.asc"
Content-Disposition: attachment; filename="signature.asc"

-----BEGIN PGP SIGNATURE-----
--b
Content-Type: image/png; name="screen.png"
Content-Transfer-Encoding: base64

iVBORw0KGgo=
--b
Content-Type: application/pdf; name="report.pdf"
Content-Transfer-Encoding: base64

JVBERi0=
--b--
)";

std::string mbox(const std::vector<std::string>& messages)
{
    std::string out;
    for (const auto& m : messages)
        out += "From x@example.org Mon Mar  4 09:00:00 2024\n" + m + "\n";
    return out;
}

class Lore : public ::testing::Test {
protected:
    static void SetUpTestSuite()
    {
        dir_ = new TempDir;
        auto r = import_archives({dir_->path / "index"}, {dir_->write("l.mbox", mbox({kPatch, kReply, kAttachments}))},
                                 {});
        ASSERT_TRUE(r) << r.error().message;
        ASSERT_EQ(r->imported, 3u);
    }
    static void TearDownTestSuite() { delete dir_; }
    static TempDir* dir_;

    std::unique_ptr<Searcher> searcher()
    {
        auto s = Searcher::open({dir_->path / "index"});
        EXPECT_TRUE(s) << s.error().message;
        return std::move(*s);
    }
    uint64_t count(const std::string& q, bool threads = false)
    {
        auto n = searcher()->count(q, threads);
        EXPECT_TRUE(n) << q << ": " << (n ? "" : n.error().message);
        return n ? *n : UINT64_MAX;
    }
    std::vector<std::string> ids(const std::string& q)
    {
        auto hits = searcher()->messages(q, {});
        EXPECT_TRUE(hits) << q << ": " << (hits ? "" : hits.error().message);
        std::vector<std::string> out;
        if (hits)
            for (const auto& h : *hits)
                out.push_back(h.message_id);
        std::sort(out.begin(), out.end());
        return out;
    }
    void invalid(const std::string& q)
    {
        auto n = searcher()->count(q, false);
        ASSERT_FALSE(n) << q << " should be an error";
        EXPECT_EQ(n.error().code, ExitCode::usage) << q;
    }
};
TempDir* Lore::dir_ = nullptr;

} // namespace

TEST_F(Lore, TrailingWildcardsExpandOverWordsAsWritten)
{
    // "sigaction" stems to "sigact", "documentation" to "document": the old
    // stems-only index found nothing for these.
    EXPECT_EQ(count("sigaction*"), 2u);
    EXPECT_EQ(count("s:documentation*"), 0u);
    EXPECT_EQ(count("documentation*"), 1u);
    EXPECT_EQ(count("s:docum*"), 2u);
    EXPECT_EQ(count("signature*"), 1u);
    EXPECT_EQ(count("n:signature*"), 1u);
}

TEST_F(Lore, AttachmentSuffixesAndOtherGlobs)
{
    EXPECT_EQ(ids("n:*.patch"), std::vector<std::string>{"attach1@example.net"});
    EXPECT_EQ(count("n:*.asc"), 1u);
    EXPECT_EQ(count("n:*.dts"), 0u);
    EXPECT_EQ(count("n:0001-*"), 1u);
    EXPECT_EQ(count("n:*frob*"), 1u);
    EXPECT_EQ(count("attachment:*.PNG"), 1u); // any case
    EXPECT_EQ(count("n:*.patch s:patch"), 0u);
    EXPECT_EQ(count("mimetype:image/*"), 1u);
    EXPECT_EQ(count("list:*.example.org"), 2u);
    // Forms that Xapian would silently read as another query are errors.
    for (const char* q : {"*.patch", "s:*patch", "sig*tion", "*", "foo *", "b:*x", "thread:0000*"})
        if (std::string(q) != "*")
            invalid(q);
}

TEST_F(Lore, RepeatedFieldsAreAndedExceptLists)
{
    EXPECT_EQ(count("mimetype:image/png"), 1u);
    EXPECT_EQ(count("mimetype:image/png mimetype:application/pdf"), 1u);
    EXPECT_EQ(count("mimetype:image/png mimetype:text/x-patch mimetype:application/pdf"), 1u);
    EXPECT_EQ(count("mimetype:image/png mimetype:image/gif"), 0u); // AND, not OR
    EXPECT_EQ(count("list:man.example.org list:other.example.com"), 3u); // the exception: any list
    EXPECT_EQ(count("list:man.example.org l:other.example.com"), 3u);    // short names too
    EXPECT_EQ(count("list:man.example.org AND list:other.example.com"), 0u);
    EXPECT_EQ(count("from:alice@example.org from:bob@example.org"), 0u);
    EXPECT_EQ(count("d:2024-03-04 d:2024-03-05"), 0u);
}

// Regression: Xapian's RangeProcessor ORed a range with a boolean filter
// written before it ("thread:X d:2024.." matched everything since 2024).
TEST_F(Lore, FiltersAndDateRangesAreAndedInAnyOrder)
{
    EXPECT_EQ(count("d:2024-03-05.."), 2u);
    EXPECT_EQ(count("id:patch1@example.org d:2024-03-05.."), 0u);
    EXPECT_EQ(count("d:2024-03-05.. id:patch1@example.org"), 0u);
    EXPECT_EQ(count("mimetype:image/png d:..2024-03-05"), 0u);
    EXPECT_EQ(count("mimetype:image/png dt:..20240305235959"), 0u);
    EXPECT_EQ(count("list:man.example.org d:2024-03-05.."), 1u);
    EXPECT_EQ(count("d:2024-03-04.. d:..2024-03-05"), 2u);
    EXPECT_EQ(count("from:alice d:2024-03-05..2024-03-06"), 0u);
    invalid("d:..");
    invalid("d:2024-13..");
}

// tag: and is: are the reader's: refused without one (the web server),
// answered from tag terms with one.
TEST_F(Lore, TagsAndReadStateNeedAReader)
{
    auto s = searcher();
    for (const char* q : {"tag:todo", "is:unread", "is:followed", "x OR tag:a"}) {
        auto n = s->count(q, false);
        ASSERT_FALSE(n) << q;
        EXPECT_EQ(n.error().code, ExitCode::usage);
        EXPECT_NE(n.error().message.find("reader's own state"), std::string::npos) << n.error().message;
    }
    s->set_reader({{"Bob@Example.org"}});
    EXPECT_EQ(*s->count("is:unread", false), 3u);
    EXPECT_EQ(*s->count("is:read", false), 0u);
    EXPECT_EQ(*s->count("tag:todo", false), 0u);
    EXPECT_EQ(*s->count("is:followed", false), 2u) << "the thread bob wrote in: patch and reply";
    EXPECT_FALSE(s->count("tag:a\"b", false));
    EXPECT_FALSE(s->count("is:-x", false));
}

TEST_F(Lore, PastedMessageIdsFindTheMessage)
{
    EXPECT_EQ(ids("<patch1@example.org>"), std::vector<std::string>{"patch1@example.org"});
    EXPECT_EQ(ids("patch1@example.org"), std::vector<std::string>{"patch1@example.org"});
    EXPECT_EQ(ids("  <reply1@example.org> "), std::vector<std::string>{"reply1@example.org"});
    EXPECT_EQ(count("<nothing@example.org>"), 0u);
    // A bare address that is no Message-ID stays a word search (the
    // patch's From and Signed-off-by; To is not searched by bare words).
    EXPECT_EQ(count("alice@example.org"), 1u);
}

TEST_F(Lore, AddressFields)
{
    EXPECT_EQ(count("a:bob@example.org"), 2u);  // Cc of the patch, From of the reply
    EXPECT_EQ(count("a:carol"), 1u);
    EXPECT_EQ(count("tc:bob@example.org"), 1u); // only the patch has him in To/Cc
    EXPECT_EQ(count("tc:alice"), 1u);
    EXPECT_EQ(count("f:alice t:list"), 1u);
}

TEST_F(Lore, BodyAndSubjectFields)
{
    EXPECT_EQ(count("bs:sa_restart"), 2u);
    EXPECT_EQ(count("bs:restarting"), 1u); // a word of the patch's added lines
    EXPECT_EQ(count("b:documentation"), 1u);
    EXPECT_EQ(count("b:\"undefined behavior\""), 1u);
    EXPECT_EQ(count("bodysubject:frobnicator"), 0u); // only in a filename and the diff
    EXPECT_EQ(count("b:new_frob"), 1u);             // diff lines are body text
}

TEST_F(Lore, DiffFieldsAsPublicInboxIndexesThem)
{
    EXPECT_EQ(ids("dfn:sigaction.2"), std::vector<std::string>{"patch1@example.org"}); // not the quoting reply
    EXPECT_EQ(count("dfn:man2"), 1u);
    EXPECT_EQ(count("dfn:frob.c"), 1u); // a patch in a text attachment
    // public-inbox: dfa: is the a/ side (removed lines), dfb: the b/ side.
    EXPECT_EQ(count("dfa:SA_NODEFER"), 1u);
    EXPECT_EQ(count("dfb:SA_NODEFER"), 0u);
    EXPECT_EQ(count("dfb:\"restarting interrupted calls\""), 1u);
    EXPECT_EQ(count("dfa:restarting"), 0u);
    EXPECT_EQ(count("dfb:new_frob"), 1u);
    EXPECT_EQ(count("dfhh:install_handler"), 1u);
    EXPECT_EQ(count("dfctx:handler"), 1u);
    EXPECT_EQ(count("dfctx:restart"), 0u);
    EXPECT_EQ(count("dfpre:1234567"), 1u);
    EXPECT_EQ(count("dfpre:1234567abc"), 1u);
    EXPECT_EQ(count("dfpost:89abcdef01"), 1u);
    EXPECT_EQ(count("dfpost:1234567"), 0u);
    EXPECT_EQ(count("dfblob:89abcde"), 1u);
    invalid("dfpre:123");    // shorter than git abbreviates
    invalid("patchid:xyz");
    // The words of diff lines are not the message's own prose.
    EXPECT_EQ(count("nq:interrupted"), 1u);
    EXPECT_EQ(count("q:sa_restart"), 1u); // the reply quotes an added line
}

TEST_F(Lore, DateFormsLeiAndB4Send)
{
    EXPECT_EQ(count("d:20240304"), 1u);
    EXPECT_EQ(count("d:20240304.."), 3u);
    EXPECT_EQ(count("d:20240305..20240306"), 2u);
    EXPECT_EQ(count("dt:20240304091500..20240304091500"), 1u);
    EXPECT_EQ(count("dt:20240304091501.."), 2u);
    EXPECT_EQ(count("datetime:2024-03-05T11:00.."), 2u);
    EXPECT_EQ(count("rt:20240305"), 2u); // the patch was received a day after its Date
    EXPECT_EQ(count("received:2024-03-04"), 0u);
    EXPECT_EQ(count("d:last.week.."), 0u); // long ago
    EXPECT_EQ(count("d:..last.friday"), 3u);
    EXPECT_EQ(count("d:3.months.ago.."), 0u);
    invalid("d:2024-13");
    invalid("dt:someday..");
}

TEST_F(Lore, ThreadCountsAndDatesAreExact)
{
    auto s = searcher();
    EXPECT_EQ(count("sa_restart", true), 1u);
    EXPECT_EQ(count("*", true), 2u);
    SearchOptions opt;
    auto threads = s->threads("sa_restart", opt);
    ASSERT_TRUE(threads);
    ASSERT_EQ(threads->size(), 1u);
    EXPECT_EQ((*threads)[0].matched, 2u);
    EXPECT_EQ((*threads)[0].messages, 2u);
    auto only_patch = s->threads("dfn:sigaction.2", opt);
    ASSERT_TRUE(only_patch);
    ASSERT_EQ(only_patch->size(), 1u);
    EXPECT_EQ((*only_patch)[0].matched, 1u);
    // The date printed is the one the list is ordered by: the newest
    // matching message, not the thread's newest.
    EXPECT_EQ((*only_patch)[0].date, 1709543700); // 2024-03-04 09:15 (the patch)
    EXPECT_GT((*only_patch)[0].newest, (*only_patch)[0].date);
}

TEST(QueryDates, PublicInboxAndApproxidateForms)
{
    const int64_t now = 1'700'000'000; // Tue 2023-11-14T22:13:20Z
    EXPECT_EQ(parse_query_date("20231114", now)->first, 1699920000);
    EXPECT_EQ(parse_query_date("20231114", now)->last, 1699920000 + 86399);
    EXPECT_EQ(parse_query_date("20231114221320", now)->first, now);
    EXPECT_EQ(parse_query_date("20231114221320", now)->last, now);
    EXPECT_EQ(parse_query_date("2023-11-14T22:13:20", now)->first, now);
    EXPECT_EQ(parse_query_date("last.week", now)->first, now - 7 * 86400);
    EXPECT_EQ(parse_query_date("3.months.ago", now)->first, now - 90 * 86400);
    EXPECT_EQ(parse_query_date("last.friday", now)->first, now - 4 * 86400);
    EXPECT_EQ(parse_query_date("last.tuesday", now)->first, now - 7 * 86400); // today is Tuesday
    EXPECT_EQ(parse_query_date("monday", now)->first, now - 1 * 86400);
    EXPECT_TRUE(parse_query_date("last.week", now)->relative);
    EXPECT_EQ(parse_query_date("now", now)->first, now);
    EXPECT_FALSE(parse_query_date("2023111", now));
    EXPECT_FALSE(parse_query_date("20231301", now));
    EXPECT_FALSE(parse_query_date("last.fortnight", now));
    EXPECT_FALSE(parse_query_date("week", now));
}
