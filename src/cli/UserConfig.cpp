// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "UserConfig.hpp"

#include "listdex/base/Text.hpp"

#include <cstdlib>
#include <fstream>

namespace listdex::cli {

std::filesystem::path user_config_path()
{
    if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg == '/')
        return std::filesystem::path(xdg) / "listdex" / "config";
    const char* home = std::getenv("HOME");
    return std::filesystem::path(home ? home : "/") / ".config" / "listdex" / "config";
}

Result<ReaderState> read_user_config()
{
    const auto path = user_config_path();
    ReaderState reader;
    std::ifstream in(path);
    if (!in) {
        if (std::filesystem::exists(path))
            return fail(ExitCode::failure, path.string() + ": cannot read the configuration");
        return reader;
    }
    std::string line;
    for (size_t n = 1; std::getline(in, line); ++n) {
        const std::string_view l = trim(line);
        if (l.empty() || l.front() == '#')
            continue;
        const size_t eq = l.find('=');
        const std::string where = path.string() + ":" + std::to_string(n);
        if (eq == std::string_view::npos)
            return fail(ExitCode::usage, where + ": expected 'key = value'", "address = me@example.org");
        const std::string key(trim(l.substr(0, eq))), value(trim(l.substr(eq + 1)));
        if (key != "address")
            return fail(ExitCode::usage, where + ": unknown key '" + key + "'", "the keys are: address");
        if (value.find('@') == std::string::npos || value.find_first_of(" \t<>") != std::string::npos)
            return fail(ExitCode::usage, where + ": '" + value + "' is not an address", "address = me@example.org");
        reader.addresses.push_back(ascii_lower(value));
    }
    return reader;
}

} // namespace listdex::cli
