// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file SearcherImpl.hpp
/// Searcher's state and the Xapian work shared by its source files
/// (Searcher.cpp: search, count, threads; Browse.cpp: lists, months,
/// neighbours; Export.cpp: mbox and id export). Private to the query layer.

#include "QueryParser.hpp"
#include "index/DocData.hpp"
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
#include <map>
#include <span>
#include <unordered_set>

namespace listdex {

/// Values of many documents, read slot by slot along Xapian's value
/// streams in document order. Document::get_value looks every value up on
/// its own (a B-tree descent each, the slots of one document in different
/// chunks); a stream reads each chunk once: Searcher::thread of a
/// 143-message thread went from 5.2 to 1.2 ms.
class ValueColumns {
public:
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

/// The error for a search over its time limit.
[[nodiscard]] Error too_slow(double seconds);

struct Searcher::Impl {
    explicit Impl(IndexDatabase i)
        : index(std::move(i)), db(index.db()), texts(index.paths(), PackReaders::Kind::text),
          raw_messages(index.paths(), PackReaders::Kind::raw)
    {
    }
    IndexDatabase index;
    Xapian::Database& db; ///< index.db()
    PackReaders texts;        ///< body texts, for snippets
    PackReaders raw_messages; ///< for mbox export
    std::optional<ReaderState> reader; ///< set_reader: tag: and is: allowed

    Result<Xapian::Query> parse(std::string_view text)
    {
        return guarded_read(index, "searching", [&]() -> Result<Xapian::Query> {
            return parse_query(db, text, static_cast<int64_t>(std::time(nullptr)), reader ? &*reader : nullptr);
        });
    }

    void sort(Xapian::Enquire& e, SortOrder order);

    Xapian::MSet run(const Xapian::Query& q, const SearchOptions& opt, bool collapse);

    /// The exact number of matching messages, or of threads holding one.
    /// Xapian's collapse estimate is a guess (it printed 200 threads where
    /// 107 matched); one representative per thread, every match checked,
    /// is exact. Unranked and unsorted, so it costs one pass over the
    /// matches.
    uint64_t exact_count(const Xapian::Query& q, bool threads);

    /// For each of @p hits, how many messages of its thread match @p q:
    /// one pass over the matches inside those threads only.
    void count_matched(const Xapian::Query& q, std::vector<ThreadHit>& hits);

    std::string key_of(const Xapian::Document& doc, const std::string& mid);

    /// Message document @p doc as a hit, from its values: no
    /// snippet, no stored copy.
    MessageHit hit(const Xapian::Document& doc);

    std::string snippet(Xapian::docid id, const Xapian::Document& doc, const std::vector<std::string>& stems);

    /// Fills in every thread of @p hits (thread and matched set) from its
    /// members' values. One pass over the value streams in document order
    /// for all threads at once: far cheaper than reading each member's
    /// document (a thread listing touches hundreds of them).
    void summarise(std::vector<ThreadHit>& hits);
};

} // namespace listdex
