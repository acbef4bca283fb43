// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file File.hpp
/// Replacing a small file whole, as the index's text files (listdex.conf,
/// shard stubs, the round journal) are: a reader, or a restart after a
/// crash, sees the old contents or the new, never part.

#include "listdex/base/Error.hpp"

#include <filesystem>
#include <string_view>

namespace listdex {

/// Writes @p contents to PATH.tmp and renames it over @p path. With
/// @p durable, the file is synced before the rename and its folder after,
/// so the new contents survive a power cut once this returns. Fails with
/// ExitCode::failure naming the file and the system's reason (PATH.tmp may
/// then remain; the next call overwrites it).
[[nodiscard]] Result<void> replace_file(const std::filesystem::path& path, std::string_view contents,
                                        bool durable = true);

} // namespace listdex
