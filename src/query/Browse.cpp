// Browsing an index rather than searching it: its lists, their messages
// per month, and a message's neighbours in date order (the web server's
// list pages and message navigation).
#include "SearcherImpl.hpp"

#include <ctime>

namespace listdex {

namespace {

/// The documents of @p list, or every message for "".
Xapian::Query scope_of(std::string_view list)
{
    if (list.empty())
        return Xapian::Query(std::string(schema::kKindMail));
    return Xapian::Query(schema::term(schema::prefix::list, list));
}

/// (date, key) order: a total order of messages by date.
bool earlier(int64_t date_a, const std::string& key_a, int64_t date_b, const std::string& key_b)
{
    return date_a != date_b ? date_a < date_b : key_a < key_b;
}

} // namespace

Result<std::vector<ListSummary>> Searcher::lists()
{
    return guarded_read(impl_->index, "reading lists", [&]() -> Result<std::vector<ListSummary>> {
        Xapian::Database& db = impl_->db;
        const std::string prefix(schema::prefix::list);
        std::vector<ListSummary> out;
        for (auto t = db.allterms_begin(prefix); t != db.allterms_end(prefix); ++t) {
            ListSummary l;
            l.id = (*t).substr(prefix.size());
            l.messages = t.get_termfreq(); // only message documents carry list terms
            Xapian::Enquire e(db);
            e.set_query(Xapian::Query(*t));
            e.set_weighting_scheme(Xapian::BoolWeight());
            e.set_sort_by_value(schema::Slot::date, true);
            if (Xapian::MSet newest = e.get_mset(0, 1); !newest.empty())
                l.newest = document_date(newest.begin().get_document());
            e.set_sort_by_value(schema::Slot::date, false);
            if (Xapian::MSet oldest = e.get_mset(0, 1); !oldest.empty())
                l.oldest = document_date(oldest.begin().get_document());
            // Exact when every match is checked: one per thread after collapsing.
            e.set_sort_by_relevance();
            e.set_collapse_key(schema::Slot::thread);
            l.threads = e.get_mset(0, 0, db.get_doccount()).get_matches_estimated();
            out.push_back(std::move(l));
        }
        return out;
    });
}

Result<std::vector<MonthCount>> Searcher::months(std::string_view list)
{
    return guarded_read(impl_->index, "reading lists", [&]() -> Result<std::vector<MonthCount>> {
        Xapian::Database& db = impl_->db;
        const std::string term =
            list.empty() ? std::string(schema::kKindMail) : schema::term(schema::prefix::list, list);
        std::map<int, uint64_t> by_month; // year * 12 + month - 1
        // One pass over the list's documents and the date value stream in
        // document order, as Impl::summarise does: no document is read.
        auto date = db.valuestream_begin(schema::Slot::date);
        const auto end = db.valuestream_end(schema::Slot::date);
        for (auto p = db.postlist_begin(term); p != db.postlist_end(term) && date != end; ++p) {
            date.skip_to(*p);
            if (date == end || date.get_docid() != *p)
                continue;
            const time_t t = static_cast<time_t>(Xapian::sortable_unserialise(*date));
            struct tm tm{};
            gmtime_r(&t, &tm);
            ++by_month[(tm.tm_year + 1900) * 12 + tm.tm_mon];
        }
        std::vector<MonthCount> out;
        for (const auto& [ym, n] : by_month)
            out.push_back({ym / 12, ym % 12 + 1, n});
        return out;
    });
}

Result<Neighbours> Searcher::neighbours(std::string_view list, const StoredMessage& m)
{
    return guarded_read(impl_->index, "reading index", [&]() -> Result<Neighbours> {
        Neighbours out;
        const std::string at = Xapian::sortable_serialise(static_cast<double>(m.date));
        for (const bool before : {true, false}) {
            Xapian::Enquire e(impl_->db);
            e.set_query(Xapian::Query(
                Xapian::Query::OP_FILTER, scope_of(list),
                before ? Xapian::Query(Xapian::Query::OP_VALUE_LE, schema::Slot::date, at)
                       : Xapian::Query(Xapian::Query::OP_VALUE_GE, schema::Slot::date, at)));
            e.set_weighting_scheme(Xapian::BoolWeight());
            e.set_sort_by_value(schema::Slot::date, before);
            // Messages of the same second are ordered by key: read every
            // one of m's second and of the next second that has any.
            for (Xapian::doccount want = 16;; want *= 4) {
                Xapian::MSet mset = e.get_mset(0, want);
                std::optional<MessageHit> best;
                int64_t seconds_seen = 0; // distinct dates other than m's
                int64_t last_date = m.date;
                bool complete = false;
                for (auto it = mset.begin(); it != mset.end(); ++it) {
                    Xapian::Document doc = it.get_document();
                    MessageHit h = impl_->hit(doc);
                    if (h.date != last_date) {
                        last_date = h.date;
                        if (++seconds_seen == 2 || (seconds_seen == 1 && best)) {
                            complete = true;
                            break;
                        }
                    }
                    const bool candidate =
                        before ? earlier(h.date, h.id, m.date, m.key) : earlier(m.date, m.key, h.date, h.id);
                    if (!candidate)
                        continue;
                    if (!best || (before ? earlier(best->date, best->id, h.date, h.id)
                                         : earlier(h.date, h.id, best->date, best->id)))
                        best = std::move(h);
                }
                if (complete || mset.size() < want) {
                    (before ? out.before : out.after) = std::move(best);
                    break;
                }
            }
        }
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
