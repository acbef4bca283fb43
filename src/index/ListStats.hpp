// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file ListStats.hpp
/// Every list's message and thread counts and date range: what `listdex
/// lists` and the web home page show. Counting threads means reading every
/// message's thread value (200 ms at a million messages), so an import
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

/// Every list of @p db, sorted by id: one pass over the list, date and
/// thread values of every message. Throws Xapian errors.
[[nodiscard]] std::vector<ListStat> compute_list_stats(Xapian::Database& db);

/// The stats stored by the last import, unless a change since cleared them
/// (or the value does not parse: then nullopt too, and they are computed).
[[nodiscard]] std::optional<std::vector<ListStat>> stored_list_stats(const Xapian::Database& db);

/// The metadata value stored_list_stats reads.
[[nodiscard]] std::string encode_list_stats(const std::vector<ListStat>& stats);

} // namespace listdex
