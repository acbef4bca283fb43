// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file IndexPaths.hpp
/// Where an index lives and what is inside its folder.
///
///   DIR/listdex.conf      format marker and settings (text, "key = value")
///   DIR/lock              held (flock) by the one process writing the index
///   DIR/shards/N.stub     Xapian stub file listing shard N's databases,
///                         oldest first (ShardStub.hpp)
///   DIR/shards/N.gG/      a Xapian database of shard N, generation G (a new
///                         database, or a compaction's, takes the next G and
///                         is swapped into the stub)
///   DIR/raw/N.pack        compressed raw messages of shard N (RawStore)
///   DIR/raw/N.text        compressed decoded body texts of shard N (for snippets)
///   DIR/raw/N.parsed      compressed decoded messages of shard N (ParsedRecord.hpp)

#include "listdex/base/Error.hpp"

#include <cstdint>
#include <filesystem>
#include <string>

namespace listdex {

/// By default a shard's newest Xapian database takes new documents until it
/// holds this many; then a new one starts (docs/schema.md, "Databases of a
/// shard"; ImportOptions::database_documents).
inline constexpr uint64_t kDatabaseDocuments = 50'000;
/// An import (ImportOptions::Compact::automatic) compacts the index when it
/// leaves a shard with more databases than this: every search reads every
/// database, and the weekly `listdex compact` timer may not be installed.
inline constexpr unsigned kMostShardDatabases = 4;

struct IndexPaths {
    std::filesystem::path root;

    [[nodiscard]] std::filesystem::path config() const { return root / "listdex.conf"; }
    [[nodiscard]] std::filesystem::path lock() const { return root / "lock"; }
    /// What readers and the writer open for shard @p n: a Xapian stub file.
    [[nodiscard]] std::filesystem::path shard(unsigned n) const
    {
        return root / "shards" / (std::to_string(n) + ".stub");
    }
    /// The folder of generation @p g of shard @p n.
    [[nodiscard]] std::filesystem::path shard_generation(unsigned n, unsigned g) const
    {
        return root / "shards" / (std::to_string(n) + ".g" + std::to_string(g));
    }
    [[nodiscard]] std::filesystem::path raw(unsigned n) const
    {
        return root / "raw" / (std::to_string(n) + ".pack");
    }
    [[nodiscard]] std::filesystem::path text(unsigned n) const
    {
        return root / "raw" / (std::to_string(n) + ".text");
    }
    [[nodiscard]] std::filesystem::path parsed(unsigned n) const
    {
        return root / "raw" / (std::to_string(n) + ".parsed");
    }
    /// The thread changes of a commit round in progress (see RoundJournal).
    [[nodiscard]] std::filesystem::path journal() const { return root / "round.journal"; }
    /// True when the folder holds a listdex index.
    [[nodiscard]] bool exists() const;
};

/// The index folder: @p explicit_dir when non-empty, else $LISTDEX_INDEX,
/// else $XDG_DATA_HOME/listdex, else ~/.local/share/listdex.
[[nodiscard]] IndexPaths resolve_index_paths(const std::string& explicit_dir);

} // namespace listdex
