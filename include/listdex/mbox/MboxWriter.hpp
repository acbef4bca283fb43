#pragma once
/// @file MboxWriter.hpp
/// Writes mboxrd, the format MboxReader reads back: the inverse of its
/// From_-line unescaping. Used for `search --output mbox`, `thread --format
/// mbox` and the web server's downloads.

#include <cstdint>
#include <string>
#include <string_view>

namespace listdex {

/// Appends @p raw as one mboxrd message to @p out: a From_ line (sender
/// taken from @p from, "Name <email>", else MAILER-DAEMON; date @p date, UTC),
/// then the bytes with one more '>' on every line matching ^>*From , and a
/// blank line. Never fails.
void append_mboxrd(std::string& out, const std::string& from, int64_t date, std::string_view raw);

} // namespace listdex
