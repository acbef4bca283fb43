// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
// Browsing an index rather than searching it: its lists, their messages
// per month, and a message's neighbours in date order (the web server's
// list pages and message navigation).
#include "SearcherImpl.hpp"

#include "QueryFilter.hpp"
#include "index/ListStats.hpp"
#include "listdex/base/Text.hpp"

namespace listdex {

namespace {

/// schema::month_of's YYYYMM as a MonthCount.
MonthCount month_count(int yyyymm, uint64_t messages)
{
    return {yyyymm / 100, yyyymm % 100, messages};
}

} // namespace

Result<std::vector<std::string>> Searcher::list_ids()
{
    return guarded_read(impl_->index, "reading lists", [&]() -> Result<std::vector<std::string>> {
        const std::string prefix(schema::prefix::list);
        std::vector<std::string> out;
        for (auto t = impl_->db.allterms_begin(prefix); t != impl_->db.allterms_end(prefix); ++t)
            out.push_back((*t).substr(prefix.size()));
        return out;
    });
}

Result<bool> Searcher::names_a_list(std::string_view name)
{
    return guarded_read(impl_->index, "reading lists", [&]() -> Result<bool> {
        const std::string term = schema::term(schema::prefix::list, ascii_lower(name));
        if (impl_->db.term_exists(term))
            return true;
        // Only the first term at the prefix is read, not the walk past it.
        const std::string labels = term + ".";
        return impl_->db.allterms_begin(labels) != impl_->db.allterms_end(labels);
    });
}

Result<std::vector<ListSummary>> Searcher::lists()
{
    return guarded_read(impl_->index, "reading lists", [&]() -> Result<std::vector<ListSummary>> {
        // As the last import stored them, unless a change since cleared them.
        auto stats = stored_index_stats(impl_->db);
        if (!stats)
            stats = compute_index_stats(impl_->db);
        std::vector<ListSummary> out;
        for (auto& s : stats->lists) {
            std::vector<MonthCount> months;
            for (const auto& [month, messages] : s.months)
                months.push_back(month_count(month, messages));
            const auto shard = impl_->index.list_shard(s.id);
            out.push_back({std::move(s.id), s.messages, s.threads, s.oldest, s.newest, std::move(months), shard});
        }
        return out;
    });
}

Result<bool> Searcher::lists_stored()
{
    return guarded_read(impl_->index, "reading lists",
                        [&]() -> Result<bool> { return stored_index_stats(impl_->db).has_value(); });
}

Result<std::vector<MonthCount>> Searcher::months()
{
    return guarded_read(impl_->index, "reading index", [&]() -> Result<std::vector<MonthCount>> {
        std::vector<MonthCount> out;
        for (const MonthTerm& m : month_terms(impl_->db))
            out.push_back(month_count(std::stoi(m.term.substr(schema::prefix::month.size())), m.messages));
        return out;
    });
}

Result<std::shared_ptr<const DateOrder>> Searcher::date_order(std::string_view list, const DateOrder* previous)
{
    return guarded_read(impl_->index, "reading lists", [&]() -> Result<std::shared_ptr<const DateOrder>> {
        const std::string term =
            list.empty() ? std::string(schema::kKindMail) : schema::term(schema::prefix::list, list);
        auto order = std::make_shared<DateOrder>();
        order->list_ = list;
        if (auto ends = impl_->index.shard_ends())
            order->ends_ = std::move(*ends);
        // Appends (date, document) of the documents of one database from
        // document `first` on to `out`, in document order: its posting list
        // and date value stream side by side, as Impl::summarise reads them.
        auto read = [&](const Xapian::Database& db, Xapian::docid first, auto&& whole_docid,
                        std::vector<std::pair<int64_t, uint32_t>>& out) {
            auto date = db.valuestream_begin(schema::Slot::date);
            const auto end = db.valuestream_end(schema::Slot::date);
            auto p = db.postlist_begin(term);
            if (first > 1)
                p.skip_to(first);
            for (; p != db.postlist_end(term) && date != end; ++p) {
                date.skip_to(*p);
                if (date == end || date.get_docid() != *p)
                    continue; // a ghost: no date
                out.emplace_back(static_cast<int64_t>(Xapian::sortable_unserialise(*date)), whole_docid(*p));
            }
        };
        const bool extends = previous && list.empty() && previous->list_.empty() && !order->ends_.empty() &&
                             previous->ends_.size() == order->ends_.size() &&
                             std::ranges::equal(previous->ends_, order->ends_, [](const auto& was, const auto& is) {
                                 return was.first == is.first && was.second <= is.second;
                             });
        if (!extends) {
            read(impl_->db, 1, [](Xapian::docid d) { return d; }, order->entries_);
            std::sort(order->entries_.begin(), order->entries_.end());
            return std::shared_ptr<const DateOrder>(std::move(order));
        }
        std::vector<std::pair<int64_t, uint32_t>> added;
        for (unsigned n = 0; n < order->ends_.size(); ++n)
            read(impl_->index.shard(n), previous->ends_[n].second + 1,
                 [&](Xapian::docid d) { return impl_->index.whole_docid(n, d); }, added);
        std::sort(added.begin(), added.end());
        order->entries_.reserve(previous->entries_.size() + added.size());
        std::merge(previous->entries_.begin(), previous->entries_.end(), added.begin(), added.end(),
                   std::back_inserter(order->entries_));
        return std::shared_ptr<const DateOrder>(std::move(order));
    });
}

Result<Neighbours> Searcher::neighbours(const DateOrder& order, const StoredMessage& m)
{
    return guarded_read(impl_->index, "reading index", [&]() -> Result<Neighbours> {
        Neighbours out;
        const auto& entries = order.entries_;
        auto is_m = [&](uint32_t document) {
            try {
                const DocSummary s = document_summary(impl_->db.get_document(document, Xapian::DOC_ASSUME_VALID));
                return s.message_id == m.message_id && s.hash == m.hash;
            } catch (const Xapian::DocNotFoundError&) {
                return false;
            }
        };
        // m by its document number: a busy second's other messages are not
        // read (each is a document lookup: 35 messages of one second made
        // this 40% of a message page at 1M). Else, as when the order is
        // from before a compaction renumbered, among the messages of its
        // second.
        using Entry = std::pair<int64_t, uint32_t>;
        auto it = std::lower_bound(entries.begin(), entries.end(), Entry(m.date, m.document));
        if (m.document == 0 || it == entries.end() || *it != Entry(m.date, m.document) || !is_m(it->second))
            for (it = std::lower_bound(entries.begin(), entries.end(), Entry(m.date, 0));
                 it != entries.end() && it->first == m.date && !is_m(it->second); ++it) {
            }
        if (it == entries.end() || it->first != m.date)
            return out;
        // The nearest message either way that is still there, read only as
        // far as its link shows it: its summary (a whole MessageHit, which
        // reads values, was a fifth of a message page); the date is the
        // order's. Not checked to exist first, which is a look-up too: a
        // message removed since the order was read has no Message-ID.
        auto read = [&](auto from, auto to) -> std::optional<MessageLink> {
            for (auto at = from; at != to; ++at) {
                try {
                    DocSummary s = document_summary(impl_->db.get_document(at->second, Xapian::DOC_ASSUME_VALID));
                    if (!s.message_id.empty())
                        return MessageLink{impl_->key_of(s.message_id, s.hash), at->first, std::move(s.subject)};
                } catch (const Xapian::DocNotFoundError&) {
                }
            }
            return std::nullopt;
        };
        const auto rit = std::make_reverse_iterator(it);
        out.before = read(rit, entries.rend());
        out.after = read(it + 1, entries.end());
        return out;
    });
}

Result<std::string> Searcher::revision()
{
    return guarded_read(impl_->index, "reading index", [&]() -> Result<std::string> {
        // Every commit raises its shards' revisions. Walking the list terms
        // instead read every list's posting chunks: 87% of a web request's
        // time at 1M messages. Remote shards tell no revision, so there the
        // walk stays: an import adds documents (last id), a removal drops
        // one (count), a cross-post adds a list term to a stored message.
        if (auto revisions = impl_->index.shard_revisions())
            return *revisions;
        Xapian::Database& db = impl_->db;
        std::string r = std::to_string(db.get_doccount()) + ":" + std::to_string(db.get_lastdocid());
        const std::string prefix(schema::prefix::list);
        for (auto t = db.allterms_begin(prefix); t != db.allterms_end(prefix); ++t)
            r += " " + *t + "=" + std::to_string(t.get_termfreq());
        return r;
    });
}

} // namespace listdex
