// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file IndexConfig.hpp
/// DIR/listdex.conf: the schema version, the number of shards, and which
/// shards readers reach over the network. Plain "key = value" lines:
///
///   schema = 4
///   shards = 2
///   shard.1 = tcp://10.0.0.7:33401   # readers use this xapian-tcpsrv for shard 1
///
/// Read before any Xapian file is touched: the folder layout itself
/// changes between schemas.

#include "listdex/base/Error.hpp"
#include "listdex/index/IndexPaths.hpp"

#include <map>
#include <string>

namespace listdex {

struct RemoteShard {
    std::string host;
    unsigned port = 0;
};

struct IndexConfig {
    unsigned shards = 1;
    /// Random, given when the index is created; every shard records it
    /// (schema::kIndexIdKey). Empty in an index made before ids.
    std::string id;
    /// Whether a shard recording @p shard_id (schema::kIndexIdKey) may be
    /// part of this index: the same id, or either one unknown (made before
    /// ids, or never committed).
    [[nodiscard]] bool owns(std::string_view shard_id) const
    {
        return id.empty() || shard_id.empty() || shard_id == id;
    }
    std::map<unsigned, RemoteShard> remote; ///< shard number -> xapian-tcpsrv
};

/// Fails with ExitCode::no_index when there is no index or its schema is
/// not ours (naming both versions), with ExitCode::failure on a malformed line.
Result<IndexConfig> read_index_config(const IndexPaths& paths);

/// Writes the configuration of a new index (atomically: write, rename).
Result<void> write_index_config(const IndexPaths& paths, unsigned shards, const std::string& id);

/// A new index id: 128 random bits in hex.
[[nodiscard]] std::string new_index_id();

} // namespace listdex
