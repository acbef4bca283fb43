#include "web/Html.hpp"

#include <gtest/gtest.h>

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
