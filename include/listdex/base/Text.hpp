// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file Text.hpp
/// Small string helpers shared by all layers.

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace listdex {

/// ASCII lower-casing (header names, charsets, MIME types).
[[nodiscard]] std::string ascii_lower(std::string_view s);
[[nodiscard]] bool iequals(std::string_view a, std::string_view b);
[[nodiscard]] std::string_view trim(std::string_view s);

/// True when @p s is well-formed UTF-8 (no overlongs, no surrogates).
[[nodiscard]] bool is_valid_utf8(std::string_view s);

/// Returns @p s as valid UTF-8: invalid sequences become U+FFFD and NUL
/// bytes are dropped, so the result is safe for C APIs, JSON and terminals.
[[nodiscard]] std::string make_valid_utf8(std::string_view s);

/// @p s as valid UTF-8 on one line: control characters (line breaks, tabs)
/// and runs of spaces become single spaces; no leading or trailing space.
[[nodiscard]] std::string one_line(std::string_view s);

/// Strips one pair of surrounding angle brackets and white space from a
/// Message-ID as users type it: "<a@b>", "a@b", " id:<a@b> " all give "a@b".
[[nodiscard]] std::string normalize_message_id(std::string_view id);

/// @p s as a number in @p base when all of it is one (no spaces, no trailing
/// text, no overflow; a '-' only for signed @p T); nullopt otherwise.
template <class T>
[[nodiscard]] std::optional<T> parse_number(std::string_view s, int base = 10)
{
    T v{};
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v, base);
    if (ec != std::errc() || p != s.data() + s.size())
        return std::nullopt;
    return v;
}

/// A mailing list's id as RFC 2919 writes it, lower case, without <>:
/// "<xen-devel.lists.xenproject.org>", "Xen <xen-devel.lists.xenproject.org>"
/// and the "xen-devel@lists.xenproject.org" that scraped archives and
/// X-Mailing-List carry all give "xen-devel.lists.xenproject.org".
[[nodiscard]] std::string normalize_list_id(std::string_view id);

/// 17885 -> "17,885": counts as the CLI and the web server print them.
[[nodiscard]] std::string thousands(uint64_t n);
/// (1, "message", "messages") -> "1 message", 17885 -> "17,885 messages":
/// thousands(@p n) and the noun that fits it.
[[nodiscard]] std::string counted(uint64_t n, std::string_view one, std::string_view many);

/// Splits on @p sep, keeping empty fields.
[[nodiscard]] std::vector<std::string_view> split(std::string_view s, char sep);
/// @p parts with @p sep between them ("" for none).
[[nodiscard]] std::string join(const std::vector<std::string>& parts, std::string_view sep);

} // namespace listdex
