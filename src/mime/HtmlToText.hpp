// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file HtmlToText.hpp
/// Readable plain text from HTML mail, via libxml2's forgiving HTML parser.

#include <string>
#include <string_view>

namespace listdex {

/// Converts UTF-8 @p html to text: scripts, styles and the head are dropped,
/// entities decoded, block elements become line breaks, list items "* ",
/// blockquotes "> "-quoted, and links keep their target as text
/// ("label <https://...>"). Never executes or fetches anything.
[[nodiscard]] std::string html_to_text(std::string_view html);

} // namespace listdex
