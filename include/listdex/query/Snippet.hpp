// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file Snippet.hpp
/// Query-aware snippets and highlights, cut from a message's stored snippet
/// text (its own lines). Pure functions.

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace listdex {

/// A one-line snippet of about @p length bytes of @p text (a message's
/// stored snippet text), around the first place where the most different
/// @p stems (the query's body words, lower case) start words close together
/// (a phrase, or query words near each other), else from its beginning;
/// "..." marks cut ends. Words match by stem prefix ("sampl" finds "samples").
/// Not Xapian's MSet::snippet: it stems and weighs every word of the text
/// (10 ms for a page of 50 long messages here).
[[nodiscard]] std::string cut_snippet(std::string_view text, const std::vector<std::string>& stems,
                                      size_t length = 200);

/// Byte ranges (offset, length) of the words in @p text that start like one
/// of @p stems, as cut_snippet matches them (whole words, any case).
[[nodiscard]] std::vector<std::pair<size_t, size_t>> highlight_ranges(std::string_view text,
                                                                    const std::vector<std::string>& stems);

} // namespace listdex
