// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "XapianThreadStore.hpp"

#include "IndexConfig.hpp"

#include "listdex/index/Schema.hpp"

namespace listdex {

std::string thread_term(ThreadId thread)
{
    return std::string(schema::prefix::thread).append(format_thread_id(thread));
}

namespace {
const std::string& id_prefix()
{
    static const std::string p(schema::prefix::message_id);
    return p;
}
} // namespace

XapianThreadStore::XapianThreadStore(IndexDatabase& committed, std::vector<std::unique_ptr<ShardWriter>>& shards,
                                     ThreadId last)
    : committed_(committed), shards_(shards), last_(last)
{
}

ThreadId XapianThreadStore::resolve(ThreadId t) const
{
    for (auto it = alias_.find(t); it != alias_.end(); it = alias_.find(t))
        t = it->second;
    return t;
}

const XapianThreadStore::Known* XapianThreadStore::lookup(const std::string& id)
{
    if (auto it = known_.find(id); it != known_.end())
        return &it->second;
    const std::string term = schema::term(id_prefix(), id);
    std::optional<Known> found;
    Xapian::Database& db = committed_.db();
    for (auto p = db.postlist_begin(term); p != db.postlist_end(term); ++p) {
        const Xapian::Document doc = db.get_document(*p);
        auto t = parse_thread_id(doc.get_value(schema::Slot::thread));
        if (!t)
            continue;
        const bool ghost = doc.get_data() == schema::kGhostData;
        if (!found || (found->ghost && !ghost))
            found = Known{*t, ghost, committed_.shard_of(*p)};
    }
    if (!found)
        return nullptr;
    return &(known_[id] = *found);
}

std::optional<ThreadId> XapianThreadStore::thread_of(const std::string& id)
{
    if (const Known* k = lookup(id))
        return resolve(k->thread);
    return std::nullopt;
}

uint64_t XapianThreadStore::thread_size(ThreadId thread)
{
    const int64_t committed = committed_.db().get_termfreq(thread_term(thread));
    auto it = size_change_.find(thread);
    return static_cast<uint64_t>(std::max<int64_t>(0, committed + (it == size_change_.end() ? 0 : it->second)));
}

Xapian::Document ghost_document(const std::string& id, ThreadId thread, const std::optional<std::string>& parent)
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
    return doc;
}

void XapianThreadStore::add_ghost(const std::string& id, ThreadId thread, const std::optional<std::string>& parent)
{
    const unsigned shard = shard_for(id, static_cast<unsigned>(shards_.size()));
    shards_[shard]->add_document(ghost_document(id, thread, parent));
    known_[id] = Known{thread, true, shard};
    ++size_change_[thread];
    round_.members.push_back({thread, id, parent.value_or("")});
}

void XapianThreadStore::merge(ThreadId from, ThreadId into)
{
    const int64_t moved = static_cast<int64_t>(thread_size(from));
    size_change_[from] -= moved;
    size_change_[into] += moved;
    for (auto& shard : shards_)
        shard->merge_thread(thread_term(from), thread_term(into), format_thread_id(into));
    alias_[from] = into;
    round_.metadata[std::string(schema::kAliasKeyPrefix) + format_thread_id(from)] = format_thread_id(into);
    round_.merges.emplace_back(from, into);
}

void XapianThreadStore::note_subject(const std::string& subject, int64_t date, const std::string& id)
{
    subjects_.note(subject, date, id);
}

std::optional<std::string> XapianThreadStore::latest_with_subject(const std::string& subject, int64_t from, int64_t to)
{
    if (auto id = subjects_.latest(subject, from, to))
        return id; // this round's messages are the newest
    Xapian::Enquire enquire(committed_.db());
    enquire.set_query(Xapian::Query(
        Xapian::Query::OP_FILTER, Xapian::Query(schema::term(schema::prefix::subject_key, subject)),
        Xapian::Query(Xapian::Query::OP_VALUE_RANGE, schema::Slot::date,
                      Xapian::sortable_serialise(static_cast<double>(from)),
                      Xapian::sortable_serialise(static_cast<double>(to)))));
    enquire.set_sort_by_value(schema::Slot::date, true);
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    const Xapian::MSet top = enquire.get_mset(0, 1);
    if (top.empty())
        return std::nullopt;
    return top.begin().get_document().get_value(schema::Slot::message_id);
}

void XapianThreadStore::remove_message(const std::string& id, ThreadId thread, const std::optional<std::string>& parent,
                                       bool keep_place)
{
    thread = resolve(thread);
    if (keep_place) {
        add_ghost(id, thread, parent);
        --size_change_[thread]; // a ghost instead of the message
    } else {
        --size_change_[thread];
        known_.erase(id);
    }
}

void XapianThreadStore::remove_ghost(const std::string& id)
{
    const Known* k = lookup(id);
    if (!k || !k->ghost)
        return;
    shards_[k->shard]->remove_ghosts(schema::term(id_prefix(), id));
    --size_change_[resolve(k->thread)];
    known_.erase(id);
}

void XapianThreadStore::label(Xapian::Document& doc, const std::string& id, const ThreadAssignment& a, unsigned shard)
{
    doc.add_boolean_term(std::string(schema::kKindMail));
    doc.add_boolean_term(thread_term(a.thread));
    doc.add_value(schema::Slot::thread, format_thread_id(a.thread));
    if (a.parent)
        doc.add_value(schema::Slot::parent, *a.parent);
    known_[id] = Known{a.thread, false, shard};
    ++size_change_[a.thread];
    round_.members.push_back({a.thread, id, a.parent.value_or("")});
}

RoundJournal XapianThreadStore::take_round()
{
    RoundJournal r = std::move(round_);
    round_ = {};
    r.metadata[std::string(schema::kLastThreadKey)] = format_thread_id(last_);
    return r;
}

void XapianThreadStore::committed()
{
    known_.clear();
    subjects_.clear();
    size_change_.clear();
}

} // namespace listdex
