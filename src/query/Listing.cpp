// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
// Which messages and threads a search lists, in which order, and how that
// stays cheap on a big index.
//
// Sorted by date, Xapian reads the date of every match before it can return
// the first (1M messages: 420-540 ms for 50 threads), and collapsing to one
// message per thread with a large result set is super-linear in Xapian 1.4
// (every thread of a 1M index did not finish in 14 minutes). So a
// date-sorted listing walks the index by months (the XMONTH terms), newest
// or oldest first, lets Xapian sort a window of months at a time, and stops
// as soon as it has what it was asked for; one message per thread is its
// first message in that order. The order is exactly Xapian's
// sort_by_value_then_relevance over the whole index: a window holds every
// message of its dates, and weights do not depend on the month filter.
#include "SearcherImpl.hpp"

#include "QueryFilter.hpp"
#include "listdex/thread/Threader.hpp"

#include <functional>
#include <limits>

namespace listdex {

namespace {

/// Relevance listings of up to this many threads collapse in Xapian (fast
/// for a small result set); longer ones take every match and keep each
/// thread's first.
constexpr uint64_t kMaxCollapsed = 10'000;

/// Calls @p visit with each match of @p mset in order; false when it
/// asked to stop.
bool visit_all(const Xapian::MSet& mset, const std::function<bool(const Xapian::MSetIterator&)>& visit)
{
    for (auto it = mset.begin(); it != mset.end(); ++it)
        if (!visit(it))
            return false;
    return true;
}

} // namespace

Deadline::Deadline(double seconds) : seconds_(seconds), started_(std::chrono::steady_clock::now()) {}

double Deadline::left() const
{
    if (seconds_ <= 0)
        return 0;
    const double spent = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    if (spent > seconds_)
        throw TooSlow{};
    return seconds_ - spent;
}

void Searcher::Impl::sort(Xapian::Enquire& e, SortOrder order)
{
    switch (order) {
    case SortOrder::newest: e.set_sort_by_value_then_relevance(schema::Slot::date, true); break;
    case SortOrder::oldest: e.set_sort_by_value_then_relevance(schema::Slot::date, false); break;
    case SortOrder::relevance: e.set_sort_by_relevance_then_value(schema::Slot::date, true); break;
    }
}

Xapian::MSet Searcher::Impl::run(const Xapian::Query& q, SortOrder order, Xapian::doccount first,
                                 Xapian::doccount count, const Deadline& deadline, bool collapse)
{
    Xapian::Enquire e(db);
    e.set_query(q);
    sort(e, order);
    if (collapse)
        e.set_collapse_key(schema::Slot::thread);
    if (const double left = deadline.left(); left > 0)
        e.set_time_limit(left);
    Xapian::MSet mset = e.get_mset(first, count);
    (void)deadline.left(); // Xapian stops at its time limit without saying so
    return mset;
}

void Searcher::Impl::walk_by_date(const Xapian::Query& q, const SearchOptions& opt, const Deadline& deadline,
                                  const std::function<bool(const Xapian::MSetIterator&)>& visit)
{
    const SortOrder order = opt.sort;
    // A query that can match only few messages (a rare word, a phrase of
    // rare words) is sorted in one run, as Xapian alone would: walking it
    // by months would evaluate it a dozen times. Xapian's upper bound, not
    // its estimate: a phrase of common words is estimated far too low
    // (s:"PATCH v2" at a million messages: 58,474 matches, estimated under
    // 20,000; sorted at once 75 ms, walked 17 ms).
    Xapian::Enquire e(db);
    e.set_query(q);
    e.set_weighting_scheme(Xapian::BoolWeight());
    // The bound, not the index size, as the count: Xapian reserves room for
    // as many results as it is asked for (93 MB at 1M).
    if (const Xapian::doccount bound = e.get_mset(0, 0).get_matches_upper_bound(); bound <= opt.sort_at_once_up_to) {
        visit_all(run(q, order, 0, bound, deadline, false), visit);
        return;
    }
    // Otherwise a window of months per Xapian run: first one month, then
    // twice as many months each run, up to kWindowMessages messages, so that
    // a broad query is done within its first month or two and no run sorts
    // far more than a listing needs. A window also takes months until it
    // holds opt.window_at_least messages: each run opens every term's
    // postings in every database again (1.3-2 ms at a million messages, as
    // long as sorting 2,000 matches takes), not worth it for a few hundred.
    std::vector<MonthTerm> months = month_terms(db);
    if (order == SortOrder::newest)
        std::reverse(months.begin(), months.end());
    constexpr Xapian::doccount kWindowMessages = 100'000;
    size_t width = 1;
    for (size_t first = 0; first < months.size(); width *= 2) {
        std::vector<Xapian::Query> window;
        Xapian::doccount messages = 0;
        auto wider = [&] {
            return window.empty() ||
                   (messages < kWindowMessages && (window.size() < width || messages < opt.window_at_least));
        };
        for (; first < months.size() && wider(); ++first) {
            window.emplace_back(months[first].term);
            messages += months[first].messages;
        }
        const Xapian::Query in_window =
            window.size() == 1 ? window.front() : Xapian::Query(Xapian::Query::OP_OR, window.begin(), window.end());
        if (!visit_all(run(filtered(q, in_window), order, 0, messages, deadline, false), visit))
            return;
    }
}

std::vector<std::pair<Xapian::docid, Xapian::Document>> Searcher::Impl::list_messages(const Xapian::Query& q,
                                                                                      const SearchOptions& opt)
{
    std::vector<std::pair<Xapian::docid, Xapian::Document>> out;
    const Deadline deadline(opt.time_limit);
    const uint64_t limit = opt.limit ? opt.limit : std::numeric_limits<uint64_t>::max();
    if (opt.sort == SortOrder::relevance) {
        const Xapian::MSet mset =
            run(q, opt.sort, static_cast<Xapian::doccount>(opt.offset),
                static_cast<Xapian::doccount>(std::min<uint64_t>(limit, db.get_doccount())), deadline, false);
        for (auto it = mset.begin(); it != mset.end(); ++it)
            out.emplace_back(*it, it.get_document());
        return out;
    }
    uint64_t skipped = 0;
    walk_by_date(q, opt, deadline, [&](const Xapian::MSetIterator& it) {
        if (skipped < opt.offset) {
            ++skipped;
            return true;
        }
        out.emplace_back(*it, it.get_document());
        return out.size() < limit;
    });
    return out;
}

std::vector<ThreadHit> Searcher::Impl::list_threads(const Xapian::Query& q, const SearchOptions& opt)
{
    std::vector<ThreadHit> out;
    const Deadline deadline(opt.time_limit);
    auto add = [&](const Xapian::Document& doc) {
        ThreadHit h;
        h.thread = doc.get_value(schema::Slot::thread);
        h.date = document_date(doc); // the matching message the list is ordered by
        out.push_back(std::move(h));
    };
    if (opt.sort == SortOrder::relevance && opt.limit && opt.offset + opt.limit <= kMaxCollapsed) {
        const Xapian::MSet mset = run(q, opt.sort, static_cast<Xapian::doccount>(opt.offset),
                                      static_cast<Xapian::doccount>(opt.limit), deadline, true);
        for (auto it = mset.begin(); it != mset.end(); ++it)
            add(it.get_document());
        return out;
    }
    // Each thread at its first message in the listing's order.
    const uint64_t limit = opt.limit ? opt.limit : std::numeric_limits<uint64_t>::max();
    IdBitmap seen; // of thread ids
    uint64_t skipped = 0;
    auto visit = [&](const Xapian::MSetIterator& it) {
        const Xapian::Document doc = it.get_document();
        const auto id = parse_thread_id(doc.get_value(schema::Slot::thread));
        if (!id || !seen.insert(*id))
            return true;
        if (skipped < opt.offset) {
            ++skipped;
            return true;
        }
        add(doc);
        return out.size() < limit;
    };
    if (opt.sort == SortOrder::relevance)
        visit_all(run(q, opt.sort, 0, db.get_doccount(), deadline, false), visit);
    else
        walk_by_date(q, opt, deadline, visit);
    return out;
}

} // namespace listdex
