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

/// One version of a stub as stat(2) sees it. write_shard_stub replaces the
/// stub by a rename, so every version is a new file (a new inode while the
/// old one still exists, and a new modification time): an unchanged stamp
/// means the list was not rewritten, and a reader need not read it again.
struct StubStamp {
    uint64_t device = 0, inode = 0, size = 0;
    int64_t modified_ns = 0;
    bool operator==(const StubStamp&) const = default;
};

/// Shard @p n's stub's stamp; nullopt when it cannot be stat'ed (missing,
/// or unreadable: the caller reads it and reports why).
[[nodiscard]] std::optional<StubStamp> stub_stamp(const IndexPaths& paths, unsigned n);

/// The generations shard @p n's stub lists, in its order; empty when the
/// stub does not exist. Fails naming the stub when it cannot be read, lists
/// nothing, or lists a database that is not a generation folder of shard
/// @p n in the shards folder.
[[nodiscard]] Result<std::vector<unsigned>> read_shard_stub(const IndexPaths& paths, unsigned n);

/// Points shard @p n's stub at @p generations (not empty), atomically
/// (write, fsync, rename). Fails naming the stub.
[[nodiscard]] Result<void> write_shard_stub(const IndexPaths& paths, unsigned n, std::span<const unsigned> generations);

} // namespace listdex
