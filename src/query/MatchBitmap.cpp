// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "MatchBitmap.hpp"

#include "QueryFilter.hpp"
#include "listdex/index/Schema.hpp"
#include "listdex/thread/Threader.hpp"

#include <algorithm>
#include <bit>

namespace listdex {

bool IdBitmap::insert(uint64_t id)
{
    const size_t word = static_cast<size_t>(id / 64);
    if (word >= bits_.size())
        bits_.resize(std::max(word + 1, bits_.size() * 2));
    const uint64_t bit = uint64_t{1} << (id % 64);
    if (bits_[word] & bit)
        return false;
    bits_[word] |= bit;
    return true;
}

void IdBitmap::merge(const IdBitmap& other)
{
    if (other.bits_.size() > bits_.size())
        bits_.resize(other.bits_.size());
    for (size_t i = 0; i < other.bits_.size(); ++i)
        bits_[i] |= other.bits_[i];
}

void IdBitmap::intersect(const IdBitmap& other)
{
    for (size_t i = 0; i < bits_.size(); ++i)
        bits_[i] &= i < other.bits_.size() ? other.bits_[i] : 0;
}

void IdBitmap::subtract(const IdBitmap& other)
{
    for (size_t i = 0; i < std::min(bits_.size(), other.bits_.size()); ++i)
        bits_[i] &= ~other.bits_[i];
}

uint64_t IdBitmap::size() const
{
    uint64_t n = 0;
    for (uint64_t word : bits_)
        n += static_cast<uint64_t>(std::popcount(word));
    return n;
}

namespace {

/// Whether matching_documents answers @p q (see there).
bool from_postings_alone(const Xapian::Query& q)
{
    switch (q.get_type()) {
    case Xapian::Query::LEAF_TERM:
    case Xapian::Query::LEAF_MATCH_ALL:
    case Xapian::Query::LEAF_MATCH_NOTHING:
        return true;
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_SYNONYM:
    case Xapian::Query::OP_MAX:
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_FILTER:
    case Xapian::Query::OP_AND_NOT:
    case Xapian::Query::OP_AND_MAYBE:
    case Xapian::Query::OP_SCALE_WEIGHT:
        return std::ranges::all_of(children(q), from_postings_alone);
    default:
        return false;
    }
}

/// The documents of @p q (from_postings_alone) in @p db.
IdBitmap documents(const Xapian::Database& db, const Xapian::Query& q)
{
    const Xapian::docid bound = db.get_lastdocid() + 1;
    const auto subs = children(q);
    switch (q.get_type()) {
    case Xapian::Query::LEAF_TERM:
    case Xapian::Query::LEAF_MATCH_ALL: { // MatchAll is the term "": every document
        IdBitmap out(bound);
        // (Query::get_terms_begin leaves MatchAll's empty term out.)
        const std::string term = q.get_type() == Xapian::Query::LEAF_TERM ? *q.get_terms_begin() : std::string();
        for (auto p = db.postlist_begin(term); p != db.postlist_end(term); ++p)
            out.insert(*p);
        return out;
    }
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_SYNONYM:
    case Xapian::Query::OP_MAX: {
        IdBitmap out(bound);
        for (const auto& s : subs)
            out.merge(documents(db, s));
        return out;
    }
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_FILTER: {
        IdBitmap out = documents(db, subs.front());
        for (size_t i = 1; i < subs.size() && out.size() > 0; ++i)
            out.intersect(documents(db, subs[i]));
        return out;
    }
    case Xapian::Query::OP_AND_NOT: {
        IdBitmap out = documents(db, subs.front());
        for (size_t i = 1; i < subs.size(); ++i)
            out.subtract(documents(db, subs[i]));
        return out;
    }
    case Xapian::Query::OP_AND_MAYBE: // the others only weigh
    case Xapian::Query::OP_SCALE_WEIGHT:
        return documents(db, subs.front());
    default: // LEAF_MATCH_NOTHING (from_postings_alone let nothing else in)
        return IdBitmap(bound);
    }
}

} // namespace

std::optional<IdBitmap> matching_documents(const Xapian::Database& db, const Xapian::Query& q)
{
    if (!from_postings_alone(q))
        return std::nullopt;
    return documents(db, q);
}

IdBitmap threads_of(const Xapian::Database& db, const IdBitmap& docs)
{
    IdBitmap out;
    auto v = db.valuestream_begin(schema::Slot::thread);
    const auto end = db.valuestream_end(schema::Slot::thread);
    docs.for_each([&](uint64_t d) {
        if (v != end && v.get_docid() < d)
            v.skip_to(static_cast<Xapian::docid>(d));
        if (v != end && v.get_docid() == d)
            if (const auto id = parse_thread_id(*v))
                out.insert(*id);
    });
    return out;
}

} // namespace listdex
