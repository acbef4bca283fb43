// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file RawStore.hpp
/// Keeps every raw message, compressed, so the index is self-contained.
///
/// An append-only pack file of blocks. Each block holds consecutive messages
/// compressed together with zstd (messages of one list share most of their
/// headers, so blocks compress far better than single messages), which
/// costs decompressing a block (raw packs: as far as the message read) per
/// random read.
///
/// Block: "LDXB" | u32 compressed size | u32 message count | u32 raw size |
///        zstd frame (with checksum) of: count x u32 message sizes, messages.
///
/// Crash safety: the Xapian commit records the pack size it covers
/// (schema::kRawSizeKey); a writer truncates the pack back to that size on
/// open, so a crash never leaves a document pointing at missing bytes, and
/// readers never see bytes no committed document refers to.

#include "listdex/base/CPtr.hpp"
#include "listdex/base/Error.hpp"

#include <zstd.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace listdex {

struct RawRef {
    uint64_t block = 0; ///< byte offset of the block in the pack
    uint32_t index = 0; ///< message number inside the block
};

class RawStoreWriter {
public:
    /// Opens (creating) @p path and truncates it to @p committed_size.
    /// Blocks close once they hold @p block_target bytes: larger blocks
    /// compress better, smaller ones are faster to read one message from.
    /// The default is the raw packs': of mail (linux-man and usrp-users
    /// mixed, as a shard holds them), a random message read at 256 KiB
    /// costs 0.13 ms against 0.37 ms at 1 MiB, for 9-10% more bytes
    /// (512 KiB: 0.21 ms, +6%; 128 KiB: 0.09 ms, +12%).
    static Result<std::unique_ptr<RawStoreWriter>> open(const std::filesystem::path& path, uint64_t committed_size,
                                                        size_t block_target = 256 * 1024);
    ~RawStoreWriter();
    RawStoreWriter(const RawStoreWriter&) = delete;
    RawStoreWriter& operator=(const RawStoreWriter&) = delete;

    /// Queues @p bytes for the current block; the ref is valid once flush()ed.
    Result<RawRef> add(std::string_view bytes);
    /// Writes the pending block; returns the pack size to record in the commit.
    /// With @p durable the data is fdatasync'ed first.
    Result<uint64_t> flush(bool durable);

private:
    RawStoreWriter(std::filesystem::path path, int fd, uint64_t size, size_t block_target);
    std::filesystem::path path_;
    int fd_;
    size_t block_target_;
    uint64_t size_;          ///< bytes written to the pack
    std::vector<uint32_t> sizes_;
    std::string pending_;    ///< messages of the block being built
    CPtr<ZSTD_CCtx, ZSTD_freeCCtx> cctx_;
};

/// Not thread-safe (it caches the last block): one reader per thread.
class RawStoreReader {
public:
    /// How much of a block a read decompresses.
    enum class Decode {
        /// The whole block, its checksum verified: every read is guarded.
        whole_block,
        /// Only as far as the message read (a block's first message costs
        /// a few KiB, not the whole block); the rest when a later message of
        /// the same block is read. The block's checksum is verified only
        /// when its end is reached, so the caller must verify what it
        /// reads: raw copies against their content hash (read_raw_copy).
        prefix,
    };
    static Result<std::unique_ptr<RawStoreReader>> open(const std::filesystem::path& path,
                                                        Decode decode = Decode::whole_block);
    ~RawStoreReader();
    RawStoreReader(const RawStoreReader&) = delete;
    RawStoreReader& operator=(const RawStoreReader&) = delete;

    /// The raw bytes of @p ref. Fails (naming the pack and offset) when the
    /// block is missing or damaged.
    Result<std::string> get(RawRef ref);

private:
    RawStoreReader(std::filesystem::path path, int fd, Decode decode);
    /// Decompresses the cached block until its first @p size bytes are
    /// there (to the frame's end with Decode::whole_block). Fails (and
    /// forgets the block) when it is damaged.
    Result<void> decode_to(uint64_t size);
    std::filesystem::path path_;
    int fd_;
    Decode decode_;
    CPtr<ZSTD_DCtx, ZSTD_freeDCtx> dctx_; ///< kept from block to block
    uint64_t cached_block_ = UINT64_MAX; ///< consecutive reads (a thread's messages) often share a block
    /// Reused from block to block (they only grow): a fresh block buffer per
    /// message read, zeroed and faulted in, cost more than decompressing it.
    std::string cached_; ///< the block's first decoded_ of cached_size_ bytes
    uint64_t cached_size_ = 0;
    uint64_t decoded_ = 0;
    bool frame_done_ = false; ///< the block's frame decompressed to its end, checksum included
    uint32_t cached_count_ = 0;
    std::string compressed_; ///< the block's first compressed_size_ bytes
    uint64_t compressed_size_ = 0;
    uint64_t consumed_ = 0; ///< of compressed_, by the decompressor
};

} // namespace listdex
