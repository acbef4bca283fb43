// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file MboxWriter.hpp
/// Writes mboxrd, the format MboxReader reads back: the inverse of its
/// From_-line unescaping. Used for `search --output mbox`, `thread --format
/// mbox` and the web server's downloads.

#include <cstdint>
#include <string>
#include <string_view>

namespace listdex {

/// The From_ line public-inbox writes before every message it serves (the
/// same for all, so downloads of the same mail are byte-identical).
inline constexpr std::string_view kPublicInboxFromLine = "From mboxrd@z Thu Jan  1 00:00:00 1970";

/// Appends @p raw as one mboxrd message to @p out: @p from_line and a line
/// break, then the bytes with one more '>' on every line matching
/// ^>*From , and a blank line. Never fails.
void append_mboxrd(std::string& out, std::string_view from_line, std::string_view raw);

/// The same with listdex's From_ line: the sender taken from @p from
/// ("Name <email>", else MAILER-DAEMON) and the date @p date (UTC).
void append_mboxrd(std::string& out, const std::string& from, int64_t date, std::string_view raw);

} // namespace listdex
