// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "TempDir.hpp"
#include "index/IndexConfig.hpp"
#include "index/IndexWriter.hpp"
#include "index/ShardStub.hpp"
#include "index/StoredDocument.hpp"
#include "query/PhraseGrams.hpp"
#include "query/QueryFilter.hpp"
#include "query/QueryParser.hpp"
#include "query/SearcherImpl.hpp"
#include "ThreadShapes.hpp"
#include "listdex/base/Text.hpp"
#include "listdex/index/IndexCheck.hpp"
#include "listdex/index/Importer.hpp"
#include "listdex/index/Schema.hpp"
#include "listdex/query/QueryDate.hpp"
#include "listdex/query/Searcher.hpp"
#include "listdex/query/Snippet.hpp"

#include <gtest/gtest.h>
#include <xapian.h>

#include <algorithm>
#include <ctime>
#include <fstream>
#include <functional>
#include <map>
#include <numeric>
#include <random>
#include <set>
#include <span>

using namespace listdex;

namespace {

std::string message(const std::string& id, const std::vector<std::string>& refs, const std::string& irt, int minute,
                    const std::string& subject = "shape", const std::string& body = "body text")
{
    std::string h = "From: Sender <s@example.org>\nSubject: " + subject + "\nMessage-ID: <" + id + ">\n" +
                    "Date: Mon, 04 Mar 2024 09:" + (minute < 10 ? "0" : "") + std::to_string(minute) + ":00 +0000\n";
    if (!refs.empty()) {
        h += "References:";
        for (const auto& r : refs)
            h += " <" + r + ">";
        h += "\n";
    }
    if (!irt.empty())
        h += "In-Reply-To: <" + irt + ">\n";
    return h + "\n" + body + "\n";
}

std::string mbox(const std::vector<std::string>& messages)
{
    std::string out;
    for (const auto& m : messages)
        out += "From s@example.org Mon Mar  4 09:00:00 2024\n" + m + "\n";
    return out;
}

void import(const TempDir& dir, const std::vector<std::string>& messages, const std::string& name,
            const ImportOptions& opt = {})
{
    auto r = import_archives({dir.path / "index"}, {dir.write(name, mbox(messages))}, opt);
    ASSERT_TRUE(r) << r.error().message;
    ASSERT_EQ(r->rejected, 0u);
}

std::unique_ptr<Searcher> searcher(const TempDir& dir)
{
    auto s = Searcher::open({dir.path / "index"});
    EXPECT_TRUE(s) << s.error().message;
    return std::move(*s);
}

std::string render(const ThreadView& v)
{
    return render_forest(v.forest, [&](const ThreadTreeNode& n) {
        const ThreadEntry& e = v.entries[n.member];
        return (e.missing ? "?" : "") + e.message_id.substr(0, e.message_id.find('@'));
    });
}

uint64_t count(Searcher& s, const std::string& q, bool threads = false)
{
    auto n = s.count(q, threads);
    EXPECT_TRUE(n) << q << ": " << (n ? "" : n.error().message);
    return n ? *n : UINT64_MAX;
}

} // namespace

TEST(Threads, EveryShapeInEveryOrderSplitAcrossTwoImportsAndShards)
{
    int cases = 0;
    for (const Shape& shape : all_shapes(4)) {
        const int n = static_cast<int>(shape.parent.size());
        std::vector<int> order(n);
        std::iota(order.begin(), order.end(), 0);
        do {
            // split == n: one import; otherwise the first `split` messages
            // arrive in one import and the rest in a second.
            for (int split = 1; split <= n; ++split) {
                // A thread's messages and ghosts spread over 1-3 shards;
                // a commit after every message (lookups of committed
                // documents) or one at the end (of pending ones).
                ImportOptions opt;
                opt.shards = 1 + cases % 3;
                opt.batch_messages = cases % 2 ? 1 : 250;
                TempDir dir;
                std::vector<std::string> first, second;
                std::vector<bool> present(n, false);
                for (int k = 0; k < n; ++k) {
                    const int i = order[k];
                    const std::string irt = shape.parent[i] >= 0 ? shape_id(shape.parent[i]) : "";
                    (k < split ? first : second).push_back(message(shape_id(i), shape_references(shape, i), irt, i));
                    if (k < split)
                        present[i] = true;
                }
                import(dir, first, "first.mbox", opt);
                if (!second.empty()) {
                    auto s = searcher(dir);
                    auto v = s->thread(shape_id(order[0]));
                    ASSERT_TRUE(v);
                    EXPECT_EQ(render(*v), expected_tree(shape, present));
                    import(dir, second, "second.mbox", opt);
                }
                auto s = searcher(dir);
                auto v = s->thread(shape_id(0));
                ASSERT_TRUE(v);
                EXPECT_EQ(render(*v), expected_tree(shape, std::vector<bool>(n, true)));
                EXPECT_EQ(count(*s, "*", true), 1u);
                ++cases;
            }
        } while (std::next_permutation(order.begin(), order.end()));
    }
    EXPECT_GT(cases, 500);
}

TEST(Threads, MergedThreadIdsKeepWorking)
{
    TempDir dir;
    import(dir, {message("a@x", {}, "", 1, "first"), message("a1@x", {"a@x"}, "a@x", 2, "first"),
                 message("b@x", {}, "", 3, "second")},
           "one.mbox");
    auto before = searcher(dir);
    auto ta = before->thread("a@x");
    auto tb = before->thread("b@x");
    ASSERT_TRUE(ta && tb);
    ASSERT_NE(ta->thread, tb->thread);
    import(dir, {message("c@x", {"a@x", "b@x"}, "b@x", 4, "link")}, "two.mbox");
    auto s = searcher(dir);
    auto merged = s->thread("thread:" + tb->thread);
    ASSERT_TRUE(merged);
    EXPECT_EQ(merged->thread, ta->thread); // the larger thread's id survives
    EXPECT_EQ(merged->requested_alias, tb->thread);
    EXPECT_EQ(render(*merged), "a(a1) b(c)");
    EXPECT_EQ(count(*s, "thread:" + tb->thread), 4u);
    EXPECT_EQ(count(*s, "thread:" + ta->thread), 4u);
    EXPECT_EQ(count(*s, "*", true), 1u);
}

TEST(Threads, GhostsAreNotMessages)
{
    TempDir dir;
    import(dir, {message("r@x", {"gone-root@x", "gone-parent@x"}, "gone-parent@x", 1)}, "g.mbox");
    auto s = searcher(dir);
    EXPECT_EQ(count(*s, "*"), 1u);
    EXPECT_EQ(count(*s, "id:gone-parent@x"), 0u);
    auto v = s->thread("gone-parent@x"); // a ghost's id still finds its thread
    ASSERT_TRUE(v);
    EXPECT_EQ(render(*v), "?gone-root(?gone-parent(r))");
    auto missing = s->thread("nope@x");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, ExitCode::not_found);
}

class QueryLanguage : public ::testing::Test {
protected:
    static void SetUpTestSuite()
    {
        dir_ = new TempDir;
        std::vector<std::string> m{
            message("p1@x", {}, "", 1, "[PATCH] fix the frobnicator", "This patch fixes running processes."),
            message("p2@x", {"p1@x"}, "p1@x", 2, "Re: [PATCH] fix the frobnicator", "Reviewed-by: Bob. Runs fine."),
            message("q1@x", {}, "", 3, "Question about mmap", "How does mmap work with huge pages?"),
        };
        m[2].insert(0, "To: Carol <carol@example.net>\nCc: Dave <dave@example.com>\nList-Id: Dev <dev.lists.example.org>\n");
        import(*dir_, m, "q.mbox");
    }
    static void TearDownTestSuite() { delete dir_; }
    static TempDir* dir_;
};
TempDir* QueryLanguage::dir_ = nullptr;

TEST_F(QueryLanguage, PrefixesAndShortForms)
{
    auto s = searcher(*dir_);
    EXPECT_EQ(count(*s, "from:sender"), 3u);
    EXPECT_EQ(count(*s, "f:s@example.org"), 3u);
    EXPECT_EQ(count(*s, "to:carol"), 1u);
    EXPECT_EQ(count(*s, "t:carol"), 1u);
    EXPECT_EQ(count(*s, "cc:dave"), 1u);
    EXPECT_EQ(count(*s, "c:dave@example.com"), 1u);
    EXPECT_EQ(count(*s, "subject:frobnicator"), 2u);
    EXPECT_EQ(count(*s, "s:mmap"), 1u);
    EXPECT_EQ(count(*s, "body:reviewed"), 1u);
    EXPECT_EQ(count(*s, "b:frobnicator"), 0u); // only in subjects
    EXPECT_EQ(count(*s, "list:dev.lists.example.org"), 1u);
    EXPECT_EQ(count(*s, "l:DEV.lists.example.org"), 1u);
    EXPECT_EQ(count(*s, "id:<p2@x>"), 1u);
    EXPECT_EQ(count(*s, "m:p2@x"), 1u);
    EXPECT_EQ(count(*s, "mimetype:text/plain"), 3u);
    EXPECT_EQ(count(*s, "ref:p1@x"), 1u);
}

TEST_F(QueryLanguage, BooleanOperatorsPhrasesWildcardsStemming)
{
    auto s = searcher(*dir_);
    EXPECT_EQ(count(*s, "frobnicator AND mmap"), 0u);
    EXPECT_EQ(count(*s, "frobnicator or mmap"), 3u);
    EXPECT_EQ(count(*s, "frobnicator not reviewed"), 1u);
    EXPECT_EQ(count(*s, "frobnicator -reviewed"), 1u);
    EXPECT_EQ(count(*s, "+frobnicator +reviewed"), 1u);
    EXPECT_EQ(count(*s, "(mmap OR reviewed) AND s:patch"), 1u);
    EXPECT_EQ(count(*s, "\"huge pages\""), 1u);
    EXPECT_EQ(count(*s, "\"pages huge\""), 0u);
    EXPECT_EQ(count(*s, "frobni*"), 2u);
    EXPECT_EQ(count(*s, "run"), 2u); // "running", "Runs" stem to run
    EXPECT_EQ(count(*s, "*"), 3u);
    EXPECT_EQ(count(*s, "NOT mmap"), 2u);
}

TEST_F(QueryLanguage, Dates)
{
    auto s = searcher(*dir_);
    EXPECT_EQ(count(*s, "date:2024"), 3u);
    EXPECT_EQ(count(*s, "d:2024-03"), 3u);
    EXPECT_EQ(count(*s, "date:2024-03-04"), 3u);
    EXPECT_EQ(count(*s, "date:2024-03-05.."), 0u);
    EXPECT_EQ(count(*s, "date:..2024-03-04"), 3u);
    EXPECT_EQ(count(*s, "date:@1709542860..@1709542920"), 2u); // 09:01 to 09:02
    EXPECT_EQ(count(*s, "date:2023..2023-12-31"), 0u);
    EXPECT_EQ(count(*s, "date:3d"), 0u);
    EXPECT_EQ(count(*s, "date:10.years.ago.."), 3u);
    EXPECT_EQ(count(*s, "date:today"), 0u);
    EXPECT_EQ(count(*s, "date:..yesterday"), 3u);
}

TEST(QueryDates, Forms)
{
    const int64_t now = 1'700'000'000; // 2023-11-14T22:13:20Z
    auto y = parse_query_date("2024", now);
    ASSERT_TRUE(y);
    EXPECT_EQ(y->first, 1704067200);
    EXPECT_EQ(y->last, 1735689599);
    EXPECT_EQ(parse_query_date("2024-02", now)->last, 1709251199); // leap February
    EXPECT_EQ(parse_query_date("today", now)->first, 1699920000);
    EXPECT_EQ(parse_query_date("yesterday", now)->last, 1699919999);
    EXPECT_EQ(parse_query_date("2.weeks.ago", now)->first, now - 14 * 86400);
    EXPECT_FALSE(parse_query_date("446744073709551615d", now)); // overflowed (fuzz_query)
    EXPECT_EQ(parse_query_date("3d", now)->first, now - 3 * 86400);
    EXPECT_EQ(parse_query_date("1year", now)->first, now - 365 * 86400);
    EXPECT_TRUE(parse_query_date("3d", now)->relative);
    EXPECT_EQ(parse_query_date("@12345", now)->first, 12345);
    EXPECT_FALSE(parse_query_date("2024-13", now));
    EXPECT_FALSE(parse_query_date("someday", now));
    EXPECT_FALSE(parse_query_date("3 parsecs", now));
}

TEST_F(QueryLanguage, InvalidQueriesSayWhatIsWrong)
{
    auto s = searcher(*dir_);
    // "-date:zzz x" and "+thread:xyz x" crashed Xapian's parser when our
    // processors threw (found by fuzz_query); they now fail like the rest.
    for (const char* q : {"fromm:alice", "date:someday", "date:..", "thread:xyz", "(unbalanced", "foo)", "\"open phrase",
                          "AND", "-date:zzz x", "+thread:xyz x", "-d:1 d:1 x"}) {
        auto r = s->count(q, false);
        ASSERT_FALSE(r) << q;
        EXPECT_EQ(r.error().code, ExitCode::usage) << q;
        EXPECT_NE(r.error().message.find("invalid query"), std::string::npos) << r.error().message;
        EXPECT_EQ(r.error().message.find('\n'), std::string::npos) << "one line: " << r.error().message;
    }
    EXPECT_EQ(count(*s, "see https://example.org/x"), 0u); // URLs are not fields
}

TEST_F(QueryLanguage, ListingsSortPageAndSnippet)
{
    auto s = searcher(*dir_);
    SearchOptions opt;
    auto newest = s->messages("*", opt);
    ASSERT_TRUE(newest);
    ASSERT_EQ(newest->size(), 3u);
    EXPECT_EQ((*newest)[0].message_id, "q1@x");
    opt.sort = SortOrder::oldest;
    opt.limit = 1;
    opt.offset = 1;
    auto page = s->messages("*", opt);
    ASSERT_TRUE(page);
    ASSERT_EQ(page->size(), 1u);
    EXPECT_EQ((*page)[0].message_id, "p2@x");
    auto hits = s->messages("huge", {});
    ASSERT_TRUE(hits);
    ASSERT_EQ(hits->size(), 1u);
    EXPECT_NE((*hits)[0].snippet.find("huge pages"), std::string::npos) << (*hits)[0].snippet;

    auto threads = s->threads("reviewed", {});
    ASSERT_TRUE(threads);
    ASSERT_EQ(threads->size(), 1u);
    const ThreadHit& t = (*threads)[0];
    EXPECT_EQ(t.matched, 1u);
    EXPECT_EQ(t.messages, 2u);
    EXPECT_EQ(t.subject, "[PATCH] fix the frobnicator");
    EXPECT_EQ(t.authors, std::vector<std::string>{"Sender"});
    EXPECT_LT(t.oldest, t.newest);
    EXPECT_EQ(count(*s, "*", true), 2u);
    EXPECT_EQ(count(*s, "frobnicator", true), 1u);
}

TEST(Search, PhrasesMatchQuotedLinesTooNqAndQNarrowThem)
{
    TempDir dir;
    import(dir,
           {message("orig@x", {}, "", 1, "barriers", "We need a memory barrier here.\n"),
            message("reply@x", {"orig@x"}, "orig@x", 2, "Re: barriers",
                    "> We need a memory barrier here.\n\nAgreed, and the cache flush too.\n")},
           "q.mbox");
    auto s = searcher(dir);
    // notmuch and public-inbox find a phrase wherever it is written.
    EXPECT_EQ(count(*s, "\"memory barrier\""), 2u);
    EXPECT_EQ(count(*s, "nq:\"memory barrier\""), 1u); // what a message itself says
    EXPECT_EQ(count(*s, "unquoted:\"memory barrier\""), 1u);
    EXPECT_EQ(count(*s, "q:\"memory barrier\""), 1u);  // quoted only: the reply
    EXPECT_EQ(count(*s, "q:agreed"), 0u);
    EXPECT_EQ(count(*s, "memory"), 2u);
    EXPECT_EQ(count(*s, "\"cache flush\""), 1u);
    EXPECT_EQ(count(*s, "\"memory barriers\""), 0u); // phrases are words as written (notmuch too)
    EXPECT_EQ(count(*s, "barriers"), 2u);               // single words by stem: plural finds singular
    EXPECT_EQ(count(*s, "flushing"), 1u);
}

TEST(Search, WholeAddressesMatchExactlyOtherAddressTextAsWords)
{
    TempDir dir;
    auto from = [](std::string m, const std::string& who) {
        return m.replace(m.find("Sender <s@example.org>"), 22, who);
    };
    import(dir,
           {from(message("a1@x", {}, "", 1, "one"), "Ann <ann@example.org>"),
            from(message("a2@x", {}, "", 2, "two"), "Ann Other <Ann@Example.org.uk>"),
            "To: ann@example.org\n" + message("a3@x", {}, "", 3, "three")},
           "q.mbox");
    auto s = searcher(dir);
    EXPECT_EQ(count(*s, "from:ann@example.org"), 1u); // not ann@example.org.uk, as a phrase would
    EXPECT_EQ(count(*s, "from:ANN@Example.ORG"), 1u);
    EXPECT_EQ(count(*s, "f:<ann@example.org>"), 1u);
    EXPECT_EQ(count(*s, "from:ann@example.org.uk"), 1u);
    EXPECT_EQ(count(*s, "from:ann"), 2u);                 // words of names and addresses
    EXPECT_EQ(count(*s, "from:\"ann@example.org\""), 2u); // quoted: a phrase of address words
    EXPECT_EQ(count(*s, "from:ann@example.*"), 2u);       // wildcards too
    EXPECT_EQ(count(*s, "to:ann@example.org"), 1u);
    EXPECT_EQ(count(*s, "from:ann@example.org OR to:ann@example.org"), 2u);
    EXPECT_EQ(count(*s, "(from:ann@example.org) subject:one"), 1u);
    EXPECT_EQ(count(*s, "subject:two -from:ann@example.org"), 1u);
    EXPECT_EQ(count(*s, "NOT from:ann@example.org"), 2u);
    EXPECT_EQ(count(*s, "subject:\"from:ann@example.org\""), 0u); // inside quotes it is text
}

TEST(Snippets, CutAroundTheQueryWordsOnWordAndUtf8Boundaries)
{
    std::string text;
    for (int i = 0; i < 300; ++i)
        text += "d\xC3\xA9j\xC3\xA0 overrun\n"; // "déjà overrun": two-byte characters, and a word containing "run"
    text += "a memory leak. We Run the test: memory barriers, then more words. ";
    for (int i = 0; i < 300; ++i)
        text += "tail words ";

    // "run" starts a word (any case) only in "Run"; all three words meet
    // only from "memory leak" on: the place with the most query words.
    const std::string s = cut_snippet(text, {"run", "memori", "barrier"}, 200);
    EXPECT_NE(s.find("a memory leak. We Run the test: memory barriers, then"), std::string::npos) << s;
    EXPECT_LT(s.find("overrun"), s.find("memory")) << s; // some context before
    EXPECT_TRUE(s.starts_with("...")) << s;
    EXPECT_TRUE(s.ends_with(" words...")) << s; // cut after a whole word
    EXPECT_LE(s.size(), 200u + 6u);
    EXPECT_EQ(s.find('\n'), std::string::npos);

    const std::string head = cut_snippet(text, {"absent"}, 200); // no match: the beginning
    EXPECT_TRUE(head.starts_with("d\xC3\xA9j\xC3\xA0 overrun d\xC3\xA9j\xC3\xA0")) << head;
    EXPECT_TRUE(head.ends_with("...")) << head;
    for (size_t length = 1; length < 40; ++length) // never inside a character
        EXPECT_TRUE(is_valid_utf8(cut_snippet(text, {}, length))) << length;
    EXPECT_EQ(cut_snippet("  short\ntext ", {"short"}), "short text");
}

TEST(Snippets, HighlightRangesCoverWholeWordsStartingLikeAStem)
{
    const std::string s = "Running runs; overrun. RUN-time \xC3\xBC" "berrun runn\xC3\xA9" "e";
    const auto r = highlight_ranges(s, {"run"});
    ASSERT_EQ(r.size(), 4u);
    EXPECT_EQ(s.substr(r[0].first, r[0].second), "Running");
    EXPECT_EQ(s.substr(r[1].first, r[1].second), "runs");
    EXPECT_EQ(s.substr(r[2].first, r[2].second), "RUN");
    EXPECT_EQ(s.substr(r[3].first, r[3].second), "runn\xC3\xA9" "e"); // the word goes on through non-ASCII letters
}

namespace {
std::string list_message(const std::string& id, const std::string& list, const std::string& body)
{
    return "From: Ann <ann@example.org>\nSubject: hello\nDate: Mon, 04 Mar 2024 09:00:00 +0000\nMessage-ID: <" + id +
           ">\nList-Id: <" + list + ">\n\n" + body + "\n";
}
} // namespace

TEST(Lists, CopiesOfOneMessageAreStoredOnceUnderEveryList)
{
    TempDir dir;
    // The same message as two lists delivered it: another List-Id, a footer.
    import(dir, {list_message("x@x", "a.example.org", "hello")}, "a.mbox");
    auto second = import_archives({dir.path / "index"},
                                  {dir.write("b.mbox", mbox({list_message("x@x", "b.example.org", "hello\n-- \nfooter"),
                                                             list_message("y@x", "b.example.org", "only b")}))},
                                  {});
    ASSERT_TRUE(second);
    EXPECT_EQ(second->imported, 1u);
    EXPECT_EQ(second->copies, 1u);
    EXPECT_EQ(second->index_messages, 2u);
    auto again = import_archives({dir.path / "index"}, {(dir.path / "a.mbox").string(), (dir.path / "b.mbox").string()}, {});
    ASSERT_TRUE(again);
    EXPECT_EQ(again->duplicates, 3u); // every copy's bytes are known now
    EXPECT_EQ(again->copies, 0u);

    auto s = searcher(dir);
    EXPECT_EQ(*s->count("list:a.example.org", false), 1u);
    EXPECT_EQ(*s->count("list:b.example.org", false), 2u);
    EXPECT_EQ(*s->count("list:a.example.org AND list:b.example.org", false), 1u);
    EXPECT_EQ(*s->count("list:b", false), 2u); // the short name
    auto lists = s->lists();
    ASSERT_TRUE(lists);
    ASSERT_EQ(lists->size(), 2u);
    EXPECT_EQ((*lists)[1].id, "b.example.org");
    EXPECT_EQ((*lists)[1].messages, 2u);
    EXPECT_EQ((*lists)[1].threads, 2u);
    EXPECT_EQ((*lists)[1].oldest, 1709542800);
    // A list's id (any case) or its first labels name it; other names not.
    for (const char* name : {"b.example.org", "B.Example.ORG", "b", "b.example"})
        EXPECT_TRUE(*s->names_a_list(name)) << name;
    for (const char* name : {"example", "b.exam", "c", "x@x", ""})
        EXPECT_FALSE(*s->names_a_list(name)) << name;
}

// The token web caches of lists and months are kept by: it changes with a
// commit that adds a message, with one that only adds a list to a stored
// message (a cross-post), in whichever shard, and with a compaction; it
// stays while nothing changes.
TEST(Lists, RevisionChangesWithEveryCommit)
{
    TempDir dir;
    ImportOptions two;
    two.shards = 2;
    import(dir, {list_message("x@x", "a.example.org", "hello")}, "a.mbox", two);
    auto s = searcher(dir);
    const auto first = s->revision();
    ASSERT_TRUE(first);
    s->refresh();
    EXPECT_EQ(*s->revision(), *first);
    import(dir, {list_message("x@x", "b.example.org", "hello\n-- \nfooter")}, "b.mbox"); // a copy
    EXPECT_EQ(*s->revision(), *first) << "what the reader has open";
    s->refresh();
    const auto copied = s->revision();
    ASSERT_TRUE(copied);
    EXPECT_NE(*copied, *first);
    EXPECT_EQ(count(*s, "list:b.example.org"), 1u);
    import(dir, {list_message("y@x", "b.example.org", "only b")}, "c.mbox");
    s->refresh();
    const auto added = s->revision();
    ASSERT_TRUE(added);
    EXPECT_NE(*added, *copied);
    // A compaction starts new databases, at revision 1 again.
    ImportOptions compact;
    compact.compact = ImportOptions::Compact::always;
    import(dir, {list_message("z@x", "c.example.org", "only c")}, "d.mbox", compact);
    s->refresh();
    const auto compacted = s->revision();
    ASSERT_TRUE(compacted);
    EXPECT_NE(*compacted, *added);
    EXPECT_NE(*compacted, *first);
}

// count '*' and count list:ID read what the last import stored: the same
// numbers the query gives, also for lists named as name@host or in capitals;
// a prefix, pattern or longer query is counted by the query.
TEST(Lists, StoredCountsAreTheQuerysCounts)
{
    TempDir dir;
    import(dir,
           {list_message("a1@x", "a.example.org", "one"), list_message("a2@x", "a.example.org", "two"),
            "From: Ann <ann@example.org>\nSubject: Re: hello\nDate: Mon, 04 Mar 2024 10:00:00 +0000\n"
            "Message-ID: <b1@x>\nIn-Reply-To: <a1@x>\nList-Id: <b.example.org>\n\nreply on b\n",
            "From: Ann <ann@example.org>\nSubject: no list\nDate: Mon, 04 Mar 2024 11:00:00 +0000\n"
            "Message-ID: <n1@x>\n\nnone\n"}, // every message is of March 2024: d:2024 is "*" by the query
           "a.mbox");
    auto s = searcher(dir);
    struct Case {
        std::string query, same_by_query;
        uint64_t messages, threads;
    };
    const std::vector<Case> cases{
        {"*", "d:2024", 4, 3},
        {" * ", "d:2024", 4, 3},
        {"list:a.example.org", "list:a.example.org d:2024", 2, 2},
        {"(list:a.example.org)", "list:a.example.org d:2024", 2, 2},
        {"list:b.example.org", "list:b.example.org d:2024", 1, 1},
        {"list:B.Example.Org", "list:b.example.org d:2024", 1, 1},
        {"list:b@example.org", "list:b.example.org d:2024", 1, 1}, // name@host is the same list
        {"list:a", "list:a.example.org d:2024", 2, 2},             // the one list named so
        {"list:nosuch.example.org", "list:nosuch.example.org d:2024", 0, 0},
    };
    for (const Case& c : cases) {
        EXPECT_EQ(count(*s, c.query), c.messages) << c.query;
        EXPECT_EQ(count(*s, c.query, true), c.threads) << c.query;
        EXPECT_EQ(count(*s, c.same_by_query), c.messages) << c.same_by_query;
        EXPECT_EQ(count(*s, c.same_by_query, true), c.threads) << c.same_by_query;
    }
    // What is stored is what is read (so the counts above came from it).
    {
        Xapian::WritableDatabase db((dir.path / "index" / "shards" / "0.stub").string());
        std::string stored = db.get_metadata(std::string(schema::kListStatsKey));
        ASSERT_TRUE(stored.starts_with("v2 4 3\n")) << stored;
        const size_t a = stored.find("\na.example.org 2 2 ");
        ASSERT_NE(a, std::string::npos) << stored;
        stored.replace(a, 19, "\na.example.org 2 77 ");
        db.set_metadata(std::string(schema::kListStatsKey), "v2 4 99\n" + stored.substr(7));
        db.commit();
    }
    s = searcher(dir);
    EXPECT_EQ(count(*s, "*", true), 99u);
    EXPECT_EQ(count(*s, "d:2024", true), 3u);
    for (const char* q : {"list:a.example.org", "(list:a.example.org)", "list:a"})
        EXPECT_EQ(count(*s, q, true), 77u) << q;
    EXPECT_EQ(count(*s, "list:a.example.org d:2024", true), 2u);
    EXPECT_EQ(count(*s, "list:a.example.org OR list:b.example.org", true), 2u); // b1 is in a1's thread
}

TEST(Lists, ListOptionWinsOverHeaders)
{
    TempDir dir;
    ImportOptions opt;
    opt.list = "mine.example.org";
    import(dir, {list_message("x@x", "a.example.org", "hello")}, "a.mbox", opt);
    auto s = searcher(dir);
    EXPECT_EQ(*s->count("list:mine.example.org", false), 1u);
    EXPECT_EQ(*s->count("list:a.example.org", false), 0u);
}

TEST(SubjectThreading, RepliesWithoutHeadersJoinByNormalisedSubjectWithinTheWindow)
{
    auto msg = [](const std::string& id, const std::string& subject, const std::string& date) {
        return "From: Ann <ann@example.org>\nSubject: " + subject + "\nDate: " + date + "\nMessage-ID: <" + id +
               ">\n\ntext\n";
    };
    const std::vector<std::string> archive{
        msg("a@x", "[list] Build fails", "Mon, 04 Mar 2024 09:00:00 +0000"),
        msg("b@x", "Re: [list] Build fails", "Mon, 04 Mar 2024 10:00:00 +0000"),
        msg("c@x", "RE: Re: build   FAILS", "Tue, 05 Mar 2024 10:00:00 +0000"),
        msg("d@x", "Build fails", "Wed, 06 Mar 2024 10:00:00 +0000"), // no reply prefix: a thread of its own
        msg("e@x", "Re: Build fails", "Mon, 29 Apr 2024 10:00:00 +0000"), // after the window
    };
    {
        TempDir dir;
        import(dir, archive, "plain.mbox");
        EXPECT_EQ(*searcher(dir)->count("*", true), 5u); // off by default
    }
    TempDir dir;
    ImportOptions opt;
    opt.subject_window = 30 * 86400;
    import(dir, archive, "a.mbox", opt);
    auto s = searcher(dir);
    EXPECT_EQ(*s->count("*", true), 3u);
    auto v = s->thread("a@x");
    ASSERT_TRUE(v);
    EXPECT_EQ(render(*v), "a(b(c))");
    for (const auto& e : v->entries)
        EXPECT_EQ(e.parent_by_subject, e.message_id != "a@x") << e.message_id;
    auto late = s->thread("e@x");
    ASSERT_TRUE(late);
    EXPECT_EQ(render(*late), "e");
}

TEST(SubjectThreading, RealHeadersWinAndLaterImportsFindEarlierMessages)
{
    TempDir dir;
    ImportOptions opt;
    opt.subject_window = 30 * 86400;
    import(dir, {message("a@x", {}, "", 1, "Topic")}, "first.mbox", opt);
    // Next month's archive: a reply without headers finds the committed parent.
    import(dir, {message("b@x", {}, "", 2, "Re: Topic"), message("c@x", {}, "b@x", 3, "Re: Topic")}, "second.mbox", opt);
    auto v = searcher(dir)->thread("a@x");
    ASSERT_TRUE(v);
    EXPECT_EQ(render(*v), "a(b(c))");
    for (const auto& e : v->entries)
        EXPECT_EQ(e.parent_by_subject, e.message_id == "b@x") << e.message_id;
}

namespace {

/// A message dated @p when (unix seconds), replying to @p root when given.
std::string dated_message(const std::string& id, const std::string& root, int64_t when, const std::string& body)
{
    const time_t t = static_cast<time_t>(when);
    struct tm tm{};
    gmtime_r(&t, &tm);
    char date[64];
    std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    std::string h = "From: Sender <s@example.org>\nSubject: t\nMessage-ID: <" + id + ">\nDate: " + date + "\n";
    if (!root.empty())
        h += "In-Reply-To: <" + root + ">\nReferences: <" + root + ">\n";
    return h + "\n" + body + "\n";
}

} // namespace

// Date-sorted listings walk the index a month at a time (Listing.cpp): the
// order must be that of every message sorted at once, whatever the months.
TEST(Listings, DateSortedThreadsAndMessagesAcrossMonthsAndYears)
{
    TempDir dir;
    std::mt19937 random(7);
    std::vector<std::string> messages;
    std::map<std::string, std::pair<int64_t, int64_t>> span; // thread root: oldest, newest
    std::vector<std::pair<int64_t, std::string>> by_date;
    std::set<int64_t> used;
    for (int t = 0; t < 40; ++t) {
        const std::string root = "t" + std::to_string(t) + "@x";
        const int replies = static_cast<int>(random() % 4);
        for (int m = 0; m <= replies; ++m) {
            int64_t when;
            do // 1995..2025, every date distinct: the expected order has no ties
                when = 788918400 + static_cast<int64_t>(random() % (30ull * 365 * 86400));
            while (!used.insert(when).second);
            const std::string id = m == 0 ? root : "t" + std::to_string(t) + "r" + std::to_string(m) + "@x";
            messages.push_back(dated_message(id, m == 0 ? "" : root, when, t % 2 ? "odd words" : "even words"));
            auto [it, fresh] = span.try_emplace(root, when, when);
            it->second.first = std::min(it->second.first, when);
            it->second.second = std::max(it->second.second, when);
            by_date.emplace_back(when, id);
        }
    }
    import(dir, messages, "dated.mbox");
    auto s = searcher(dir);

    std::vector<std::pair<int64_t, std::string>> newest, oldest; // (representative date, root)
    for (const auto& [root, when] : span) {
        newest.emplace_back(-when.second, root);
        oldest.emplace_back(when.first, root);
    }
    std::sort(newest.begin(), newest.end());
    std::sort(oldest.begin(), oldest.end());
    std::sort(by_date.begin(), by_date.end());
    auto thread_roots = [&](SortOrder order, uint64_t offset, uint64_t limit) {
        SearchOptions opt;
        opt.sort = order;
        opt.offset = offset;
        opt.limit = limit;
        opt.sort_at_once_up_to = 0; // walk the months, as a big index does
        opt.window_at_least = 1;
        auto hits = s->threads("*", opt);
        EXPECT_TRUE(hits);
        std::vector<std::string> out;
        for (const ThreadHit& h : *hits) // its first message may be a reply: "tN" names the thread
            out.push_back(h.first.substr(0, h.first.find_first_of("r@", 1)));
        return out;
    };
    auto expected = [](const auto& sorted, uint64_t offset, uint64_t limit) {
        std::vector<std::string> out;
        for (uint64_t i = offset; i < sorted.size() && (limit == 0 || i < offset + limit); ++i)
            out.push_back(sorted[i].second.substr(0, sorted[i].second.find_first_of("r@", 1)));
        return out;
    };
    for (const auto& [offset, limit] : std::vector<std::pair<uint64_t, uint64_t>>{{0, 0}, {0, 5}, {7, 3}, {38, 10}}) {
        EXPECT_EQ(thread_roots(SortOrder::newest, offset, limit), expected(newest, offset, limit)) << offset;
        EXPECT_EQ(thread_roots(SortOrder::oldest, offset, limit), expected(oldest, offset, limit)) << offset;
    }
    SearchOptions opt;
    opt.sort_at_once_up_to = 0;
    opt.window_at_least = 1;
    opt.limit = 2;
    auto top = s->threads("*", opt);
    ASSERT_TRUE(top);
    EXPECT_EQ((*top)[0].date, -newest[0].first); // its newest message is what placed it
    opt.sort = SortOrder::oldest;
    opt.offset = 10;
    opt.limit = 25;
    auto page = s->messages("*", opt);
    ASSERT_TRUE(page);
    std::vector<std::string> ids;
    for (const MessageHit& h : *page)
        ids.push_back(h.message_id.substr(0, h.message_id.find_first_of("r@", 1)));
    EXPECT_EQ(ids, expected(by_date, 10, 25));
    // A query narrows the walk, and sorting its matches at once gives the
    // same; relevance listings of any length agree with one another (the
    // long ones are not collapsed by Xapian).
    opt = {};
    opt.sort_at_once_up_to = 0;
    opt.window_at_least = 1;
    auto odd = s->threads("odd", opt);
    ASSERT_TRUE(odd);
    EXPECT_EQ(odd->size(), 20u);
    for (const ThreadHit& h : *odd)
        EXPECT_EQ(std::stoi(h.first.substr(1)) % 2, 1) << h.first;
    for (SortOrder order : {SortOrder::newest, SortOrder::oldest}) {
        opt.sort = order;
        opt.sort_at_once_up_to = 0;
        opt.window_at_least = 1;
        auto walked = s->threads("odd", opt);
        opt.sort_at_once_up_to = 1000;
        auto at_once = s->threads("odd", opt);
        ASSERT_TRUE(walked && at_once);
        ASSERT_EQ(walked->size(), at_once->size());
        for (size_t i = 0; i < walked->size(); ++i)
            EXPECT_EQ((*walked)[i].thread, (*at_once)[i].thread) << i;
    }
    // Windows of at least 7 messages (several months each, unevenly) and
    // the default (the whole index at once here) list the same.
    for (SortOrder order : {SortOrder::newest, SortOrder::oldest}) {
        opt.sort = order;
        opt.window_at_least = 1;
        auto monthly = s->messages("*", opt);
        for (uint64_t at_least : {uint64_t{7}, SearchOptions{}.window_at_least}) {
            opt.window_at_least = at_least;
            auto wider = s->messages("*", opt);
            ASSERT_TRUE(monthly && wider);
            ASSERT_EQ(wider->size(), monthly->size());
            for (size_t i = 0; i < wider->size(); ++i)
                EXPECT_EQ((*wider)[i].id, (*monthly)[i].id) << at_least << " " << i;
        }
    }
    opt.sort = SortOrder::relevance;
    auto all = s->threads("odd OR even", opt);
    opt.limit = 10;
    opt.offset = 5;
    auto part = s->threads("odd OR even", opt);
    ASSERT_TRUE(all && part);
    ASSERT_EQ(all->size(), 40u);
    ASSERT_EQ(part->size(), 10u);
    for (size_t i = 0; i < part->size(); ++i)
        EXPECT_EQ((*part)[i].thread, (*all)[i + 5].thread) << i;
}

// Equal dates in different threads: every page of a listing is the same
// slice of the whole listing.
TEST(Listings, PagesOfEqualDatesAreSlicesOfTheWholeListing)
{
    TempDir dir;
    std::vector<std::string> messages;
    for (int t = 0; t < 12; ++t)
        messages.push_back(dated_message("e" + std::to_string(t) + "@x", "", 1709542800 + (t % 3) * 86400 * 40, "w"));
    import(dir, messages, "equal.mbox");
    auto s = searcher(dir);
    for (SortOrder order : {SortOrder::newest, SortOrder::oldest, SortOrder::relevance}) {
        SearchOptions opt;
        opt.sort = order;
        opt.sort_at_once_up_to = 0;
        opt.window_at_least = 1;
        auto all = s->threads("*", opt);
        ASSERT_TRUE(all);
        ASSERT_EQ(all->size(), 12u);
        for (uint64_t offset = 0; offset < 12; offset += 5) {
            opt.offset = offset;
            opt.limit = 5;
            auto page = s->threads("*", opt);
            ASSERT_TRUE(page);
            for (size_t i = 0; i < page->size(); ++i)
                EXPECT_EQ((*page)[i].thread, (*all)[offset + i].thread);
        }
    }
}

// ValueColumns reads few documents by lookups and many through value
// streams: both give every value of every document, "" where a document
// has none (a ghost has no date).
TEST(ValueColumns, LookupsAndStreamsReadTheSameValues)
{
    TempDir dir;
    ImportOptions two;
    two.shards = 2;
    std::vector<std::string> messages;
    for (int i = 0; i < 40; ++i)
        messages.push_back(message("v" + std::to_string(i) + "@x", {}, i ? "v0@x" : "", i, "values " + std::to_string(i)));
    messages.push_back(message("w0@x", {"never-seen@x"}, "", 1)); // its parent becomes a ghost
    import(dir, messages, "a.mbox", two);
    auto index = IndexDatabase::open({dir.path / "index"});
    ASSERT_TRUE(index) << index.error().message;
    Xapian::Database& db = index->db();
    std::vector<Xapian::docid> all;
    for (auto p = db.postlist_begin(""); p != db.postlist_end(""); ++p)
        all.push_back(*p);
    ASSERT_GT(all.size(), ValueColumns::kLookUpTo + 1);
    static constexpr unsigned kSlots[] = {schema::Slot::message_id, schema::Slot::date, schema::Slot::subject,
                                          schema::Slot::parent};
    const ValueColumns streamed(db, all, kSlots);
    bool ghost = false;
    for (size_t from = 0; from < all.size(); from += ValueColumns::kLookUpTo) {
        const size_t n = std::min(ValueColumns::kLookUpTo, all.size() - from);
        const ValueColumns looked_up(db, std::span(all).subspan(from, n), kSlots);
        for (size_t row = 0; row < n; ++row) {
            const Xapian::Document doc = db.get_document(all[from + row]);
            ghost = ghost || doc.get_value(schema::Slot::date).empty();
            for (size_t column = 0; column < std::size(kSlots); ++column) {
                EXPECT_EQ(looked_up.at(row, column), doc.get_value(kSlots[column])) << all[from + row];
                EXPECT_EQ(streamed.at(from + row, column), doc.get_value(kSlots[column])) << all[from + row];
            }
        }
    }
    EXPECT_TRUE(ghost);
}

namespace {

/// Everything a reader shows of the messages in @p dir that their
/// summaries hold: every thread of @p ids entry by entry, messages and
/// threads listings (few members: their data; many: their values), and
/// each message's neighbours.
std::string shown(const TempDir& dir, const std::vector<std::string>& ids)
{
    auto s = searcher(dir);
    std::string out;
    for (const auto& id : ids) {
        auto v = s->thread(id);
        EXPECT_TRUE(v) << id;
        for (const ThreadEntry& e : v ? v->entries : std::vector<ThreadEntry>{})
            out += "entry " + e.message_id + (e.missing ? " missing" : "") + " key " + e.stored.key + " hash " +
                   e.stored.hash + " " + std::to_string(e.date) + " " + e.from + " | " + e.subject + " | " +
                   join(e.stored.lists, ",") + "\n";
        out += (v ? render(*v) : "-") + "\n";
    }
    for (const std::string q : {"*", "subject:tricky", "id:s0@x"}) {
        auto hits = s->messages(q, {});
        EXPECT_TRUE(hits) << q;
        for (const MessageHit& h : hits ? *hits : std::vector<MessageHit>{})
            out += "hit " + h.id + " " + h.message_id + " " + std::to_string(h.date) + " " + h.from + " | " +
                   h.subject + " | " + join(h.lists, ",") + "\n";
        auto threads = s->threads(q, {});
        EXPECT_TRUE(threads) << q;
        for (const ThreadHit& t : threads ? *threads : std::vector<ThreadHit>{})
            out += "thread " + t.thread + " " + std::to_string(t.messages) + " " + std::to_string(t.oldest) + " " +
                   std::to_string(t.newest) + " " + t.first + " | " + t.subject + " | " + join(t.authors, ",") + "\n";
    }
    auto order = s->date_order("");
    EXPECT_TRUE(order);
    for (const auto& id : ids) {
        auto found = s->find(id);
        EXPECT_TRUE(found) << id;
        for (const StoredMessage& m : found ? *found : std::vector<StoredMessage>{}) {
            out += "found " + m.key + " " + m.hash + " " + std::to_string(m.date) + "\n";
            auto n = order ? s->neighbours(**order, m) : Result<Neighbours>(std::unexpected(Error{}));
            EXPECT_TRUE(n) << id;
            for (const auto& link : n ? std::vector{n->before, n->after} : std::vector<std::optional<MessageLink>>{})
                out += link ? "link " + link->id + " " + std::to_string(link->date) + " " + link->subject + "\n"
                            : "no link\n";
        }
    }
    return out;
}

/// Rewrites every message document of the index in @p dir through @p edit
/// of its data.
void edit_data(const TempDir& dir, const std::function<void(DocData&)>& edit)
{
    const IndexPaths paths{dir.path / "index"};
    auto config = read_index_config(paths);
    ASSERT_TRUE(config);
    for (unsigned n = 0; n < config->shards; ++n) {
        Xapian::WritableDatabase db(paths.shard(n).string());
        for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
            Xapian::Document doc = db.get_document(*it);
            if (doc.get_data() == schema::kGhostData)
                continue;
            auto data = DocData::decode(doc.get_data());
            ASSERT_TRUE(data) << doc.get_data();
            edit(*data);
            doc.set_data(data->encode());
            db.replace_document(*it, doc);
        }
        db.commit();
    }
}

} // namespace

// A message's data repeats what pages show of it (DocSummary), read with
// one look-up where its values cost one each. Documents imported before
// summaries were stored read their values instead: a reader shows the same
// either way, and check compares the two.
TEST(Summaries, MessagesWithAndWithoutSummariesReadTheSame)
{
    TempDir dir;
    ImportOptions two;
    two.shards = 2;
    std::vector<std::string> messages;
    // A thread of more members than ValueColumns::kLookUpTo, a ghost
    // parent, a shared Message-ID, and fields that need escaping.
    for (int i = 0; i < 20; ++i)
        messages.push_back(message("s" + std::to_string(i) + "@x", {}, i ? "s0@x" : "", i, "long thread"));
    messages.push_back(message("t0@x", {"ghost@x"}, "", 30, "tricky \\ back\\nslash =?utf-8?q?line=0Abreak?="));
    messages.push_back("From: \"Back \\\\ Slash\" <b@x>\nSubject: tricky copy\nMessage-ID: <t1@x>\nList-Id: <l.x>\n"
                       "In-Reply-To: <t0@x>\nDate: Mon, 04 Mar 2024 10:00:00 +0000\n\nfirst copy\n");
    messages.push_back("From: Other <o@x>\nSubject: tricky copy\nMessage-ID: <t1@x>\n"
                       "In-Reply-To: <t0@x>\nDate: Mon, 04 Mar 2024 10:01:00 +0000\n\nanother text\n");
    import(dir, messages, "a.mbox", two);
    const std::vector<std::string> ids{"s0@x", "s7@x", "t0@x", "t1@x"};

    size_t summarised = 0;
    edit_data(dir, [&](DocData& d) { summarised += d.summary ? 1 : 0; });
    EXPECT_EQ(summarised, messages.size()); // every document the writer adds
    const std::string with = shown(dir, ids);
    EXPECT_NE(with.find("hit t1@x#"), std::string::npos) << with; // shared: keyed by hash
    EXPECT_NE(with.find("entry ghost@x missing"), std::string::npos) << with;
    EXPECT_NE(with.find("Back \\ Slash"), std::string::npos) << with;
    EXPECT_NE(with.find("back\\nslash"), std::string::npos) << with;
    auto checked = check_index({dir.path / "index"}, {});
    ASSERT_TRUE(checked);
    EXPECT_TRUE(checked->problems.empty()) << checked->problems.front();

    edit_data(dir, [](DocData& d) { d.summary.reset(); });
    EXPECT_EQ(shown(dir, ids), with);

    // A summary that disagrees with the values is a problem check names.
    size_t edited = 0;
    const IndexPaths paths{dir.path / "index"};
    {
        Xapian::WritableDatabase db(paths.shard(0).string());
        for (auto it = db.postlist_begin(""); it != db.postlist_end("") && edited == 0; ++it) {
            Xapian::Document doc = db.get_document(*it);
            auto data = DocData::decode(doc.get_data());
            if (!data)
                continue;
            data->summary = summary_from_values(doc);
            data->summary->subject += " (edited)";
            doc.set_data(data->encode());
            db.replace_document(*it, doc);
            ++edited;
        }
        db.commit();
    }
    checked = check_index(paths, {});
    ASSERT_TRUE(checked);
    ASSERT_EQ(checked->problems.size(), 1u);
    EXPECT_NE(checked->problems[0].find("in its data and in its values disagree"), std::string::npos)
        << checked->problems[0];
}

namespace {

/// Every message of @p ids has, in @p extended, the neighbours it has in an
/// order read afresh, and is found there by its document number; without
/// one, or with another message's (a renumbering compaction), among its
/// second's.
void expect_order_as_read_afresh(Searcher& s, const DateOrder& extended, const std::vector<std::string>& ids,
                                 const std::string& when)
{
    auto fresh = s.date_order("");
    ASSERT_TRUE(fresh);
    for (const auto& id : ids) {
        auto found = s.find(id);
        ASSERT_TRUE(found) << id;
        auto a = s.neighbours(extended, found->front());
        auto b = s.neighbours(**fresh, found->front());
        ASSERT_TRUE(a && b) << id;
        auto key = [](const std::optional<MessageLink>& h) { return h ? h->id : std::string("-"); };
        EXPECT_EQ(key(a->before), key(b->before)) << when << ": " << id;
        EXPECT_EQ(key(a->after), key(b->after)) << when << ": " << id;
        EXPECT_TRUE(a->before || a->after) << when << ": " << id; // found in the order
        // A link shows the message's own date and subject.
        for (const auto& link : {a->before, a->after}) {
            if (!link)
                continue;
            auto linked = s.find(link->id);
            ASSERT_TRUE(linked && linked->size() == 1) << link->id;
            EXPECT_EQ(link->date, linked->front().date) << link->id;
            auto hits = s.messages("id:" + linked->front().message_id, {});
            ASSERT_TRUE(hits && hits->size() == 1) << link->id;
            EXPECT_EQ(link->subject, hits->front().subject) << link->id;
            EXPECT_FALSE(link->subject.empty()) << link->id;
        }
        EXPECT_NE(found->front().document, 0u) << id;
        for (uint32_t document : {0u, found->front().document % 40 + 1}) {
            StoredMessage stale = found->front();
            stale.document = document;
            auto c = s.neighbours(extended, stale);
            ASSERT_TRUE(c) << id;
            EXPECT_EQ(key(c->before), key(a->before)) << when << ": " << id << " as document " << document;
            EXPECT_EQ(key(c->after), key(a->after)) << when << ": " << id << " as document " << document;
        }
    }
}

} // namespace

// A web server's order of every message by date is extended after each
// commit with the messages added since; it must give every message the
// neighbours an order read afresh gives, also across a compaction (new
// databases: the order is read afresh).
TEST(DateOrders, AnOrderExtendedAcrossCommitsGivesTheNeighboursOfOneReadAfresh)
{
    TempDir dir;
    ImportOptions two;
    two.shards = 2;
    std::vector<std::string> ids;
    // Minutes repeat, across batches too: messages of one second keep document order.
    auto batch = [&](int from, int to) {
        std::vector<std::string> messages;
        for (int i = from; i < to; ++i) {
            ids.push_back("d" + std::to_string(i) + "@x");
            messages.push_back(message(ids.back(), {}, "", (i * 7) % 13, "order " + std::to_string(i)));
        }
        return messages;
    };
    import(dir, batch(0, 20), "a.mbox", two);
    auto s = searcher(dir);
    auto first = s->date_order("");
    ASSERT_TRUE(first);
    expect_order_as_read_afresh(*s, **first, ids, "as read");
    import(dir, batch(20, 45), "b.mbox");
    s->refresh();
    auto extended = s->date_order("", first->get());
    ASSERT_TRUE(extended);
    expect_order_as_read_afresh(*s, **extended, ids, "extended");
    import(dir, batch(45, 50), "c.mbox");
    s->refresh();
    auto again = s->date_order("", extended->get());
    ASSERT_TRUE(again);
    expect_order_as_read_afresh(*s, **again, ids, "extended twice");
    // A list's order is never extended (a cross-post adds a list to a
    // message already there): the previous order is not used.
    auto of_list = s->date_order("nolist.example.org", again->get());
    ASSERT_TRUE(of_list);
    auto found = s->find(ids.front());
    ASSERT_TRUE(found);
    auto none = s->neighbours(**of_list, found->front());
    ASSERT_TRUE(none);
    EXPECT_FALSE(none->before || none->after);
    ImportOptions compact;
    compact.compact = ImportOptions::Compact::always;
    import(dir, batch(50, 55), "d.mbox", compact);
    s->refresh();
    auto compacted = s->date_order("", again->get());
    ASSERT_TRUE(compacted);
    expect_order_as_read_afresh(*s, **compacted, ids, "after a compaction");
}

// A web server answers from an order read at an earlier commit: a message
// removed since (a public-inbox mirror's deletion) is passed over, and the
// link goes to the next one still there, with its own date and subject.
TEST(DateOrders, NeighboursPassOverAMessageRemovedSinceTheOrderWasRead)
{
    TempDir dir;
    import(dir, {message("n1@x", {}, "", 1, "first"), message("n2@x", {}, "", 2, "second"),
                 message("n3@x", {}, "", 3, "third")}, "a.mbox");
    auto s = searcher(dir);
    auto order = s->date_order("");
    ASSERT_TRUE(order);
    auto second = s->find("n2@x");
    ASSERT_TRUE(second);
    {
        auto w = IndexWriter::open({dir.path / "index"}, 1);
        ASSERT_TRUE(w) << w.error().message;
        auto removed = (*w)->remove(second->front().hash);
        ASSERT_TRUE(removed && *removed);
        ASSERT_TRUE((*w)->commit(true));
    }
    s->refresh();
    auto first = s->find("n1@x"), third = s->find("n3@x");
    ASSERT_TRUE(first && third);
    auto after_first = s->neighbours(**order, first->front());
    ASSERT_TRUE(after_first);
    EXPECT_FALSE(after_first->before);
    ASSERT_TRUE(after_first->after);
    EXPECT_EQ(after_first->after->id, "n3@x");
    EXPECT_EQ(after_first->after->subject, "third");
    EXPECT_EQ(after_first->after->date, third->front().date);
    auto before_third = s->neighbours(**order, third->front());
    ASSERT_TRUE(before_third && before_third->before);
    EXPECT_EQ(before_third->before->id, "n1@x");
    EXPECT_FALSE(before_third->after);
}

namespace {

/// Splits shard 0 of the index in @p dir into two databases, as a writer
/// adding to a newer database leaves it: the documents of the second half
/// of its ids move, keeping their ids, to a new generation the stub lists
/// after the first.
/// @p sizes: the first's last id, the second's document count.
void split_shard(const TempDir& dir, std::pair<Xapian::docid, Xapian::doccount>& sizes)
{
    const IndexPaths paths{dir.path / "index"};
    auto listed = read_shard_stub(paths, 0);
    ASSERT_TRUE(listed) << listed.error().message;
    ASSERT_EQ(listed->size(), 1u);
    const unsigned first = listed->front(), second = first + 1;
    Xapian::WritableDatabase old(paths.shard_generation(0, first).string(), Xapian::DB_OPEN);
    Xapian::WritableDatabase newer(paths.shard_generation(0, second).string(),
                                   Xapian::DB_CREATE | Xapian::DB_BACKEND_GLASS);
    const Xapian::docid last = old.get_lastdocid();
    for (Xapian::docid d = last / 2 + 1; d <= last; ++d) {
        try {
            newer.replace_document(d, old.get_document(d));
            old.delete_document(d);
        } catch (const Xapian::DocNotFoundError&) {
        }
    }
    old.commit();
    newer.commit();
    sizes = {old.get_lastdocid(), newer.get_doccount()};
    ASSERT_GT(sizes.first, 0u);
    ASSERT_GT(sizes.second, 0u);
    const unsigned both[] = {first, second};
    ASSERT_TRUE(write_shard_stub(paths, 0, both));
}

/// What a reader answers about the index in @p dir: counts, listings,
/// every message's thread and raw copy, and `check`.
std::string answers(const TempDir& dir, const std::vector<std::string>& ids)
{
    auto s = searcher(dir);
    std::string out = "count " + std::to_string(count(*s, "*")) + " " + std::to_string(count(*s, "*", true)) + "\n";
    SearchOptions opt;
    opt.sort = SortOrder::oldest;
    opt.window_at_least = 1; // a month at a time when it walks
    for (uint64_t at_once : {uint64_t{0}, uint64_t{20'000}}) {
        opt.sort_at_once_up_to = at_once;
        auto hits = s->messages("*", opt);
        EXPECT_TRUE(hits) << hits.error().message;
        for (const auto& h : hits ? *hits : std::vector<MessageHit>{})
            out += "message " + h.id + " " + h.thread + "\n";
        auto threads = s->threads("body OR reply", opt);
        EXPECT_TRUE(threads) << threads.error().message;
        for (const auto& t : threads ? *threads : std::vector<ThreadHit>{})
            out += "thread " + t.thread + " " + std::to_string(t.messages) + " " + std::to_string(t.matched) + "\n";
    }
    for (const auto& id : ids) {
        auto v = s->thread(id);
        EXPECT_TRUE(v) << id;
        out += id + ": " + (v ? render(*v) : "-") + "\n";
        auto found = s->find(id);
        EXPECT_TRUE(found) << id;
        auto raw = found ? s->raw(found->front()) : Result<std::string>(std::unexpected(Error{}));
        EXPECT_TRUE(raw) << id << ": " << (raw ? "" : raw.error().message); // verified against its hash
        out += raw && raw->find("<" + id + ">") != std::string::npos ? "" : id + ": wrong raw copy\n";
    }
    auto checked = check_index({dir.path / "index"}, {});
    EXPECT_TRUE(checked) << checked.error().message;
    out += "check " + std::to_string(checked ? checked->messages : 0) + "\n";
    for (const auto& p : checked ? checked->problems : std::vector<std::string>{})
        out += "problem: " + p + "\n";
    return out;
}

} // namespace

// A shard may be several Xapian databases (its stub lists them): readers
// map documents to shards through each database, the writer adds to the
// newest, and a compaction merges them into one. Every answer is the one an
// index of one database per shard gives for the same imports.
TEST(ShardDatabases, AShardOfTwoDatabasesAnswersAsOneAndGrowsInTheNewer)
{
    TempDir split_dir, plain_dir;
    ImportOptions two;
    two.shards = 2;
    std::vector<std::string> ids;
    auto batch = [&](int from, int to) {
        std::vector<std::string> messages;
        for (int i = from; i < to; ++i) {
            ids.push_back("m" + std::to_string(i) + "@x");
            // Threads of five; every tenth message replies to one never seen (a ghost).
            const std::string parent = i % 5 ? "m" + std::to_string(i - i % 5) + "@x" : "";
            const std::string unseen = i % 10 == 3 ? "unseen" + std::to_string(i) + "@x" : "";
            messages.push_back(message(ids.back(), unseen.empty() ? std::vector<std::string>{} : std::vector{unseen},
                                       parent, i % 60, "topic " + std::to_string(i / 5),
                                       i % 5 ? "reply text " + std::to_string(i) : "body text " + std::to_string(i)));
        }
        return messages;
    };
    const auto first = batch(0, 40);
    import(split_dir, first, "a.mbox", two);
    import(plain_dir, first, "a.mbox", two);
    std::pair<Xapian::docid, Xapian::doccount> sizes;
    split_shard(split_dir, sizes);
    ASSERT_EQ(answers(split_dir, ids), answers(plain_dir, ids));

    // An import adds to the newer database only; one of its messages takes
    // the place of a ghost, and replies join threads of both databases.
    auto s = searcher(split_dir);
    auto before = s->date_order("");
    ASSERT_TRUE(before);
    auto second = batch(40, 55);
    second.push_back(message("unseen13@x", {}, "", 59, "topic 2", "late body text"));
    ids.push_back("unseen13@x");
    for (int i : {1, 27})
        second.push_back(message("late" + std::to_string(i) + "@x", {}, "m" + std::to_string(i) + "@x", 58, "late",
                                 "reply text late"));
    ids.insert(ids.end(), {"late1@x", "late27@x"});
    ImportOptions no_compaction;
    no_compaction.compact = ImportOptions::Compact::never;
    import(split_dir, second, "b.mbox", no_compaction);
    import(plain_dir, second, "b.mbox", no_compaction);
    {
        const IndexPaths paths{split_dir.path / "index"};
        auto listed = read_shard_stub(paths, 0);
        ASSERT_TRUE(listed && listed->size() == 2u);
        // (The older may lose a ghost, whose message came.)
        EXPECT_EQ(Xapian::Database(paths.shard_generation(0, listed->front()).string()).get_lastdocid(), sizes.first);
        EXPECT_GT(Xapian::Database(paths.shard_generation(0, listed->back()).string()).get_doccount(), sizes.second);
    }
    EXPECT_EQ(answers(split_dir, ids), answers(plain_dir, ids));
    // The web's date order, extended with what the import added, is the
    // order read afresh.
    s->refresh();
    auto extended = s->date_order("", before->get());
    ASSERT_TRUE(extended);
    expect_order_as_read_afresh(*s, **extended, ids, "extended over two databases");

    // A compaction merges the two into one database.
    ImportOptions compact;
    compact.compact = ImportOptions::Compact::always;
    const auto third = batch(55, 57);
    import(split_dir, third, "c.mbox", compact);
    import(plain_dir, third, "c.mbox", compact);
    auto listed = read_shard_stub({split_dir.path / "index"}, 0);
    ASSERT_TRUE(listed);
    EXPECT_EQ(listed->size(), 1u);
    EXPECT_EQ(answers(split_dir, ids), answers(plain_dir, ids));
}

// The stub is ours: anything else in it is an error naming the stub and
// its line, not another set of databases.
TEST(ShardDatabases, AStubListingSomethingElseIsAnError)
{
    TempDir dir;
    import(dir, {message("a@x", {}, "", 1)}, "a.mbox");
    const IndexPaths paths{dir.path / "index"};
    auto listed = read_shard_stub(paths, 0);
    ASSERT_TRUE(listed && listed->size() == 1u);
    const std::string name = paths.shard_generation(0, listed->front()).filename().string();
    for (const std::string text : {"glass 1.g1\n", "glass 0.gx\n", "chert 0.g1\n", "glass 0.g1 extra\n", "# nothing\n",
                                   "glass ../0.g1\n"}) {
        std::ofstream(paths.shard(0)) << text;
        auto wrong = read_shard_stub(paths, 0);
        EXPECT_FALSE(wrong) << text;
        if (!wrong) {
            EXPECT_TRUE(wrong.error().message.starts_with(paths.shard(0).string())) << wrong.error().message;
        }
        EXPECT_FALSE(Searcher::open(paths)) << text;
    }
    std::ofstream(paths.shard(0)) << "# comment\n\nglass " << name << "\n";
    EXPECT_TRUE(Searcher::open(paths));
}

// An import adds to a new database once a shard's newest is full, and a
// reader that stays open follows (a reopen alone would miss the new one).
TEST(ShardDatabases, ImportsStartANewDatabaseWhenTheNewestIsFull)
{
    TempDir dir, plain_dir;
    ImportOptions small, plain;
    small.shards = plain.shards = 2;
    small.compact = plain.compact = ImportOptions::Compact::never;
    small.database_documents = 6;
    plain.database_documents = 0;
    std::vector<std::string> ids;
    auto batch = [&](int from, int to) {
        std::vector<std::string> messages;
        for (int i = from; i < to; ++i) {
            ids.push_back("n" + std::to_string(i) + "@x");
            messages.push_back(message(ids.back(), {}, i % 4 ? "n" + std::to_string(i - i % 4) + "@x" : "", i % 60,
                                       "topic " + std::to_string(i / 4), "body text " + std::to_string(i)));
        }
        return messages;
    };
    const IndexPaths paths{dir.path / "index"};
    auto databases = [&](unsigned n) {
        auto listed = read_shard_stub(paths, n);
        EXPECT_TRUE(listed) << listed.error().message;
        return listed ? listed->size() : 0;
    };
    const auto first = batch(0, 20);
    import(dir, first, "a.mbox", small);
    import(plain_dir, first, "a.mbox", plain);
    // Each shard holds about 10: its newest is full, the next import goes to a new one.
    EXPECT_EQ(databases(0), 2u);
    EXPECT_EQ(databases(1), 2u);
    // ... and listdex.conf says so, for an older listdex to refuse the index.
    auto config = read_index_config(paths);
    ASSERT_TRUE(config) << config.error().message;
    EXPECT_TRUE(config->several_databases);
    auto plain_config = read_index_config(IndexPaths{plain_dir.path / "index"});
    ASSERT_TRUE(plain_config) << plain_config.error().message;
    EXPECT_FALSE(plain_config->several_databases);
    auto s = searcher(dir);
    EXPECT_EQ(count(*s, "*"), 20u);
    for (int round = 1; round <= 3; ++round) {
        const auto more = batch(20 * round, 20 * round + 20);
        import(dir, more, "b" + std::to_string(round) + ".mbox", small);
        import(plain_dir, more, "b" + std::to_string(round) + ".mbox", plain);
        s->refresh();
        // (Counted by the query: "*" reads the counts the import stored.)
        EXPECT_EQ(count(*s, "d:2024"), 20u * (round + 1)) << round;
        EXPECT_EQ(count(*s, "d:2024", true), 5u * (round + 1)) << round;
        EXPECT_EQ(databases(0), 2u + round);
    }
    EXPECT_EQ(answers(dir, ids), answers(plain_dir, ids));
    // The shard's databases stay with it: a compaction merges them into one.
    ImportOptions compact = small;
    compact.compact = ImportOptions::Compact::always;
    const auto last = batch(80, 82);
    import(dir, last, "c.mbox", compact);
    import(plain_dir, last, "c.mbox", compact);
    EXPECT_EQ(databases(0), 1u);
    EXPECT_EQ(databases(1), 1u);
    s->refresh();
    EXPECT_EQ(count(*s, "d:2024"), 82u);
    EXPECT_EQ(answers(dir, ids), answers(plain_dir, ids));
}

namespace {

/// Document ids, weights and order of @p q over @p db: by relevance, or by
/// date then relevance as the date-sorted listings run it.
std::vector<std::pair<Xapian::docid, double>> matches(const Xapian::Database& db, const Xapian::Query& q, bool by_date)
{
    Xapian::Enquire e(db);
    e.set_query(q);
    if (by_date)
        e.set_sort_by_value_then_relevance(schema::Slot::date, true);
    std::vector<std::pair<Xapian::docid, double>> out;
    const Xapian::MSet m = e.get_mset(0, db.get_doccount());
    for (auto it = m.begin(); it != m.end(); ++it)
        out.emplace_back(*it, it.get_weight());
    return out;
}

/// The matches of @p all that are documents of @p kept, in their order.
std::vector<std::pair<Xapian::docid, double>> restricted(std::vector<std::pair<Xapian::docid, double>> all,
                                                         const std::vector<std::pair<Xapian::docid, double>>& kept)
{
    std::set<Xapian::docid> in;
    for (const auto& m : kept)
        in.insert(m.first);
    std::erase_if(all, [&](const auto& m) { return !in.contains(m.first); });
    return all;
}

bool is_filter_of_each_branch(const Xapian::Query& q)
{
    if (q.get_type() != Xapian::Query::OP_OR)
        return false;
    for (size_t i = 0; i < q.get_num_subqueries(); ++i)
        if (q.get_subquery(i).get_type() != Xapian::Query::OP_FILTER)
            return false;
    return true;
}

} // namespace

// A phrase under an OR (one per default field) must see the filter on its
// own branch (QueryFilter.hpp: otherwise Xapian checks its positions outside
// the filter). The answer must be the unfiltered query's matches, weights
// and order, kept where the filter matches. (Xapian 1.4.22's own
// Query(OP_FILTER, OR of phrases, filter) is not: it also weighs a phrase
// branch whose words a document has but not as a phrase; p8 below, whose
// subject has the phrase and whose body has both words apart.)
TEST(QueryFilter, FiltersGoDownToEachPhraseOfAnOrAndChangeNoAnswer)
{
    TempDir dir;
    std::vector<std::string> messages;
    const char* bodies[] = {"the patch looks fine", "> the patch looks fine\nagreed", "patch the code", "the other patch",
                            "nothing here"};
    const char* subjects[] = {"Re: the patch", "shape", "[PATCH] the patch"};
    for (int i = 0; i < 60; ++i) {
        std::string m = dated_message("p" + std::to_string(i) + "@x", i % 4 ? "p0@x" : "",
                                      1700000000 + static_cast<int64_t>(i) * 9 * 86400, bodies[i % 5]);
        m.replace(m.find("Subject: t"), 10, std::string("Subject: ") + subjects[i % 3]);
        m.insert(0, "List-Id: <l" + std::to_string(i % 3) + ".example.org>\n");
        messages.push_back(m);
    }
    import(dir, messages, "phrases.mbox");
    auto index = IndexDatabase::open({dir.path / "index"});
    ASSERT_TRUE(index) << index.error().message;
    const Xapian::Database& db = index->db();

    std::vector<Xapian::Query> phrases;
    for (std::string_view p : schema::kDefaultPrefixes) {
        const std::string words[] = {std::string(p) + "the", std::string(p) + "patch"};
        phrases.emplace_back(Xapian::Query::OP_PHRASE, std::begin(words), std::end(words));
    }
    const Xapian::Query any_phrase(Xapian::Query::OP_OR, phrases.begin(), phrases.end());
    const Xapian::Query looks("looks"), list(schema::term(schema::prefix::list, "l1.example.org"));
    std::vector<Xapian::Query> months;
    const std::string month(schema::prefix::month);
    for (auto t = db.allterms_begin(month); t != db.allterms_end(month); ++t)
        if (months.size() < 4)
            months.emplace_back(*t);
    ASSERT_EQ(months.size(), 4u);
    const Xapian::Query window(Xapian::Query::OP_OR, months.begin(), months.end());
    const std::pair<Xapian::Query, bool> queries[] = {// the query, filtered whole
        {any_phrase, false},
        {Xapian::Query(Xapian::Query::OP_AND, looks, any_phrase), false},
        {Xapian::Query(Xapian::Query::OP_AND_NOT, any_phrase, looks), false},
        {Xapian::Query(Xapian::Query::OP_AND_MAYBE, any_phrase, looks), false},
        {Xapian::Query(Xapian::Query::OP_OR, any_phrase, looks), false},
        {Xapian::Query(Xapian::Query::OP_FILTER, any_phrase, list), false},
        {Xapian::Query(Xapian::Query::OP_AND_NOT, looks, any_phrase), true}, // the phrases only remove
        {phrases.front(), true}, // a lone phrase: the filter drives it already
        {looks, true},
    };
    const Xapian::Query filters[] = {window, list, Xapian::Query(Xapian::Query::OP_AND, window, list)};
    size_t nonempty = 0;
    for (const auto& [q, whole] : queries) {
        for (const Xapian::Query& f : filters) {
            const Xapian::Query plain(Xapian::Query::OP_FILTER, q, f);
            const Xapian::Query pushed = filtered(q, f);
            for (bool by_date : {false, true}) {
                const auto expected = restricted(matches(db, q, by_date), matches(db, f, false));
                EXPECT_EQ(matches(db, pushed, by_date), expected)
                    << pushed.get_description() << (by_date ? " by date" : "");
                nonempty += !expected.empty();
            }
            EXPECT_EQ(pushed.get_description() == plain.get_description(), whole) << pushed.get_description();
        }
        const Xapian::Query with_list(Xapian::Query::OP_FILTER, q, list);
        EXPECT_EQ(matches(db, with_filters_inside(with_list), true),
                  restricted(matches(db, q, true), matches(db, list, false)))
            << with_filters_inside(with_list).get_description();
    }
    // parse_query leaves its kind:mail filter outside (it matches nearly
    // every document, so it drives nothing): Xapian weighs that right.
    const Xapian::Query mail{std::string(schema::kKindMail)};
    for (const auto& [q, whole] : queries)
        for (bool by_date : {false, true})
            EXPECT_EQ(matches(db, Xapian::Query(Xapian::Query::OP_FILTER, q, mail), by_date),
                      restricted(matches(db, q, by_date), matches(db, mail, false)))
                << q.get_description();
    EXPECT_GT(nonempty, 30u); // the comparisons compared something
    // The shapes: each phrase of the OR carries the filter.
    EXPECT_TRUE(is_filter_of_each_branch(filtered(any_phrase, window)));
    const Xapian::Query anded = filtered(Xapian::Query(Xapian::Query::OP_AND, looks, any_phrase), window);
    ASSERT_EQ(anded.get_type(), Xapian::Query::OP_AND);
    EXPECT_TRUE(is_filter_of_each_branch(anded.get_subquery(1)));
    EXPECT_TRUE(is_filter_of_each_branch(with_filters_inside(Xapian::Query(Xapian::Query::OP_FILTER, any_phrase, list))));
    const Xapian::Query twice = filtered(Xapian::Query(Xapian::Query::OP_FILTER, any_phrase, list), window);
    ASSERT_EQ(twice.get_type(), Xapian::Query::OP_FILTER);
    EXPECT_TRUE(is_filter_of_each_branch(twice.get_subquery(0)));
    // And what the parser gives for a phrase with a list: the same shape (a
    // phrase of rare words: one with a common word is a term, PhraseGrams).
    auto parsed = parse_query(db, "\"looks fine\" list:l1.example.org", 0);
    ASSERT_TRUE(parsed) << parsed.error().message;
    ASSERT_EQ(parsed->get_type(), Xapian::Query::OP_FILTER); // kind:mail stays outside
    EXPECT_TRUE(is_filter_of_each_branch(parsed->get_subquery(0))) << parsed->get_description();
}

// d: on the date slot reads the months of its range first (QueryParser's
// date_range): a range inside a month, across months, open at either end,
// over most of the index (the value range alone) or before every message
// must count what the messages' own dates say.
TEST(QueryFilter, DateRangesCountWhatTheDatesSay)
{
    TempDir dir;
    std::vector<std::string> messages;
    std::vector<int64_t> dates;
    const int64_t start = 1609459200; // 2021-01-01 (not in the future: such a date is not believed)
    for (int i = 0; i < 120; ++i) {
        dates.push_back(start + static_cast<int64_t>(i) * 9 * 86400 + i * 3607);
        messages.push_back(dated_message("r" + std::to_string(i) + "@x", "", dates.back(), "ranged words"));
    }
    import(dir, messages, "ranges.mbox");
    auto s = searcher(dir);
    auto day = [](const char* ymd) { return *parse_query_date(ymd, 0); };
    const std::pair<std::string, std::pair<int64_t, int64_t>> ranges[] = {
        {"2021-02-10..2021-02-20", {day("2021-02-10").first, day("2021-02-20").last}},
        {"2021-02-10..2021-05-03", {day("2021-02-10").first, day("2021-05-03").last}},
        {"2021-03", {day("2021-03").first, day("2021-03").last}},
        {"2023-06-15..", {day("2023-06-15").first, INT64_MAX}},
        {"..2021-01-20", {INT64_MIN, day("2021-01-20").last}},
        {"2021-02..2023-10", {day("2021-02").first, day("2023-10").last}}, // most of the index
        {"2021-01-01..", {day("2021-01-01").first, INT64_MAX}},
        {"..2020-12-31", {INT64_MIN, day("2020-12-31").last}}, // before every message
        {"2030..", {day("2030").first, INT64_MAX}},
    };
    size_t nonzero = 0;
    for (const auto& [range, span] : ranges) {
        const auto expected = static_cast<uint64_t>(
            std::ranges::count_if(dates, [&](int64_t d) { return d >= span.first && d <= span.second; }));
        EXPECT_EQ(count(*s, "d:" + range), expected) << range;
        EXPECT_EQ(count(*s, "ranged d:" + range), expected) << range;
        EXPECT_EQ(count(*s, "\"ranged words\" d:" + range), expected) << range;
        EXPECT_EQ(count(*s, "ranged NOT d:" + range), dates.size() - expected) << range;
        nonzero += expected != 0;
    }
    EXPECT_EQ(nonzero, 7u);
}

namespace {

/// What Xapian itself makes of the phrase @p words in each of @p prefixes:
/// the reference the common grams must agree with.
Xapian::Query phrase_in(const std::vector<std::string>& words, std::span<const std::string_view> prefixes)
{
    std::vector<Xapian::Query> branches;
    for (std::string_view p : prefixes) {
        std::vector<std::string> terms;
        for (const std::string& w : words)
            terms.push_back(std::string(p) + w);
        branches.emplace_back(Xapian::Query::OP_PHRASE, terms.begin(), terms.end(), terms.size());
    }
    return Xapian::Query(Xapian::Query::OP_OR, branches.begin(), branches.end());
}

std::set<Xapian::docid> docids(const Xapian::Database& db, const Xapian::Query& q)
{
    std::set<Xapian::docid> out;
    for (const auto& m : matches(db, q, false))
        out.insert(m.first);
    return out;
}

} // namespace

// Phrases with a common word are asked as common grams (PhraseGrams.hpp),
// which the import derives from the words' positions: every phrase must
// match exactly the documents Xapian's own phrase matching finds, across
// punctuation, case, line breaks, quoted and diff lines, repeated words,
// fields and scripts; a phrase of rare words, NEAR and ADJ stay as written.
TEST(PhraseGrams, PhrasesOfCommonWordsMatchWhatTheirPositionsSay)
{
    TempDir dir;
    const char* bodies[] = {
        "I think the patch is fine.",
        "The Patch, as sent, is fine",
        "see the.\npatch below",
        "> the patch\n\nnot quoted: the other one",
        "the the patch of the patch",
        "patch the code, then the\n\n\npatch",
        "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1,2 @@ int main\n-the\n+the patch\n+patch\n",
        "\xe8\xa1\xa5\xe4\xb8\x81the patch \xe8\xa1\xa5\xe4\xb8\x81 of the",
        "Signed-off-by: A <a@x>\nsigned off by me, is it the one",
        "it's the patch's fault; of it",
        "nothing in common here",
    };
    const char* subjects[] = {"Re: the patch", "[PATCH] fix it", "is it the one"};
    std::vector<std::string> messages;
    for (int i = 0; i < 33; ++i)
        messages.push_back(message("g" + std::to_string(i) + "@x", {}, "", i % 60, subjects[i % 3], bodies[i % 11]));
    import(dir, messages, "grams.mbox");
    auto index = IndexDatabase::open({dir.path / "index"});
    ASSERT_TRUE(index) << index.error().message;
    const Xapian::Database& db = index->db();

    using Words = std::vector<std::string>;
    const std::pair<std::string, Words> phrases[] = {
        {"the patch", {"the", "patch"}}, {"the other", {"the", "other"}},   {"of the", {"of", "the"}},
        {"the the", {"the", "the"}},     {"patch the", {"patch", "the"}},   {"is fine", {"is", "fine"}},
        {"the code", {"the", "code"}},   {"signed off by", {"signed", "off", "by"}},
        {"the patch of the patch", {"the", "patch", "of", "the", "patch"}}, {"it's the", {"it's", "the"}},
        {"the patch's", {"the", "patch's"}}, {"int main", {"int", "main"}}, {"is it the one", {"is", "it", "the", "one"}},
        {"fix it", {"fix", "it"}},       {"as sent", {"as", "sent"}},       {"nothing in common", {"nothing", "in", "common"}},
    };
    const std::pair<std::string, std::span<const std::string_view>> fields[] = {
        {"", schema::kDefaultPrefixes}, {"q:", schema::detail::kQuoted}, {"s:", schema::detail::kSubject},
        {"nq:", schema::detail::kUnquoted}, {"dfb:", schema::detail::kDiffAdded}};
    size_t as_grams = 0, nonempty = 0;
    for (const auto& [text, words] : phrases) {
        for (const auto& [field, prefixes] : fields) {
            const std::string q = field + "\"" + text + "\"";
            auto parsed = parse_query(db, q, 0);
            ASSERT_TRUE(parsed) << q << ": " << parsed.error().message;
            const auto expected = docids(db, phrase_in(words, prefixes));
            EXPECT_EQ(docids(db, *parsed), expected) << q << " = " << parsed->get_description();
            nonempty += !expected.empty();
            const std::string d = parsed->get_description();
            // Two common words in a row: a gram. Two of them alone: one term,
            // no positions to read.
            bool gram = false;
            for (size_t i = 0; i + 1 < words.size(); ++i)
                gram = gram || (schema::is_common_word(words[i]) && schema::is_common_word(words[i + 1]));
            EXPECT_EQ(d.find("XG") != std::string::npos, gram) << q << " = " << d;
            if (words.size() == 2) {
                EXPECT_EQ(d.find("PHRASE") == std::string::npos, gram) << q << " = " << d;
            }
            as_grams += gram;
        }
    }
    EXPECT_GT(nonempty, 30u);
    EXPECT_GT(as_grams, 40u);
    // NEAR and ADJ with a window wider than the phrase are not phrases.
    for (const char* q : {"the NEAR patch", "the ADJ/3 patch"}) {
        auto parsed = parse_query(db, q, 0);
        ASSERT_TRUE(parsed) << q;
        EXPECT_EQ(parsed->get_description().find("XG"), std::string::npos) << parsed->get_description();
    }
    // Quoted words weigh nothing, and their grams neither.
    for (auto p = db.postlist_begin("XGXQUOTthe patch"); p != db.postlist_end("XGXQUOTthe patch"); ++p)
        EXPECT_EQ(p.get_wdf(), 0u);
    EXPECT_GT(db.get_termfreq("XGXQUOTthe patch"), 0u);
    EXPECT_GT(db.get_termfreq("XGthe patch"), 0u);
    // Snippets highlight the words of a gram, one-letter words too.
    const auto words = snippet_words(*parse_query(db, "\"the patch is a\"", 0));
    for (const char* w : {"the", "patch", "is", "a"})
        EXPECT_TRUE(std::ranges::binary_search(words, std::string(w))) << w;
}

TEST(PhraseGrams, GramTermsAreTwoCommonWordsOfOneField)
{
    EXPECT_EQ(schema::gram_term("the", "patch"), "XGthe patch");
    EXPECT_EQ(schema::gram_term("XQUOTthe", "XQUOTpatch"), "XGXQUOTthe patch");
    EXPECT_EQ(schema::gram_term("Amemory", "Aof"), "XGAmemory of");
    EXPECT_EQ(schema::gram_term("XQUOTthe", "XQUOTbarrier"), ""); // one common word: positions are quick
    EXPECT_EQ(schema::gram_term("XQUOTmemory", "XQUOTbarrier"), "");
    EXPECT_EQ(schema::gram_term("Sthe", "XQUOTpatch"), "");     // two fields
    EXPECT_EQ(schema::gram_term("Sthe", "patch"), "");
    EXPECT_EQ(schema::gram_term("S", "Sthe"), "");              // no word
    EXPECT_TRUE(schema::in_grams("XDFAthe"));
    EXPECT_FALSE(schema::in_grams("XDFAbarrier"));
    EXPECT_TRUE(schema::is_common_word("the"));
    EXPECT_FALSE(schema::is_common_word("The"));
    EXPECT_FALSE(schema::is_common_word("barrier"));
}
