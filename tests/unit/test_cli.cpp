// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
// The CLI's terminal helpers: widths, fitting, and how a body is coloured.
#include "cli/Terminal.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

#include <unistd.h>

using namespace listdex::cli;

TEST(Terminal, DisplayWidthCountsColumnsNotBytes)
{
    EXPECT_EQ(display_width("abc"), 3u);
    EXPECT_EQ(display_width("Grüße"), 5u);
    EXPECT_EQ(display_width("日本語"), 6u); // wide characters take two columns
    EXPECT_EQ(display_width("e\xcc\x81"), 1u); // a combining accent takes none
    EXPECT_EQ(display_width("\xff"), 1u);      // a stray byte still takes room
}

TEST(Terminal, FitCutsAtCharactersAndSaysSo)
{
    EXPECT_EQ(fit("short", 10), "short");
    EXPECT_EQ(fit("anything", 0), "anything"); // 0: no limit (not a terminal)
    EXPECT_EQ(fit("abcdefghij", 5), "abcd…");
    EXPECT_EQ(display_width(fit("abcdefghij", 5)), 5u);
    EXPECT_EQ(fit("日本語のテキスト", 7), "日本語…"); // never half a character
    EXPECT_LE(display_width(fit("日本語のテキスト", 6)), 6u);
    EXPECT_EQ(fit("Grüße aus Zürich", 6), "Grüße…");
}

namespace {
std::vector<std::string> paint(const std::vector<std::string>& lines)
{
    const Colours on(true);
    BodyPainter painter(on);
    std::vector<std::string> out;
    for (const auto& l : lines)
        out.push_back(painter.line(l));
    return out;
}
} // namespace

TEST(BodyPainter, PatchesQuotesAndSignatures)
{
    const auto out = paint({"Intro.", "- a list item", "---", " f.c | 2 +-", "diff --git a/f.c b/f.c",
                            "index 123..456 100644", "--- a/f.c", "+++ b/f.c", "@@ -1,2 +1,2 @@ int main()",
                            " context", "-old", "+new", "", "\\ No newline at end of file", "> quoted", ">> twice",
                            "> > twice too", "-- ", "-signature line"});
    EXPECT_EQ(out[0], "Intro.");
    EXPECT_EQ(out[1], "- a list item") << "not a patch yet";
    EXPECT_EQ(out[2], "---");
    EXPECT_EQ(out[4], "\033[1mdiff --git a/f.c b/f.c\033[m");
    EXPECT_EQ(out[6], "\033[1m--- a/f.c\033[m");
    EXPECT_EQ(out[7], "\033[1m+++ b/f.c\033[m");
    EXPECT_EQ(out[8], "\033[36m@@ -1,2 +1,2 @@ int main()\033[m");
    EXPECT_EQ(out[9], " context");
    EXPECT_EQ(out[10], "\033[31m-old\033[m");
    EXPECT_EQ(out[11], "\033[32m+new\033[m");
    EXPECT_EQ(out[12], "");
    EXPECT_EQ(out[14], "\033[36m> quoted\033[m") << "the patch ended at prose";
    EXPECT_EQ(out[15], "\033[33m>> twice\033[m");
    EXPECT_EQ(out[16], "\033[33m> > twice too\033[m");
    EXPECT_EQ(out[17], "\033[2m-- \033[m");
    EXPECT_EQ(out[18], "\033[2m-signature line\033[m") << "a signature is never a removed line";
}

TEST(BodyPainter, APatchWithoutDiffLineStartsAtItsFileHeaders)
{
    const auto out = paint({"--- a/x", "+++ b/x", "-a", "+b"});
    EXPECT_EQ(out[0], "--- a/x"); // undecided until "+++ " follows
    EXPECT_EQ(out[1], "\033[1m+++ b/x\033[m");
    EXPECT_EQ(out[2], "\033[31m-a\033[m");
    EXPECT_EQ(out[3], "\033[32m+b\033[m");
}

TEST(BodyPainter, NoColourLeavesEveryLineAsItIs)
{
    const Colours off(false);
    BodyPainter painter(off);
    for (const char* l : {"+new", "-old", "> q", "-- ", "@@ -1 +1 @@"})
        EXPECT_EQ(painter.line(l), l);
    EXPECT_EQ(off.header("From", "x"), "From: x");
}

TEST(OutputStyle, NoColorAndColumns)
{
    // A pager only on a terminal (ctest captures stdout); always means
    // colour; COLUMNS sets the width.
    ::setenv("COLUMNS", "72", 1);
    ::unsetenv("NO_COLOR");
    const bool tty = ::isatty(STDOUT_FILENO) == 1;
    auto s = output_style(ColourWhen::automatic, true);
    EXPECT_EQ(s.page, tty);
    EXPECT_FALSE(output_style(ColourWhen::automatic, false).page) << "--no-pager";
    EXPECT_EQ(s.width, 72u);
    EXPECT_TRUE(output_style(ColourWhen::always, true).colour);
    ::setenv("NO_COLOR", "1", 1);
    EXPECT_TRUE(output_style(ColourWhen::always, true).colour) << "--color always wins over NO_COLOR";
    EXPECT_FALSE(output_style(ColourWhen::never, true).colour);
    ::unsetenv("NO_COLOR");
    ::unsetenv("COLUMNS");
}
