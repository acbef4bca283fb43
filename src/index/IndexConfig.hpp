// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file IndexConfig.hpp
/// DIR/listdex.conf: the schema version, the number of shards, how
/// messages are placed in them, and which shards readers reach over the
/// network. Plain "key = value" lines:
///
///   schema = 8
///   shards = 2
///   shard-by = list                  # a list's messages share a shard (default: message)
///   list.netdev.vger.kernel.org = 1  # with shard-by = list: this list's shard
///   shard.1 = tcp://10.0.0.7:33401   # readers use this xapian-tcpsrv for shard 1
///   databases = several              # a shard's stub may list several databases
///
/// Read before any Xapian file is touched: the folder layout itself
/// changes between schemas.

#include "listdex/base/Error.hpp"
#include "listdex/index/IndexPaths.hpp"
#include "listdex/index/Placement.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace listdex {

struct RemoteShard {
    std::string host;
    unsigned port = 0;
};

struct IndexConfig {
    unsigned shards = 1;
    ShardBy shard_by = ShardBy::message;
    /// With ShardBy::list: lists placed by hand (list id -> shard); the
    /// other lists are placed by a hash of their id.
    std::map<std::string, unsigned, std::less<>> list_shard;
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
    /// Set (`databases = several`) before a writer first makes a shard of
    /// several databases (ShardStub.hpp). A listdex older than that layout
    /// would open such a stub through Xapian and map documents to shards
    /// wrongly; it rejects the unknown setting instead, naming the line.
    bool several_databases = false;

    /// The shard a new message of @p list ("" when it has none) with
    /// content hash @p hash goes to.
    [[nodiscard]] unsigned home_shard(std::string_view list, std::string_view hash) const;
    /// The shard @p list's messages go to, or nullopt when messages are
    /// placed by their hash.
    [[nodiscard]] std::optional<unsigned> list_home(std::string_view list) const;
    /// Whether @p shard is a right place for a message on @p lists with
    /// content hash @p hash: its hash's shard, or (placed by list) one of
    /// its lists' (a cross-posted message stays where its first copy went;
    /// one that came without a list went by its hash).
    [[nodiscard]] bool placed_right(unsigned shard, const std::vector<std::string>& lists,
                                    std::string_view hash) const;
};

/// @p key's shard among @p shards by a hash of it: a message's content
/// hash, a placeholder's Message-ID, a list id.
[[nodiscard]] unsigned shard_for(std::string_view key, unsigned shards);

/// Fails with ExitCode::no_index when there is no index or its schema is
/// not ours (naming both versions), with ExitCode::failure on a malformed line.
Result<IndexConfig> read_index_config(const IndexPaths& paths);

/// Writes @p config atomically (write, rename), so that
/// read_index_config reads it back equal. Fails with ExitCode::failure.
Result<void> write_index_config(const IndexPaths& paths, const IndexConfig& config);

/// A new index id: 128 random bits in hex.
[[nodiscard]] std::string new_index_id();

} // namespace listdex
