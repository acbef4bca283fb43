// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file IndexCheck.hpp
/// `listdex check`: verifies an index and, on request, repairs what can be
/// repaired from what it stores.

#include "listdex/base/Error.hpp"
#include "listdex/index/IndexPaths.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace listdex {

struct CheckReport {
    uint64_t messages = 0, ghosts = 0, threads = 0;
    std::vector<std::string> problems; ///< one line each; empty when the index is sound
    std::vector<std::string> repairs;  ///< what --repair did
    /// Problems --repair cannot fix (damaged raw copies: re-import those).
    std::vector<std::string> unrepairable;
};

struct CheckOptions {
    /// Take the write lock and fix the thread-level problems.
    bool repair = false;
    /// Decode every message's raw copy again and compare it with its stored
    /// record (ParsedRecord.hpp): a decoder whose output changed without a
    /// new kParsedRecordVersion would show readers stale decodings.
    bool decoding = false;
};

/// Verifies the index at @p paths: configuration and schema version, every
/// shard open and at the same schema, no commit round left unfinished,
/// every message document's data readable, its raw copy readable and
/// hashing to its content hash, in the shard its hash picks; every ghost
/// standing for an id no message has; every message in its parent's thread;
/// the thread counter above every thread id in use; thread aliases pointing
/// at threads; with CheckOptions::decoding every stored decoding against a
/// fresh one. With CheckOptions::repair it takes the write lock and fixes the
/// thread-level problems (replays an unfinished round, removes stale
/// ghosts, merges split threads, raises the counter) and checks again.
/// Fails (ExitCode::no_index, ::locked, ...) only when it cannot check.
Result<CheckReport> check_index(const IndexPaths& paths, const CheckOptions& options);

} // namespace listdex
