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

Result<std::vector<StoredMessage>> IndexReader::find(std::string_view id)
{
    return find_messages(impl_->index, id);
}

Result<std::string> IndexReader::raw(const StoredMessage& m)
{
    return read_raw_copy(impl_->raw, m);
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
