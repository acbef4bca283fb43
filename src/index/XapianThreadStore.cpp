#include "XapianThreadStore.hpp"

#include "listdex/index/Schema.hpp"

namespace listdex {

std::string thread_term(ThreadId thread)
{
    return std::string(schema::field("thread")->prefix) + format_thread_id(thread);
}

namespace {
const std::string& id_prefix()
{
    static const std::string p(schema::field("id")->prefix);
    return p;
}
} // namespace

XapianThreadStore::XapianThreadStore(Xapian::WritableDatabase& db) : db_(db)
{
    if (auto s = db_.get_metadata(std::string(schema::kLastThreadKey)); !s.empty())
        last_ = parse_thread_id(s).value_or(0);
}

ThreadId XapianThreadStore::resolve(ThreadId t) const
{
    for (auto it = alias_.find(t); it != alias_.end(); it = alias_.find(t))
        t = it->second;
    return t;
}

std::optional<ThreadId> XapianThreadStore::thread_of(const std::string& id)
{
    if (auto it = cache_.find(id); it != cache_.end())
        return resolve(it->second);
    const std::string term = schema::term(id_prefix(), id);
    auto p = db_.postlist_begin(term);
    if (p == db_.postlist_end(term))
        return std::nullopt;
    auto t = parse_thread_id(db_.get_document(*p).get_value(schema::Slot::thread));
    if (!t)
        return std::nullopt; // a document from before threading: treat as unknown
    cache_[id] = *t;
    return resolve(*t);
}

uint64_t XapianThreadStore::thread_size(ThreadId thread)
{
    return db_.get_termfreq(thread_term(thread));
}

void XapianThreadStore::add_ghost(const std::string& id, ThreadId thread, const std::optional<std::string>& parent)
{
    Xapian::Document doc;
    doc.add_boolean_term(schema::term(id_prefix(), id));
    doc.add_boolean_term(std::string(schema::kKindGhost));
    doc.add_boolean_term(thread_term(thread));
    doc.add_value(schema::Slot::thread, format_thread_id(thread));
    doc.add_value(schema::Slot::message_id, id);
    if (parent)
        doc.add_value(schema::Slot::parent, *parent);
    doc.set_data(std::string(schema::kGhostData));
    db_.add_document(doc);
    cache_[id] = thread;
}

void XapianThreadStore::merge(ThreadId from, ThreadId into)
{
    const std::string old_term = thread_term(from), new_term = thread_term(into);
    std::vector<Xapian::docid> ids(db_.postlist_begin(old_term), db_.postlist_end(old_term));
    for (Xapian::docid d : ids) {
        Xapian::Document doc = db_.get_document(d);
        doc.remove_term(old_term);
        doc.add_boolean_term(new_term);
        doc.add_value(schema::Slot::thread, format_thread_id(into));
        db_.replace_document(d, doc);
    }
    alias_[from] = into;
    db_.set_metadata(std::string(schema::kAliasKeyPrefix) + format_thread_id(from), format_thread_id(into));
}

void XapianThreadStore::remove_ghost(const std::string& id)
{
    const std::string term = schema::term(id_prefix(), id);
    std::vector<Xapian::docid> ghosts;
    for (auto p = db_.postlist_begin(term); p != db_.postlist_end(term); ++p)
        if (db_.get_document(*p).get_data() == schema::kGhostData)
            ghosts.push_back(*p);
    for (Xapian::docid d : ghosts)
        db_.delete_document(d);
}

void XapianThreadStore::label(Xapian::Document& doc, const std::string& id, const ThreadAssignment& a)
{
    doc.add_boolean_term(std::string(schema::kKindMail));
    doc.add_boolean_term(thread_term(a.thread));
    doc.add_value(schema::Slot::thread, format_thread_id(a.thread));
    if (a.parent)
        doc.add_value(schema::Slot::parent, *a.parent);
    cache_[id] = a.thread;
}

void XapianThreadStore::save()
{
    db_.set_metadata(std::string(schema::kLastThreadKey), format_thread_id(last_));
}

} // namespace listdex
