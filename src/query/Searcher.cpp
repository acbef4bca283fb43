// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "SearcherImpl.hpp"

#include "listdex/thread/Threader.hpp"

#include <atomic>
#include <exception>
#include <thread>

namespace listdex {

namespace {

std::string author_name(const std::string& from)
{
    const size_t lt = from.rfind(" <");
    return lt == std::string::npos ? from : from.substr(0, lt);
}

/// The distinct threads of the documents it sees.
class DistinctThreads : public Xapian::MatchSpy {
public:
    void operator()(const Xapian::Document& doc, double) override
    {
        if (const auto id = parse_thread_id(doc.get_value(schema::Slot::thread))) // no id: not a message
            seen_.insert(*id);
    }
    [[nodiscard]] IdBitmap& seen() { return seen_; }

private:
    IdBitmap seen_;
};

/// An Enquire over @p db that checks every match of @p q and weighs none.
Xapian::Enquire counting(const Xapian::Database& db, const Xapian::Query& q)
{
    Xapian::Enquire e(db);
    e.set_query(q);
    e.set_weighting_scheme(Xapian::BoolWeight());
    e.set_docid_order(Xapian::Enquire::DONT_CARE);
    return e;
}

/// A count of some databases of the index.
struct PartCount {
    Xapian::doccount messages = 0;
    IdBitmap threads;
    std::exception_ptr error; ///< of databases counted in another thread
};

/// Adds the matches of @p q in @p db to @p out: every match checked, so the
/// count is exact. Throws Xapian errors.
void count_in(const Xapian::Database& db, const Xapian::Query& q, bool threads, PartCount& out)
{
    if (auto docs = matching_documents(db, q)) {
        out.messages += static_cast<Xapian::doccount>(docs->size());
        if (threads)
            out.threads.merge(threads_of(db, *docs));
        return;
    }
    Xapian::Enquire e = counting(db, q);
    DistinctThreads spy;
    if (threads)
        e.add_matchspy(&spy);
    out.messages += e.get_mset(0, 0, db.get_doccount()).get_matches_estimated();
    out.threads.merge(spy.seen());
}

} // namespace

MatchCounts count_matches(IndexDatabase& index, const Xapian::Query& q, bool threads)
{
    MatchCounts c;
    if (index.has_remote_shards()) {
        // xapian-tcpsrv runs only Xapian's own spies.
        Xapian::Enquire e = counting(index.db(), q);
        Xapian::ValueCountMatchSpy spy(schema::Slot::thread);
        if (threads)
            e.add_matchspy(&spy);
        c.messages = e.get_mset(0, 0, index.db().get_doccount()).get_matches_estimated();
        for (auto v = spy.values_begin(); v != spy.values_end(); ++v)
            ++c.threads;
        return c;
    }
    // Database by database: a document's id there is its own (a bitmap of
    // them is dense), and one database's posting lists and values are read
    // straight through, not merged with the others' a document at a time.
    const unsigned shards = index.shard_count();
    const unsigned workers = std::min(shards, std::max(1u, std::thread::hardware_concurrency()));
    std::vector<PartCount> parts(workers < 2 ? 1 : shards);
    if (workers < 2) {
        for (const Xapian::Database& database : index.member_databases())
            count_in(database, q, threads, parts.front());
    } else {
        // Each thread has its own database handles and its own copy of the
        // query: Xapian's reference counts are not atomic.
        const std::string serialised = q.serialise();
        std::atomic<unsigned> next{0};
        auto work = [&] {
            for (unsigned n; (n = next++) < shards;) {
                try {
                    const Xapian::Query own = Xapian::Query::unserialise(serialised);
                    for (const Xapian::Database& database : index.open_shard_databases(n))
                        count_in(database, own, threads, parts[n]);
                } catch (...) {
                    parts[n].error = std::current_exception();
                }
            }
        };
        std::vector<std::jthread> helpers;
        for (unsigned i = 1; i < workers; ++i)
            helpers.emplace_back(work);
        work();
    } // the helpers are joined here
    IdBitmap all;
    for (PartCount& p : parts) {
        if (p.error)
            std::rethrow_exception(p.error);
        c.messages += p.messages;
        all.merge(p.threads);
    }
    c.threads = threads ? all.size() : 0;
    return c;
}

ValueColumns::ValueColumns(Xapian::Database& db, std::span<const Xapian::docid> docs, std::span<const unsigned> slots)
    : width_(slots.size()), values_(docs.size() * slots.size())
{
    if (docs.size() <= kLookUpTo) {
        std::vector<Xapian::Document> handles; // read nothing until asked
        handles.reserve(docs.size());
        for (Xapian::docid d : docs)
            handles.push_back(db.get_document(d, Xapian::DOC_ASSUME_VALID));
        for (size_t column = 0; column < slots.size(); ++column)
            for (size_t row = 0; row < docs.size(); ++row)
                values_[row * width_ + column] = handles[row].get_value(slots[column]);
        return;
    }
    for (size_t column = 0; column < slots.size(); ++column) {
        ValueCursor values(db, slots[column]);
        for (size_t row = 0; row < docs.size(); ++row)
            values_[row * width_ + column] = values.at(docs[row]);
    }
}

Error too_slow(double seconds)
{
    return Error{ExitCode::too_slow, "the search took longer than " + std::to_string(static_cast<int>(seconds)) + " s",
                 "narrow it: more words, a list: or a date: range"};
}

uint64_t Searcher::Impl::exact_count(const Xapian::Query& q, bool threads)
{
    const MatchCounts c = count_matches(index, q, threads);
    return threads ? c.threads : c.messages;
}

void Searcher::Impl::count_matched(const Xapian::Query& q, std::vector<ThreadHit>& hits)
{
    if (hits.empty())
        return;
    // A page of threads: only the matches inside them. A long listing (an
    // OR of a hundred thousand threads is slower than it saves): every match.
    // A plain OP_FILTER, not filtered(): a count needs no weights, and 50
    // thread terms on each phrase of an OR cost more than they save.
    constexpr size_t kFilterUpTo = 1000;
    std::vector<Xapian::Query> threads;
    std::unordered_map<std::string, size_t> at;
    for (size_t i = 0; i < hits.size(); ++i) {
        if (hits.size() <= kFilterUpTo)
            threads.emplace_back(std::string(schema::prefix::thread) + hits[i].thread);
        at[hits[i].thread] = i;
        hits[i].matched = 0;
    }
    Xapian::Enquire e = counting(
        db, threads.empty() ? q
                            : Xapian::Query(Xapian::Query::OP_FILTER, q,
                                            Xapian::Query(Xapian::Query::OP_OR, threads.begin(), threads.end())));
    Xapian::ValueCountMatchSpy spy(schema::Slot::thread);
    e.add_matchspy(&spy);
    (void)e.get_mset(0, 0, db.get_doccount());
    for (auto v = spy.values_begin(); v != spy.values_end(); ++v)
        if (auto it = at.find(*v); it != at.end())
            hits[it->second].matched = v.get_termfreq();
}

std::string Searcher::Impl::key_of(const std::string& mid, const std::string& hash)
{
    if (db.get_termfreq(schema::term(schema::prefix::message_id, mid)) <= 1)
        return mid;
    return shared_id_key(mid, hash);
}

std::vector<std::optional<DocSummary>> Searcher::Impl::summaries(std::span<const Xapian::docid> docs)
{
    std::vector<std::optional<DocSummary>> out(docs.size());
    if (docs.size() <= ValueColumns::kLookUpTo) {
        for (size_t row = 0; row < docs.size(); ++row) {
            const Xapian::Document doc = db.get_document(docs[row], Xapian::DOC_ASSUME_VALID);
            if (doc.get_data() != schema::kGhostData)
                out[row] = document_summary(doc);
        }
        return out;
    }
    // No hash: a stream more, which no listing shows.
    enum Column { mid, from, subject, date };
    static constexpr unsigned kSlots[] = {schema::Slot::message_id, schema::Slot::from, schema::Slot::subject,
                                          schema::Slot::date};
    const ValueColumns values(db, docs, kSlots);
    for (size_t row = 0; row < docs.size(); ++row)
        if (const std::string& when = values.at(row, date); !when.empty()) // a ghost has no date
            out[row] = DocSummary{values.at(row, mid), {}, values.at(row, from), values.at(row, subject),
                                  static_cast<int64_t>(Xapian::sortable_unserialise(when))};
    return out;
}

MessageHit Searcher::Impl::hit(const Xapian::Document& doc)
{
    DocSummary s = document_summary(doc);
    MessageHit h;
    h.id = key_of(s.message_id, s.hash);
    h.message_id = std::move(s.message_id);
    h.thread = doc.get_value(schema::Slot::thread);
    h.date = s.date;
    h.from = std::move(s.from);
    h.subject = std::move(s.subject);
    h.lists = document_lists(doc);
    return h;
}

std::string Searcher::Impl::snippet(Xapian::docid id, const Xapian::Document& doc, const std::vector<std::string>& stems)
{
    auto data = DocData::decode(doc.get_data());
    if (!data)
        return {};
    auto body = texts.get(index.shard_of(id), data->text);
    return body ? cut_snippet(*body, stems) : std::string();
}

void Searcher::Impl::summarise(std::vector<ThreadHit>& hits)
{
    std::vector<std::pair<Xapian::docid, size_t>> members; // (document, hit)
    const std::string thread_prefix(schema::prefix::thread);
    for (size_t i = 0; i < hits.size(); ++i) {
        const std::string term = thread_prefix + hits[i].thread;
        for (auto p = db.postlist_begin(term); p != db.postlist_end(term); ++p)
            members.emplace_back(*p, i);
    }
    std::sort(members.begin(), members.end());
    std::vector<Xapian::docid> docs;
    for (const auto& m : members)
        docs.push_back(m.first);
    const std::vector<std::optional<DocSummary>> read = summaries(docs);
    std::vector<std::vector<const DocSummary*>> rows(hits.size());
    for (size_t row = 0; row < members.size(); ++row)
        if (read[row]) // else a ghost
            rows[members[row].second].push_back(&*read[row]);
    for (size_t i = 0; i < hits.size(); ++i) {
        ThreadHit& h = hits[i];
        std::vector<const DocSummary*>& r = rows[i];
        std::stable_sort(r.begin(), r.end(),
                         [](const DocSummary* a, const DocSummary* b) { return a->date < b->date; });
        h.messages = r.size();
        if (!r.empty()) {
            h.oldest = r.front()->date;
            h.newest = r.back()->date;
            h.subject = r.front()->subject;
            h.first = r.front()->message_id;
        }
        std::unordered_set<std::string> seen;
        for (const DocSummary* message : r) {
            std::string name = author_name(message->from);
            if (!name.empty() && seen.insert(name).second)
                h.authors.push_back(std::move(name));
        }
    }
}

Searcher::Searcher() = default;
Searcher::~Searcher() = default;

Result<std::unique_ptr<Searcher>> Searcher::open(const IndexPaths& paths)
{
    auto index = IndexDatabase::open(paths);
    if (!index)
        return std::unexpected(index.error());
    std::unique_ptr<Searcher> s(new Searcher());
    s->impl_ = std::make_unique<Impl>(std::move(*index));
    return s;
}

std::optional<uint64_t> Searcher::Impl::stored_count(const Xapian::Query& q, bool threads)
{
    // The two shapes parse_query gives "every message" and one whole list
    // (however written: list:NAME@HOST, a unique short name, in brackets):
    // the kind:mail term alone, or one list term filtered by it (Xapian's
    // parser wraps a filter-only query in a weight scale of 0).
    auto leaf_term = [](Xapian::Query leaf) -> std::optional<std::string> {
        while (leaf.get_type() == Xapian::Query::OP_SCALE_WEIGHT)
            leaf = leaf.get_subquery(0);
        if (leaf.get_type() != Xapian::Query::LEAF_TERM)
            return std::nullopt;
        return *leaf.get_unique_terms_begin();
    };
    const std::string mail(schema::kKindMail);
    std::optional<std::string> list;
    if (leaf_term(q) != mail) {
        if (q.get_type() != Xapian::Query::OP_FILTER || q.get_num_subqueries() != 2 ||
            leaf_term(q.get_subquery(1)) != mail)
            return std::nullopt;
        list = leaf_term(q.get_subquery(0));
        if (!list || !list->starts_with(schema::prefix::list))
            return std::nullopt;
        list->erase(0, schema::prefix::list.size());
    }
    const auto stats = stored_index_stats(db);
    if (!stats)
        return std::nullopt;
    if (!list)
        return threads ? stats->threads : stats->messages;
    for (const ListStat& l : stats->lists)
        if (l.id == *list)
            return threads ? l.threads : l.messages;
    return std::nullopt;
}

Result<uint64_t> Searcher::count(std::string_view query, bool threads)
{
    auto q = impl_->parse(query);
    if (!q)
        return std::unexpected(q.error());
    return guarded_read(impl_->index, "searching", [&]() -> Result<uint64_t> {
        // Every message, or one list: counted by the last import (exact, or
        // absent since a change), not again per query (150 ms at 1M).
        if (auto stored = impl_->stored_count(*q, threads))
            return *stored;
        return impl_->exact_count(*q, threads);
    });
}

Result<MatchCounts> Searcher::match_counts(std::string_view query)
{
    auto q = impl_->parse(query);
    if (!q)
        return std::unexpected(q.error());
    return guarded_read(impl_->index, "searching", [&]() -> Result<MatchCounts> {
        return count_matches(impl_->index, *q, true);
    });
}

Result<std::vector<MessageHit>> Searcher::messages(std::string_view query, const SearchOptions& opt)
{
    auto q = impl_->parse(query);
    if (!q)
        return std::unexpected(q.error());
    return guarded_read(impl_->index, "searching", [&]() -> Result<std::vector<MessageHit>> {
        std::vector<std::pair<Xapian::docid, Xapian::Document>> listed;
        try {
            listed = impl_->list_messages(*q, opt);
        } catch (const TooSlow&) {
            return std::unexpected(too_slow(opt.time_limit));
        }
        const std::vector<std::string> stems = snippet_words(*q);
        std::vector<MessageHit> out;
        out.reserve(listed.size());
        for (const auto& [id, doc] : listed) {
            MessageHit h = impl_->hit(doc);
            h.snippet = impl_->snippet(id, doc, stems);
            h.highlights = highlight_ranges(h.snippet, stems);
            if (opt.with_raw) {
                auto stored = stored_message(impl_->index, id, doc);
                if (!stored)
                    return std::unexpected(unreadable_document(id));
                h.stored = std::move(*stored);
            }
            out.push_back(std::move(h));
        }
        return out;
    });
}

Result<std::vector<ThreadHit>> Searcher::threads(std::string_view query, const SearchOptions& opt)
{
    auto q = impl_->parse(query);
    if (!q)
        return std::unexpected(q.error());
    return guarded_read(impl_->index, "searching", [&]() -> Result<std::vector<ThreadHit>> {
        std::vector<ThreadHit> out;
        try {
            out = impl_->list_threads(*q, opt);
        } catch (const TooSlow&) {
            return std::unexpected(too_slow(opt.time_limit));
        }
        impl_->count_matched(*q, out);
        impl_->summarise(out);
        return out;
    });
}

Result<ThreadView> Searcher::thread(std::string_view raw_id)
{
    return guarded_read(impl_->index, "searching", [&]() -> Result<ThreadView> {
        ThreadView view;
        Xapian::Database& db = impl_->db;
        const std::string thread_prefix(schema::prefix::thread);
        std::string_view id = trim(raw_id);
        std::optional<std::string> thread;
        if (id.starts_with("thread:")) {
            auto t = parse_thread_id(id.substr(7));
            if (!t)
                return fail(ExitCode::usage, "'" + std::string(id.substr(7)) + "' is not a thread id");
            thread = format_thread_id(*t);
        } else if (auto t = parse_thread_id(id); t && id.size() >= 8 &&
                                                 (db.term_exists(thread_prefix + format_thread_id(*t)) ||
                                                  !db.get_metadata(std::string(schema::kAliasKeyPrefix) +
                                                                   format_thread_id(*t)).empty())) {
            thread = format_thread_id(*t);
        }
        if (thread) {
            const std::string asked = *thread;
            thread = resolve_thread_alias(db, asked);
            if (*thread != asked)
                view.requested_alias = asked;
            if (!db.term_exists(thread_prefix + *thread))
                return fail(ExitCode::not_found, "no thread " + asked + " in " + impl_->index.paths().root.string());
        } else {
            const std::string mid = normalize_message_id(id);
            const std::string term = schema::term(schema::prefix::message_id, mid);
            auto p = db.postlist_begin(term);
            if (p == db.postlist_end(term))
                return fail(ExitCode::not_found, "no message with Message-ID <" + mid + "> in " +
                                                     impl_->index.paths().root.string());
            thread = db.get_document(*p, Xapian::DOC_ASSUME_VALID).get_value(schema::Slot::thread);
        }
        view.thread = *thread;

        std::vector<ThreadMember> members;
        const std::string term = thread_prefix + *thread;
        std::vector<Xapian::docid> docs;
        for (auto p = db.postlist_begin(term); p != db.postlist_end(term); ++p)
            docs.push_back(*p);
        // Every member's data first (its raw copy is there): its summary,
        // where it has one, spares five value slots. Documents imported
        // before summaries were stored read them all as values, and a
        // ghost's Message-ID is a value.
        std::vector<Xapian::Document> handles;
        std::vector<std::optional<DocData>> data(docs.size());
        bool summarised = true;
        for (size_t row = 0; row < docs.size(); ++row) {
            handles.push_back(db.get_document(docs[row], Xapian::DOC_ASSUME_VALID));
            const std::string bytes = handles.back().get_data();
            if (bytes == schema::kGhostData)
                continue;
            data[row] = DocData::decode(bytes);
            if (!data[row])
                return std::unexpected(unreadable_document(docs[row]));
            summarised = summarised && data[row]->summary;
        }
        enum Column { parent, list, mid, date, from, subject, hash };
        static constexpr unsigned kSlots[] = {schema::Slot::parent,  schema::Slot::list, schema::Slot::message_id,
                                              schema::Slot::date,    schema::Slot::from, schema::Slot::subject,
                                              schema::Slot::hash};
        const ValueColumns values(db, docs, std::span(kSlots).first(summarised ? 2 : std::size(kSlots)));
        auto from_values = [&](size_t row) { // only when !summarised
            return DocSummary{values.at(row, mid), values.at(row, hash), values.at(row, from), values.at(row, subject),
                              static_cast<int64_t>(Xapian::sortable_unserialise(values.at(row, date)))};
        };
        for (size_t row = 0; row < docs.size(); ++row) {
            ThreadEntry e;
            e.missing = !data[row];
            if (e.missing) {
                e.message_id = summarised ? handles[row].get_value(schema::Slot::message_id) : values.at(row, mid);
            } else {
                DocSummary s = data[row]->summary ? std::move(*data[row]->summary) : from_values(row);
                StoredMessage& m = e.stored;
                e.message_id = s.message_id;
                m.key = impl_->key_of(s.message_id, s.hash);
                m.message_id = std::move(s.message_id);
                m.hash = std::move(s.hash);
                m.date = s.date;
                m.flags = data[row]->flags;
                m.lists = listdex::list_ids(values.at(row, list));
                m.ref = data[row]->ref;
                m.parsed = data[row]->parsed;
                m.shard = impl_->index.shard_of(docs[row]);
                m.document = docs[row];
                if (impl_->reader) // the reader's tags, for the reader only
                    m.tags = document_tags(handles[row]);
                e.date = m.date;
                e.from = std::move(s.from);
                e.subject = std::move(s.subject);
                e.parent_by_subject = (m.flags & schema::Flag::parent_by_subject) != 0;
            }
            const std::string& up = values.at(row, parent);
            members.push_back({e.message_id, up.empty() ? std::nullopt : std::optional<std::string>(up), e.date,
                               e.missing});
            view.entries.push_back(std::move(e));
        }
        view.forest = build_thread_tree(members);
        return view;
    });
}

void Searcher::refresh()
{
    // A failure shows again, and is reported, at the next search.
    (void)guarded("reading index", [&]() -> Result<void> {
        impl_->index.refresh();
        return {};
    });
}

void Searcher::set_reader(ReaderState reader)
{
    for (auto& a : reader.addresses)
        a = ascii_lower(a);
    impl_->reader = std::move(reader);
}

} // namespace listdex
