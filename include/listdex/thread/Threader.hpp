#pragma once
/// @file Threader.hpp
/// Index-time threading by In-Reply-To and References (never by subject).
/// Sees only Message-IDs; storage is behind ThreadStore, so the same logic
/// runs over Xapian (index layer) and over memory (tests).
///
/// For each new message:
/// 1. its ancestors are References (oldest first) plus In-Reply-To ids not
///    already listed, without itself, without repeats, capped at
///    kMaxAncestors (the first id and the newest ones are kept);
/// 2. its parent is In-Reply-To when that names one id, else the newest
///    References entry;
/// 3. every known id among itself and its ancestors names a thread; none ->
///    a new thread; several -> they are merged into the largest (ties: the
///    oldest id), the others become aliases of it;
/// 4. each unknown ancestor becomes a ghost (placeholder) in that thread,
///    whose parent is the ancestor before it in References; a ghost of the
///    message's own id is replaced by the message.
/// So arrival order never changes the result: a reply imported before its
/// parent meets the parent's ghost, and whichever arrives later joins it.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace listdex {

using ThreadId = uint64_t;

/// "0000002a": how thread ids are shown and typed (`thread:0000002a`).
[[nodiscard]] std::string format_thread_id(ThreadId id);
[[nodiscard]] std::optional<ThreadId> parse_thread_id(std::string_view text);

struct MessageLinks {
    std::string id;
    std::vector<std::string> references; ///< oldest first
    std::vector<std::string> in_reply_to;
};

struct ThreadRefs {
    std::vector<std::string> ancestors; ///< cleaned, oldest first
    std::optional<std::string> parent;
};

inline constexpr size_t kMaxAncestors = 100;

/// Steps 1 and 2 above.
[[nodiscard]] ThreadRefs thread_refs(const MessageLinks& m);

/// What the Threader needs from storage. Implementations must see their own
/// earlier changes (ghosts added, threads merged) immediately.
class ThreadStore {
public:
    virtual ~ThreadStore() = default;
    /// The thread of a message or ghost with this id, if any.
    virtual std::optional<ThreadId> thread_of(const std::string& id) = 0;
    virtual ThreadId new_thread() = 0;
    /// Number of messages and ghosts in @p thread (to merge the smaller one).
    virtual uint64_t thread_size(ThreadId thread) = 0;
    virtual void add_ghost(const std::string& id, ThreadId thread, const std::optional<std::string>& parent) = 0;
    /// Moves everything in @p from into @p into; `from` becomes an alias.
    virtual void merge(ThreadId from, ThreadId into) = 0;
};

struct ThreadAssignment {
    ThreadId thread = 0;
    std::optional<std::string> parent;
    std::vector<ThreadId> merged; ///< threads merged into `thread` by this message
};

class Threader {
public:
    /// @p store must outlive the Threader.
    explicit Threader(ThreadStore& store) : store_(store) {}
    /// Threads one new message (steps 3 and 4). The caller stores the
    /// message itself with the returned thread and parent, replacing any
    /// ghost of its id.
    ThreadAssignment add(const MessageLinks& m);

private:
    ThreadStore& store_;
};

} // namespace listdex
