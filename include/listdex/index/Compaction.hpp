// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file Compaction.hpp
/// `listdex compact`: merges each shard's databases into one, compactly
/// (what an import's --compact does at its end), for when the index is idle.

#include "listdex/base/Error.hpp"
#include "listdex/index/IndexPaths.hpp"

#include <cstdint>

namespace listdex {

struct CompactReport {
    unsigned shards = 0;
    unsigned databases_before = 0; ///< in all local shards
    uint64_t bytes_before = 0, bytes_after = 0; ///< of the Xapian databases (the shards folder)
    double seconds = 0;
};

/// Rewrites every shard of the index at @p paths as one compacted Xapian
/// database (docs/schema.md, Databases of a shard), each shard in its own
/// thread; readers keep answering throughout. Fails with ExitCode::no_index
/// when there is no index, ExitCode::locked while another process writes it.
[[nodiscard]] Result<CompactReport> compact_index(const IndexPaths& paths);

} // namespace listdex
