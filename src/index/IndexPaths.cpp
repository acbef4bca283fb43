// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "listdex/index/IndexPaths.hpp"

#include <cstdlib>

namespace listdex {

bool IndexPaths::exists() const
{
    std::error_code ec;
    return std::filesystem::exists(config(), ec);
}

IndexPaths resolve_index_paths(const std::string& explicit_dir)
{
    if (!explicit_dir.empty())
        return {explicit_dir};
    if (const char* env = std::getenv("LISTDEX_INDEX"); env && *env)
        return {env};
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg)
        return {std::filesystem::path(xdg) / "listdex"};
    const char* home = std::getenv("HOME");
    return {std::filesystem::path(home && *home ? home : ".") / ".local" / "share" / "listdex"};
}

} // namespace listdex
