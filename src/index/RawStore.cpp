// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "listdex/index/RawStore.hpp"

#include <zstd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace listdex {

namespace {

constexpr size_t kHeader = 16;
constexpr char kMagic[4] = {'L', 'D', 'X', 'B'};

void put_u32(char* p, uint32_t v)
{
    for (int i = 0; i < 4; ++i)
        p[i] = static_cast<char>((v >> (8 * i)) & 0xff);
}

uint32_t get_u32(const char* p)
{
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i)
        v |= static_cast<uint32_t>(static_cast<unsigned char>(p[i])) << (8 * i);
    return v;
}

Error store_error(const std::filesystem::path& path, const std::string& what)
{
    return Error{ExitCode::failure, path.string() + ": " + what,
                 "the index may be damaged; re-import the archive into a new index"};
}

Result<void> write_all(int fd, const char* data, size_t n, uint64_t offset, const std::filesystem::path& path)
{
    while (n > 0) {
        const ssize_t w = ::pwrite(fd, data, n, static_cast<off_t>(offset));
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return std::unexpected(store_error(path, std::string("write failed: ") + std::strerror(errno)));
        }
        data += w;
        n -= static_cast<size_t>(w);
        offset += static_cast<uint64_t>(w);
    }
    return {};
}

Result<void> read_exact(int fd, char* data, size_t n, uint64_t offset, const std::filesystem::path& path)
{
    while (n > 0) {
        const ssize_t r = ::pread(fd, data, n, static_cast<off_t>(offset));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return std::unexpected(store_error(path, "cannot read block at byte offset " + std::to_string(offset) +
                                                         (r < 0 ? std::string(": ") + std::strerror(errno) : ": truncated")));
        data += r;
        n -= static_cast<size_t>(r);
        offset += static_cast<uint64_t>(r);
    }
    return {};
}

} // namespace

RawStoreWriter::RawStoreWriter(std::filesystem::path path, int fd, uint64_t size, size_t block_target)
    : path_(std::move(path)), fd_(fd), block_target_(block_target), size_(size), cctx_(ZSTD_createCCtx())
{
    ZSTD_CCtx* cctx = cctx_.get();
    // Level 3: on attachment-heavy lists (usrp-users) the import is 14%
    // faster than at level 6, for 2-5% more raw store.
    ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, 3);
    ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1);
}

RawStoreWriter::~RawStoreWriter()
{
    ::close(fd_);
}

Result<std::unique_ptr<RawStoreWriter>> RawStoreWriter::open(const std::filesystem::path& path, uint64_t committed_size,
                                                             size_t block_target)
{
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        return std::unexpected(store_error(path, std::strerror(errno)));
    // Drop whatever an interrupted import wrote after its last commit.
    if (::ftruncate(fd, static_cast<off_t>(committed_size)) != 0) {
        const int err = errno;
        ::close(fd);
        return std::unexpected(store_error(path, std::strerror(err)));
    }
    return std::unique_ptr<RawStoreWriter>(new RawStoreWriter(path, fd, committed_size, block_target));
}

Result<RawRef> RawStoreWriter::add(std::string_view bytes)
{
    if (bytes.size() > UINT32_MAX / 2)
        return std::unexpected(store_error(path_, "message too large for the raw store"));
    if (!pending_.empty() && pending_.size() + bytes.size() > block_target_) {
        if (auto r = flush(false); !r)
            return std::unexpected(r.error());
    }
    RawRef ref{size_, static_cast<uint32_t>(sizes_.size())};
    sizes_.push_back(static_cast<uint32_t>(bytes.size()));
    pending_.append(bytes);
    return ref;
}

Result<uint64_t> RawStoreWriter::flush(bool durable)
{
    if (!sizes_.empty()) {
        std::string plain(4 * sizes_.size(), '\0');
        for (size_t i = 0; i < sizes_.size(); ++i)
            put_u32(plain.data() + 4 * i, sizes_[i]);
        plain += pending_;
        std::string block(kHeader + ZSTD_compressBound(plain.size()), '\0');
        const size_t n = ZSTD_compress2(cctx_.get(), block.data() + kHeader,
                                        block.size() - kHeader, plain.data(), plain.size());
        if (ZSTD_isError(n))
            return std::unexpected(store_error(path_, std::string("compression failed: ") + ZSTD_getErrorName(n)));
        std::memcpy(block.data(), kMagic, 4);
        put_u32(block.data() + 4, static_cast<uint32_t>(n));
        put_u32(block.data() + 8, static_cast<uint32_t>(sizes_.size()));
        put_u32(block.data() + 12, static_cast<uint32_t>(plain.size()));
        if (auto r = write_all(fd_, block.data(), kHeader + n, size_, path_); !r)
            return std::unexpected(r.error());
        size_ += kHeader + n;
        sizes_.clear();
        pending_.clear();
    }
    if (durable && ::fdatasync(fd_) != 0)
        return std::unexpected(store_error(path_, std::string("fdatasync failed: ") + std::strerror(errno)));
    return size_;
}

Result<std::unique_ptr<RawStoreReader>> RawStoreReader::open(const std::filesystem::path& path, Decode decode)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return std::unexpected(store_error(path, std::strerror(errno)));
    return std::unique_ptr<RawStoreReader>(new RawStoreReader(path, fd, decode));
}

RawStoreReader::RawStoreReader(std::filesystem::path path, int fd, Decode decode)
    : path_(std::move(path)), fd_(fd), decode_(decode), dctx_(ZSTD_createDCtx())
{
}

RawStoreReader::~RawStoreReader()
{
    ::close(fd_);
}

Result<void> RawStoreReader::decode_to(uint64_t size)
{
    ZSTD_DCtx* dctx = dctx_.get();
    const bool whole = decode_ == Decode::whole_block;
    while (decoded_ < size || (whole && !frame_done_)) {
        // Output only up to what is asked: given room, zstd would decode the
        // whole frame in this call.
        ZSTD_outBuffer out{cached_.data(), whole ? cached_size_ : std::min<uint64_t>(size, cached_size_), decoded_};
        ZSTD_inBuffer in{compressed_.data(), compressed_size_, consumed_};
        const size_t left = ZSTD_decompressStream(dctx, &out, &in); // verifies the checksum at the frame's end
        const bool progress = out.pos != decoded_ || in.pos != consumed_;
        decoded_ = out.pos;
        consumed_ = in.pos;
        frame_done_ = left == 0;
        // An error, the input used up before the frame's end, or a frame
        // that ends short of the size the block's header states.
        if (ZSTD_isError(left) || !progress || (frame_done_ && decoded_ != cached_size_)) {
            const uint64_t block = cached_block_;
            cached_block_ = UINT64_MAX;
            return std::unexpected(store_error(path_, "damaged block at byte offset " + std::to_string(block)));
        }
    }
    return {};
}

Result<std::string> RawStoreReader::get(RawRef ref)
{
    if (cached_block_ != ref.block) {
        char header[kHeader];
        if (auto r = read_exact(fd_, header, kHeader, ref.block, path_); !r)
            return std::unexpected(r.error());
        if (std::memcmp(header, kMagic, 4) != 0)
            return std::unexpected(store_error(path_, "no block at byte offset " + std::to_string(ref.block)));
        const uint32_t csize = get_u32(header + 4);
        const uint32_t plain_size = get_u32(header + 12);
        cached_block_ = UINT64_MAX; // until the new block is read
        // Both buffers only grow (zeroed only then) and are overwritten.
        if (compressed_.size() < csize)
            compressed_.resize(csize);
        if (auto r = read_exact(fd_, compressed_.data(), csize, ref.block + kHeader, path_); !r)
            return std::unexpected(r.error());
        if (cached_.size() < plain_size)
            cached_.resize(plain_size);
        ZSTD_DCtx_reset(dctx_.get(), ZSTD_reset_session_only);
        compressed_size_ = csize;
        consumed_ = 0;
        cached_size_ = plain_size;
        decoded_ = 0;
        frame_done_ = false;
        cached_count_ = get_u32(header + 8);
        cached_block_ = ref.block;
    }
    const uint64_t table = 4ull * cached_count_;
    if (ref.index >= cached_count_ || table > cached_size_)
        return std::unexpected(store_error(path_, "no message " + std::to_string(ref.index) + " in block at byte offset " +
                                                      std::to_string(ref.block)));
    if (auto r = decode_to(table); !r)
        return std::unexpected(r.error());
    uint64_t offset = table;
    for (uint32_t i = 0; i < ref.index; ++i)
        offset += get_u32(cached_.data() + 4 * i);
    const uint32_t size = get_u32(cached_.data() + 4 * ref.index);
    if (offset + size > cached_size_)
        return std::unexpected(store_error(path_, "damaged block at byte offset " + std::to_string(ref.block)));
    if (auto r = decode_to(offset + size); !r)
        return std::unexpected(r.error());
    return cached_.substr(offset, size);
}

} // namespace listdex
