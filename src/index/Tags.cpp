// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
// The reader's tags: written through the IndexWriter (locked, journalled),
// read straight from the tag terms.
#include "listdex/index/Tags.hpp"

#include "IndexWriter.hpp"
#include "StoredDocument.hpp"
#include "XapianGuard.hpp"
#include "listdex/index/Schema.hpp"

#include <algorithm>
#include <map>

namespace listdex {

Result<TagResult> apply_tags(const IndexPaths& paths, const std::vector<TagEdit>& edits)
{
    for (const TagEdit& e : edits)
        for (const auto* list : {&e.add, &e.remove})
            for (const auto& tag : *list)
                if (auto bad = schema::tag_name_problem(tag))
                    return fail(ExitCode::usage, "'" + tag + "': " + *bad);
    if (!paths.exists())
        return fail(ExitCode::no_index, paths.root.string() + ": no index here", "listdex import ARCHIVE first");
    auto writer = IndexWriter::open(paths, 1);
    if (!writer)
        return std::unexpected(writer.error());
    // Rounds of kRound Message-IDs: each is journalled and atomic across
    // shards, and stays far below Xapian's automatic flush (10,000 changed
    // documents), which would commit a shard outside any journalled round.
    constexpr size_t kRound = 2000;
    const uint64_t before = (*writer)->retagged();
    uint64_t missing = 0;
    // (Opening the writer has already replayed a cut-short round.)
    for (size_t at = 0; at < edits.size(); at += kRound) {
        auto absent = (*writer)->retag(std::span(edits).subspan(at, std::min(kRound, edits.size() - at)));
        if (!absent)
            return std::unexpected(absent.error());
        missing += *absent;
        if (auto r = (*writer)->commit(at + kRound >= edits.size()); !r)
            return std::unexpected(r.error());
    }
    return TagResult{(*writer)->retagged() - before, missing};
}

namespace {

/// Calls @p each(tag, docid) for every tagged message document.
template <class F> Result<void> for_each_tagged(const IndexPaths& paths, F each)
{
    auto index = IndexDatabase::open(paths);
    if (!index)
        return std::unexpected(index.error());
    return guarded("reading tags", [&]() -> Result<void> {
        Xapian::Database& db = index->db();
        const std::string prefix(schema::prefix::tag);
        for (auto t = db.allterms_begin(prefix); t != db.allterms_end(prefix); ++t) {
            const std::string tag = (*t).substr(prefix.size());
            for (auto p = db.postlist_begin(*t); p != db.postlist_end(*t); ++p)
                each(tag, db, *p);
        }
        return {};
    });
}

} // namespace

Result<std::vector<TaggedMessage>> read_tags(const IndexPaths& paths)
{
    std::map<std::string, std::vector<std::string>> by_id;
    auto done = for_each_tagged(paths, [&](const std::string& tag, Xapian::Database& db, Xapian::docid d) {
        auto& tags = by_id[db.get_document(d).get_value(schema::Slot::message_id)];
        if (std::ranges::find(tags, tag) == tags.end())
            tags.push_back(tag);
    });
    if (!done)
        return std::unexpected(done.error());
    std::vector<TaggedMessage> out;
    out.reserve(by_id.size());
    for (auto& [id, tags] : by_id) {
        std::ranges::sort(tags);
        out.push_back({id, std::move(tags)});
    }
    return out;
}

Result<std::vector<std::pair<std::string, uint64_t>>> tag_counts(const IndexPaths& paths)
{
    auto index = IndexDatabase::open(paths);
    if (!index)
        return std::unexpected(index.error());
    return guarded("reading tags", [&]() -> Result<std::vector<std::pair<std::string, uint64_t>>> {
        Xapian::Database& db = index->db();
        const std::string prefix(schema::prefix::tag);
        std::vector<std::pair<std::string, uint64_t>> out;
        for (auto t = db.allterms_begin(prefix); t != db.allterms_end(prefix); ++t)
            out.emplace_back((*t).substr(prefix.size()), t.get_termfreq());
        return out;
    });
}

} // namespace listdex
