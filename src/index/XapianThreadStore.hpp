// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file XapianThreadStore.hpp
/// The ThreadStore of an index, spanning all its shards: threads are G terms
/// and `thread` values on message and ghost documents, which may live in
/// any shard. Used only by the IndexWriter's thread. It reads what was
/// committed from one database over all shards and remembers what it
/// changed since (the shards' writers run behind it), so lookups see every
/// earlier message at once; after each commit the caller reopens the
/// database and calls committed(), which keeps memory bounded by a batch.

#include "RoundJournal.hpp"
#include "ShardWriter.hpp"
#include "StoredDocument.hpp"
#include "listdex/thread/Threader.hpp"

#include <xapian.h>

#include <map>
#include <string>
#include <unordered_map>
#include <vector>

namespace listdex {

class XapianThreadStore final : public ThreadStore {
public:
    /// @p committed (all shards at the last commit) and @p shards must
    /// outlive the store; @p last is the last thread id handed out.
    XapianThreadStore(IndexDatabase& committed, std::vector<std::unique_ptr<ShardWriter>>& shards, ThreadId last);

    std::optional<ThreadId> thread_of(const std::string& id) override;
    ThreadId new_thread() override { return ++last_; }
    /// Makes the counter at least @p t (repairs).
    void raise_counter(ThreadId t) { last_ = std::max(last_, t); }
    uint64_t thread_size(ThreadId thread) override;
    void add_ghost(const std::string& id, ThreadId thread, const std::optional<std::string>& parent) override;
    void merge(ThreadId from, ThreadId into) override;
    void note_subject(const std::string& subject, int64_t date, const std::string& id) override;
    /// Messages of this round first, then the committed ones (by their
    /// XSUBJ term and date value).
    std::optional<std::string> latest_with_subject(const std::string& subject, int64_t from, int64_t to) override;

    /// Deletes the ghost of @p id, if any: a real message replaces it.
    void remove_ghost(const std::string& id);
    /// The message @p id of @p thread was removed (its document is deleted
    /// by the caller); a ghost takes its place when @p keep_place.
    void remove_message(const std::string& id, ThreadId thread, const std::optional<std::string>& parent,
                        bool keep_place);
    /// Adds the thread term and values to a message document going to @p shard.
    void label(Xapian::Document& doc, const std::string& id, const ThreadAssignment& a, unsigned shard);
    /// What the next commit round must make true in every shard: the ids
    /// added (with their threads), the merges, and shard 0's metadata (the
    /// thread counter and new aliases). Resets it for the next round.
    RoundJournal take_round();
    /// Call after every shard committed and @p committed was refreshed.
    void committed();

private:
    struct Known {
        ThreadId thread = 0;
        bool ghost = false;
        unsigned shard = 0;
    };
    const Known* lookup(const std::string& id);
    ThreadId resolve(ThreadId t) const;

    IndexDatabase& committed_;
    std::vector<std::unique_ptr<ShardWriter>>& shards_;
    ThreadId last_;
    std::unordered_map<std::string, Known> known_;       ///< ids looked up or changed since the last commit
    std::unordered_map<ThreadId, int64_t> size_change_;  ///< since the last commit
    std::unordered_map<ThreadId, ThreadId> alias_;       ///< merges made by this writer
    SubjectDates subjects_; ///< this round's messages
    RoundJournal round_;                                 ///< this round's changes (metadata: new aliases)
};

/// A ghost document: the placeholder of @p id in @p thread.
[[nodiscard]] Xapian::Document ghost_document(const std::string& id, ThreadId thread,
                                              const std::optional<std::string>& parent);

/// The G term of a thread.
[[nodiscard]] std::string thread_term(ThreadId thread);

} // namespace listdex
