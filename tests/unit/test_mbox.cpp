// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "listdex/mbox/ByteSource.hpp"
#include "listdex/mbox/FromLine.hpp"
#include "listdex/mbox/InputScanner.hpp"
#include "listdex/mbox/MboxReader.hpp"
#include "listdex/mbox/PublicInboxReader.hpp"
#include "listdex/mbox/TarReader.hpp"
#include "TempDir.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

using namespace listdex;
namespace fs = std::filesystem;

namespace {

std::vector<RawMessage> split_all(const std::string& mbox)
{
    auto src = memory_byte_source("test.mbox", mbox);
    MboxReader reader(*src);
    std::vector<RawMessage> out;
    for (;;) {
        auto m = reader.next();
        EXPECT_TRUE(m.has_value());
        if (!m || !*m)
            return out;
        out.push_back(std::move(**m));
    }
}

const std::string kTwo = "From alice@example.org Mon Mar  4 09:00:00 2024\n"
                         "From: Alice <alice@example.org>\n"
                         "Subject: one\n"
                         "\n"
                         "body one\n"
                         "\n"
                         "From bob@example.org Tue Mar  5 10:00:00 2024\n"
                         "From: Bob <bob@example.org>\n"
                         "Subject: two\n"
                         "\n"
                         "body two\n";

} // namespace

TEST(FromLine, AcceptsRfc4155Variants)
{
    auto f = parse_from_line("From MAILER-DAEMON Fri Jul  8 12:08:34 2011\n");
    ASSERT_TRUE(f);
    EXPECT_EQ(f->sender, "MAILER-DAEMON");
    EXPECT_EQ(f->date, 1310126914);
    EXPECT_TRUE(parse_from_line("From - Thu Mar  7 15:51:00 2013\r\n"));                // Mozilla
    EXPECT_TRUE(parse_from_line("From a@b Wed Mar 25 10:00:00 +0100 2009"));            // numeric zone
    EXPECT_TRUE(parse_from_line("From a@b Wed Mar 25 10:00 PST 2009"));                 // named zone, no seconds
    EXPECT_TRUE(parse_from_line("From a@b Wed Mar 25 10:00:00 2009 remote from x"));    // trailing text
    auto pipermail = parse_from_line("From user at example.com  Thu Mar  7 15:51:00 2013");
    ASSERT_TRUE(pipermail);
    EXPECT_EQ(pipermail->sender, "user at example.com");
    auto zone = parse_from_line("From a@b Wed Mar 25 10:00:00 +0100 2009");
    EXPECT_EQ(zone->date, *parse_from_line("From a@b Wed Mar 25 09:00:00 2009")->date);
}

TEST(FromLine, PlaceholderDateIsNoDate)
{
    auto f = parse_from_line("From mboxrd@z Thu Jan  1 00:00:00 1970");
    ASSERT_TRUE(f);
    EXPECT_FALSE(f->date.has_value());
}

TEST(FromLine, RejectsBodyText)
{
    EXPECT_FALSE(parse_from_line("From March 1, 2013, the travel office has moved."));
    EXPECT_FALSE(parse_from_line("From the desk of the editor"));
    EXPECT_FALSE(parse_from_line("From: Alice <a@b>"));
    EXPECT_FALSE(parse_from_line(">From a@b Wed Mar 25 10:00:00 2009"));
    EXPECT_FALSE(parse_from_line("From Wed Mar 25 10:00:00 2009")); // no sender
    EXPECT_FALSE(parse_from_line("From a@b Wed Mar 32 10:00:00 2009"));
}

TEST(MboxReader, SplitsMessagesWithOffsetsAndEnvelopeDates)
{
    auto msgs = split_all(kTwo);
    ASSERT_EQ(msgs.size(), 2u);
    EXPECT_EQ(msgs[0].offset, 0u);
    EXPECT_EQ(msgs[0].bytes, "From: Alice <alice@example.org>\nSubject: one\n\nbody one\n");
    EXPECT_EQ(msgs[1].offset, kTwo.find("From bob"));
    EXPECT_EQ(msgs[1].bytes, "From: Bob <bob@example.org>\nSubject: two\n\nbody two\n");
    EXPECT_EQ(msgs[0].envelope_date, 1709542800);
    EXPECT_EQ(msgs[1].source, "test.mbox");
}

TEST(MboxReader, UndoesMboxrdQuotingAndKeepsNonSeparatorFromLines)
{
    const std::string mbox = "From a@b Mon Mar  4 09:00:00 2024\n"
                             "Subject: x\n\n"
                             ">From now on\n"
                             ">>From a quote\n"
                             "From March 1, 2013, the travel office\n"
                             "> From is not quoting\n";
    auto msgs = split_all(mbox);
    ASSERT_EQ(msgs.size(), 1u);
    EXPECT_EQ(msgs[0].bytes, "Subject: x\n\nFrom now on\n>From a quote\nFrom March 1, 2013, the travel office\n"
                             "> From is not quoting\n");
}

TEST(MboxReader, HonoursContentLengthOfMboxcl2)
{
    // mboxcl2: no quoting; the body contains an unquoted From_ line.
    const std::string body = "line\nFrom x@y Mon Mar  4 09:00:00 2024\nmore\n";
    const std::string mbox = "From a@b Mon Mar  4 09:00:00 2024\n"
                             "Subject: cl\nContent-Length: " + std::to_string(body.size()) + "\n\n" + body +
                             "\nFrom c@d Tue Mar  5 09:00:00 2024\nSubject: next\n\nnext body\n";
    auto msgs = split_all(mbox);
    ASSERT_EQ(msgs.size(), 2u);
    EXPECT_TRUE(msgs[0].bytes.ends_with("\n\n" + body));
    EXPECT_EQ(msgs[1].bytes, "Subject: next\n\nnext body\n");
}

TEST(MboxReader, IgnoresWrongContentLength)
{
    const std::string mbox = "From a@b Mon Mar  4 09:00:00 2024\n"
                             "Subject: stale\nContent-Length: 3\n\nlonger body than claimed\n"
                             "\nFrom c@d Tue Mar  5 09:00:00 2024\nSubject: next\n\nx\n";
    auto msgs = split_all(mbox);
    ASSERT_EQ(msgs.size(), 2u);
    EXPECT_TRUE(msgs[0].bytes.ends_with("longer body than claimed\n"));
}

TEST(MboxReader, HandlesCrlfAndMixedLineEndings)
{
    const std::string mbox = "From a@b Mon Mar  4 09:00:00 2024\r\n"
                             "Subject: crlf\r\n\r\nbody\r\n>From quoted\r\n\r\n"
                             "From c@d Tue Mar  5 09:00:00 2024\n"
                             "Subject: lf\n\nbody\n";
    auto msgs = split_all(mbox);
    ASSERT_EQ(msgs.size(), 2u);
    EXPECT_EQ(msgs[0].bytes, "Subject: crlf\r\n\r\nbody\r\nFrom quoted\r\n");
    EXPECT_EQ(msgs[1].bytes, "Subject: lf\n\nbody\n");
}

TEST(MboxReader, KeepsTextBeforeTheFirstSeparatorAndEmptyMessages)
{
    auto msgs = split_all("stray: header\n\ntext\nFrom a@b Mon Mar  4 09:00:00 2024\n"
                          "From c@d Mon Mar  4 09:00:00 2024\nSubject: s\n\nb\n");
    ASSERT_EQ(msgs.size(), 3u);
    EXPECT_EQ(msgs[0].bytes, "stray: header\n\ntext\n");
    EXPECT_EQ(msgs[1].bytes, "");
    EXPECT_EQ(msgs[2].bytes, "Subject: s\n\nb\n");
}

TEST(MboxReader, UnescapedFromLinesInBodiesStayText)
{
    // mboxo: a From_ line separates only when a header field follows it.
    auto msgs = split_all("From a@b Mon Mar  4 09:00:00 2024\nSubject: s\n\nquoted:\n"
                          "From c@d Mon Mar  4 09:00:00 2024\nand some text\n\n"
                          "From e@f Mon Mar  4 10:00:00 2024\nSubject: t\n\nb\n");
    ASSERT_EQ(msgs.size(), 2u);
    EXPECT_EQ(msgs[0].bytes, "Subject: s\n\nquoted:\nFrom c@d Mon Mar  4 09:00:00 2024\nand some text\n");
    EXPECT_EQ(msgs[1].bytes, "Subject: t\n\nb\n");

    // pipermail: only "user at host" senders separate, so a pasted patch
    // (git format-patch's From_ line, then its header) stays in the body.
    const std::string patch = "From 1234567890abcdef1234567890abcdef12345678 Mon Sep 17 00:00:00 2001\n"
                              "From: Carol <carol@example.com>\nSubject: [PATCH] fix\n";
    msgs = split_all("From ann at example.com  Thu Mar  7 15:51:00 2013\nFrom: ann at example.com (Ann)\n\n"
                     "a fix:\n\n" + patch + "\nFrom bob at example.com  Fri Mar  8 10:00:00 2013\n"
                     "From: bob at example.com (Bob)\n\nthanks\n");
    ASSERT_EQ(msgs.size(), 2u);
    EXPECT_NE(msgs[0].bytes.find(patch), std::string::npos);
    EXPECT_EQ(msgs[1].bytes, "From: bob at example.com (Bob)\n\nthanks\n");
}

TEST(MboxReader, HugeLinesAndMessagesAreSplitCorrectly)
{
    std::string big(3 << 20, 'x'); // one 3 MiB line, beyond the read chunk
    auto msgs = split_all("From a@b Mon Mar  4 09:00:00 2024\nSubject: big\n\n" + big + "\n\n" +
                          "From c@d Mon Mar  4 09:00:00 2024\nSubject: after\n\nb\n");
    ASSERT_EQ(msgs.size(), 2u);
    EXPECT_EQ(msgs[0].bytes.size(), std::string("Subject: big\n\n").size() + big.size() + 1);
    EXPECT_EQ(msgs[1].bytes, "Subject: after\n\nb\n");
}

TEST(ClassifyContent, DetectsMailAndRejectsNotes)
{
    EXPECT_EQ(classify_content(kTwo), ContentKind::mbox);
    EXPECT_EQ(classify_content("\n\nFrom a@b Mon Mar  4 09:00:00 2024\nX: y\n"), ContentKind::mbox);
    EXPECT_EQ(classify_content("Return-Path: <a@b>\nReceived: from x\n\tby y\nSubject: hi\n\nbody"),
              ContentKind::message);
    EXPECT_EQ(classify_content("\xEF\xBB\xBF" "From: a@b\nSubject: s\n\nx"), ContentKind::message);
    EXPECT_EQ(classify_content("Meeting notes\nFrom the desk of the editor\nFrom March 1, 2013\n"),
              ContentKind::not_mail);
    EXPECT_EQ(classify_content("Title: my notes\nAuthor: me\n\ntext"), ContentKind::not_mail); // no mail header
    EXPECT_EQ(classify_content("\x89PNG\r\n\x1a\n binary"), ContentKind::not_mail);
    EXPECT_EQ(classify_content(""), ContentKind::empty);
    // An archive that lost every line break: one line, no line break at all.
    EXPECT_EQ(classify_content("From a@b Mon Mar  4 09:00:00 2024 From: A <a@b> Subject: s Message-ID: <x@y> body"),
              ContentKind::mbox);
}

TEST(ByteSource, DetectsCompressionFromContentNotName)
{
    TempDir dir;
    const fs::path plain = dir.write("archive.txt", kTwo);
    for (const char* tool : {"gzip", "xz", "bzip2", "zstd -q"}) {
        const fs::path copy = dir.path / (std::string("copy-") + tool[0] + ".data"); // misleading name
        fs::copy_file(plain, copy, fs::copy_options::overwrite_existing);
        const std::string cmd = std::string(tool) + " -c " + copy.string() + " > " + copy.string() + ".z";
        ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
        auto src = open_byte_source(copy.string() + ".z");
        ASSERT_TRUE(src) << src.error().message;
        EXPECT_NE((*src)->compression(), Compression::none) << tool;
        auto all = (*src)->read_all();
        ASSERT_TRUE(all);
        EXPECT_EQ(*all, kTwo) << tool;
    }
}

TEST(ByteSource, MissingFileIsNamedInTheError)
{
    auto src = open_byte_source("/nonexistent/archive.mbox");
    ASSERT_FALSE(src);
    EXPECT_EQ(src.error().code, ExitCode::bad_input);
    EXPECT_NE(src.error().message.find("/nonexistent/archive.mbox"), std::string::npos);
}

TEST(ByteSource, PeekDoesNotConsume)
{
    auto src = memory_byte_source("m", "abcdef");
    auto head = src->peek(3);
    ASSERT_TRUE(head);
    EXPECT_EQ(*head, "abc");
    EXPECT_EQ(*src->read_all(), "abcdef");
}

TEST(InputScanner, FindsMaildirsInTreesAndSkipsJunk)
{
    TempDir dir;
    const std::string msg = "From: a@b\nSubject: s\nMessage-ID: <1@b>\n\nx\n";
    dir.write("mail/inbox/cur/1:2,S", msg);
    dir.write("mail/inbox/new/2", msg);
    dir.write("mail/inbox/tmp/3", msg);          // being delivered: ignored
    dir.write("mail/lists/dev/cur/4:2,", msg);   // nested Maildir
    dir.write("mail/archive.mbox", kTwo);        // an mbox in the tree
    dir.write("mail/dovecot.index.log", "\x01\x02 binary junk");
    dir.write("mail/.hidden/cur/5", msg);
    auto scan = scan_inputs({(dir.path / "mail").string()});
    ASSERT_TRUE(scan) << scan.error().message;
    std::vector<std::string> names;
    for (const auto& f : scan->files)
        names.push_back(fs::relative(f.path, dir.path / "mail").string());
    EXPECT_EQ(names, (std::vector<std::string>{"archive.mbox", "inbox/cur/1:2,S", "inbox/new/2", "lists/dev/cur/4:2,"}));
    EXPECT_EQ(scan->files[0].kind, InputKind::mbox);
    EXPECT_EQ(scan->files[1].kind, InputKind::message);
    ASSERT_EQ(scan->skipped.size(), 1u);
    EXPECT_NE(scan->skipped[0].find("dovecot.index.log"), std::string::npos);
}

TEST(InputScanner, NamedNonMailFileFailsTheWholeScan)
{
    TempDir dir;
    const auto good = dir.write("good.mbox", kTwo);
    const auto notes = dir.write("notes.txt", "Shopping list\nFrom the market: apples\n");
    auto scan = scan_inputs({good, notes});
    ASSERT_FALSE(scan);
    EXPECT_EQ(scan.error().code, ExitCode::bad_input);
    EXPECT_NE(scan.error().message.find("notes.txt"), std::string::npos);
    auto missing = scan_inputs({(dir.path / "nope.mbox").string()});
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.error().message.find("nope.mbox"), std::string::npos);
}

TEST(MboxReader, FlattenedMessagesAreSplitEvenWhenTheWholeArchiveIsOneLine)
{
    const std::string one = "From ann@example.org Thu Mar  7 15:51:00 2013 From: ann@example.org Subject: one "
                            "Message-ID: <1@x> Content-Transfer-Encoding: base64 "
                            "SGVsbG8gbGlzdCwKdGhpcyBtZXNzYWdlIGxvc3QgZXZlcnkgbGluZSBicmVhaw==";
    const std::string two = "From bob at example.org Fri Mar  8 10:00:00 2013 From: bob at example.org "
                            "Subject: two Message-ID: <2@x> body two";
    const std::string intact = "From c@x Sat Mar  9 10:00:00 2013\nSubject: three\n\nbody three\n";
    const std::string mbox = one + " " + two + "\n" + intact + two + "\n";
    auto msgs = split_all(mbox);
    ASSERT_EQ(msgs.size(), 4u);
    EXPECT_EQ(msgs[0].bytes, one.substr(one.find("From: ")));
    EXPECT_EQ(msgs[0].offset, 0u);
    EXPECT_TRUE(msgs[0].envelope_date.has_value());
    EXPECT_EQ(msgs[1].bytes, two.substr(two.find("From: ")) + "\n");
    EXPECT_EQ(msgs[1].offset, one.size() + 1);
    EXPECT_EQ(msgs[2].bytes, "Subject: three\n\nbody three\n");
    EXPECT_EQ(msgs[3].offset, mbox.size() - two.size() - 1);
    // A long flattened line is a separator; a long line of text is not.
    const std::string body(5000, 'x');
    EXPECT_TRUE(parse_from_line(one + " " + body));
    EXPECT_FALSE(parse_from_line("From a@b Thu Mar  7 15:51:00 2013 " + body));
    EXPECT_EQ(parse_from_line(one)->rest, one.find("From: "));
}

// ------------------------------------------------------------ loose mail (issue 16)

TEST(ClassifyContent, LooseMessagesAreMailAsAReaderTakesThem)
{
    for (const char* loose : {"From: a@b\nSubject: no blank line\nBody.\n", "From: a@b\nSubject : x\n\nbody\n",
                              " From: a@b\nSubject: x\n\nbody\n", "\xEF\xBB\xBF" "Subject: x\n\nbody\n",
                              "From: a@b\nX-\xC3\x9Cml: y\n\nbody\n",
                              "Subject: a long one\nwrapped without indent\nMessage-ID: <x@y>\n\nb\n"})
        EXPECT_EQ(classify_content(loose), ContentKind::message) << loose;
    EXPECT_EQ(classify_content("Meeting notes\nFrom the desk\n"), ContentKind::not_mail);
    EXPECT_EQ(classify_content("Note: not mail\nSee: below\n\ntext\n"), ContentKind::not_mail); // no message header
    EXPECT_EQ(classify_content("X-\xC3\x9Cml: y\nFrom: a@b\n\nbody\n"), ContentKind::not_mail); // ends at once
    EXPECT_EQ(why_not_mail(std::string("\x89PNG\r\n\x1a\n\0\0", 10)), "binary data, not mail");
    EXPECT_EQ(why_not_mail("<!DOCTYPE html><html><body>x"), "an HTML page, not mail");
    EXPECT_EQ(why_not_mail("Meeting notes\nmore"),
              "not mail: its first line \"Meeting notes\" is neither an mbox From_ line nor a message header");
}

TEST(MboxReader, AFromLineInsideAnOpenMultipartIsText)
{
    // mboxo: a git format-patch file attached without From_ quoting.
    const std::string attached = "From a@b Mon Mar  4 09:00:00 2024\n"
                                 "From: A <a@b>\nSubject: patch attached\nMIME-Version: 1.0\n"
                                 "Content-Type: multipart/mixed;\n boundary=\"xyz\"\n\n"
                                 "--xyz\nContent-Type: text/plain\n\nSee attached.\n\n"
                                 "--xyz\nContent-Type: text/x-patch\n\n"
                                 "From 0123456789abcdef0123456789abcdef01234567 Mon Sep 17 00:00:00 2001\n"
                                 "From: A <a@b>\nSubject: [PATCH] fix\n\n---\n a.c | 2 +-\n\n--xyz--\n\n";
    const std::string next = "From b@c Mon Mar  4 10:00:00 2024\nFrom: B <b@c>\nSubject: next\n\nhello\n";
    auto msgs = split_all(attached + next);
    ASSERT_EQ(msgs.size(), 2u);
    EXPECT_NE(msgs[0].bytes.find("From 0123456789abcdef"), std::string::npos);
    EXPECT_TRUE(msgs[1].bytes.starts_with("From: B <b@c>"));
    // A multipart cut short (its boundary never comes back): the next From_
    // line still starts the next message.
    const std::string cut = "From a@b Mon Mar  4 09:00:00 2024\nFrom: A <a@b>\nSubject: cut\n"
                            "Content-Type: multipart/mixed; boundary=q\n\n--q\nContent-Type: text/plain\n\ntext\n\n";
    msgs = split_all(cut + next);
    ASSERT_EQ(msgs.size(), 2u);
    EXPECT_TRUE(msgs[1].bytes.starts_with("From: B <b@c>"));
}

TEST(TarReader, RegularFilesInOrderDotFilesPassedOver)
{
    TempDir dir;
    dir.write("mirror/msg00000.html", "<!-- MHonArc v2.6.19+ -->\n");
    dir.write("mirror/.mhonarc.db", "## MHonArcDB\n");
    dir.write("mirror/sub/a.eml", "From: a@b\n\nx\n");
    const std::string tgz = (dir.path / "mirror.tar.gz").string();
    ASSERT_EQ(std::system(("tar -C " + dir.path.string() + " -czf " + tgz + " mirror").c_str()), 0);
    auto tar = TarReader::open(tgz);
    ASSERT_TRUE(tar) << tar.error().message;
    std::vector<std::string> names;
    for (;;) {
        auto m = (*tar)->next();
        ASSERT_TRUE(m) << m.error().message;
        if (!*m)
            break;
        names.push_back((*m)->name);
        if ((*m)->name.ends_with("a.eml")) {
            EXPECT_EQ((*m)->bytes, "From: a@b\n\nx\n");
        }
    }
    std::ranges::sort(names);
    EXPECT_EQ(names, (std::vector<std::string>{"mirror/msg00000.html", "mirror/sub/a.eml"}));

    // is_tar looks at the decompressed bytes: "ustar" at 257.
    std::string header(512, '\0');
    header.replace(257, 5, "ustar");
    EXPECT_TRUE(is_tar(header));
    EXPECT_FALSE(is_tar("From: a@b\n\nx\n"));

    const std::string junk = dir.write("junk.tar", "not a tar archive at all");
    auto bad = TarReader::open(junk);
    if (bad) { // libarchive may accept the open and fail on the first header
        auto m = (*bad)->next();
        ASSERT_FALSE(m);
        EXPECT_NE(m.error().message.find("junk.tar"), std::string::npos) << m.error().message;
    } else {
        EXPECT_NE(bad.error().message.find("junk.tar"), std::string::npos) << bad.error().message;
    }
}

TEST(PublicInbox, EpochNumbersAreNumbersNotNames)
{
    EXPECT_EQ(epoch_number("lore/linux-gpio/git/0.git"), 0u);
    EXPECT_EQ(epoch_number("lore/linux-gpio/git/10.git"), 10u);
    EXPECT_EQ(epoch_number("lore/linux-gpio/git/10.git/"), 10u); // as typed, with a slash
    // "10.git" sorts before "9.git" as a name; listdex update takes the newest by number.
    EXPECT_GT(epoch_number("git/10.git"), epoch_number("git/9.git"));
    EXPECT_EQ(epoch_number("linux-man.git"), std::nullopt);
    EXPECT_EQ(epoch_number("git/1.git.partial"), std::nullopt); // a clone in progress
}
