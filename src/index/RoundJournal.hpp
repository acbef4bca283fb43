// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file RoundJournal.hpp
/// The thread changes of one commit round. Shards commit independently, so
/// a kill in the middle of a round can leave some shards with the round and
/// some without: a message committed in one shard while the ghost it
/// replaced survives in another, a merge applied to half the threads' shards,
/// new thread ids in use while shard 0's counter is behind. The writer
/// writes this journal before the shards commit and removes it after all
/// have; the next writer that finds it replays it (IndexWriter::open), which
/// makes every shard agree again; re-running the import then restores the
/// messages whose shard missed the round.

#include "listdex/base/Error.hpp"
#include "listdex/index/Tags.hpp"
#include "listdex/thread/Threader.hpp"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace listdex {

struct RoundJournal {
    /// A message or ghost added in the round: after replay the id has a real
    /// message (then no ghost), or else a ghost in this thread.
    struct Member {
        ThreadId thread = 0;
        std::string id;
        std::string parent; ///< "" when none
    };
    std::vector<Member> members;
    std::vector<std::pair<ThreadId, ThreadId>> merges; ///< (from, into), in order
    std::map<std::string, std::string> metadata;        ///< shard 0's metadata of the round
    /// Tag changes of the round: idempotent, so a replay applies them all
    /// again to every shard.
    std::vector<TagEdit> tags;

    [[nodiscard]] bool empty() const
    {
        return members.empty() && merges.empty() && metadata.empty() && tags.empty();
    }
    /// Writes the journal to @p path (a temporary file renamed into place;
    /// synced when @p durable). Fails naming the file.
    Result<void> write(const std::filesystem::path& path, bool durable) const;
    /// The journal at @p path; nullopt when there is none, or when it is
    /// incomplete (the writer was killed while writing it, before any shard
    /// committed the round). Fails naming the file when it cannot be read.
    static Result<std::optional<RoundJournal>> read(const std::filesystem::path& path);
};

} // namespace listdex
