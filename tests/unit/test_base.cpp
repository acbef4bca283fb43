// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "listdex/base/CPtr.hpp"
#include "listdex/base/Error.hpp"
#include "listdex/base/File.hpp"
#include "listdex/base/Hash.hpp"
#include "listdex/base/Text.hpp"
#include "listdex/base/Time.hpp"

#include "TempDir.hpp"

#include <gtest/gtest.h>

#include <sstream>

using namespace listdex;

namespace {
// A C library's object and its API, as libgit2 shapes them.
struct Thing {
    int id;
};
std::vector<int> g_freed;
int thing_free(Thing* t) // returns a status, as archive_read_free does
{
    g_freed.push_back(t->id);
    delete t;
    return 0;
}
int thing_open(Thing** out, int id)
{
    if (id < 0)
        return -1; // fails without storing
    *out = new Thing{id};
    return 0;
}
} // namespace

TEST(CPtr, ReleasesWithTheLibrarysFunctionAndTakesOutParameters)
{
    g_freed.clear();
    {
        CPtr<Thing, thing_free> t;
        EXPECT_FALSE(t);
        ASSERT_EQ(thing_open(t.out(), 1), 0);
        ASSERT_TRUE(t);
        EXPECT_EQ(t->id, 1);
        EXPECT_TRUE(g_freed.empty());
        // What it held is released first; the next call in the same
        // expression sees the new object (libgit2's lookup || use chains).
        EXPECT_TRUE(thing_open(t.out(), 2) == 0 && t && t->id == 2);
        EXPECT_EQ(g_freed, std::vector<int>({1}));
        EXPECT_NE(thing_open(t.out(), -1), 0); // a failed call leaves it empty
        EXPECT_FALSE(t);
        EXPECT_EQ(g_freed, std::vector<int>({1, 2}));
        CPtr<Thing, thing_free> adopted(new Thing{3});
        Thing* released = CPtr<Thing, thing_free>(new Thing{4}).release();
        thing_free(released);
        CPtr<Thing, thing_free> moved(new Thing{5});
        moved = std::move(adopted); // 5 released, 3 moved in
        EXPECT_FALSE(adopted);
        EXPECT_EQ(moved->id, 3);
    }
    EXPECT_EQ(g_freed, std::vector<int>({1, 2, 4, 5, 3})); // never null, never twice
}

TEST(File, ReplaceFileWritesAndReplacesWholeAndNamesTheFileItCannotWrite)
{
    TempDir dir;
    const auto path = dir.path / "f";
    auto contents = [&] {
        std::ifstream in(path);
        std::stringstream s;
        s << in.rdbuf();
        return s.str();
    };
    ASSERT_TRUE(replace_file(path, "first\n"));
    EXPECT_EQ(contents(), "first\n");
    const std::string big(1 << 20, 'x'); // longer than one write may take
    ASSERT_TRUE(replace_file(path, big, false));
    EXPECT_EQ(contents(), big);
    ASSERT_TRUE(replace_file(path, ""));
    EXPECT_EQ(contents(), "");
    EXPECT_FALSE(std::filesystem::exists(dir.path / "f.tmp"));
    auto missing = replace_file(dir.path / "no" / "f", "x");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, ExitCode::failure);
    EXPECT_NE(missing.error().message.find((dir.path / "no" / "f.tmp").string()), std::string::npos)
        << missing.error().message;
    EXPECT_NE(missing.error().message.find("No such file"), std::string::npos) << missing.error().message;
}

TEST(Text, ValidUtf8IsRecognised)
{
    EXPECT_TRUE(is_valid_utf8("plain ascii"));
    EXPECT_TRUE(is_valid_utf8("Grüße ✓ 日本"));
    EXPECT_FALSE(is_valid_utf8("caf\xe9"));         // latin-1
    EXPECT_FALSE(is_valid_utf8("\xc0\xaf"));        // overlong
    EXPECT_FALSE(is_valid_utf8("\xed\xa0\x80"));    // surrogate
    EXPECT_FALSE(is_valid_utf8("\xe2\x82"));        // truncated
}

TEST(Text, MakeValidReplacesBadBytesAndDropsNul)
{
    EXPECT_EQ(make_valid_utf8("caf\xe9!"), "caf\xEF\xBF\xBD!");
    EXPECT_EQ(make_valid_utf8(std::string_view("a\0b", 3)), "ab");
    EXPECT_EQ(make_valid_utf8("ok ✓"), "ok ✓");
}

TEST(Text, NormalizeMessageIdAcceptsEveryWayUsersTypeIt)
{
    EXPECT_EQ(normalize_message_id("<a@b>"), "a@b");
    EXPECT_EQ(normalize_message_id(" a@b "), "a@b");
    EXPECT_EQ(normalize_message_id("id:<a@b>"), "a@b");
    EXPECT_EQ(normalize_message_id("mid:a@b"), "a@b");
    EXPECT_EQ(normalize_message_id("<>"), "");
}

TEST(Text, OneLineCollapsesControlsAndSpaces)
{
    EXPECT_EQ(one_line("  two\r\nlines\tand   tab \x7f"), "two lines and tab");
    EXPECT_EQ(one_line("caf\xe9"), "caf\xEF\xBF\xBD");
    EXPECT_EQ(one_line(""), "");
}

TEST(Text, CountsHaveSeparatorsAndTheNounThatFits)
{
    EXPECT_EQ(thousands(0), "0");
    EXPECT_EQ(thousands(999), "999");
    EXPECT_EQ(thousands(1000), "1,000");
    EXPECT_EQ(thousands(17885), "17,885");
    EXPECT_EQ(thousands(1234567), "1,234,567");
    EXPECT_EQ(counted(0, "message", "messages"), "0 messages");
    EXPECT_EQ(counted(1, "reply", "replies"), "1 reply");
    EXPECT_EQ(counted(2, "reply", "replies"), "2 replies");
    EXPECT_EQ(counted(1001, "thread", "threads"), "1,001 threads");
}

TEST(Text, SplitKeepsEmptyFields)
{
    auto v = split("a,,b", ',');
    ASSERT_EQ(v.size(), 3u);
    EXPECT_EQ(v[1], "");
}

TEST(Hash, MessageHashIgnoresLineEndingsAndTrailingBlankLines)
{
    const std::string lf = "From: a\nSubject: b\n\nbody\n";
    const std::string crlf = "From: a\r\nSubject: b\r\n\r\nbody\r\n\r\n";
    EXPECT_EQ(message_hash(lf), message_hash(crlf));
    EXPECT_NE(message_hash(lf), message_hash("From: a\nSubject: b\n\nbody!\n"));
    EXPECT_EQ(message_hash(lf).size(), 32u);
}

TEST(Time, CivilDatesAndIso8601)
{
    EXPECT_EQ(civil_to_unix(1970, 1, 1, 0, 0, 0), 0);
    EXPECT_EQ(civil_to_unix(2024, 3, 7, 15, 51, 0), 1709826660);
    EXPECT_FALSE(civil_to_unix(2023, 2, 29, 0, 0, 0).has_value());
    EXPECT_EQ(format_iso8601(1709826660), "2024-03-07T15:51:00Z");
    EXPECT_EQ(format_iso8601(0), "1970-01-01T00:00:00Z");
}

TEST(Time, PlausibleDates)
{
    const int64_t now = 1'800'000'000;
    EXPECT_TRUE(plausible_message_date(1'000'000'000, now));
    EXPECT_FALSE(plausible_message_date(0, now));
    EXPECT_FALSE(plausible_message_date(now + 30 * 86400, now));
}

TEST(Error, DescribeIncludesHint)
{
    Error e{ExitCode::bad_input, "x.mbox: not a mailbox", "try again"};
    EXPECT_EQ(e.describe(), "x.mbox: not a mailbox\n  hint: try again");
    Result<int> r = fail(ExitCode::locked, "busy");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ExitCode::locked);
}

TEST(Text, ListIdsAsRfc2919WritesThem)
{
    EXPECT_EQ(normalize_list_id("<xen-devel.lists.xenproject.org>"), "xen-devel.lists.xenproject.org");
    EXPECT_EQ(normalize_list_id("Xen Devel <Xen-Devel.Lists.XenProject.org>"), "xen-devel.lists.xenproject.org");
    EXPECT_EQ(normalize_list_id("xen-devel@lists.xenproject.org"), "xen-devel.lists.xenproject.org");
    EXPECT_EQ(normalize_list_id(" <linux-man@vger.kernel.org> "), "linux-man.vger.kernel.org");
    EXPECT_EQ(normalize_list_id("a@b@c"), "a@b@c"); // not an address: kept
}
