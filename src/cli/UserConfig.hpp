// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file UserConfig.hpp
/// The reader's own configuration: $XDG_CONFIG_HOME/listdex/config (else
/// ~/.config/listdex/config), lines "key = value", '#' comments:
///   address = me@example.org      (repeatable: threads you wrote in are followed)

#include "listdex/base/Error.hpp"
#include "listdex/query/Searcher.hpp"

#include <filesystem>

namespace listdex::cli {

/// Where the configuration file is (it may not exist).
[[nodiscard]] std::filesystem::path user_config_path();

/// The reader read from the configuration file; no addresses when there is
/// no file. Fails naming the file and line on an unknown key or a value
/// that is not an address.
Result<ReaderState> read_user_config();

} // namespace listdex::cli
