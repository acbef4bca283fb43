// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file ListStats.hpp
/// The index's message and thread counts, and every list's with its date
/// range and months: what `listdex lists`, `count '*'`, `count list:ID`
/// and the web home and list pages show. Counting threads means reading
/// every message's thread value (150-200 ms at a million messages), so an import
/// stores them when it ends (metadata kListStatsKey, shard 0) and every
/// other change to the documents clears them (IndexWriter::commit) in the
/// same commit: stored counts are those of the index they are stored in, or
/// absent. Shared by the writer (index layer) and Searcher (query layer).

#include <xapian.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace listdex {

struct ListStat {
    std::string id;        ///< list id, lower case
    uint64_t messages = 0;
    uint64_t threads = 0;  ///< threads with at least one message of the list
    int64_t oldest = 0;    ///< date of its oldest message
    int64_t newest = 0;
    /// Messages per month (schema::month_of), oldest first, months without
    /// messages left out.
    std::vector<std::pair<int, uint64_t>> months;
    bool operator==(const ListStat&) const = default;
};

struct IndexStats {
    uint64_t messages = 0; ///< message documents (ghosts are not messages)
    uint64_t threads = 0;  ///< threads with at least one message
    std::vector<ListStat> lists; ///< sorted by id
    bool operator==(const IndexStats&) const = default;
};

/// The stats of @p db: one pass over the date, list and thread values of
/// every message. Throws Xapian errors.
[[nodiscard]] IndexStats compute_index_stats(Xapian::Database& db);

/// The stats stored by the last import, unless a change since cleared them
/// (or the value does not parse, or is of an older format: then nullopt
/// too, and they are computed).
[[nodiscard]] std::optional<IndexStats> stored_index_stats(const Xapian::Database& db);

/// The metadata value stored_index_stats reads.
[[nodiscard]] std::string encode_index_stats(const IndexStats& stats);

} // namespace listdex
