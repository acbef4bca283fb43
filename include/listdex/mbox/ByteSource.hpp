// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file ByteSource.hpp
/// A forward-only stream of (decompressed) bytes from a file or stdin.
/// Compression is detected from content, never from the file name.

#include "listdex/base/Error.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace listdex {

/// Compression formats recognised by their magic bytes.
enum class Compression { none, gzip, bzip2, xz, zstd, other };
[[nodiscard]] const char* compression_name(Compression c);
/// Detects compression from the first bytes of a file.
[[nodiscard]] Compression detect_compression(std::string_view head);

class ByteSource {
public:
    virtual ~ByteSource() = default;
    ByteSource(const ByteSource&) = delete;
    ByteSource& operator=(const ByteSource&) = delete;

    /// Reads up to @p n bytes into @p buf; 0 means end of input.
    /// Errors name the file.
    Result<size_t> read(char* buf, size_t n);

    /// Returns up to @p n bytes from the current position without consuming
    /// them (used to sniff the format before anything is imported).
    Result<std::string_view> peek(size_t n);

    /// Reads everything that is left.
    Result<std::string> read_all();

    /// The path as given by the user ("-" for stdin).
    [[nodiscard]] const std::string& name() const { return name_; }
    /// Bytes of the underlying file consumed so far (compressed bytes when the
    /// input is compressed): the numerator of "percent read".
    [[nodiscard]] virtual uint64_t input_consumed() const = 0;
    /// Size of the underlying file, when known (not for pipes).
    [[nodiscard]] std::optional<uint64_t> input_size() const { return input_size_; }
    [[nodiscard]] Compression compression() const { return compression_; }

protected:
    ByteSource(std::string name, Compression c, std::optional<uint64_t> size)
        : name_(std::move(name)), compression_(c), input_size_(size) {}
    virtual Result<size_t> read_raw(char* buf, size_t n) = 0;

private:
    std::string name_;
    Compression compression_;
    std::optional<uint64_t> input_size_;
    std::string peeked_; // bytes read ahead by peek(), served first by read()
};

/// Opens @p path ("-" for standard input), decompressing gzip, bzip2, xz,
/// zstd (and whatever else libarchive recognises) transparently.
/// Fails with ExitCode::bad_input naming the file when it cannot be opened.
Result<std::unique_ptr<ByteSource>> open_byte_source(const std::string& path);

/// A source over bytes already in memory (uncompressed), named @p name.
std::unique_ptr<ByteSource> memory_byte_source(std::string name, std::string data);

} // namespace listdex
