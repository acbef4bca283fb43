// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file Tags.hpp
/// The reader's own tags on messages (notmuch's model): boolean terms
/// (schema::prefix::tag) on the message documents, keyed by Message-ID, so
/// every message with one Message-ID carries the same tags. An import never
/// writes them, so they survive re-imports (a known message is skipped or
/// gains a copy in place), compaction (terms are copied), `check --repair`
/// (merges move documents' thread terms only) and a crash (tag changes are
/// journalled with their commit round, see RoundJournal.hpp). A message
/// that a public-inbox archive removes loses its tags with it. A new index
/// built from the same archives gets them back from a dump (`tags dump`,
/// `tags restore`).

#include "listdex/base/Error.hpp"
#include "listdex/index/IndexPaths.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace listdex {

/// A change to the tags of every message with one Message-ID.
struct TagEdit {
    std::string message_id;          ///< without <>
    std::vector<std::string> add;    ///< tags to add (checked: schema::tag_name_problem)
    std::vector<std::string> remove; ///< tags to remove
    bool exact = false;              ///< also remove every tag not in `add` (a restore)
};

struct TagResult {
    uint64_t messages = 0; ///< message documents whose tags changed
    /// Message-IDs of edits that no message of the index has (kept nowhere).
    uint64_t missing = 0;
};

/// Applies @p edits in commit rounds of 2,000 Message-IDs, each journalled
/// (a kill during a round: the next writer applies all of it; rounds
/// already committed stay). Takes the write lock: fails with
/// ExitCode::locked while an import runs, ExitCode::no_index without an
/// index, ExitCode::usage naming a bad tag name.
Result<TagResult> apply_tags(const IndexPaths& paths, const std::vector<TagEdit>& edits);

/// A message's tags.
struct TaggedMessage {
    std::string message_id;
    std::vector<std::string> tags; ///< sorted
};

/// Every Message-ID that has tags, sorted by Message-ID. Read-only (no lock).
Result<std::vector<TaggedMessage>> read_tags(const IndexPaths& paths);

/// Every tag in use and how many messages carry it, by name.
Result<std::vector<std::pair<std::string, uint64_t>>> tag_counts(const IndexPaths& paths);

} // namespace listdex
