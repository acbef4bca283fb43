// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file IndexWriter.hpp
/// The one writer of an index: holds the lock, threads every message
/// (globally, across shards) and hands each document to the ShardWriter of
/// its shard, which writes it from its own thread. Commits are rounds: every
/// shard commits its batch (raw packs first), then the next batch starts.
/// Not thread-safe: exactly one thread calls it.

#include "IndexConfig.hpp"
#include "IndexLock.hpp"
#include "ShardWriter.hpp"
#include "StoredDocument.hpp"
#include "XapianThreadStore.hpp"
#include "listdex/base/Error.hpp"
#include "listdex/index/IndexPaths.hpp"

#include <xapian.h>

#include <memory>
#include <optional>
#include <span>
#include <map>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace listdex {

class IndexWriter {
public:
    /// Opens the index at @p paths, or creates it with @p new_shards shards
    /// placed as @p placement asks (an existing index keeps its own count
    /// and placement, and records the list pins asked for). Fails with
    /// ExitCode::locked when another process writes it, ExitCode::no_index
    /// when its schema is not ours, ExitCode::usage when @p placement
    /// contradicts the index (another placement, a pin to a shard it does
    /// not have, or moving a list that has messages).
    static Result<std::unique_ptr<IndexWriter>> open(const IndexPaths& paths, unsigned new_shards,
                                                     const PlacementRequest& placement = {});
    /// Uncommitted changes are discarded.
    ~IndexWriter();

    /// Whether a message with this content hash is indexed (committed or not).
    Result<bool> contains(const std::string& hash);
    /// Threads the message (see Threader) and posts @p doc (built by
    /// DocumentBuilder) with its raw bytes, snippet text and decoded form
    /// (@p parsed, ParsedRecord.hpp) to the shard
    /// the placement picks from its @p list and content @p hash
    /// (IndexConfig::home_shard). @p same_key: see add_copy;
    /// @p subject and @p date: see Threader::add. Returns how it was threaded.
    Result<ThreadAssignment> add(Xapian::Document doc, std::string raw, std::string text, std::string parsed,
                                 uint32_t flags,
                                 const std::string& hash, const std::string& list, const std::string& same_key,
                                 const MessageLinks& links,
                                 const SubjectKey& subject, int64_t date);
    /// When a message with this same-message key (schema::prefix::same:
    /// Message-ID, Date and sender) is indexed, records another copy of it
    /// there: its content hash @p hash (so re-imports skip it) and @p list
    /// (unless empty: the message is then found under that list too), and
    /// returns true. False when there is no such message.
    Result<bool> add_copy(const std::string& same_key, const std::string& hash, const std::string& list);
    /// Removes the message one of whose copies has content hash @p hash (a
    /// public-inbox deletion); a ghost keeps its place in its thread unless
    /// another message has its Message-ID. False when no message has that
    /// hash. Commits what is pending first, so it sees every earlier message.
    Result<bool> remove(const std::string& hash);
    /// Applies @p edits (see Tags.hpp) to every shard; part of the next
    /// commit round and its journal. Returns how many Message-IDs have no
    /// message in the index (as of the last commit).
    Result<uint64_t> retag(std::span<const TagEdit> edits);
    /// Message documents whose tags changed since the writer opened (after
    /// a commit).
    [[nodiscard]] uint64_t retagged() const;
    /// Records that a source may resume after @p position. Written to the
    /// index (metadata @p key) right after the round that commits everything
    /// read before it, so a crash can only make the source resume too early.
    void reached(const std::string& key, const std::string& position);
    /// A shard whose newest database holds @p n documents starts another
    /// at the next commit (ShardWriter::start_database); 0: never.
    void database_documents(uint64_t n) { database_documents_ = n; }
    /// See Threader::thread_by_subject.
    void thread_by_subject(int64_t window) { threader_->thread_by_subject(window); }
    /// Metadata as of the last commit.
    Result<std::string> metadata(const std::string& key);
    /// Commits every shard and waits for them. Readers see each shard's
    /// batch once it committed. @p durable also fsyncs (the final commit).
    /// Then starts a new database in each shard whose newest is full
    /// (database_documents).
    Result<void> commit(bool durable);
    Result<uint64_t> message_count();
    /// For `listdex check --repair`: removes the ghosts of @p stale_ghosts
    /// (ids that have a message), merges each (from, into) of @p merges,
    /// raises the thread counter to at least @p min_counter, and commits.
    Result<void> repair(const std::vector<std::string>& stale_ghosts,
                        const std::vector<std::pair<ThreadId, ThreadId>>& merges, ThreadId min_counter);
    /// For `listdex check --repair --decoding`: stores @p record (a
    /// ParsedRecord) as the decoding of document @p docid of shard
    /// @p shard; readers see it after the next commit().
    void store_parsed(unsigned shard, Xapian::docid docid, std::string record)
    {
        shards_.at(shard)->store_parsed(docid, std::move(record));
    }
    /// How many databases each shard's stub lists (ShardStub.hpp), in
    /// shard order.
    [[nodiscard]] std::vector<unsigned> shard_databases() const;
    /// Compacts every shard in parallel (see ShardWriter::compact). Must be
    /// the last call.
    Result<void> compact();
    /// Stores every list's counts (ListStats.hpp) as the index now is, so
    /// that `lists` need not count them; a commit that changes documents
    /// clears them. Call after the last commit() of an import.
    Result<void> store_list_stats();

private:
    IndexWriter() = default;
    Result<void> wait_all();
    /// Writes @p round's journal, commits every shard, removes the journal.
    Result<void> commit_round(const RoundJournal& round, bool durable);
    /// Makes every shard agree after a round that was cut short (see
    /// RoundJournal.hpp), then commits.
    Result<void> replay(const RoundJournal& journal);
    std::unique_ptr<IndexLock> lock_;
    IndexPaths paths_;
    std::vector<std::unique_ptr<ShardWriter>> shards_;
    std::optional<IndexDatabase> committed_; ///< all shards as of the last commit
    std::unordered_set<std::string> pending_hashes_;
    std::unordered_map<std::string, unsigned> pending_same_; ///< same-message key -> shard, this round
    std::map<std::string, std::string> positions_;           ///< reached() since the last commit
    std::vector<TagEdit> pending_tags_;                      ///< retag() since the last commit
    bool dirty_ = false;                                     ///< anything posted since the last commit
    uint64_t database_documents_ = kDatabaseDocuments;       ///< see database_documents()
    /// Documents added, removed, given a list or a thread since the stored
    /// list counts were computed (the next commit clears them).
    bool lists_changed_ = false;
    /// Records @p pins in @p config and listdex.conf; fails (ExitCode::usage)
    /// on a list that has messages in another shard.
    Result<void> pin_lists(IndexConfig& config, const std::map<std::string, unsigned, std::less<>>& pins);

    IndexConfig config_; ///< listdex.conf: the id ("" in an index made before ids) and the placement
    std::unique_ptr<XapianThreadStore> threads_;
    std::unique_ptr<Threader> threader_;
};

} // namespace listdex
