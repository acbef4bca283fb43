// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file SearcherImpl.hpp
/// Searcher's state and the Xapian work shared by its source files
/// (Searcher.cpp: search, count, threads; Listing.cpp: what a search lists
/// and in which order; Browse.cpp: lists, months,
/// neighbours; Export.cpp: mbox and id export). Private to the query layer.

#include "MatchBitmap.hpp"
#include "QueryParser.hpp"
#include "index/DocData.hpp"
#include "index/ListStats.hpp"
#include "index/StoredDocument.hpp"
#include "index/XapianGuard.hpp"
#include "listdex/base/Text.hpp"
#include "listdex/index/Schema.hpp"
#include "listdex/query/Searcher.hpp"
#include "listdex/query/Snippet.hpp"

#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <functional>
#include <map>
#include <span>
#include <unordered_map>
#include <unordered_set>

namespace listdex {

/// Values of many documents, read slot by slot. Up to kLookUpTo documents
/// by looking each value up (each shard keeps one cursor for that, so a
/// slot's values of documents near each other share their blocks); more
/// along Xapian's value streams in document order, which read each chunk
/// once but cost a new cursor and a descent per slot and shard: at 1M
/// messages a 4-message thread read 113 blocks of 8 KB through streams
/// and 49 by lookups, while a 143-message thread took 5.2 ms by lookups
/// document by document and 1.2 ms through streams.
class ValueColumns {
public:
    static constexpr size_t kLookUpTo = 16;
    /// Reads @p slots of documents @p docs (ascending, no repeats).
    ValueColumns(Xapian::Database& db, std::span<const Xapian::docid> docs, std::span<const unsigned> slots);
    /// The value in slot number @p column (its index in the slots given)
    /// of the @p row-th document; "" when it has none.
    [[nodiscard]] const std::string& at(size_t row, size_t column) const { return values_[row * width_ + column]; }

private:
    size_t width_;
    std::vector<std::string> values_;
};

/// Thrown by Impl::run when a search exceeds SearchOptions::time_limit.
struct TooSlow {};

/// A search's time limit (SearchOptions::time_limit), shared by the Xapian
/// runs of one listing.
class Deadline {
public:
    /// @p seconds 0: no limit.
    explicit Deadline(double seconds);
    /// Seconds left (0 when there is no limit); throws TooSlow when none are.
    [[nodiscard]] double left() const;

private:
    double seconds_;
    std::chrono::steady_clock::time_point started_;
};

/// The messages matching @p q and (when @p threads) their distinct threads,
/// exact: every match checked. Local shards are counted in parallel, one
/// thread per shard up to one per core (each match is in one shard, and a
/// thread's id is the same in all), so a count of a large part of the
/// index takes the time of its largest shard; with a remote shard,
/// through the whole database. Throws Xapian errors.
[[nodiscard]] MatchCounts count_matches(IndexDatabase& index, const Xapian::Query& q, bool threads);

/// The error for a search over its time limit.
[[nodiscard]] Error too_slow(double seconds);

struct Searcher::Impl {
    explicit Impl(IndexDatabase i)
        : index(std::move(i)), db(index.db()), texts(index.paths(), PackReaders::Kind::text),
          raw_messages(index.paths(), PackReaders::Kind::raw), parsed(index.paths(), PackReaders::Kind::parsed)
    {
    }
    IndexDatabase index;
    Xapian::Database& db; ///< index.db()
    PackReaders texts;        ///< body texts, for snippets
    PackReaders raw_messages; ///< for mbox export
    PackReaders parsed;       ///< decoded messages, for reading
    std::optional<ReaderState> reader; ///< set_reader: tag: and is: allowed

    Result<Xapian::Query> parse(std::string_view text)
    {
        return guarded_read(index, "searching", [&]() -> Result<Xapian::Query> {
            return parse_query(db, text, static_cast<int64_t>(std::time(nullptr)), reader ? &*reader : nullptr);
        });
    }

    // Listing.cpp: which matches a search lists, in which order.
    void sort(Xapian::Enquire& e, SortOrder order);
    /// Matches @p first .. @p first + @p count of @p q in @p order, one per
    /// thread with @p collapse. Throws TooSlow past @p deadline.
    Xapian::MSet run(const Xapian::Query& q, SortOrder order, Xapian::doccount first, Xapian::doccount count,
                     const Deadline& deadline, bool collapse);
    /// Calls @p visit with every match of @p q in date @p order (newest or
    /// oldest; equal dates by relevance, then document) until it returns
    /// false: a window of months at a time (XMONTH terms; a month, then
    /// twice as many each run, each window at least opt.window_at_least
    /// messages), so a listing that wants the first 50 reads about a month
    /// of matches, not all of them.
    /// A query expected to match at most opt.sort_at_once_up_to messages
    /// is sorted in one run instead. Order: opt.sort.
    void walk_by_date(const Xapian::Query& q, const SearchOptions& opt, const Deadline& deadline,
                      const std::function<bool(const Xapian::MSetIterator&)>& visit);
    /// The messages a search lists: opt's order, offset and limit.
    std::vector<std::pair<Xapian::docid, Xapian::Document>> list_messages(const Xapian::Query& q,
                                                                          const SearchOptions& opt);
    /// The threads a search lists, each at its first match in opt's order
    /// (thread and date set; summarise fills in the rest).
    std::vector<ThreadHit> list_threads(const Xapian::Query& q, const SearchOptions& opt);

    /// The exact number of matching messages, or of threads holding one.
    /// Xapian's collapse estimate is a guess (it printed 200 threads where
    /// 107 matched); one representative per thread, every match checked,
    /// is exact. Unranked and unsorted, so it costs one pass over the
    /// matches.
    uint64_t exact_count(const Xapian::Query& q, bool threads);
    /// exact_count of @p q when it is every message or one whole list, as
    /// parse_query builds them, and the last import's counts are stored
    /// (stored_index_stats); nullopt otherwise. Throws Xapian errors.
    std::optional<uint64_t> stored_count(const Xapian::Query& q, bool threads);

    /// For each of @p hits, how many messages of its thread match @p q:
    /// one pass over the matches inside those threads only.
    void count_matched(const Xapian::Query& q, std::vector<ThreadHit>& hits);

    /// The key of the message with Message-ID @p mid and content hash
    /// @p hash: the Message-ID, or "ID#hash" when several messages share it
    /// (shared_id_key). One look-up of the Message-ID's term.
    std::string key_of(const std::string& mid, const std::string& hash);

    /// The summaries of documents @p docs (ascending, no repeats), nullopt
    /// for ghosts: up to ValueColumns::kLookUpTo from each one's data (one
    /// look-up), more along the value streams of their slots, without the
    /// hash (listings show none).
    std::vector<std::optional<DocSummary>> summaries(std::span<const Xapian::docid> docs);

    /// Message document @p doc as a hit, from its summary and values: no
    /// snippet, no stored copy.
    MessageHit hit(const Xapian::Document& doc);

    std::string snippet(Xapian::docid id, const Xapian::Document& doc, const std::vector<std::string>& stems);

    /// Fills in every thread of @p hits (thread and matched set) from its
    /// members' summaries: for all threads at once, so a listing of
    /// hundreds of members takes one pass over each value stream.
    void summarise(std::vector<ThreadHit>& hits);
};

} // namespace listdex
