// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
// Browsing an index rather than searching it: its lists, their messages
// per month, and a message's neighbours in date order (the web server's
// list pages and message navigation).
#include "SearcherImpl.hpp"

#include <ctime>

namespace listdex {

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

Result<std::vector<ListSummary>> Searcher::lists()
{
    auto ids = list_ids();
    if (!ids)
        return std::unexpected(ids.error());
    std::vector<ListSummary> out;
    for (auto& id : *ids) {
        auto order = date_order(id);
        if (!order)
            return std::unexpected(order.error());
        const DateOrder& o = **order;
        out.push_back({std::move(id), o.messages(), o.threads(), o.oldest(), o.newest()});
    }
    return out;
}

std::vector<MonthCount> DateOrder::months() const
{
    std::vector<MonthCount> out;
    for (const auto& [date, doc] : entries_) {
        const time_t t = static_cast<time_t>(date);
        struct tm tm{};
        gmtime_r(&t, &tm);
        const int year = tm.tm_year + 1900, month = tm.tm_mon + 1;
        if (out.empty() || out.back().year != year || out.back().month != month)
            out.push_back({year, month, 0});
        ++out.back().messages;
    }
    return out;
}

Result<std::shared_ptr<const DateOrder>> Searcher::date_order(std::string_view list)
{
    return guarded_read(impl_->index, "reading lists", [&]() -> Result<std::shared_ptr<const DateOrder>> {
        Xapian::Database& db = impl_->db;
        const std::string term =
            list.empty() ? std::string(schema::kKindMail) : schema::term(schema::prefix::list, list);
        auto order = std::make_shared<DateOrder>();
        // The list's documents and the date and thread value streams, all
        // in document order, as Impl::summarise reads them.
        auto date = db.valuestream_begin(schema::Slot::date);
        auto thread = db.valuestream_begin(schema::Slot::thread);
        const auto end = db.valuestream_end(schema::Slot::date);
        std::unordered_set<std::string> threads;
        for (auto p = db.postlist_begin(term); p != db.postlist_end(term) && date != end; ++p) {
            date.skip_to(*p);
            if (date == end || date.get_docid() != *p)
                continue; // a ghost: no date
            order->entries_.emplace_back(static_cast<int64_t>(Xapian::sortable_unserialise(*date)), *p);
            if (thread != end)
                thread.skip_to(*p);
            if (thread != end && thread.get_docid() == *p)
                threads.insert(*thread);
        }
        std::sort(order->entries_.begin(), order->entries_.end());
        order->threads_ = threads.size();
        return std::shared_ptr<const DateOrder>(std::move(order));
    });
}

Result<Neighbours> Searcher::neighbours(const DateOrder& order, const StoredMessage& m)
{
    return guarded_read(impl_->index, "reading index", [&]() -> Result<Neighbours> {
        Neighbours out;
        const auto& entries = order.entries_;
        // m among the messages of its second.
        auto it = std::lower_bound(entries.begin(), entries.end(), std::pair<int64_t, uint32_t>(m.date, 0));
        for (; it != entries.end() && it->first == m.date; ++it) {
            try {
                const Xapian::Document doc = impl_->db.get_document(it->second);
                if (doc.get_value(schema::Slot::message_id) == m.message_id && document_hash(doc) == m.hash)
                    break;
            } catch (const Xapian::DocNotFoundError&) {
            }
        }
        if (it == entries.end() || it->first != m.date)
            return out;
        // The nearest message either way that is still there.
        auto read = [&](auto from, auto to) -> std::optional<MessageHit> {
            for (auto at = from; at != to; ++at) {
                try {
                    return impl_->hit(impl_->db.get_document(at->second));
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
        Xapian::Database& db = impl_->db;
        // Every import adds documents (last id), a removal drops one
        // (count), a cross-post adds a list term to a stored message.
        std::string r = std::to_string(db.get_doccount()) + ":" + std::to_string(db.get_lastdocid());
        const std::string prefix(schema::prefix::list);
        for (auto t = db.allterms_begin(prefix); t != db.allterms_end(prefix); ++t)
            r += " " + *t + "=" + std::to_string(t.get_termfreq());
        return r;
    });
}

} // namespace listdex
