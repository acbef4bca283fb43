#pragma once
/// @file XapianThreadStore.hpp
/// The ThreadStore of an index: threads are G terms and `thread` values on
/// message and ghost documents in the writer's database. Used only by the
/// writer thread; sees its own uncommitted changes.

#include "listdex/thread/Threader.hpp"

#include <xapian.h>

#include <string>
#include <unordered_map>

namespace listdex {

class XapianThreadStore final : public ThreadStore {
public:
    /// @p db must outlive the store.
    explicit XapianThreadStore(Xapian::WritableDatabase& db);

    std::optional<ThreadId> thread_of(const std::string& id) override;
    ThreadId new_thread() override { return ++last_; }
    uint64_t thread_size(ThreadId thread) override;
    void add_ghost(const std::string& id, ThreadId thread, const std::optional<std::string>& parent) override;
    void merge(ThreadId from, ThreadId into) override;

    /// Deletes the ghost of @p id, if any: a real message replaces it.
    void remove_ghost(const std::string& id);
    /// Adds the thread term and values to a message document.
    void label(Xapian::Document& doc, const std::string& id, const ThreadAssignment& a);
    /// Records the thread counter in the metadata of the next commit.
    void save();

private:
    ThreadId resolve(ThreadId t) const;
    Xapian::WritableDatabase& db_;
    ThreadId last_ = 0;
    std::unordered_map<std::string, ThreadId> cache_; ///< ids seen by this writer
    std::unordered_map<ThreadId, ThreadId> alias_;    ///< merges made by this writer
};

/// The G term of a thread.
[[nodiscard]] std::string thread_term(ThreadId thread);

} // namespace listdex
