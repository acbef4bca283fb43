// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file Threader.hpp
/// Index-time threading by In-Reply-To and References; by subject only when
/// asked (thread_by_subject), for archives that lost those headers.
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
///
/// Subject threading (opt-in) applies only to a message with neither
/// In-Reply-To nor References whose subject has a reply prefix ("Re: x"):
/// its parent becomes the newest earlier message with the same normalised
/// subject (subject_key) dated at most the window before it, and the link is
/// marked as inferred. It depends on arrival order: a parent imported later
/// is not found (import archives oldest first).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
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

struct SubjectKey {
    std::string key;    ///< lower case, without reply/forward prefixes and [list] tags, spaces collapsed
    bool reply = false; ///< a reply prefix ("Re:", "AW:", "Sv:", ...) was removed
};
/// Normalises a decoded subject for subject threading.
[[nodiscard]] SubjectKey subject_key(std::string_view subject);

/// Messages by subject key, in memory: a ThreadStore's note_subject and the
/// first half of its latest_with_subject.
class SubjectDates {
public:
    void note(const std::string& subject, int64_t date, const std::string& id)
    {
        dates_.emplace(subject, std::pair(date, id));
    }
    /// The newest message noted with @p subject dated in [@p from, @p to]
    /// (of equal dates, the last noted).
    [[nodiscard]] std::optional<std::string> latest(const std::string& subject, int64_t from, int64_t to) const;
    void clear() { dates_.clear(); }

private:
    std::multimap<std::string, std::pair<int64_t, std::string>> dates_; ///< equal keys in arrival order
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
    /// Remembers that message @p id (dated @p date) has subject key @p subject.
    virtual void note_subject(const std::string& subject, int64_t date, const std::string& id) = 0;
    /// The newest message with subject key @p subject dated in [@p from, @p to].
    virtual std::optional<std::string> latest_with_subject(const std::string& subject, int64_t from, int64_t to) = 0;
};

struct ThreadAssignment {
    ThreadId thread = 0;
    std::optional<std::string> parent;
    std::vector<ThreadId> merged; ///< threads merged into `thread` by this message
    bool parent_by_subject = false; ///< the parent was inferred from the subject
};

class Threader {
public:
    /// @p store must outlive the Threader.
    explicit Threader(ThreadStore& store) : store_(store) {}
    /// Turns subject threading on for messages without threading headers,
    /// linking within @p window seconds (0: off, the default).
    void thread_by_subject(int64_t window) { subject_window_ = window; }
    /// Threads one new message (steps 3 and 4), with its @p subject and
    /// @p date for subject threading. The caller stores the message itself
    /// with the returned thread and parent, replacing any ghost of its id.
    ThreadAssignment add(const MessageLinks& m, const SubjectKey& subject = {}, int64_t date = 0);

private:
    ThreadStore& store_;
    int64_t subject_window_ = 0;
};

} // namespace listdex
