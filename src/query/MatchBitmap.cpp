// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "MatchBitmap.hpp"

#include "QueryFilter.hpp"
#include "index/StoredDocument.hpp"
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
    if (size_ != kUncounted)
        ++size_;
    return true;
}

void IdBitmap::merge(const IdBitmap& other)
{
    size_ = kUncounted;
    if (other.bits_.size() > bits_.size())
        bits_.resize(other.bits_.size());
    for (size_t i = 0; i < other.bits_.size(); ++i)
        bits_[i] |= other.bits_[i];
}

void IdBitmap::intersect(const IdBitmap& other)
{
    size_ = kUncounted;
    for (size_t i = 0; i < bits_.size(); ++i)
        bits_[i] &= i < other.bits_.size() ? other.bits_[i] : 0;
}

void IdBitmap::subtract(const IdBitmap& other)
{
    size_ = kUncounted;
    for (size_t i = 0; i < std::min(bits_.size(), other.bits_.size()); ++i)
        bits_[i] &= ~other.bits_[i];
}

bool IdBitmap::empty() const
{
    return std::ranges::all_of(bits_, [](uint64_t w) { return w == 0; });
}

bool IdBitmap::contains(uint64_t id) const
{
    const size_t word = static_cast<size_t>(id / 64);
    return word < bits_.size() && (bits_[word] >> (id % 64) & 1);
}

uint64_t IdBitmap::size() const
{
    if (size_ == kUncounted) {
        size_ = 0;
        for (uint64_t word : bits_)
            size_ += static_cast<uint64_t>(std::popcount(word));
    }
    return size_;
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

/// At most how many documents of @p db match @p q (from_postings_alone).
Xapian::doccount at_most(const Xapian::Database& db, const Xapian::Query& q)
{
    const auto subs = children(q);
    switch (q.get_type()) {
    case Xapian::Query::LEAF_TERM:
        return db.get_termfreq(*q.get_terms_begin());
    case Xapian::Query::LEAF_MATCH_ALL:
        return db.get_doccount();
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_SYNONYM:
    case Xapian::Query::OP_MAX: {
        Xapian::doccount n = 0;
        for (const auto& s : subs)
            n = std::min(db.get_doccount(), n + at_most(db, s));
        return n;
    }
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_FILTER: {
        Xapian::doccount n = db.get_doccount();
        for (const auto& s : subs)
            n = std::min(n, at_most(db, s));
        return n;
    }
    case Xapian::Query::OP_AND_NOT:
    case Xapian::Query::OP_AND_MAYBE:
    case Xapian::Query::OP_SCALE_WEIGHT:
        return at_most(db, subs.front());
    default:
        return 0;
    }
}

/// Adds the documents of @p q (from_postings_alone) in @p db to @p out,
/// only those among @p within when it is given. A term with many more
/// documents than @p within is looked up at each of them (skip_to) rather
/// than read through: so `memory barrier` reads the lists of `memory` only
/// where `barrier` is, as Xapian's matcher would.
void add_documents(const Xapian::Database& db, const Xapian::Query& q, const IdBitmap* within, IdBitmap& out)
{
    // (within->size() is counted once per bitmap: x86-64's baseline has no
    // popcount instruction, and counting a million bits again for each term
    // was a sixth of a selective count's time.)
    // A skip_to costs several times a step of a list read straight through.
    constexpr uint64_t kStepsPerSkip = 8;
    const auto subs = children(q);
    auto only = [&](const Xapian::Query& sub, const IdBitmap* among) {
        IdBitmap docs(among ? 0 : db.get_lastdocid() + 1);
        add_documents(db, sub, among, docs);
        return docs;
    };
    switch (q.get_type()) {
    case Xapian::Query::LEAF_TERM:
    case Xapian::Query::LEAF_MATCH_ALL: { // MatchAll is the term "": every document
        // (Query::get_terms_begin leaves MatchAll's empty term out.)
        const std::string term = q.get_type() == Xapian::Query::LEAF_TERM ? *q.get_terms_begin() : std::string();
        auto p = db.postlist_begin(term);
        const auto end = db.postlist_end(term);
        if (within && within->size() * kStepsPerSkip < at_most(db, q)) {
            within->for_each([&](uint64_t d) {
                if (p == end)
                    return;
                p.skip_to(static_cast<Xapian::docid>(d));
                if (p != end && *p == d)
                    out.insert(d);
            });
            return;
        }
        for (; p != end; ++p)
            if (!within || within->contains(*p))
                out.insert(*p);
        return;
    }
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_SYNONYM:
    case Xapian::Query::OP_MAX:
        for (const auto& s : subs)
            add_documents(db, s, within, out);
        return;
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_FILTER: {
        // The rarest first; each next only among what is left.
        std::vector<std::pair<Xapian::doccount, size_t>> order;
        for (size_t i = 0; i < subs.size(); ++i)
            order.emplace_back(at_most(db, subs[i]), i);
        std::ranges::sort(order);
        IdBitmap left = only(subs[order.front().second], within);
        for (size_t i = 1; i < order.size() && !left.empty(); ++i)
            left = only(subs[order[i].second], &left);
        out.merge(left);
        return;
    }
    case Xapian::Query::OP_AND_NOT: {
        IdBitmap left = only(subs.front(), within);
        for (size_t i = 1; i < subs.size() && !left.empty(); ++i)
            left.subtract(only(subs[i], &left));
        out.merge(left);
        return;
    }
    case Xapian::Query::OP_AND_MAYBE: // the others only weigh
    case Xapian::Query::OP_SCALE_WEIGHT:
        add_documents(db, subs.front(), within, out);
        return;
    default: // LEAF_MATCH_NOTHING (from_postings_alone let nothing else in)
        return;
    }
}

} // namespace

std::optional<IdBitmap> matching_documents(const Xapian::Database& db, const Xapian::Query& q)
{
    if (!from_postings_alone(q))
        return std::nullopt;
    IdBitmap out(db.get_lastdocid() + 1);
    add_documents(db, q, nullptr, out);
    return out;
}

IdBitmap threads_of(const Xapian::Database& db, const IdBitmap& docs)
{
    IdBitmap out;
    ValueCursor thread(db, schema::Slot::thread);
    docs.for_each([&](uint64_t d) {
        if (const auto id = parse_thread_id(thread.at(static_cast<Xapian::docid>(d))))
            out.insert(*id);
    });
    return out;
}

} // namespace listdex
