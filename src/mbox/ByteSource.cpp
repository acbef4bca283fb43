// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "listdex/mbox/ByteSource.hpp"

#include "listdex/base/CPtr.hpp"

#include <archive.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace listdex {

const char* compression_name(Compression c)
{
    switch (c) {
    case Compression::none: return "none";
    case Compression::gzip: return "gzip";
    case Compression::bzip2: return "bzip2";
    case Compression::xz: return "xz";
    case Compression::zstd: return "zstd";
    case Compression::other: return "compressed";
    }
    return "?";
}

Compression detect_compression(std::string_view h)
{
    auto starts = [&](std::string_view magic) { return h.substr(0, magic.size()) == magic; };
    if (starts("\x1f\x8b"))
        return Compression::gzip;
    if (starts("BZh") && h.size() > 3 && h[3] >= '1' && h[3] <= '9')
        return Compression::bzip2;
    if (starts(std::string_view("\xfd" "7zXZ\0", 6)))
        return Compression::xz;
    if (starts("\x28\xb5\x2f\xfd"))
        return Compression::zstd;
    if (starts("\x1f\x9d") || starts(std::string_view("\x04\x22\x4d\x18", 4)) || starts("\x5d\x00\x00"))
        return Compression::other; // compress(1), lz4, lzma: libarchive knows them
    return Compression::none;
}

Result<size_t> ByteSource::read(char* buf, size_t n)
{
    if (!peeked_.empty()) {
        const size_t k = std::min(n, peeked_.size());
        std::memcpy(buf, peeked_.data(), k);
        peeked_.erase(0, k);
        return k;
    }
    return read_raw(buf, n);
}

Result<std::string_view> ByteSource::peek(size_t n)
{
    while (peeked_.size() < n) {
        char chunk[65536];
        auto got = read_raw(chunk, std::min(sizeof chunk, n - peeked_.size()));
        if (!got)
            return std::unexpected(got.error());
        if (*got == 0)
            break;
        peeked_.append(chunk, *got);
    }
    return std::string_view(peeked_).substr(0, n);
}

Result<std::string> ByteSource::read_all()
{
    std::string out;
    char chunk[65536];
    for (;;) {
        auto got = read(chunk, sizeof chunk);
        if (!got)
            return std::unexpected(got.error());
        if (*got == 0)
            return out;
        out.append(chunk, *got);
    }
}

namespace {

Error io_error(const std::string& name, const std::string& what)
{
    return Error{ExitCode::bad_input, name + ": " + what, {}};
}

/// Uncompressed regular files and pipes: plain read(2), no extra copies.
class FdSource final : public ByteSource {
public:
    FdSource(std::string name, int fd, std::optional<uint64_t> size, bool owns)
        : ByteSource(std::move(name), Compression::none, size), fd_(fd), owns_(owns) {}
    ~FdSource() override
    {
        if (owns_)
            ::close(fd_);
    }
    uint64_t input_consumed() const override { return consumed_; }

protected:
    Result<size_t> read_raw(char* buf, size_t n) override
    {
        for (;;) {
            const ssize_t r = ::read(fd_, buf, n);
            if (r >= 0) {
                consumed_ += static_cast<uint64_t>(r);
                return static_cast<size_t>(r);
            }
            if (errno != EINTR)
                return std::unexpected(io_error(name(), std::strerror(errno)));
        }
    }

private:
    int fd_;
    bool owns_;
    uint64_t consumed_ = 0;
};

using ArchiveReader = CPtr<struct archive, archive_read_free>;

/// Compressed input through libarchive's "raw" format with all filters.
class ArchiveSource final : public ByteSource {
public:
    ArchiveSource(std::string name, Compression c, std::optional<uint64_t> size, ArchiveReader a, int owned_fd)
        : ByteSource(std::move(name), c, size), a_(std::move(a)), owned_fd_(owned_fd) {}
    ~ArchiveSource() override
    {
        a_.reset(); // before its fd
        if (owned_fd_ >= 0)
            ::close(owned_fd_);
    }
    uint64_t input_consumed() const override
    {
        const la_int64_t n = archive_filter_bytes(a_.get(), -1);
        return n > 0 ? static_cast<uint64_t>(n) : 0;
    }

protected:
    Result<size_t> read_raw(char* buf, size_t n) override
    {
        if (done_)
            return size_t{0};
        const la_ssize_t r = archive_read_data(a_.get(), buf, n);
        if (r < 0) {
            const char* why = archive_error_string(a_.get());
            return std::unexpected(io_error(name(), std::string("decompression failed: ") + (why ? why : "?")));
        }
        if (r == 0)
            done_ = true;
        return static_cast<size_t>(r);
    }

private:
    ArchiveReader a_;
    int owned_fd_; // libarchive reads the fd but does not close it
    bool done_ = false;
};

class MemorySource final : public ByteSource {
public:
    MemorySource(std::string name, std::string data)
        : ByteSource(std::move(name), Compression::none, data.size()), data_(std::move(data)) {}
    uint64_t input_consumed() const override { return pos_; }

protected:
    Result<size_t> read_raw(char* buf, size_t n) override
    {
        const size_t k = std::min(n, data_.size() - pos_);
        std::memcpy(buf, data_.data() + pos_, k);
        pos_ += k;
        return k;
    }

private:
    std::string data_;
    size_t pos_ = 0;
};

/// Takes ownership of @p fd unless it is stdin.
Result<std::unique_ptr<ByteSource>> open_archive(const std::string& name, int fd, Compression c,
                                                 std::optional<uint64_t> size)
{
    ArchiveReader owned(archive_read_new());
    struct archive* a = owned.get();
    archive_read_support_filter_all(a);
    archive_read_support_format_raw(a);
    archive_read_support_format_empty(a);
    struct archive_entry* entry = nullptr;
    if (archive_read_open_fd(a, fd, 1 << 16) != ARCHIVE_OK || archive_read_next_header(a, &entry) != ARCHIVE_OK) {
        Error e = io_error(name, std::string("cannot decompress: ") +
                                     (archive_error_string(a) ? archive_error_string(a) : "unknown format"));
        owned.reset(); // before its fd
        if (fd != STDIN_FILENO)
            ::close(fd);
        return std::unexpected(e);
    }
    return std::unique_ptr<ByteSource>(new ArchiveSource(name, c, size, std::move(owned), fd == STDIN_FILENO ? -1 : fd));
}

} // namespace

std::unique_ptr<ByteSource> memory_byte_source(std::string name, std::string data)
{
    return std::make_unique<MemorySource>(std::move(name), std::move(data));
}

Result<std::unique_ptr<ByteSource>> open_byte_source(const std::string& path)
{
    if (path == "-") {
        // A pipe cannot be rewound, so stdin always goes through libarchive,
        // which detects compression (or none) on its own.
        return open_archive("-", STDIN_FILENO, Compression::none, std::nullopt);
    }
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return std::unexpected(io_error(path, std::strerror(errno)));
    struct stat st{};
    if (::fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
        const int err = S_ISDIR(st.st_mode) ? EISDIR : errno;
        ::close(fd);
        return std::unexpected(io_error(path, std::strerror(err)));
    }
    std::optional<uint64_t> size;
    if (S_ISREG(st.st_mode))
        size = static_cast<uint64_t>(st.st_size);
    char head[8] = {};
    const ssize_t n = ::pread(fd, head, sizeof head, 0);
    const Compression c = n > 0 ? detect_compression(std::string_view(head, static_cast<size_t>(n)))
                                : Compression::none;
    if (c == Compression::none)
        return std::unique_ptr<ByteSource>(new FdSource(path, fd, size, true));
    return open_archive(path, fd, c, size);
}

} // namespace listdex
