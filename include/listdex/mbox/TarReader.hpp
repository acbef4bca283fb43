// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file TarReader.hpp
/// The files inside a tar archive, compressed or not (a `wget -r` mirror
/// of a web archive packed with `tar czf`), one at a time, through
/// libarchive.

#include "listdex/base/Error.hpp"

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace listdex {

/// True when @p head (decompressed) starts a tar archive: "ustar" at 257.
[[nodiscard]] bool is_tar(std::string_view head);

struct TarMember {
    std::string name;  ///< its path inside the archive
    std::string bytes; ///< its content
};

class TarReader {
public:
    /// Fails naming @p path when it cannot be opened as an archive.
    static Result<std::unique_ptr<TarReader>> open(const std::string& path);
    ~TarReader();
    TarReader(const TarReader&) = delete;
    TarReader& operator=(const TarReader&) = delete;

    /// The next regular file (folders, links, devices and dot files such as
    /// MHonArc's `.mhonarc.db` are passed over, as a folder import does);
    /// nullopt at the end. Errors name the archive and the member.
    Result<std::optional<TarMember>> next();

private:
    TarReader() = default;
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace listdex
