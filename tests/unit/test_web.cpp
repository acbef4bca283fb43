// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "web/Html.hpp"
#include "web/Site.hpp"
#include "TempDir.hpp"
#include "listdex/index/Importer.hpp"
#include "listdex/index/Schema.hpp"
#include "listdex/query/Searcher.hpp"

#include <gtest/gtest.h>
#include <xapian.h>
#include <zlib.h>

#include <chrono>
#include <thread>

#include <algorithm>
#include <fstream>
#include <iterator>

using namespace listdex;
using namespace listdex::web;

TEST(Html, EscapeCoversMarkupQuotesAndControls)
{
    EXPECT_EQ(escape("<a href=\"x\" onclick='y'>&</a>"),
              "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
    EXPECT_EQ(escape(std::string("a\x01\x00" "b\tc\n", 7)), "ab\tc\n"); // controls invalid in XML are dropped
}

TEST(Html, UrlEncodeKeepsOneSegment)
{
    EXPECT_EQ(url_encode("a/b%c@x.org"), "a%2Fb%25c@x.org");
    EXPECT_EQ(url_encode("r\xC3\xA9sum\xC3\xA9 1.pdf"), "r%C3%A9sum%C3%A9%201.pdf");
    EXPECT_EQ(url_encode("\"><script>"), "%22%3E%3Cscript%3E");
}

TEST(Html, HighlightedEscapesAroundMarks)
{
    EXPECT_EQ(highlighted("a <b> run", {{6, 3}}), "a &lt;b&gt; <mark>run</mark>");
    EXPECT_EQ(highlighted("abc", {{2, 5}}), "abc"); // out of range: ignored
}

TEST(Html, BodyLinksOnlyHttpAndStylesQuotesAndDiffs)
{
    const std::string html = body_html("> quoted <i>\n"
                                       "see https://example.org/a?b=1&c=2. and javascript:alert(1) data:text/html,x\n"
                                       "diff --git a/x b/x\n@@ -1 +1 @@\n-old\n+new\n-- \n-not a diff line\n");
    EXPECT_NE(html.find("<span class=\"q\">&gt; quoted &lt;i&gt;</span>"), std::string::npos) << html;
    EXPECT_NE(html.find("<a href=\"https://example.org/a?b=1&amp;c=2\" rel=\"nofollow noopener noreferrer\">"),
              std::string::npos)
        << html; // the sentence's full stop is not part of the URL
    EXPECT_EQ(html.find("href=\"javascript"), std::string::npos);
    EXPECT_EQ(html.find("href=\"data"), std::string::npos);
    EXPECT_NE(html.find("<span class=\"hunk\">@@ -1 +1 @@</span>"), std::string::npos);
    EXPECT_NE(html.find("<span class=\"del\">-old</span>"), std::string::npos);
    EXPECT_NE(html.find("<span class=\"add\">+new</span>"), std::string::npos);
    EXPECT_NE(html.find("\n-not a diff line\n"), std::string::npos) << html; // after the signature marker
}

TEST(Html, PageAndFeedEscapeTheirText)
{
    const std::string p = page("<t>", "<p>main</p>", {"q\"><script>", {}});
    EXPECT_NE(p.find("<title>&lt;t&gt; · listdex</title>"), std::string::npos);
    EXPECT_NE(p.find("value=\"q&quot;&gt;&lt;script&gt;\""), std::string::npos);
    EXPECT_EQ(p.find("<script>"), std::string::npos);
    const std::string feed = atom_feed("http://h/x.atom", "t<", 0, {{"http://h/m/a", "<s>", "N <n@x>", 86400, "s&"}});
    EXPECT_NE(feed.find("<title>&lt;s&gt;</title>"), std::string::npos) << feed;
    EXPECT_NE(feed.find("<author><name>N</name><email>n@x</email></author>"), std::string::npos) << feed;
    EXPECT_NE(feed.find("<updated>1970-01-02T00:00:00Z</updated>"), std::string::npos) << feed;
}

// ------------------------------------------------------------ requests and lanes

#include "web/HttpServer.hpp"
#include "web/Routes.hpp"
#include "web/Series.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

TEST(HttpRequests, ScanFindsHeadAndBodyAndRefusesWhatIsTooLarge)
{
    ConnectionLimits limits;
    limits.max_header_bytes = 64;
    limits.max_body_bytes = 10;
    using S = RequestScan::State;
    EXPECT_EQ(scan_request("GET / HTTP/1.1\r\nHost: x\r\n", limits).state, S::incomplete);
    const RequestScan get = scan_request("GET / HTTP/1.1\r\nHost: x\r\n\r\nGET /next", limits);
    EXPECT_EQ(get.state, S::complete);
    EXPECT_EQ(get.length, std::string_view("GET / HTTP/1.1\r\nHost: x\r\n\r\n").size()); // the next request stays
    EXPECT_EQ(scan_request("\r\nGET / HTTP/1.0\n\n", limits).state, S::complete); // bare LF, a leading blank line
    const std::string post = "POST /a/?x=m HTTP/1.1\r\ncontent-length: 3\r\n\r\n";
    EXPECT_EQ(scan_request(post + "x=", limits).state, S::incomplete);
    EXPECT_EQ(scan_request(post + "x=1", limits).length, post.size() + 3);
    const RequestScan waits = scan_request("POST / HTTP/1.1\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n", limits);
    EXPECT_TRUE(waits.expects_continue);
    EXPECT_EQ(scan_request("GET / HTTP/1.1\r\nX: " + std::string(100, 'a'), limits).status, 431); // no end in sight
    EXPECT_EQ(scan_request("POST / HTTP/1.1\r\nContent-Length: 11\r\n\r\n", limits).status, 413);
    EXPECT_EQ(scan_request("POST / HTTP/1.1\r\nContent-Length: x\r\n\r\n", limits).status, 400);
    EXPECT_EQ(scan_request("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", limits).status, 411);
}

namespace {
/// @p gz gunzipped by zlib (one member, its CRC and length checked);
/// nullopt when zlib refuses it.
std::optional<std::string> gunzip(const std::string& gz)
{
    z_stream z{};
    if (inflateInit2(&z, 15 + 16) != Z_OK)
        return std::nullopt;
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
    z.avail_in = static_cast<uInt>(gz.size());
    std::string out;
    char buf[16384];
    int rc;
    do {
        z.next_out = reinterpret_cast<Bytef*>(buf);
        z.avail_out = sizeof buf;
        rc = inflate(&z, Z_NO_FLUSH);
        out.append(buf, sizeof buf - z.avail_out);
    } while (rc == Z_OK);
    const bool whole = rc == Z_STREAM_END && z.avail_in == 0;
    inflateEnd(&z);
    return whole ? std::optional<std::string>(out) : std::nullopt;
}
} // namespace

TEST(Downloads, BothGzipWritersGiveWhatTheyWereGiven)
{
    std::string mail;
    for (int i = 0; mail.size() < 300 * 1024; ++i)
        mail += "From: Someone " + std::to_string(i * 7919 % 1000) + " <s@example.org>\nSubject: Re: [PATCH v" +
                std::to_string(i % 9) + "] a fix\n\n> quoted " + std::to_string(i) + "\n" + std::string(i % 50, 'x') + "\n";
    for (const std::string& text : {std::string(), std::string("x"), mail}) {
        EXPECT_EQ(gunzip(gzip_whole(text)), text) << text.size();
        Gzip z;
        for (size_t at = 0; at < text.size(); at += 70000)
            z.add(std::string_view(text).substr(at, 70000));
        const std::string streamed = z.finish();
        EXPECT_EQ(gunzip(streamed), text) << text.size();
        if (text.size() > 1000) {
            EXPECT_LT(gzip_whole(text).size(), text.size() / 3);
        }
    }
    std::string damaged = gzip_whole(mail);
    damaged[damaged.size() - 6] ^= 1; // the CRC
    EXPECT_FALSE(gunzip(damaged));
}

TEST(HttpRequests, SearchesNeverTakeTheLastWorkers)
{
    // Two workers, one of which may run searches: a search that blocks
    // leaves the other worker to pages.
    LaneScheduler pool(2, 1, 100);
    std::mutex m;
    std::condition_variable cv;
    bool release = false;
    std::atomic<int> searches_started{0}, pages_done{0};
    for (int i = 0; i < 3; ++i)
        ASSERT_TRUE(pool.submit(Lane::search, [&] {
            ++searches_started;
            std::unique_lock lock(m);
            cv.wait(lock, [&] { return release; });
        }));
    for (int i = 0; i < 5; ++i)
        ASSERT_TRUE(pool.submit(Lane::page, [&] { ++pages_done; }));
    for (int i = 0; i < 200 && pages_done < 5; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    EXPECT_EQ(pages_done.load(), 5);
    EXPECT_EQ(searches_started.load(), 1); // the cap held while the first search blocked
    {
        std::lock_guard lock(m);
        release = true;
    }
    cv.notify_all();
    for (int i = 0; i < 200 && searches_started < 3; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    EXPECT_EQ(searches_started.load(), 3);
    pool.stop();
}

namespace {
/// With one busy worker, a search and then a page arrive (the page after
/// @p gap); the order they run in.
std::vector<std::string> order_after_busy_worker(std::chrono::milliseconds patience, std::chrono::milliseconds gap)
{
    LaneScheduler pool(1, 1, 100, patience);
    std::mutex m;
    std::condition_variable cv;
    bool release = false;
    std::atomic<bool> running{false};
    std::vector<std::string> order;
    std::mutex order_mutex;
    auto note = [&](const char* what) {
        std::lock_guard lock(order_mutex);
        order.push_back(what);
    };
    EXPECT_TRUE(pool.submit(Lane::page, [&] {
        running = true;
        std::unique_lock lock(m);
        cv.wait(lock, [&] { return release; });
    }));
    while (!running)
        std::this_thread::yield();
    EXPECT_TRUE(pool.submit(Lane::search, [&] { note("search"); }));
    std::this_thread::sleep_for(gap);
    EXPECT_TRUE(pool.submit(Lane::page, [&] { note("page"); }));
    {
        std::lock_guard lock(m);
        release = true;
    }
    cv.notify_all();
    for (int i = 0; i < 400; ++i) {
        {
            std::lock_guard lock(order_mutex);
            if (order.size() == 2)
                break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    pool.stop();
    return order;
}
} // namespace

TEST(HttpRequests, PagesGoFirstUntilASearchHasWaitedItsPatience)
{
    using std::chrono::milliseconds;
    EXPECT_EQ(order_after_busy_worker(milliseconds(10000), milliseconds(0)),
              (std::vector<std::string>{"page", "search"}));
    EXPECT_EQ(order_after_busy_worker(milliseconds(20), milliseconds(60)),
              (std::vector<std::string>{"search", "page"})); // a stream of pages cannot starve searches
}

TEST(HttpRequests, AFullQueueRefusesInsteadOfGrowing)
{
    LaneScheduler pool(1, 1, 2);
    std::mutex m;
    std::condition_variable cv;
    bool release = false;
    std::atomic<bool> running{false};
    ASSERT_TRUE(pool.submit(Lane::page, [&] {
        running = true;
        std::unique_lock lock(m);
        cv.wait(lock, [&] { return release; });
    }));
    while (!running)
        std::this_thread::yield();
    EXPECT_TRUE(pool.submit(Lane::page, [] {}));
    EXPECT_TRUE(pool.submit(Lane::search, [] {}));
    EXPECT_FALSE(pool.submit(Lane::page, [] {})); // two wait already
    {
        std::lock_guard lock(m);
        release = true;
    }
    cv.notify_all();
    pool.stop();
}

// ------------------------------------------------------------ routes

TEST(Routes, SegmentsArePercentDecodedOneByOne)
{
    EXPECT_EQ(path_segments("/all/a%2Fb%25c@x/raw"), (std::vector<std::string>{"all", "a/b%c@x", "raw"}));
    EXPECT_EQ(path_segments("/l/"), (std::vector<std::string>{"l", ""}));
    EXPECT_EQ(path_segments("/bad%zz%4"), (std::vector<std::string>{"bad%zz%4"})); // not an escape: kept
}

TEST(Routes, LanesFollowTheTable)
{
    EXPECT_EQ(lane_of("GET", "/"), Lane::page);
    EXPECT_EQ(lane_of("GET", "/search?q=x"), Lane::search);
    EXPECT_EQ(lane_of("GET", "/linux-man/?q=x"), Lane::search);
    EXPECT_EQ(lane_of("POST", "/all/?q=x&x=m"), Lane::search);
    EXPECT_EQ(lane_of("GET", "/all/a@b/"), Lane::page);
    EXPECT_EQ(lane_of("GET", "/all/a@b/t.mbox.gz"), Lane::page);
    EXPECT_EQ(lane_of("GET", "/all/2024-03/"), Lane::search);
}

TEST(Routes, EveryPatternIsDocumented)
{
    std::ifstream in(std::string(LISTDEX_SOURCE_DIR) + "/docs/web.md");
    const std::string doc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ASSERT_FALSE(doc.empty());
    for (const std::string& route : route_patterns()) {
        std::string pattern = route.substr(route.find(' ') + 1);
        // docs/web.md writes {list} as LIST, {id} as ID, and so on.
        for (auto [from, to] : {std::pair{"{list}", "LIST"}, {"{id}", "ID"}, {"{month}", "YYYY-MM"},
                                {"{attach}", "N-FILENAME"}, {"{n}", "N"}, {"{any}", "FILENAME"}})
            for (size_t at; (at = pattern.find(from)) != std::string::npos;)
                pattern.replace(at, std::string_view(from).size(), to);
        EXPECT_NE(doc.find("`" + pattern), std::string::npos) << route << " is not in docs/web.md as `" << pattern;
    }
}

// ------------------------------------------------------------ patch series

namespace {
listdex::ThreadEntry entry(const std::string& key, const std::string& subject, int64_t date)
{
    listdex::ThreadEntry e;
    e.stored.key = key;
    e.message_id = key;
    e.subject = subject;
    e.date = date;
    return e;
}
} // namespace

TEST(Series, PatchNumbersAsSubjectsWriteThem)
{
    auto n = patch_number("[PATCH v2 3/7] foo: bar");
    ASSERT_TRUE(n);
    EXPECT_EQ(n->version, 2u);
    EXPECT_EQ(n->index, 3u);
    EXPECT_EQ(n->total, 7u);
    EXPECT_TRUE(n->versioned);
    n = patch_number("[linux-man] [PATCH net-next 01/12] x");
    ASSERT_TRUE(n);
    EXPECT_EQ(n->index, 1u);
    EXPECT_EQ(n->total, 12u);
    EXPECT_FALSE(n->versioned);
    EXPECT_EQ(patch_number("[RFC PATCH 0/2] cover")->index, 0u);
    EXPECT_FALSE(patch_number("Re: [PATCH 1/2] x"));   // a reply
    EXPECT_FALSE(patch_number("[PATCH] unnumbered"));
    EXPECT_FALSE(patch_number("[PATCH 3/2] impossible"));
    EXPECT_FALSE(patch_number("[GIT PULL] 1/2 not a patch tag"));
}

TEST(Series, RevisionsInOneThreadAndWhichOneAMessageBelongsTo)
{
    // v2 cover, "[PATCH 1/3]" (no v: inherits v2), v2 2/3, a v3 2/3 in
    // reply to it, a review of the v3 patch, v2 3/3.
    listdex::ThreadView v;
    v.entries = {entry("c", "[PATCH v2 0/3] x", 0), entry("p1", "[PATCH 1/3] a", 1), entry("p2", "[PATCH v2 2/3] b", 2),
                 entry("q2", "[PATCH v3 2/3] b", 5), entry("r", "Re: [PATCH v3 2/3] b", 6),
                 entry("p3", "[PATCH 3/3] c", 3)};
    using Node = listdex::ThreadTreeNode;
    const Node review{4, 0, {}}, v3{3, 0, {review}}, p2{2, 0, {v3}}, p1{1, 0, {}}, p3{5, 0, {}};
    v.forest = {Node{0, 0, {p1, p2, p3}}};
    const auto all = find_series(v);
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[0].version, 2u);
    EXPECT_TRUE(all[0].complete());
    EXPECT_EQ(all[0].patches[0]->stored.key, "p1");
    EXPECT_EQ(all[1].version, 3u);
    EXPECT_EQ(all[1].present(), 1u);
    EXPECT_EQ(series_of(all, v, "r"), &all[1]);  // a review belongs to the patch it reviews
    EXPECT_EQ(series_of(all, v, "c"), &all[0]);  // a cover to its own numbers
    EXPECT_EQ(series_of(all, v, "p3"), &all[0]);
}

TEST(Html, ActivityHasABarPerMonthEmptyOnesIncluded)
{
    const std::string svg = activity_svg({{2024, 11, 3}, {2025, 2, 1234}}, "x <y>", "/l/");
    size_t bars = 0;
    for (size_t at = 0; (at = svg.find("<rect", at)) != std::string::npos; ++at)
        ++bars;
    EXPECT_EQ(bars, 2u); // months without messages have no bar, but their place
    EXPECT_NE(svg.find("viewBox=\"0 0 40 40\""), std::string::npos) << svg; // Nov..Feb: four months
    EXPECT_NE(svg.find("<title>2025-02: 1,234 messages</title>"), std::string::npos) << svg;
    EXPECT_NE(svg.find("<a href=\"/l/2024-11/\">"), std::string::npos);
    EXPECT_NE(svg.find("aria-label=\"x &lt;y&gt;\""), std::string::npos);
    EXPECT_TRUE(activity_svg({}, "x").empty());
}

TEST(Html, SparklineHasTheSameBarsInOnePath)
{
    const std::vector<MonthCount> months{{2024, 11, 3}, {2025, 2, 1234}};
    const std::string line = activity_sparkline(months, "x <y>");
    EXPECT_NE(line.find("viewBox=\"0 0 40 40\""), std::string::npos) << line; // as activity_svg's
    EXPECT_NE(line.find("<path d=\"M1 39.0h8V40h-8zM31 0.0h8V40h-8z\"/>"), std::string::npos) << line;
    EXPECT_NE(line.find("aria-label=\"x &lt;y&gt; (busiest: 2025-02, 1,234 messages)\""), std::string::npos) << line;
    EXPECT_EQ(line.find("<a "), std::string::npos);
    EXPECT_EQ(line.find("<rect"), std::string::npos);
    EXPECT_TRUE(activity_sparkline({}, "x").empty());
}

namespace {

void import_list_message(const TempDir& dir, const std::string& id, const std::string& list)
{
    const std::string mbox = "From a@example.org Mon Mar  4 09:00:00 2024\nFrom: Ann <ann@example.org>\n"
                             "Subject: hello\nDate: Mon, 04 Mar 2024 09:00:00 +0000\nMessage-ID: <" +
                             id + ">\nList-Id: <" + list + ">\n\nhello\n\n";
    auto r = import_archives({dir.path / "index"}, {dir.write(id + ".mbox", mbox)}, {});
    ASSERT_TRUE(r) << r.error().message;
}

std::vector<std::string> list_ids(const Catalog& c)
{
    std::vector<std::string> out;
    for (const auto& l : c.lists)
        out.push_back(l.summary.id);
    return out;
}

} // namespace

// The catalog follows the index. With the list counts stored (no import
// running) a request recounts at once and sees the change; without them a
// recount is a pass over every message, which runs beside the requests:
// they get the previous catalog until it is done, never wait for it.
TEST(SiteCatalog, QuickRecountsInTheRequestSlowOnesBesideIt)
{
    TempDir dir;
    import_list_message(dir, "a1@x", "a.example.org");
    Site site(IndexPaths{dir.path / "index"}, {});
    auto r = site.readers();
    ASSERT_TRUE(r);
    auto first = site.catalog(**r);
    ASSERT_TRUE(first);
    EXPECT_EQ(list_ids(**first), std::vector<std::string>{"a.example.org"});

    import_list_message(dir, "b1@x", "b.example.org");
    r = site.readers();
    auto second = site.catalog(**r);
    ASSERT_TRUE(second);
    EXPECT_EQ(list_ids(**second), (std::vector<std::string>{"a.example.org", "b.example.org"}));

    { // as while an import runs: the stored counts cleared by a commit
        Xapian::WritableDatabase db((dir.path / "index" / "shards" / "0.stub").string());
        db.set_metadata(std::string(schema::kListStatsKey), "");
        db.commit();
    }
    r = site.readers();
    ASSERT_TRUE((*r)->searcher->lists_stored());
    EXPECT_FALSE(*(*r)->searcher->lists_stored());
    auto during = site.catalog(**r);
    ASSERT_TRUE(during);
    EXPECT_EQ(*during, *second) << "the previous catalog, at once";
    std::shared_ptr<const Catalog> recounted = *during;
    for (int i = 0; i < 500 && recounted == *second; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        auto c = site.catalog(**r);
        ASSERT_TRUE(c);
        recounted = *c;
    }
    ASSERT_NE(recounted, *second) << "recounted beside the requests";
    EXPECT_EQ(list_ids(*recounted), (std::vector<std::string>{"a.example.org", "b.example.org"}));
    EXPECT_EQ(recounted->lists[1].summary.messages, 1u);

    // A URL naming a list the newest commit added gets the latest catalog,
    // also while the counts are not stored, by its id or its short name.
    import_list_message(dir, "c1@x", "c.example.org");
    {
        Xapian::WritableDatabase db((dir.path / "index" / "shards" / "0.stub").string());
        db.set_metadata(std::string(schema::kListStatsKey), "");
        db.commit();
    }
    for (const char* name : {"c", "C.Example.Org"}) {
        r = site.readers();
        auto knowing = site.catalog_knowing(**r, name);
        ASSERT_TRUE(knowing);
        EXPECT_NE((*knowing)->find(name), nullptr) << name;
    }
}

#include "web/OnceByKey.hpp"

#include <stdexcept>
#include <vector>

// A message page's date order at a million messages is a costly read: after
// each recount during an import every worker read it at once and all pages
// stopped for 150 ms. One reads it; the others wait for it and share it.
TEST(OnceByKey, ComputesOnceWhileOthersWaitAndForgetsFailures)
{
    OnceByKey<std::shared_ptr<const int>> values;
    std::atomic<int> computed{0};
    std::vector<std::thread> workers;
    std::vector<std::shared_ptr<const int>> got(8);
    for (size_t i = 0; i < got.size(); ++i)
        workers.emplace_back([&, i] {
            auto v = values.get("all", [&]() -> Result<std::shared_ptr<const int>> {
                ++computed;
                std::this_thread::sleep_for(std::chrono::milliseconds(50)); // the others ask meanwhile
                return std::make_shared<const int>(42);
            });
            ASSERT_TRUE(v);
            got[i] = *v;
        });
    for (auto& w : workers)
        w.join();
    EXPECT_EQ(computed.load(), 1);
    for (const auto& v : got) {
        ASSERT_TRUE(v);
        EXPECT_EQ(v, got[0]) << "one value, shared";
    }
    auto kept = values.get("all", [&]() -> Result<std::shared_ptr<const int>> {
        ++computed;
        return std::make_shared<const int>(0);
    });
    ASSERT_TRUE(kept);
    EXPECT_EQ(*kept, got[0]);
    EXPECT_EQ(computed.load(), 1) << "kept";

    // Another key is computed by itself; failures are not kept.
    auto failed = values.get("list", [&]() -> Result<std::shared_ptr<const int>> {
        return std::unexpected(Error{ExitCode::failure, "disk", ""});
    });
    ASSERT_FALSE(failed);
    EXPECT_EQ(failed.error().message, "disk");
    EXPECT_THROW(values.get("list", []() -> Result<std::shared_ptr<const int>> { throw std::runtime_error("x"); }),
                 std::runtime_error);
    auto again = values.get("list", [&]() -> Result<std::shared_ptr<const int>> { return std::make_shared<const int>(7); });
    ASSERT_TRUE(again);
    EXPECT_EQ(**again, 7);
}
