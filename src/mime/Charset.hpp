// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file Charset.hpp
/// Turning bytes in a declared (or undeclared, or wrong) charset into UTF-8.

#include <string>
#include <string_view>

namespace listdex {

/// Initialises GMime once per process (its charset tables among others);
/// every entry point of this module calls it before using GMime.
void init_gmime();

/// Cleans a charset name as found in the wild: quotes, white space, case,
/// and the "3D" left by double quoted-printable encoding ("=3Dutf-8").
[[nodiscard]] std::string clean_charset_name(std::string_view declared);

/// Converts @p bytes to valid UTF-8. @p declared may be empty (undeclared).
/// - us-ascii/undeclared with 8-bit bytes: UTF-8 when it is valid UTF-8,
///   else windows-1252 (GMime's fallback detection);
/// - iso-8859-1 and us-ascii are read as windows-1252, the superset senders
///   actually use (curly quotes in 0x80-0x9F);
/// - a declared charset iconv does not know, or bytes invalid in it, fall
///   back to detection. The result is always valid UTF-8.
/// @p changed_charset is set when the declared charset could not be used.
[[nodiscard]] std::string to_utf8(std::string_view bytes, std::string_view declared, bool* changed_charset = nullptr);

} // namespace listdex
