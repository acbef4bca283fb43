// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file ShardStub.hpp
/// A shard's stub file (IndexPaths::shard): the Xapian stub that lists the
/// shard's databases, each a generation folder (IndexPaths::shard_generation),
/// oldest first. A shard is usually one database; a stub listing several
/// makes Xapian read (and the ShardWriter write) them as one, interleaving
/// their document ids (IndexDatabase maps them). Written only by the writer
/// that holds the index lock, and always whole: a temporary file renamed
/// into place, so readers see the old list or the new one.

#include "listdex/base/Error.hpp"
#include "listdex/index/IndexPaths.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace listdex {

/// One version of a file that is only ever replaced by a rename (a shard's
/// stub, write_shard_stub; a Xapian database's version file, which glass
/// rewrites at every commit), as stat(2) sees it. Every version is a new
/// file: a new inode while the old one still exists, and a new modification
/// time. So a stamp equal to the one taken when a reader last read the file
/// means the file was not replaced since, provided that version was
/// `settled` then (see there).
struct FileStamp {
    uint64_t device = 0, inode = 0, size = 0;
    int64_t modified_ns = 0;
    bool operator==(const FileStamp&) const = default;
    /// True when the file was last modified more than a second before
    /// @p taken_ns, the wall-clock time at which this stamp was taken. A
    /// later version can have this version's inode number only once this
    /// version is gone, that is after a version in between replaced it,
    /// after @p taken_ns: so it was written after @p taken_ns (less the
    /// kernel's coarse clock tick) and its modification time differs from
    /// a settled one. A stamp that is not settled proves nothing (git's
    /// "racily clean" index entries are the same problem).
    [[nodiscard]] bool settled(int64_t taken_ns) const { return modified_ns < taken_ns - 1'000'000'000; }
};

/// @p path's stamp; nullopt when it cannot be stat'ed (missing, or
/// unreadable: the caller reads it and reports why).
[[nodiscard]] std::optional<FileStamp> file_stamp(const std::filesystem::path& path);

/// The wall-clock time, for FileStamp::settled.
[[nodiscard]] int64_t wall_clock_ns();

/// Shard @p n's stub's stamp.
[[nodiscard]] inline std::optional<FileStamp> stub_stamp(const IndexPaths& paths, unsigned n)
{
    return file_stamp(paths.shard(n));
}

/// The generations shard @p n's stub lists, in its order; empty when the
/// stub does not exist. Fails naming the stub when it cannot be read, lists
/// nothing, or lists a database that is not a generation folder of shard
/// @p n in the shards folder.
[[nodiscard]] Result<std::vector<unsigned>> read_shard_stub(const IndexPaths& paths, unsigned n);

/// Points shard @p n's stub at @p generations (not empty), atomically
/// (write, fsync, rename). Fails naming the stub.
[[nodiscard]] Result<void> write_shard_stub(const IndexPaths& paths, unsigned n, std::span<const unsigned> generations);

} // namespace listdex
