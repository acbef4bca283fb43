// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file ShardWriter.hpp
/// The one writer of one shard: its Xapian WritableDatabase, its raw and
/// text packs, and the thread that writes them. The IndexWriter (one
/// thread) posts operations; each shard thread runs its own in order, so N
/// shards index in parallel while every database keeps exactly one writer.

#include "listdex/base/Error.hpp"
#include "listdex/index/IndexPaths.hpp"
#include "listdex/index/RawStore.hpp"
#include "listdex/index/Tags.hpp"

#include <atomic>

#include <xapian.h>

#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace listdex {

class ShardWriter {
public:
    /// Opens shard @p n of the index, creating it when @p create (a new
    /// index); a missing shard of an existing index is an error. The caller
    /// holds the index lock.
    static Result<std::unique_ptr<ShardWriter>> open(const IndexPaths& paths, unsigned n, bool create);
    /// Uncommitted changes are discarded.
    ~ShardWriter();
    ShardWriter(const ShardWriter&) = delete;
    ShardWriter& operator=(const ShardWriter&) = delete;

    unsigned number() const { return n_; }
    /// Metadata read when the shard was opened (e.g. the thread counter).
    std::string metadata(const std::string& key) const;

    // Operations, run in the order posted. A failure stops the shard: later
    // operations are skipped and wait() reports the first error.
    /// Stores @p raw, @p text and @p parsed (a ParsedRecord) in the packs
    /// and adds @p doc with its data.
    void add_message(Xapian::Document doc, std::string raw, std::string text, std::string parsed, uint32_t flags);
    void add_document(Xapian::Document doc);
    /// Adds @p terms to the message documents holding @p key_term (another
    /// copy of a stored message) and updates their list value.
    void add_terms(std::string key_term, std::vector<std::string> terms);
    /// Adds the tags @p edit adds and removes those it removes (with
    /// `exact`, every other tag too) on the message documents of Message-ID
    /// term @p id_term; ghosts are left alone. Idempotent.
    void retag(std::string id_term, TagEdit edit);
    /// Message documents whose tags changed, since the shard was opened.
    [[nodiscard]] uint64_t retagged() const { return retagged_.load(); }
    /// Deletes the message documents holding @p key_term.
    void remove_messages(std::string key_term);
    /// Deletes the ghost documents of Message-ID term @p id_term.
    void remove_ghosts(std::string id_term);
    /// Stores @p record (a ParsedRecord) as the decoding of message
    /// document @p docid (this shard's id), in place of the one it had.
    void store_parsed(Xapian::docid docid, std::string record);
    /// Moves every document of thread term @p from to thread @p into.
    void merge_thread(std::string from_term, std::string into_term, std::string into_value);
    /// Lists a new, empty database after the shard's others (ShardStub.hpp)
    /// and adds every later document to it. Post right after a commit.
    void start_database();
    /// Documents in the newest database (when the shard was opened, plus
    /// those added since; deletions not counted): when to start another.
    [[nodiscard]] uint64_t newest_documents() const { return newest_documents_.load(); }
    /// The databases the shard's stub lists (1 after a compaction).
    [[nodiscard]] unsigned databases() const { return databases_.load(); }
    /// Commits (packs first), with @p metadata set in the same commit.
    void commit(std::map<std::string, std::string> metadata, bool durable);
    /// Writes a compacted copy of the shard's databases as one new
    /// generation and swaps the stub to it; the shard is closed afterwards.
    void compact();

    /// Waits until everything posted has run; the first error, if any.
    Result<void> wait();

private:
    ShardWriter(IndexPaths paths, unsigned n);
    void post(std::function<void()> op);
    void run();

    IndexPaths paths_;
    unsigned n_;
    /// The generations the stub lists, oldest first: the databases db_ opens.
    std::vector<unsigned> generations_;
    /// With several databases, the local id of the next document (added to
    /// the newest): above every local id in any of them.
    Xapian::docid next_local_ = 1;
    /// Adds @p doc to the newest database.
    void add(const Xapian::Document& doc);
    /// For a new database after the last commit: ends the (empty)
    /// transaction, clears the folder of the generation above every listed
    /// one (debris of an interrupted run) and returns that generation.
    unsigned next_generation();
    std::optional<Xapian::WritableDatabase> db_;
    std::unique_ptr<RawStoreWriter> raw_, text_, parsed_;
    std::map<std::string, std::string> opened_metadata_;
    std::atomic<uint64_t> retagged_{0};
    std::atomic<uint64_t> newest_documents_{0};
    std::atomic<unsigned> databases_{0}; ///< generations_.size(), for other threads

    std::mutex m_;
    std::condition_variable cv_, idle_cv_;
    std::deque<std::function<void()>> ops_;
    bool busy_ = false, stopping_ = false;
    std::optional<Error> error_;
    std::thread thread_;
};

} // namespace listdex
