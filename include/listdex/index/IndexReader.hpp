// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file IndexReader.hpp
/// Read access to an index: counting, finding messages by Message-ID, and
/// their raw bytes. Readers never block the writer and see its commits
/// after reopening (done automatically on Xapian's DatabaseModifiedError).
/// Not thread-safe: use one reader per thread.

#include "listdex/base/Error.hpp"
#include "listdex/index/IndexPaths.hpp"
#include "listdex/index/RawStore.hpp"
#include "listdex/mime/ParsedMessage.hpp"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace listdex {

/// A message as stored: identity, effective date and flags, and where its
/// raw bytes are.
struct StoredMessage {
    std::string message_id; ///< as in the message (or synthetic)
    /// What users type to get exactly this message: the Message-ID, or when
    /// several distinct messages share it, "<id>#<first 8 hex of content hash>".
    std::string key;
    std::string hash;       ///< content hash (schema::prefix::hash term)
    int64_t date = 0;       ///< effective date, UTC seconds (see schema::Flag)
    uint32_t flags = 0;     ///< schema::Flag bits
    std::vector<std::string> lists; ///< every list it came from (a cross-post has several)
    /// The reader's tags (Tags.hpp), sorted: "read" when read. Filled by
    /// IndexReader::find and by a Searcher with a reader (thread views);
    /// empty in exports. The web server does not show them.
    std::vector<std::string> tags;
    unsigned shard = 0;
    /// Its document number in the index's database as read (a compaction
    /// may renumber it later); 0 when unknown. Lets Searcher::neighbours
    /// find it in a date order without reading the other messages of its
    /// second.
    uint32_t document = 0;
    RawRef ref;
    /// Its decoded form (ParsedRecord.hpp) in the shard's parsed pack;
    /// nullopt for messages imported before records were stored.
    std::optional<RawRef> parsed;
};

/// A git repository (public-inbox epoch or v1 inbox) that imports read,
/// and the newest commit they reached (listdex update).
struct GitSource {
    std::filesystem::path repo; ///< absolute, as the import resolved it
    std::string commit;
    std::string list; ///< the --list its import was given; empty: none
};

class IndexReader {
public:
    /// Fails with ExitCode::no_index (with a hint) when there is no index.
    static Result<std::unique_ptr<IndexReader>> open(const IndexPaths& paths);
    ~IndexReader();
    IndexReader(const IndexReader&) = delete;
    IndexReader& operator=(const IndexReader&) = delete;

    Result<uint64_t> message_count();

    /// Every message with Message-ID @p id ("<a@b>", "a@b", "id:a@b"), or the
    /// one message named by a "a@b#hash" key; sorted by date. Fails with
    /// ExitCode::not_found when there is none.
    Result<std::vector<StoredMessage>> find(std::string_view id);

    /// The original bytes of @p m.
    Result<std::string> raw(const StoredMessage& m);
    /// @p m decoded: its stored record (ParsedRecord.hpp) when it has one
    /// of this version, else its raw bytes parsed again with GMime. A
    /// record that cannot be read falls back to the raw copy too.
    Result<ParsedMessage> parse(const StoredMessage& m);
    /// Attachment @p part of @p m, decoded (see Attachment::part); fails
    /// with ExitCode::not_found when there is no such part.
    Result<std::string> attachment(const StoredMessage& m, unsigned part);
    /// Every git repository imports have read, sorted by path.
    Result<std::vector<GitSource>> git_sources();

    /// Brings the index to its latest commit (see Searcher::refresh).
    void refresh();

private:
    IndexReader();
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace listdex
