// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "listdex/thread/MemoryThreadStore.hpp"

#include <algorithm>

namespace listdex {

std::optional<ThreadId> MemoryThreadStore::thread_of(const std::string& id)
{
    for (const auto& e : entries_)
        if (e.member.id == id)
            return e.thread;
    return std::nullopt;
}

uint64_t MemoryThreadStore::thread_size(ThreadId thread)
{
    return static_cast<uint64_t>(
        std::count_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.thread == thread; }));
}

void MemoryThreadStore::add_ghost(const std::string& id, ThreadId thread, const std::optional<std::string>& parent)
{
    entries_.push_back({{id, parent, 0, true}, thread});
}

void MemoryThreadStore::merge(ThreadId from, ThreadId into)
{
    for (auto& e : entries_)
        if (e.thread == from)
            e.thread = into;
    alias_[from] = into;
}

void MemoryThreadStore::note_subject(const std::string& subject, int64_t date, const std::string& id)
{
    subjects_.note(subject, date, id);
}

std::optional<std::string> MemoryThreadStore::latest_with_subject(const std::string& subject, int64_t from, int64_t to)
{
    return subjects_.latest(subject, from, to);
}

void MemoryThreadStore::add_message(const std::string& id, const ThreadAssignment& a, int64_t date)
{
    std::erase_if(entries_, [&](const Entry& e) { return e.member.ghost && e.member.id == id; });
    entries_.push_back({{id, a.parent, date, false}, a.thread});
}

std::vector<ThreadMember> MemoryThreadStore::members(ThreadId thread) const
{
    std::vector<ThreadMember> out;
    for (const auto& e : entries_)
        if (e.thread == thread)
            out.push_back(e.member);
    return out;
}

ThreadId MemoryThreadStore::resolve(ThreadId thread) const
{
    for (auto it = alias_.find(thread); it != alias_.end(); it = alias_.find(thread))
        thread = it->second;
    return thread;
}

} // namespace listdex
