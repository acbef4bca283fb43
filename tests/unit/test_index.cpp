// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "index/DocData.hpp"
#include "index/IndexConfig.hpp"
#include "index/IndexWriter.hpp"
#include "index/ListStats.hpp"
#include "index/RoundJournal.hpp"
#include "index/ShardStub.hpp"
#include "listdex/index/Importer.hpp"
#include "listdex/index/IndexCheck.hpp"
#include "listdex/index/IndexReader.hpp"
#include "listdex/index/RawStore.hpp"
#include "listdex/index/Schema.hpp"
#include "listdex/index/Tags.hpp"
#include "listdex/mime/MimeParser.hpp"
#include "listdex/mime/ParsedRecord.hpp"
#include "TempDir.hpp"

#include <gtest/gtest.h>
#include <xapian.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <unistd.h>

using namespace listdex;
namespace fs = std::filesystem;

namespace {

IndexPaths index_of(const TempDir& dir)
{
    return {dir.path / "index"};
}

std::string message(const std::string& id, const std::string& body, const std::string& extra_headers = "")
{
    return "From: Alice <alice@example.org>\nSubject: test " + id + "\nDate: Mon, 04 Mar 2024 09:00:00 +0000\n" +
           (id.empty() ? "" : "Message-ID: <" + id + ">\n") + extra_headers + "\n" + body + "\n";
}

std::string mbox(const std::vector<std::string>& messages)
{
    std::string out;
    for (const auto& m : messages)
        out += "From sender@example.org Mon Mar  4 09:00:00 2024\n" + m + "\n";
    return out;
}

ImportReport import_ok(const TempDir& dir, const std::vector<std::string>& paths, ImportOptions opt = {})
{
    auto r = import_archives(index_of(dir), paths, opt);
    EXPECT_TRUE(r) << (r ? "" : r.error().message);
    return r ? *r : ImportReport{};
}

std::string read_doc(const char* name)
{
    std::ifstream in(std::string(LISTDEX_SOURCE_DIR) + "/docs/" + name);
    return {std::istreambuf_iterator<char>(in), {}};
}

} // namespace

// The docs are checked against the one table: every field, short name and
// prefix the code declares is documented, in query.md and schema.md.
TEST(Schema, DocsNameEveryFieldAliasAndPrefix)
{
    const std::string query = read_doc("query.md"), schema_doc = read_doc("schema.md");
    ASSERT_FALSE(query.empty());
    ASSERT_FALSE(schema_doc.empty());
    for (const auto& f : schema::kFields) {
        schema::detail::for_each_name(f, [&](std::string_view n) {
            EXPECT_NE(query.find("`" + std::string(n) + ":"), std::string::npos) << n << ": in docs/query.md";
            EXPECT_NE(schema_doc.find(std::string(n)), std::string::npos) << n << ": in docs/schema.md";
        });
        EXPECT_NE(query.find(std::string(f.example)), std::string::npos) << f.example << ": example in docs/query.md";
    }
    for (std::string_view p : schema::kAllPrefixes) {
        if (!p.empty()) {
            EXPECT_NE(schema_doc.find("`" + std::string(p) + "`"), std::string::npos) << p << ": in docs/schema.md";
        }
    }
}

TEST(Schema, EveryFieldIsDeclaredOnceAndTermsFitXapian)
{
    for (const auto& f : schema::kFields) {
        EXPECT_EQ(&schema::field(f.id), &f);
        schema::detail::for_each_name(f, [&](std::string_view n) { EXPECT_EQ(schema::field_named(n), &f) << n; });
        EXPECT_EQ(f.kind == schema::FieldKind::range, f.prefixes.empty()) << f.name;
    }
    EXPECT_EQ(schema::field_named("nonsense"), nullptr);
    const std::string long_id(1000, 'x');
    const std::string t = schema::term("XMID", long_id);
    EXPECT_LE(t.size(), 245u);
EXPECT_NE(t, schema::term("XMID", long_id + "y")); // still unique
    EXPECT_EQ(schema::term("XMID", "a@b"), "XMIDa@b");
}

TEST(DocData, RoundTrips)
{
    DocData d{{123456789012ull, 7}, schema::Flag::damaged | schema::Flag::synthetic_id, {99, 3}, std::nullopt,
              std::nullopt};
    auto back = DocData::decode(d.encode());
    ASSERT_TRUE(back);
    EXPECT_EQ(back->ref.block, 123456789012ull);
    EXPECT_EQ(back->ref.index, 7u);
    EXPECT_EQ(back->flags, d.flags);
    EXPECT_EQ(back->text.block, 99u);
    EXPECT_EQ(back->text.index, 3u);
    EXPECT_FALSE(back->parsed); // as documents written before records read back
    d.parsed = RawRef{5000000000ull, 11};
    back = DocData::decode(d.encode());
    ASSERT_TRUE(back && back->parsed);
    EXPECT_EQ(back->parsed->block, 5000000000ull);
    EXPECT_EQ(back->parsed->index, 11u);
    EXPECT_EQ(back->text.index, 3u);
    EXPECT_FALSE(DocData::decode("garbage"));
    EXPECT_FALSE(DocData::decode(d.encode().substr(0, d.encode().rfind(' ')))); // seven numbers: damaged
}

TEST(DocData, SummariesRoundTripAndReadersWithoutThemSeeTheSameNumbers)
{
    const DocSummary summary{"1234@example.org", "0123456789abcdef0123456789abcdef", "Ann \\ \"Bee\" <a@b>",
                             "line\nbreak \\n and \\ alone\n", -86400};
    DocData d{{42, 7}, schema::Flag::damaged, {99, 3}, RawRef{5, 11}, summary};
    const std::string bytes = d.encode();
    auto back = DocData::decode(bytes);
    ASSERT_TRUE(back && back->summary);
    EXPECT_EQ(*back->summary, summary);
    EXPECT_EQ(back->parsed->index, 11u);
    EXPECT_EQ(back->encode(), bytes);
    // Five lines after the numbers: every line break in a field is escaped.
    EXPECT_EQ(std::count(bytes.begin(), bytes.end(), '\n'), 5);
    // What a reader that knows no summary reads (the first line, or
    // sscanf's eight numbers, which stop there): the same record.
    DocData without = *back;
    without.summary.reset();
    EXPECT_EQ(bytes.substr(0, bytes.find('\n')), without.encode());
    // A Message-ID of digits would be read as the parsed record's numbers
    // by such a reader: no summary without them.
    d.parsed.reset();
    EXPECT_EQ(d.encode().find('\n'), std::string::npos);
    // Damaged summaries: the record is unreadable, not half read.
    const std::string first = without.encode();
    for (const std::string bad : {"\na\nb\n1\nc", "\na\nb\n1\nc\nd\ne", "\na\nb\nx1\nc\nd",
                                  "\na\nb\n1\nc\\q\nd", "\na\nb\n1\nc\nd\\"})
        EXPECT_FALSE(DocData::decode(first + bad)) << bad;
    EXPECT_TRUE(DocData::decode(first + "\na\nb\n1\nc\nd"));
    EXPECT_FALSE(DocData::decode(first + " 9\na\nb\n1\nc\nd")); // more numbers than eight
}

TEST(RawStore, RoundTripsAcrossBlocksAndTruncatesUncommittedBytes)
{
    TempDir dir;
    const fs::path pack = dir.path / "raw" / "0.pack";
    std::vector<std::pair<RawRef, std::string>> stored;
    uint64_t committed = 0;
    {
        auto w = RawStoreWriter::open(pack, 0, 16 * 1024); // blocks of many sizes
        ASSERT_TRUE(w);
        for (int i = 0; i < 300; ++i) {
            // Every fifth message long and random (incompressible): blocks,
            // plain and compressed, of very different sizes.
            std::string msg = "Subject: " + std::to_string(i) + "\n\n" + std::string(i * 37 % 5000, 'a' + i % 26);
            for (int k = 0; i % 5 == 0 && k < i * 101 % 20000; ++k)
                msg += static_cast<char>('!' + (k * 7919 + i * 104729) % 89 * (k % 13 + 1) % 89);
            auto ref = (*w)->add(msg);
            ASSERT_TRUE(ref);
            stored.emplace_back(*ref, msg);
        }
        auto size = (*w)->flush(true);
        ASSERT_TRUE(size);
        committed = *size;
        ASSERT_TRUE((*w)->add("never committed"));
        ASSERT_TRUE((*w)->flush(false));
        EXPECT_GT(fs::file_size(pack), committed);
    }
    auto reopened = RawStoreWriter::open(pack, committed); // as after a crash
    ASSERT_TRUE(reopened);
    EXPECT_EQ(fs::file_size(pack), committed);
    for (auto decode : {RawStoreReader::Decode::whole_block, RawStoreReader::Decode::prefix}) {
        auto r = RawStoreReader::open(pack, decode);
        ASSERT_TRUE(r);
        // Every message, hopping between larger and smaller blocks (the reader
        // reuses its buffers from block to block), and back within a block
        // (a prefix reader decompresses further, or has it already).
        std::set<uint64_t> blocks;
        for (int step = 0; step < 600; ++step) {
            const int i = step < 300 ? step * 97 % 300 : (step % 2 ? step - 300 : 599 - step);
            blocks.insert(stored[i].first.block);
            auto got = (*r)->get(stored[i].first);
            ASSERT_TRUE(got) << i << ": " << got.error().message;
            EXPECT_EQ(*got, stored[i].second) << i;
        }
        EXPECT_GT(blocks.size(), 20u);
        EXPECT_FALSE((*r)->get({committed + 100, 0}));
        EXPECT_FALSE((*r)->get({1, 0})); // not a block boundary
    }

    // Blocks of many zstd blocks (128 KiB each): a prefix reader decodes
    // part of one, and goes on or back within it.
    {
        const fs::path big = dir.path / "raw" / "big.pack";
        auto w = RawStoreWriter::open(big, 0, 512 * 1024);
        ASSERT_TRUE(w);
        std::vector<RawRef> refs;
        for (const auto& [ref, bytes] : stored)
            refs.push_back(*(*w)->add(bytes));
        ASSERT_TRUE((*w)->flush(true));
        auto r = RawStoreReader::open(big, RawStoreReader::Decode::prefix);
        ASSERT_TRUE(r);
        for (int step = 0; step < 300; ++step) {
            const int i = step * 97 % 300;
            auto got = (*r)->get(refs[i]);
            ASSERT_TRUE(got) << i << ": " << got.error().message;
            EXPECT_EQ(*got, stored[i].second) << i;
        }
        EXPECT_LT(refs.back().block, fs::file_size(big) - 64 * 1024); // the last block is big too
        EXPECT_GT(refs.back().block, 0u);
    }

    // A byte near a block's end damaged: a whole-block reader refuses every
    // message of it, its first too; a prefix reader refuses its last (the
    // read reaches the frame's end, and its checksum).
    const uint64_t damaged = stored[298].first.block;
    ASSERT_GT(std::ranges::count_if(stored, [&](const auto& s) { return s.first.block == damaged; }), 1);
    uint64_t next_block = committed;
    for (const auto& [ref, bytes] : stored)
        if (ref.block > damaged)
            next_block = std::min(next_block, ref.block);
    {
        std::fstream f(pack, std::ios::in | std::ios::out | std::ios::binary);
        f.seekg(static_cast<std::streamoff>(next_block - 8)); // inside the compressed data, near its end
        char c = 0;
        f.read(&c, 1);
        f.seekp(static_cast<std::streamoff>(next_block - 8));
        c = static_cast<char>(c ^ 0x5a);
        f.write(&c, 1);
    }
    auto whole = RawStoreReader::open(pack, RawStoreReader::Decode::whole_block);
    ASSERT_TRUE(whole);
    auto refused = (*whole)->get({damaged, 0});
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().message.find("damaged block at byte offset " + std::to_string(damaged)),
              std::string::npos)
        << refused.error().message;
    auto prefix = RawStoreReader::open(pack, RawStoreReader::Decode::prefix);
    ASSERT_TRUE(prefix);
    const auto last = std::find_if(stored.rbegin(), stored.rend(), [&](const auto& s) { return s.first.block == damaged; });
    EXPECT_FALSE((*prefix)->get(last->first));
}

TEST(Import, ReimportAddsNothingAndSameIdDifferentContentIsKept)
{
    TempDir dir;
    // Another message under the same Message-ID (a broken mailer: another
    // sender, another date) is kept beside it.
    const std::string other = "From: Bob <bob@example.org>\nSubject: test two@x\n"
                              "Date: Tue, 05 Mar 2024 09:00:00 +0000\nMessage-ID: <two@x>\n\nsecond, edited\n";
    const std::string a = dir.write("a.mbox", mbox({message("one@x", "first"), message("two@x", "second"), other}));
    auto first = import_ok(dir, {a});
    EXPECT_EQ(first.imported, 3u);
    EXPECT_EQ(first.duplicates, 0u);
    auto again = import_ok(dir, {a});
    EXPECT_EQ(again.imported, 0u);
    EXPECT_EQ(again.duplicates, 3u);
    EXPECT_EQ(again.index_messages, 3u);

    auto reader = IndexReader::open(index_of(dir));
    ASSERT_TRUE(reader);
    auto both = (*reader)->find("<two@x>");
    ASSERT_TRUE(both);
    ASSERT_EQ(both->size(), 2u);
    EXPECT_NE((*both)[0].key, (*both)[1].key);
    EXPECT_TRUE((*both)[0].key.starts_with("two@x#"));
    auto one = (*reader)->find((*both)[1].key);
    ASSERT_TRUE(one);
    ASSERT_EQ(one->size(), 1u);
    auto pm = (*reader)->parse(one->front());
    ASSERT_TRUE(pm);
    EXPECT_EQ((*one)[0].hash, (*both)[1].hash);
    auto single = (*reader)->find("id:one@x");
    ASSERT_TRUE(single);
    EXPECT_EQ(single->front().key, "one@x");
    auto missing = (*reader)->find("nope@x");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, ExitCode::not_found);
}

TEST(Import, DuplicatesWithinOneImportAndAcrossLineEndings)
{
    TempDir dir;
    std::string m = message("dup@x", "same body");
    std::string crlf;
    for (char c : m) {
        if (c == '\n')
            crlf += '\r';
        crlf += c;
    }
    const std::string lf_mbox = dir.write("lf.mbox", mbox({m, m}));
    const std::string eml = dir.write("crlf.eml", crlf);
    auto r = import_ok(dir, {lf_mbox, eml});
    EXPECT_EQ(r.imported, 1u);
    EXPECT_EQ(r.duplicates, 2u);
}

TEST(Import, SyntheticIdsDateFallbacksAndRawCopies)
{
    TempDir dir;
    const std::string no_id = "From: a@b\nSubject: no id\nDate: Mon, 04 Mar 2024 09:00:00 +0000\n\nbody\n";
    const std::string bad_date = "From: a@b\nSubject: bad\nDate: garbage\nMessage-ID: <bad-date@x>\n\nbody\n";
    const std::string no_date = "From: a@b\nSubject: none\nMessage-ID: <no-date@x>\n\nbody\n";
    const std::string path = dir.write("d.mbox", "From a@b Tue Mar  5 10:00:00 2024\n" + bad_date + "\n" +
                                                     "From mboxrd@z Thu Jan  1 00:00:00 1970\n" + no_date + "\n" +
                                                     "From a@b Tue Mar  5 10:00:00 2024\n" + no_id);
    auto r = import_ok(dir, {path});
    EXPECT_EQ(r.imported, 3u);
    EXPECT_EQ(r.dates_from_envelope, 1u);
    EXPECT_EQ(r.dates_from_order, 1u);
    fs::remove(path); // the index is self-contained

    auto reader = IndexReader::open(index_of(dir));
    ASSERT_TRUE(reader);
    auto bad = (*reader)->find("bad-date@x");
    ASSERT_TRUE(bad);
    EXPECT_TRUE(bad->front().flags & schema::Flag::date_from_envelope);
    EXPECT_EQ(bad->front().date, 1709632800);
    auto none = (*reader)->find("no-date@x");
    ASSERT_TRUE(none);
    EXPECT_TRUE(none->front().flags & schema::Flag::date_from_order);
    EXPECT_EQ(none->front().date, 1709632800); // the previous message's date
    auto raw = (*reader)->raw(bad->front());
    ASSERT_TRUE(raw);
    EXPECT_EQ(*raw, bad_date);

    MimeParser parser;
    auto synthetic = parser.parse(no_id);
    ASSERT_TRUE(synthetic);
    auto found = (*reader)->find(synthetic->message_id);
    ASSERT_TRUE(found) << synthetic->message_id;
    EXPECT_TRUE(found->front().flags & schema::Flag::synthetic_id);
}

TEST(Import, BrokenMessagesAreReportedWithOffsetsAndTheRestImported)
{
    TempDir dir;
    const std::string first = message("ok-1@x", "fine");
    const std::string archive = mbox({first}) + "From a@b Mon Mar  4 09:00:00 2024\n\n\n" + // empty message
                                mbox({message("damaged@x", "x", "Content-Type: multipart/mixed\n"),
                                      message("ok-2@x", "fine")});
    const std::string path = dir.write("broken.mbox", archive);
    auto r = import_ok(dir, {path});
    EXPECT_EQ(r.imported, 3u);
    EXPECT_EQ(r.rejected, 1u);
    ASSERT_EQ(r.rejected_messages.size(), 1u);
    EXPECT_EQ(r.rejected_messages[0].source, path);
    EXPECT_EQ(r.rejected_messages[0].offset, archive.find("From a@b"));
    EXPECT_EQ(r.damaged, 1u);
    EXPECT_EQ(r.damaged_messages[0].message_id, "damaged@x");
    EXPECT_EQ(r.exit_code(), ExitCode::partial);
}

TEST(Import, HugeAttachmentsGarbageAndTruncationDoNotStopTheArchive)
{
    TempDir dir;
    // A 50 MB base64 attachment.
    std::string b64;
    b64.reserve(70 << 20);
    const std::string line(76, 'Q');
    for (size_t n = 0; n < (50u << 20) / 57 + 1; ++n)
        b64 += line + "\n";
    const std::string big = message("big@x", "--b\nContent-Type: text/plain\n\nsee attachment\n--b\n"
                                             "Content-Type: application/octet-stream; name=big.bin\n"
                                             "Content-Transfer-Encoding: base64\n\n" + b64 + "--b--",
                                    "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n");
    const std::string garbage = "Message-ID: <garbage@x>\n\n" + std::string("\0\x01\xff\xfe binary \0 junk\n", 19);
    const std::string truncated = message("trunc@x", "--b\nContent-Type: application/pdf\n"
                                                     "Content-Transfer-Encoding: base64\n\nJVBERi0xLjQKJeLj",
                                          "Content-Type: multipart/mixed; boundary=b\n");
    const std::string archive = mbox({message("before@x", "b"), big, garbage, truncated, message("after@x", "a")});
    auto r = import_ok(dir, {dir.write("hostile.mbox", archive)});
    EXPECT_EQ(r.imported, 5u);
    EXPECT_EQ(r.rejected, 0u);
    auto reader = IndexReader::open(index_of(dir));
    ASSERT_TRUE(reader);
    auto found = (*reader)->find("big@x");
    ASSERT_TRUE(found);
    auto pm = (*reader)->parse(found->front());
    ASSERT_TRUE(pm);
    ASSERT_EQ(pm->attachments.size(), 1u);
    EXPECT_GE(pm->attachments[0].size, 50u << 20);
    auto g = (*reader)->find("garbage@x");
    ASSERT_TRUE(g);
    auto graw = (*reader)->raw(g->front());
    ASSERT_TRUE(graw);
    EXPECT_EQ(*graw, garbage); // NUL bytes survive in the raw copy
    EXPECT_TRUE((*reader)->find("after@x"));
}

TEST(Import, OversizedMessagesAreRejectedNotFatal)
{
    TempDir dir;
    const std::string path = dir.write("big.mbox", mbox({message("big@x", std::string(5000, 'x')), message("small@x", "s")}));
    ImportOptions opt;
    opt.memory = 5000; // messages up to 1000 bytes
    auto r = import_ok(dir, {path}, opt);
    EXPECT_EQ(r.imported, 1u);
    EXPECT_EQ(r.rejected, 1u);
    ASSERT_EQ(r.rejected_messages.size(), 1u);
    EXPECT_NE(r.rejected_messages[0].problems.at(0).find("--memory"), std::string::npos);
}

TEST(Import, BadInputLeavesNoIndexBehind)
{
    TempDir dir;
    const std::string notes = dir.write("notes.txt", "Shopping\nFrom the market: apples\n");
    const std::string good = dir.write("good.mbox", mbox({message("g@x", "g")}));
    auto r = import_archives(index_of(dir), {good, notes}, {});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ExitCode::bad_input);
    EXPECT_NE(r.error().message.find("notes.txt"), std::string::npos);
    EXPECT_FALSE(fs::exists(index_of(dir).root));
}

TEST(Import, StopRequestCommitsWholeMessagesOnly)
{
    TempDir dir;
    std::vector<std::string> many;
    for (int i = 0; i < 200; ++i)
        many.push_back(message("m" + std::to_string(i) + "@x", "body " + std::to_string(i)));
    const std::string path = dir.write("many.mbox", mbox(many));
    std::atomic<bool> stop{true}; // stop at once: nothing or a prefix is imported
    ImportOptions opt;
    opt.stop = &stop;
    auto r = import_ok(dir, {path}, opt);
    EXPECT_TRUE(r.interrupted);
    EXPECT_EQ(r.exit_code(), ExitCode::interrupted);
    stop = false;
    auto rest = import_ok(dir, {path}, opt);
    EXPECT_EQ(rest.imported + r.imported, 200u);
    EXPECT_EQ(rest.index_messages, 200u);
}

TEST(Import, SmallBatchesCommitManyTimesAndStayConsistent)
{
    TempDir dir;
    std::vector<std::string> many;
    for (int i = 0; i < 120; ++i)
        many.push_back(message("b" + std::to_string(i) + "@x", std::string(300, 'a' + i % 26)));
    ImportOptions opt;
    opt.batch_messages = 7;
    opt.workers = 3;
    auto r = import_ok(dir, {dir.write("b.mbox", mbox(many))}, opt);
    EXPECT_EQ(r.imported, 120u);
    auto reader = IndexReader::open(index_of(dir));
    ASSERT_TRUE(reader);
    for (int i : {0, 6, 7, 63, 119}) {
        auto found = (*reader)->find("b" + std::to_string(i) + "@x");
        ASSERT_TRUE(found) << i;
        auto raw = (*reader)->raw(found->front());
        ASSERT_TRUE(raw);
        EXPECT_EQ(*raw, many[i]);
    }
}

TEST(Import, BatchesCommitByTheTermsTheMemorySettingAllows)
{
    // A term per KB of --memory: 60 messages of ~200 terms each are one
    // batch at the default 400 MB, and a dozen batches at 1 MB (where their
    // 60 KB of raw mail is still under the raw-mail bound of 64 KB).
    std::vector<std::string> many;
    for (int i = 0; i < 60; ++i) {
        std::string words;
        for (int w = 0; w < 100; ++w)
            words += "m" + std::to_string(i) + "w" + std::to_string(w) + " ";
        many.push_back(message("t" + std::to_string(i) + "@x", words));
    }
    auto commits = [&](uint64_t memory) {
        TempDir dir;
        ImportOptions opt;
        opt.shards = 1;
        opt.memory = memory;
        opt.compact = ImportOptions::Compact::never;
        EXPECT_EQ(import_ok(dir, {dir.write("t.mbox", mbox(many))}, opt).imported, 60u);
        return Xapian::Database(index_of(dir).shard(0).string()).get_revision();
    };
    const auto by_default = commits(400ull << 20), small = commits(1ull << 20);
    EXPECT_LE(by_default, 3u);
    EXPECT_GE(small, by_default + 9) << "1 MB allows 1,024 terms per commit";
}

TEST(Import, ResumedImportWithManyCommitsRejectsNothing)
{
    // Workers check an index snapshot for known messages; the writer's
    // commits make that snapshot stale, which must never reject a message.
    TempDir dir;
    std::vector<std::string> many;
    for (int i = 0; i < 300; ++i)
        many.push_back(message("r" + std::to_string(i) + "@x", "body " + std::to_string(i)));
    import_ok(dir, {dir.write("first.mbox", mbox({many.begin(), many.begin() + 50}))});
    ImportOptions opt;
    opt.batch_messages = 5;
    auto r = import_ok(dir, {dir.write("all.mbox", mbox(many))}, opt);
    EXPECT_EQ(r.rejected, 0u);
    EXPECT_EQ(r.imported, 250u);
    EXPECT_EQ(r.duplicates, 50u);
    EXPECT_EQ(r.index_messages, 300u);
}

// Without the weekly `listdex compact`, small imports would pile up
// databases that every search reads: an import that leaves a shard with
// more than kMostShardDatabases compacts.
TEST(Import, AnImportLeavingTooManyDatabasesInAShardCompacts)
{
    TempDir dir;
    const IndexPaths ix = index_of(dir);
    ImportOptions small;
    small.shards = 1;
    small.database_documents = 2;
    std::vector<std::string> first;
    for (int i = 0; i < 40; ++i)
        first.push_back(message("m" + std::to_string(i) + "@x", "body " + std::to_string(i)));
    import_ok(dir, {dir.write("first.mbox", mbox(first))}, small);
    std::vector<unsigned> seen;
    bool compacted = false;
    for (int round = 0; round < 2 * static_cast<int>(kMostShardDatabases); ++round) {
        const std::string a = "a" + std::to_string(round) + "@x", b = "b" + std::to_string(round) + "@x";
        auto r = import_ok(
            dir, {dir.write("r" + std::to_string(round) + ".mbox", mbox({message(a, "one"), message(b, "two")}))},
            small);
        auto listed = read_shard_stub(ix, 0);
        ASSERT_TRUE(listed) << listed.error().message;
        seen.push_back(static_cast<unsigned>(listed->size()));
        EXPECT_LE(listed->size(), kMostShardDatabases) << round;
        if (!r.compacted_because.empty()) {
            EXPECT_NE(r.compacted_because.find("databases"), std::string::npos) << r.compacted_because;
            EXPECT_EQ(listed->size(), 1u) << round;
            compacted = true;
        }
    }
    EXPECT_TRUE(compacted) << ::testing::PrintToString(seen);
    EXPECT_NE(std::ranges::max(seen), 1u) << ::testing::PrintToString(seen); // databases were started
    auto reader = IndexReader::open(ix);
    ASSERT_TRUE(reader);
    auto count = (*reader)->message_count();
    ASSERT_TRUE(count);
    EXPECT_EQ(*count, 40u + 4 * kMostShardDatabases);
}

TEST(Import, CompactionSwapsGenerationsSafely)
{
    TempDir dir;
    const IndexPaths ix = index_of(dir);
    std::vector<std::string> many;
    for (int i = 0; i < 40; ++i)
        many.push_back(message("c" + std::to_string(i) + "@x", "compaction body " + std::to_string(i)));
    ImportOptions never;
    never.compact = ImportOptions::Compact::never;
    auto first = import_ok(dir, {dir.write("a.mbox", mbox({many.begin(), many.begin() + 20}))}, never);
    EXPECT_EQ(first.compacted_because, "");
    EXPECT_TRUE(fs::exists(ix.shard_generation(0, 1)));

    auto early = IndexReader::open(ix); // opened before the swap
    ASSERT_TRUE(early);
    fs::create_directories(ix.shard_generation(0, 9)); // debris of an interrupted compaction

    auto second = import_ok(dir, {dir.write("b.mbox", mbox(many))}); // adds half the index: auto-compacts
    EXPECT_NE(second.compacted_because, "");
    EXPECT_EQ(second.index_messages, 40u);
    EXPECT_FALSE(fs::exists(ix.shard_generation(0, 1)));
    EXPECT_FALSE(fs::exists(ix.shard_generation(0, 9)));
    EXPECT_TRUE(fs::exists(ix.shard_generation(0, 2)));

    auto c0 = (*early)->find("c0@x"); // the old generation's open files still read
    ASSERT_TRUE(c0);
    auto count = (*early)->message_count(); // and it follows the stub to the new one
    ASSERT_TRUE(count) << count.error().message;
    EXPECT_EQ(*count, 40u);

    auto third = import_ok(dir, {dir.write("c.mbox", mbox({message("late@x", "after compaction")}))});
    EXPECT_EQ(third.compacted_because, ""); // 1 of 41: not worth rewriting the index
    auto reader = IndexReader::open(ix);
    ASSERT_TRUE(reader);
    for (const char* id : {"c0@x", "c39@x", "late@x"}) {
        auto found = (*reader)->find(id);
        ASSERT_TRUE(found) << id;
        EXPECT_TRUE((*reader)->raw(found->front())) << id;
    }
}

TEST(Writer, SecondWriterIsToldWhoHoldsTheLock)
{
    TempDir dir;
    auto first = IndexWriter::open(index_of(dir), 2);
    ASSERT_TRUE(first) << first.error().message;
    auto second = IndexWriter::open(index_of(dir), 2);
    ASSERT_FALSE(second);
    EXPECT_EQ(second.error().code, ExitCode::locked);
    EXPECT_NE(second.error().message.find(std::to_string(::getpid())), std::string::npos) << second.error().message;
}

TEST(Reader, IndexOfAnotherSchemaIsNamedNotMisread)
{
    TempDir dir;
    const IndexPaths ix = index_of(dir);
    import_ok(dir, {dir.write("a.mbox", mbox({message("s@x", "s")}))});
    std::ofstream(ix.config()) << "# listdex index\nschema = 2\nshards = 1\n"; // an older layout
    auto reader = IndexReader::open(ix);
    ASSERT_FALSE(reader);
    EXPECT_EQ(reader.error().code, ExitCode::no_index);
    EXPECT_NE(reader.error().message.find("index schema 2"), std::string::npos) << reader.error().message;
    auto writer = import_archives(ix, {dir.write("b.mbox", mbox({message("t@x", "t")}))}, {});
    ASSERT_FALSE(writer);
    EXPECT_NE(writer.error().message.find("index schema 2"), std::string::npos) << writer.error().message;
}

TEST(IndexConfig, PlacementByListPinsAndHashes)
{
    TempDir dir;
    const IndexPaths ix = index_of(dir);
    fs::create_directories(ix.root);
    auto read = [&](const std::string& lines) {
        std::ofstream(ix.config()) << "schema = " << schema::kSchemaVersion << "\nshards = 4\n" << lines;
        return read_index_config(ix);
    };
    auto c = read("shard-by = list\nlist.a.example.org = 3\n");
    ASSERT_TRUE(c) << c.error().message;
    EXPECT_EQ(c->home_shard("a.example.org", "h1"), 3u);
    EXPECT_EQ(c->home_shard("a.example.org", "h2"), 3u); // every message of a pinned list
    const unsigned b = shard_for("b.example.org", 4);
    EXPECT_EQ(c->home_shard("b.example.org", "h1"), b); // an unpinned list: its id's hash
    EXPECT_EQ(c->home_shard("", "h1"), shard_for("h1", 4)); // no list: the message's hash
    EXPECT_TRUE(c->placed_right(3, {"a.example.org"}, "h1"));
    EXPECT_TRUE(c->placed_right(3, {"b.example.org", "a.example.org"}, "h1")); // cross-posted
    for (unsigned n = 0; n < 4; ++n) // anywhere else is misplaced (at least one shard of 4 is)
        EXPECT_EQ(c->placed_right(n, {"a.example.org", "b.example.org"}, "h1"),
                  n == 3 || n == b || n == shard_for("h1", 4))
            << n;
    // Round trip through write_index_config.
    ASSERT_TRUE(write_index_config(ix, *c));
    auto again = read_index_config(ix);
    ASSERT_TRUE(again);
    EXPECT_EQ(again->shard_by, ShardBy::list);
    EXPECT_EQ(again->list_shard, c->list_shard);

    // Remote shards and the several-databases mark survive a rewrite too
    // (an import pinning a list rewrites listdex.conf).
    auto remote = read("shard.1 = tcp://10.0.0.7:33401\nshard.3 = tcp://[::1]:33403\ndatabases = several\n");
    ASSERT_TRUE(remote) << remote.error().message;
    EXPECT_TRUE(remote->several_databases);
    ASSERT_TRUE(write_index_config(ix, *remote));
    auto remote_again = read_index_config(ix);
    ASSERT_TRUE(remote_again) << remote_again.error().message;
    EXPECT_TRUE(remote_again->several_databases);
    ASSERT_EQ(remote_again->remote.size(), 2u);
    EXPECT_EQ(remote_again->remote.at(1).host, "10.0.0.7");
    EXPECT_EQ(remote_again->remote.at(3).host, "::1");
    EXPECT_EQ(remote_again->remote.at(3).port, 33403u);

    auto by_message = read("");
    ASSERT_TRUE(by_message);
    EXPECT_FALSE(by_message->several_databases);
    ASSERT_TRUE(by_message);
    EXPECT_EQ(by_message->home_shard("a.example.org", "h1"), shard_for("h1", 4));
    EXPECT_FALSE(by_message->list_home("a.example.org"));
    for (const char* bad : {"shard-by = thread\n", "list.a.example.org = 1\n", "shard-by = list\nlist.a = 4\n",
                            "shard-by = list\nlist. = 1\n", "shard-by = list\nlist.a = x\n", "databases = one\n"}) {
        auto r = read(bad);
        ASSERT_FALSE(r) << bad;
        EXPECT_EQ(r.error().code, ExitCode::failure) << bad;
        EXPECT_NE(r.error().message.find("listdex.conf"), std::string::npos) << r.error().message;
    }
}

// A file replaced by a rename gets a new stamp; one stat'ed within a second
// of its last change is not settled (a later version could reuse its inode
// number within the same clock tick), one stat'ed later is.
TEST(Reader, FileStampsTellReplacedFilesAndSettleAfterASecond)
{
    TempDir dir;
    const fs::path file = dir.write("version", "one");
    const auto first = file_stamp(file);
    ASSERT_TRUE(first);
    EXPECT_EQ(file_stamp(file), first);
    EXPECT_FALSE(file_stamp(dir.path / "missing"));
    const int64_t now = wall_clock_ns();
    EXPECT_FALSE(first->settled(now));
    EXPECT_TRUE(first->settled(now + 2'000'000'000));
    const fs::path next = dir.write("version.tmp", "one");
    fs::rename(next, file);
    const auto second = file_stamp(file);
    ASSERT_TRUE(second);
    EXPECT_NE(second, first) << "same content, same size: a new inode";
}

// The web refreshes its readers on every request and skips Xapian's
// reopen() while no database's version file changed: every commit is still
// seen, whether the version files were settled when last read or written a
// moment before, in a shard of one database or of several.
TEST(Reader, RefreshSeesEveryCommitWhetherTheVersionFilesAreOldOrNew)
{
    TempDir dir;
    const IndexPaths ix = index_of(dir);
    ImportOptions opt;
    opt.shards = 2;
    opt.database_documents = 3; // later imports start databases of their own
    opt.compact = ImportOptions::Compact::never;
    int imported = 0;
    auto import_one = [&] {
        const std::string id = "r" + std::to_string(imported) + "@x";
        import_ok(dir, {dir.write(id + ".mbox", mbox({message(id, "refresh " + id)}))}, opt);
        ++imported;
    };
    // Version files and stubs as a reader finds them long after the last commit.
    auto age = [&] {
        const auto hour_ago = fs::file_time_type::clock::now() - std::chrono::hours(1);
        for (const auto& e : fs::recursive_directory_iterator(ix.root / "shards"))
            if (e.path().filename() == "iamglass" || e.path().extension() == ".stub")
                fs::last_write_time(e.path(), hour_ago);
    };
    for (int i = 0; i < 6; ++i)
        import_one();
    age();
    auto reader = IndexReader::open(ix);
    ASSERT_TRUE(reader);
    auto seen = [&] {
        (*reader)->refresh();
        auto n = (*reader)->message_count();
        return n ? static_cast<int>(*n) : -1;
    };
    EXPECT_EQ(seen(), imported);
    EXPECT_EQ(seen(), imported); // settled and unchanged: no reopen
    for (int round = 0; round < 3; ++round) {
        import_one(); // settled stamps, then a commit
        EXPECT_EQ(seen(), imported) << round;
        import_one(); // a commit right after the last refresh
        import_one();
        EXPECT_EQ(seen(), imported) << round;
        age();
        EXPECT_EQ(seen(), imported) << round;
        EXPECT_EQ(seen(), imported) << round;
    }
    auto listed = read_shard_stub(ix, 0);
    ASSERT_TRUE(listed);
    EXPECT_GT(listed->size(), 1u) << "the imports were to start databases";
}

TEST(Reader, MissingIndexHasAHint)
{
    auto r = IndexReader::open({"/nonexistent/listdex-index"});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ExitCode::no_index);
    EXPECT_FALSE(r.error().hint.empty());
}

TEST(RoundJournal, RoundTripsAndATornJournalIsNone)
{
    TempDir dir;
    const auto path = dir.path / "round.journal";
    auto none = RoundJournal::read(path);
    ASSERT_TRUE(none);
    EXPECT_FALSE(*none); // no journal: nothing to replay

    RoundJournal j;
    j.members = {{0x2a, "a@x", ""}, {0x2b, "b@x", "a@x"}};
    j.merges = {{0x2b, 0x2a}};
    j.metadata = {{"listdex:last-thread", "0000002b"}, {"listdex:alias:0000002b", "0000002a"}};
    ASSERT_TRUE(j.write(path, true));
    auto back = RoundJournal::read(path);
    ASSERT_TRUE(back && *back);
    ASSERT_EQ((*back)->members.size(), 2u);
    EXPECT_EQ((*back)->members[1].id, "b@x");
    EXPECT_EQ((*back)->members[1].parent, "a@x");
    EXPECT_EQ((*back)->members[0].parent, "");
    EXPECT_EQ((*back)->merges, j.merges);
    EXPECT_EQ((*back)->metadata, j.metadata);
    EXPECT_TRUE((*back)->tags.empty());

    // Cut short before its last line: the writer died before any shard committed.
    std::string text;
    {
        std::ifstream in(path);
        text.assign(std::istreambuf_iterator<char>(in), {});
    }
    std::ofstream(path, std::ios::trunc) << text.substr(0, text.size() - 4);
    auto torn = RoundJournal::read(path);
    ASSERT_TRUE(torn);
    EXPECT_FALSE(*torn);
}

TEST(RoundJournal, TagChangesRoundTrip)
{
    TempDir dir;
    const auto path = dir.path / "round.journal";
    RoundJournal j;
    j.tags = {{"a@x", {"read", "✓"}, {"todo"}, false}, {"b@x", {}, {}, true}};
    ASSERT_TRUE(j.write(path, false));
    auto back = RoundJournal::read(path);
    ASSERT_TRUE(back && *back);
    ASSERT_EQ((*back)->tags.size(), 2u);
    EXPECT_EQ((*back)->tags[0].message_id, "a@x");
    EXPECT_EQ((*back)->tags[0].add, (std::vector<std::string>{"read", "✓"}));
    EXPECT_EQ((*back)->tags[0].remove, std::vector<std::string>{"todo"});
    EXPECT_FALSE((*back)->tags[0].exact);
    EXPECT_TRUE((*back)->tags[1].exact); // a restore that clears every tag
    EXPECT_TRUE((*back)->tags[1].add.empty());
}

namespace {
uint64_t tagged(const TempDir& dir, const std::string& tag)
{
    auto counts = tag_counts(index_of(dir));
    EXPECT_TRUE(counts);
    for (const auto& [t, n] : *counts)
        if (t == tag)
            return n;
    return 0;
}
} // namespace

TEST(Tags, GoByMessageIdAndSurviveReimport)
{
    TempDir dir;
    const std::string copy = "From: Bob <bob@example.org>\nSubject: test two@x\n"
                             "Date: Tue, 05 Mar 2024 09:00:00 +0000\nMessage-ID: <two@x>\n\nedited\n";
    const std::string a = dir.write("a.mbox", mbox({message("one@x", "first"), message("two@x", "second"), copy}));
    import_ok(dir, {a});
    auto r = apply_tags(index_of(dir), {{"two@x", {"todo", "read"}, {}, false}, {"nope@x", {"todo"}, {}, false}});
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->messages, 2u) << "both messages with the Message-ID";
    EXPECT_EQ(r->missing, 1u);
    EXPECT_EQ(tagged(dir, "todo"), 2u);

    import_ok(dir, {a}); // a re-import leaves them alone
    EXPECT_EQ(tagged(dir, "todo"), 2u);
    auto tags = read_tags(index_of(dir));
    ASSERT_TRUE(tags);
    ASSERT_EQ(tags->size(), 1u);
    EXPECT_EQ(tags->front().message_id, "two@x");
    EXPECT_EQ(tags->front().tags, (std::vector<std::string>{"read", "todo"}));

    // Exact (a restore): only what is listed stays.
    ASSERT_TRUE(apply_tags(index_of(dir), {{"two@x", {"later"}, {}, true}}));
    EXPECT_EQ(tagged(dir, "todo"), 0u);
    EXPECT_EQ(tagged(dir, "later"), 2u);
    ASSERT_TRUE(apply_tags(index_of(dir), {{"two@x", {}, {"later"}, false}}));
    EXPECT_TRUE(read_tags(index_of(dir))->empty());

    auto bad = apply_tags(index_of(dir), {{"one@x", {"a b"}, {}, false}});
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, ExitCode::usage);
}

TEST(Tags, AJournalledRoundIsReplayedByTheNextWriter)
{
    // A writer killed after its journal, before the shards committed: the
    // next writer applies the tag changes to every shard.
    TempDir dir;
    ImportOptions opt;
    opt.shards = 3;
    std::vector<std::string> messages;
    for (int i = 0; i < 30; ++i)
        messages.push_back(message("m" + std::to_string(i) + "@x", "body"));
    import_ok(dir, {dir.write("a.mbox", mbox(messages))}, opt);
    RoundJournal j;
    for (int i = 0; i < 30; ++i)
        j.tags.push_back({"m" + std::to_string(i) + "@x", {"seen"}, {}, false});
    ASSERT_TRUE(j.write(index_of(dir).journal(), true));
    EXPECT_EQ(tagged(dir, "seen"), 0u) << "readers do not replay";
    ASSERT_TRUE(apply_tags(index_of(dir), {}));
    EXPECT_EQ(tagged(dir, "seen"), 30u);
    EXPECT_FALSE(std::filesystem::exists(index_of(dir).journal()));
}

TEST(Schema, MonthTermsSortAsTheirMonths)
{
    EXPECT_EQ(schema::month_term(0), "XMONTH197001");
    EXPECT_EQ(schema::month_term(-1), "XMONTH196912"); // a second before 1970 is in 1969
    EXPECT_EQ(schema::month_term(1709542800), "XMONTH202403");
    EXPECT_EQ(schema::month_term(1711929599), "XMONTH202403"); // 2024-03-31 23:59:59
    EXPECT_EQ(schema::month_term(1711929600), "XMONTH202404");
    EXPECT_EQ(schema::month_term(INT64_MAX / 2), "XMONTH999912"); // clamped, still last
    EXPECT_EQ(schema::month_term(INT64_MIN / 2), "XMONTH000001");
    std::vector<std::string> terms;
    for (int64_t t = -5'000'000'000; t < 300'000'000'000; t += 86'400 * 17)
        terms.push_back(schema::month_term(t));
    EXPECT_TRUE(std::is_sorted(terms.begin(), terms.end()));
}

// The list counts an import stores are what counting now gives; a change
// to documents clears them in its own commit, a tag does not.
TEST(ListStats, StoredByImportsClearedByChangesKeptByTags)
{
    TempDir dir;
    auto list_message = [](const std::string& id, const std::string& list, const std::string& irt = "") {
        return message(id, "body", "List-Id: <" + list + ">\n" + (irt.empty() ? "" : "In-Reply-To: <" + irt + ">\n"));
    };
    auto stats = [&](bool stored) -> std::optional<IndexStats> {
        Xapian::Database db; // every shard, shard 0 first (it holds the metadata)
        for (unsigned n = 0; fs::exists(index_of(dir).shard(n)); ++n)
            db.add_database(Xapian::Database(index_of(dir).shard(n).string()));
        return stored ? stored_index_stats(db) : std::optional(compute_index_stats(db));
    };
    ASSERT_TRUE(import_archives(index_of(dir),
                                {dir.write("a.mbox", mbox({list_message("a1@x", "a.example.org"),
                                                           list_message("a2@x", "a.example.org", "a1@x"),
                                                           list_message("b1@x", "b.example.org")}))},
                                {}));
    auto stored = stats(true);
    ASSERT_TRUE(stored);
    ASSERT_EQ(stored->lists.size(), 2u);
    EXPECT_EQ(stored->lists[0], (ListStat{"a.example.org", 2, 1, 1709542800, 1709542800, {{202403, 2}}}));
    EXPECT_EQ(stored->messages, 3u);
    EXPECT_EQ(stored->threads, 2u);
    EXPECT_EQ(*stored, *stats(false));
    {
        auto w = IndexWriter::open(index_of(dir), 1);
        ASSERT_TRUE(w);
        const TagEdit edit{"a1@x", {"seen"}, {}, false};
        ASSERT_TRUE((*w)->retag(std::span(&edit, 1)));
        ASSERT_TRUE((*w)->commit(true));
    }
    EXPECT_TRUE(stats(true)); // tags change no count
    {
        std::string hash;
        {
            Xapian::Database db;
            for (unsigned n = 0; fs::exists(index_of(dir).shard(n)); ++n)
                db.add_database(Xapian::Database(index_of(dir).shard(n).string()));
            auto p = db.postlist_begin(schema::term(schema::prefix::message_id, "b1@x"));
            hash = db.get_document(*p).get_value(schema::Slot::hash);
        }
        auto w = IndexWriter::open(index_of(dir), 1);
        ASSERT_TRUE(w);
        auto removed = (*w)->remove(hash);
        ASSERT_TRUE(removed && *removed);
        ASSERT_TRUE((*w)->commit(true));
    }
    EXPECT_FALSE(stats(true)); // the removal changed b.example.org's counts
    ASSERT_TRUE(import_archives(index_of(dir), {dir.write("c.mbox", mbox({list_message("c1@x", "c.example.org"),
                                                                        list_message("a3@x", "a.example.org"),
                                                                        message("n1@x", "no list")}))},
                                {}));
    stored = stats(true);
    ASSERT_TRUE(stored);
    ASSERT_EQ(stored->lists.size(), 2u); // b.example.org has no message left
    EXPECT_EQ(stored->lists[0], (ListStat{"a.example.org", 3, 2, 1709542800, 1709542800, {{202403, 3}}}));
    EXPECT_EQ(stored->messages, 5u); // a1 a2 a3 c1 n1 (b1 left a placeholder, which is no message)
    EXPECT_EQ(stored->threads, 4u);  // a1+a2, a3, c1, n1
    EXPECT_EQ(*stored, *stats(false));
}

TEST(Reader, ReadsStoredDecodingsAndFallsBackToRawCopies)
{
    TempDir dir;
    const std::vector<std::string> messages = {
        message("plain@x", "Just text.\n> quoted"),
        message("parts@x",
                "--b\nContent-Type: text/plain\n\nbody\n--b\nContent-Type: text/x-diff; name=a.patch\n\n+added\n"
                "--b\nContent-Type: image/png\nContent-Transfer-Encoding: base64\n\niVBORw0K\n--b--",
                "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n"),
        message("latin@x", "caf=E9", "Content-Type: text/plain; charset=iso-8859-1\n"
                                     "Content-Transfer-Encoding: quoted-printable\n")};
    import_ok(dir, {dir.write("m.mbox", mbox(messages))});
    const IndexPaths paths = index_of(dir);
    MimeParser parser;
    auto decodings = [&] {
        std::vector<ParsedMessage> out;
        auto reader = IndexReader::open(paths);
        EXPECT_TRUE(reader);
        for (const char* id : {"plain@x", "parts@x", "latin@x"}) {
            auto found = (*reader)->find(id);
            EXPECT_TRUE(found && found->size() == 1);
            EXPECT_TRUE(found->front().parsed) << id;
            auto pm = (*reader)->parse(found->front());
            EXPECT_TRUE(pm) << id << ": " << (pm ? "" : pm.error().message);
            out.push_back(pm ? *pm : ParsedMessage{});
        }
        return out;
    };
    // As decoding the raw copy gives, field by field.
    const auto stored = decodings();
    for (size_t i = 0; i < messages.size(); ++i) {
        auto fresh = parser.parse(messages[i]);
        ASSERT_TRUE(fresh);
        EXPECT_EQ(first_record_difference(stored[i], *fresh), "") << i;
    }
    EXPECT_EQ(stored[1].attachments.size(), 2u);
    EXPECT_EQ(stored[2].body, "caf\xc3\xa9\n");
    auto checked = check_index(paths, {.repair = false, .decoding = true});
    ASSERT_TRUE(checked);
    EXPECT_TRUE(checked->problems.empty()) << checked->problems.front();

    // The records are what is read: without the raw copies, still decoded.
    const fs::path packs = dir.path / "packs";
    fs::create_directory(packs);
    for (unsigned n = 0; n < 2; ++n)
        if (fs::exists(paths.raw(n)))
            fs::rename(paths.raw(n), packs / paths.raw(n).filename());
    for (size_t i = 0; i < messages.size(); ++i)
        EXPECT_EQ(first_record_difference(decodings()[i], stored[i]), "");
    // Without the records (lost, or made before records): the raw copies, decoded again.
    for (unsigned n = 0; n < 2; ++n) {
        if (fs::exists(packs / paths.raw(n).filename()))
            fs::rename(packs / paths.raw(n).filename(), paths.raw(n));
        if (fs::exists(paths.parsed(n)))
            fs::resize_file(paths.parsed(n), 0);
    }
    for (size_t i = 0; i < messages.size(); ++i)
        EXPECT_EQ(first_record_difference(decodings()[i], stored[i]), "");
    checked = check_index(paths, {});
    ASSERT_TRUE(checked);
    ASSERT_FALSE(checked->problems.empty());
    EXPECT_NE(checked->problems.front().find("decoded from their raw copies instead"), std::string::npos)
        << checked->problems.front();
    EXPECT_TRUE(checked->unrepairable.empty()); // no message is lost

    // check --repair --decoding stores them again (as for an index imported
    // before decodings were stored), then finds nothing.
    checked = check_index(paths, {.repair = true, .decoding = true});
    ASSERT_TRUE(checked);
    EXPECT_TRUE(checked->problems.empty()) << checked->problems.front();
    ASSERT_FALSE(checked->repairs.empty());
    EXPECT_EQ(checked->repairs.back(), "stored the decodings of 3 messages");
    for (unsigned n = 0; n < 2; ++n)
        if (fs::exists(paths.raw(n)))
            fs::rename(paths.raw(n), packs / paths.raw(n).filename());
    for (size_t i = 0; i < messages.size(); ++i) // from the new records
        EXPECT_EQ(first_record_difference(decodings()[i], stored[i]), "");
}

TEST(Reader, CheckNamesMessagesWithoutStoredDecodings)
{
    TempDir dir;
    import_ok(dir, {dir.write("m.mbox", mbox({message("a@x", "one"), message("b@x", "two")}))});
    const IndexPaths paths = index_of(dir);
    // As an older listdex wrote them: document data without a record.
    for (unsigned n = 0; n < 2; ++n) {
        Xapian::WritableDatabase db(paths.shard(n).string());
        for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
            Xapian::Document doc = db.get_document(*it);
            auto data = DocData::decode(doc.get_data());
            ASSERT_TRUE(data);
            data->parsed.reset();
            doc.set_data(data->encode());
            db.replace_document(*it, doc);
        }
        db.commit();
    }
    auto checked = check_index(paths, {});
    ASSERT_TRUE(checked);
    EXPECT_TRUE(checked->problems.empty()); // readers decode the raw copies: sound
    checked = check_index(paths, {.repair = false, .decoding = true});
    ASSERT_TRUE(checked);
    ASSERT_EQ(checked->problems.size(), 1u);
    EXPECT_EQ(checked->problems[0], "2 messages have no stored decoding of this listdex version: they are decoded "
                                    "from their raw copies (slower); check --repair --decoding stores them");
    EXPECT_TRUE(checked->unrepairable.empty());
    checked = check_index(paths, {.repair = true, .decoding = true});
    ASSERT_TRUE(checked);
    EXPECT_TRUE(checked->problems.empty());
    auto reader = IndexReader::open(paths);
    ASSERT_TRUE(reader);
    auto found = (*reader)->find("b@x");
    ASSERT_TRUE(found);
    EXPECT_TRUE(found->front().parsed);
}

TEST(Reader, CheckNamesDocumentsMissingTheirThreadOrHashTerm)
{
    TempDir dir;
    import_ok(dir, {dir.write("m.mbox", mbox({message("a@x", "one"), message("b@x", "two"), message("c@x", "three")}))});
    const IndexPaths paths = index_of(dir);
    ASSERT_TRUE(check_index(paths, {})->problems.empty());
    // a@x loses its thread term, b@x its hash term; c@x keeps both.
    for (unsigned n = 0; n < 2; ++n) {
        Xapian::WritableDatabase db(paths.shard(n).string());
        for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
            Xapian::Document doc = db.get_document(*it);
            const std::string id = doc.get_value(schema::Slot::message_id);
            const std::string prefix(id == "a@x" ? schema::prefix::thread : schema::prefix::hash);
            if (id != "a@x" && id != "b@x")
                continue;
            for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t)
                if ((*t).starts_with(prefix)) {
                    doc.remove_term(*t);
                    break;
                }
            db.replace_document(*it, doc);
        }
        db.commit();
    }
    auto checked = check_index(paths, {});
    ASSERT_TRUE(checked);
    ASSERT_EQ(checked->problems.size(), 2u);
    std::string all = checked->problems[0] + "\n" + checked->problems[1];
    EXPECT_NE(all.find("<a@x>: its thread term and value disagree"), std::string::npos) << all;
    EXPECT_NE(all.find("<b@x>: its stored copy's hash is not among its hash terms"), std::string::npos) << all;
    EXPECT_EQ(all.find("c@x"), std::string::npos) << all;
}

TEST(Reader, CheckMatchesEachDocumentsThreadAndHashValueToItsOwnTermsExactly)
{
    // check reads every thread and hash term's postings in one walk
    // (TermsByDocument): a term must be spelt exactly as its value, a
    // document may hold several hash terms, and a hash value no hash term
    // spells canonically is looked up on its own.
    TempDir dir;
    import_ok(dir, {dir.write("m.mbox", mbox({message("a@x", "one"), message("b@x", "two"), message("c@x", "three"),
                                              message("d@x", "four"), message("e@x", "five")}))});
    const IndexPaths paths = index_of(dir);
    ASSERT_TRUE(check_index(paths, {})->problems.empty());
    const std::string other_hash = std::string(schema::prefix::hash) + std::string(32, 'f');
    for (unsigned n = 0; n < 2; ++n) {
        Xapian::WritableDatabase db(paths.shard(n).string());
        for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
            Xapian::Document doc = db.get_document(*it);
            const std::string id = doc.get_value(schema::Slot::message_id);
            const std::string thread = doc.get_value(schema::Slot::thread);
            const std::string hash = doc.get_value(schema::Slot::hash);
            const std::string thread_term = std::string(schema::prefix::thread) + thread;
            const std::string hash_term = std::string(schema::prefix::hash) + hash;
            if (id == "a@x") { // the same thread id, spelt without its zeros: not its thread term
                doc.remove_term(thread_term);
                doc.add_boolean_term(std::string(schema::prefix::thread) + thread.substr(thread.find_first_not_of('0')));
            } else if (id == "b@x") { // a second copy's hash as well: fine
                doc.add_boolean_term(other_hash);
            } else if (id == "c@x") { // only another copy's hash
                doc.remove_term(hash_term);
                doc.add_boolean_term(other_hash);
            } else if (id == "d@x") { // a hash value no canonical term spells, with its term
                doc.remove_term(hash_term);
                doc.add_value(schema::Slot::hash, "Not-A-Hash");
                doc.add_boolean_term(std::string(schema::prefix::hash) + "Not-A-Hash");
            } else if (id == "e@x") { // another thread's term
                doc.remove_term(thread_term);
                doc.add_boolean_term(std::string(schema::prefix::thread) + "0000ffff");
            }
            db.replace_document(*it, doc);
        }
        db.commit();
    }
    auto checked = check_index(paths, {});
    ASSERT_TRUE(checked);
    std::string all;
    for (const auto& p : checked->problems)
        all += p + "\n";
    EXPECT_EQ(checked->problems.size(), 5u) << all;
    EXPECT_NE(all.find("<a@x>: its thread term and value disagree"), std::string::npos) << all;
    EXPECT_EQ(all.find("b@x"), std::string::npos) << all;
    EXPECT_NE(all.find("<c@x>: its stored copy's hash is not among its hash terms"), std::string::npos) << all;
    EXPECT_NE(all.find("<d@x>: raw copy does not match its content hash"), std::string::npos) << all;
    EXPECT_EQ(all.find("<d@x>: its stored copy's hash"), std::string::npos) << all;
    // Its data still holds the hash it was imported with.
    EXPECT_NE(all.find("<d@x>: the Message-ID, hash, sender, subject or date in its data and in its values disagree"),
              std::string::npos) << all;
    EXPECT_NE(all.find("<e@x>: its thread term and value disagree"), std::string::npos) << all;
}

TEST(Reader, ADamagedRawCopyIsAnErrorNeverOtherBytes)
{
    // Raw packs are read only as far as the message (Decode::prefix), so
    // the block's checksum is not reached: the content hash guards them.
    TempDir dir;
    std::vector<std::string> messages;
    uint32_t random = 12345;
    for (int i = 0; i < 40; ++i) {
        std::string body; // incompressible: zstd stores it as it is, and a damaged byte decodes as another
        for (int k = 0; k < 20000 + i * 37; ++k) { // 800 KB: zstd blocks are 128 KiB, a pack block 1 MiB
            random = random * 1103515245 + 12345;
            const char c = static_cast<char>(1 + (random >> 16) % 255);
            body += c == '\n' || c == '\r' ? ' ' : c;
        }
        messages.push_back(message("m" + std::to_string(i) + "@x", body));
    }
    import_ok(dir, {dir.write("m.mbox", mbox(messages))});
    const IndexPaths paths = index_of(dir);
    std::vector<StoredMessage> stored;
    std::vector<std::string> raws;
    {
        auto reader = IndexReader::open(paths);
        ASSERT_TRUE(reader);
        for (size_t i = 0; i < messages.size(); ++i) {
            auto found = (*reader)->find("m" + std::to_string(i) + "@x");
            ASSERT_TRUE(found);
            stored.push_back(found->front());
            auto raw = (*reader)->raw(stored.back());
            ASSERT_TRUE(raw);
            raws.push_back(*raw);
        }
    }
    size_t refused = 0;
    for (unsigned n = 0; n < 2; ++n) {
        const uint64_t size = fs::file_size(paths.raw(n));
        for (uint64_t at = 20; at < size; at += size / 60) { // past the block header, through the data
            std::string pack;
            {
                std::ifstream in(paths.raw(n), std::ios::binary);
                pack.assign(std::istreambuf_iterator<char>(in), {});
            }
            const std::string intact = pack;
            pack[at] = static_cast<char>(pack[at] ^ 0x20);
            std::ofstream(paths.raw(n), std::ios::binary | std::ios::trunc) << pack;
            auto reader = IndexReader::open(paths);
            ASSERT_TRUE(reader);
            for (size_t i = 0; i < stored.size(); ++i) {
                if (stored[i].shard != n)
                    continue;
                auto raw = (*reader)->raw(stored[i]);
                EXPECT_TRUE(!raw || *raw == raws[i]) << "shard " << n << ", byte " << at << ", message " << i;
                refused += raw ? 0 : 1;
            }
            std::ofstream(paths.raw(n), std::ios::binary | std::ios::trunc) << intact;
        }
    }
    EXPECT_GT(refused, 0u);
}
