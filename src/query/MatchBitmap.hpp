// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file MatchBitmap.hpp
/// Sets of small ids as bitmaps, and exact counts read from posting lists
/// into them. Private to the query layer.
///
/// Why: an exact count asks Xapian's matcher for every match. For a word in
/// nearly every message that is an OR of one posting list per default field
/// (body, quoted text, subject, ...) merged a document at a time, and, for
/// threads, a match spy reading each match's thread value: 70 ms a shard
/// of 500,000 messages for `the`. Read into a bitmap instead, each list is
/// decoded straight through and the OR is a bitwise one, and the thread
/// values of the matches are read in one forward walk: 35 ms.

#include <xapian.h>

#include <bit>
#include <cstdint>
#include <optional>
#include <vector>

namespace listdex {

/// A set of small numbers (document ids of one database, thread ids, which
/// are a counter: format_thread_id): a bit each, up to the largest. (A set
/// of thread value strings, Xapian's ValueCountMatchSpy, took 0.9 s for the
/// threads of 300,000 messages.)
class IdBitmap {
public:
    IdBitmap() = default;
    /// An empty set whose ids will be below @p bound (it grows past it too).
    explicit IdBitmap(uint64_t bound) : bits_(bound / 64 + 1) {}
    /// Adds @p id; false when it was already there.
    bool insert(uint64_t id);
    /// Whether it holds @p id.
    [[nodiscard]] bool contains(uint64_t id) const;
    /// Adds every id of @p other.
    void merge(const IdBitmap& other);
    /// Keeps only the ids @p other holds too.
    void intersect(const IdBitmap& other);
    /// Drops the ids @p other holds.
    void subtract(const IdBitmap& other);
    /// How many ids it holds (counted once, until it changes).
    [[nodiscard]] uint64_t size() const;
    /// Whether it holds none.
    [[nodiscard]] bool empty() const;
    /// Calls @p f with every id, smallest first.
    template <class F> void for_each(F&& f) const
    {
        for (size_t word = 0; word < bits_.size(); ++word)
            for (uint64_t w = bits_[word]; w; w &= w - 1)
                f(word * 64 + static_cast<uint64_t>(std::countr_zero(w)));
    }

private:
    static constexpr uint64_t kUncounted = ~uint64_t{0};
    std::vector<uint64_t> bits_;
    mutable uint64_t size_ = 0; ///< or kUncounted
};

/// The documents of @p db matching @p q, read from posting lists alone, when
/// @p q is made of terms, MatchAll and MatchNothing under OR, SYNONYM, MAX,
/// AND, FILTER, AND_NOT, AND_MAYBE and SCALE_WEIGHT (what a word, a common
/// phrase's grams, a boolean field and their combinations parse to);
/// nullopt for any other query (word positions, value ranges, wildcards),
/// which only Xapian's matcher answers. Document ids are @p db's. The
/// documents the operators select: those of an Enquire of @p q, but for one
/// shape Xapian 1.4.22 gets wrong (docs/architecture.md, "Searching").
/// Throws Xapian errors.
[[nodiscard]] std::optional<IdBitmap> matching_documents(const Xapian::Database& db, const Xapian::Query& q);

/// The distinct threads (the thread value, schema::Slot::thread) of the
/// documents @p docs of @p db, read in one forward walk of the values.
/// Documents without a thread id (none should be) are not counted.
[[nodiscard]] IdBitmap threads_of(const Xapian::Database& db, const IdBitmap& docs);

} // namespace listdex
