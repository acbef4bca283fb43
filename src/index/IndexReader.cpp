// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "listdex/index/IndexReader.hpp"

#include "StoredDocument.hpp"
#include "XapianGuard.hpp"
#include "listdex/base/Text.hpp"
#include "listdex/index/Schema.hpp"
#include "listdex/mime/MimeParser.hpp"

#include <xapian.h>

#include <algorithm>

namespace listdex {

struct IndexReader::Impl {
    explicit Impl(IndexDatabase i)
        : index(std::move(i)), raw(index.paths(), PackReaders::Kind::raw), parsed(index.paths(), PackReaders::Kind::parsed)
    {
    }
    IndexDatabase index;
    PackReaders raw, parsed;
    std::unique_ptr<MimeParser> mime;
};

IndexReader::IndexReader() = default;
IndexReader::~IndexReader() = default;

Result<std::unique_ptr<IndexReader>> IndexReader::open(const IndexPaths& paths)
{
    auto index = IndexDatabase::open(paths);
    if (!index)
        return std::unexpected(index.error());
    std::unique_ptr<IndexReader> r(new IndexReader());
    r->impl_ = std::make_unique<Impl>(std::move(*index));
    return r;
}

Result<uint64_t> IndexReader::message_count()
{
    return guarded_read(impl_->index, "reading index", [&]() -> Result<uint64_t> {
        impl_->index.refresh();
        return impl_->index.db().get_termfreq(std::string(schema::kKindMail));
    });
}

Result<std::vector<GitSource>> IndexReader::git_sources()
{
    return guarded_read(impl_->index, "reading index", [&]() -> Result<std::vector<GitSource>> {
        impl_->index.refresh();
        // "listdex:git:<key>" = "<commit> <path>" (Importer); shard 0's
        // metadata is the index's.
        std::vector<GitSource> out;
        const std::string prefix(schema::kGitPositionPrefix);
        const Xapian::Database& db = impl_->index.db();
        for (auto key = db.metadata_keys_begin(prefix); key != db.metadata_keys_end(prefix); ++key) {
            const std::string value = db.get_metadata(*key);
            const size_t space = value.find(' ');
            if (space == std::string::npos || space + 1 >= value.size())
                continue;
            const std::string repo_key = (*key).substr(prefix.size());
            out.push_back({value.substr(space + 1), value.substr(0, space),
                           db.get_metadata(std::string(schema::kGitListPrefix) + repo_key)});
        }
        std::sort(out.begin(), out.end(), [](const GitSource& a, const GitSource& b) { return a.repo < b.repo; });
        return out;
    });
}

Result<std::vector<StoredMessage>> IndexReader::find(std::string_view raw_id)
{
    const std::string id = normalize_message_id(raw_id);
    if (id.empty())
        return fail(ExitCode::usage, "empty Message-ID");
    const std::string id_prefix(schema::prefix::message_id);

    auto lookup = [&](const std::string& mid) -> Result<std::vector<StoredMessage>> {
        return guarded_read(impl_->index, "reading index", [&]() -> Result<std::vector<StoredMessage>> {
            std::vector<StoredMessage> out;
            const std::string term = schema::term(id_prefix, mid);
            Xapian::Database& db = impl_->index.db();
            for (auto it = db.postlist_begin(term); it != db.postlist_end(term); ++it) {
                Xapian::Document doc = db.get_document(*it);
                if (doc.get_data() == schema::kGhostData)
                    continue; // a placeholder, not a message
                auto m = stored_message(impl_->index, *it, doc);
                if (!m)
                    return std::unexpected(unreadable_document(*it));
                m->tags = document_tags(doc); // find() serves show: the reader sees them
                out.push_back(std::move(*m));
            }
            return out;
        });
    };

    auto found = lookup(id);
    if (!found)
        return found;
    std::string hash_prefix;
    if (found->empty()) {
        // "a@b#1f2e3d4c": one of several messages sharing a Message-ID.
        const size_t hash = id.rfind('#');
        if (hash != std::string::npos && hash + 5 <= id.size()) {
            hash_prefix = ascii_lower(id.substr(hash + 1));
            found = lookup(id.substr(0, hash));
            if (!found)
                return found;
        }
    }
    std::sort(found->begin(), found->end(), [](const StoredMessage& a, const StoredMessage& b) {
        return a.date != b.date ? a.date < b.date : a.hash < b.hash;
    });
    if (found->size() > 1)
        for (auto& m : *found)
            m.key = shared_id_key(m.message_id, m.hash);
    if (!hash_prefix.empty())
        std::erase_if(*found, [&](const StoredMessage& m) { return !m.hash.starts_with(hash_prefix); });
    if (found->empty())
        return fail(ExitCode::not_found, "no message with Message-ID <" + id + "> in " + impl_->index.paths().root.string());
    return found;
}

Result<std::string> IndexReader::raw(const StoredMessage& m)
{
    return impl_->raw.get(m.shard, m.ref);
}

Result<ParsedMessage> IndexReader::parse(const StoredMessage& m)
{
    if (auto stored = stored_parse(impl_->parsed, m))
        return std::move(*stored);
    auto bytes = raw(m);
    if (!bytes)
        return std::unexpected(bytes.error());
    if (!impl_->mime)
        impl_->mime = std::make_unique<MimeParser>();
    return impl_->mime->parse(*bytes);
}

Result<std::string> IndexReader::attachment(const StoredMessage& m, unsigned part)
{
    auto bytes = raw(m);
    if (!bytes)
        return std::unexpected(bytes.error());
    if (!impl_->mime)
        impl_->mime = std::make_unique<MimeParser>();
    return impl_->mime->attachment_bytes(*bytes, part);
}

void IndexReader::refresh()
{
    // A failure shows again, and is reported, at the next read.
    (void)guarded("reading index", [&]() -> Result<void> {
        impl_->index.refresh();
        return {};
    });
}

} // namespace listdex
