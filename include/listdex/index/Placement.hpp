// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file Placement.hpp
/// Which shard a message goes to (docs/architecture.md, Shards).

#include <functional>
#include <map>
#include <optional>
#include <string>

namespace listdex {

enum class ShardBy {
    message, ///< a hash of its content: every shard holds part of every list
    list,    ///< its list (pinned, or a hash of the list id): a shard holds whole lists
};

/// What an import asks of an index's placement.
struct PlacementRequest {
    /// How a new index places messages (unset: by message). An existing
    /// index keeps its own; asking for the other one is an error.
    std::optional<ShardBy> shard_by;
    /// List id -> shard, for an index placed by list: recorded in
    /// listdex.conf. A list that already has messages keeps its shard
    /// (asking for another one is an error).
    std::map<std::string, unsigned, std::less<>> list_shard;
};

} // namespace listdex
