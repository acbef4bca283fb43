// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file MemoryThreadStore.hpp
/// A ThreadStore in memory: the reference implementation the Xapian store is
/// tested against, and the store of the threader's own tests.

#include "listdex/thread/Threader.hpp"
#include "listdex/thread/ThreadTree.hpp"

#include <map>
#include <string>
#include <vector>

namespace listdex {

class MemoryThreadStore final : public ThreadStore {
public:
    std::optional<ThreadId> thread_of(const std::string& id) override;
    ThreadId new_thread() override { return ++last_; }
    uint64_t thread_size(ThreadId thread) override;
    void add_ghost(const std::string& id, ThreadId thread, const std::optional<std::string>& parent) override;
    void merge(ThreadId from, ThreadId into) override;
    void note_subject(const std::string& subject, int64_t date, const std::string& id) override;
    std::optional<std::string> latest_with_subject(const std::string& subject, int64_t from, int64_t to) override;

    /// Stores a real message as the Threader assigned it (replacing its ghost).
    void add_message(const std::string& id, const ThreadAssignment& a, int64_t date);
    /// Members of @p thread, for build_thread_tree.
    [[nodiscard]] std::vector<ThreadMember> members(ThreadId thread) const;
    /// Follows merge aliases to the live thread.
    [[nodiscard]] ThreadId resolve(ThreadId thread) const;

private:
    struct Entry {
        ThreadMember member;
        ThreadId thread;
    };
    std::vector<Entry> entries_;
    std::map<ThreadId, ThreadId> alias_;
    SubjectDates subjects_;
    ThreadId last_ = 0;
};

} // namespace listdex
