#pragma once
/// @file IndexPaths.hpp
/// Where an index lives and what is inside its folder.
///
///   DIR/listdex.conf      format marker and settings (text, "key = value")
///   DIR/lock              held (flock) by the one process writing the index
///   DIR/shards/N/         Xapian database of shard N
///   DIR/raw/N.pack        compressed raw messages of shard N (RawStore)
///   DIR/raw/N.text        compressed decoded body texts of shard N (for snippets)

#include "listdex/base/Error.hpp"

#include <filesystem>
#include <string>

namespace listdex {

struct IndexPaths {
    std::filesystem::path root;

    [[nodiscard]] std::filesystem::path config() const { return root / "listdex.conf"; }
    [[nodiscard]] std::filesystem::path lock() const { return root / "lock"; }
    [[nodiscard]] std::filesystem::path shard(unsigned n) const { return root / "shards" / std::to_string(n); }
    [[nodiscard]] std::filesystem::path raw(unsigned n) const
    {
        return root / "raw" / (std::to_string(n) + ".pack");
    }
    [[nodiscard]] std::filesystem::path text(unsigned n) const
    {
        return root / "raw" / (std::to_string(n) + ".text");
    }
    /// True when the folder holds a listdex index.
    [[nodiscard]] bool exists() const;
};

/// The index folder: @p explicit_dir when non-empty, else $LISTDEX_INDEX,
/// else $XDG_DATA_HOME/listdex, else ~/.local/share/listdex.
[[nodiscard]] IndexPaths resolve_index_paths(const std::string& explicit_dir);

} // namespace listdex
