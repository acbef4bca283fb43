// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file Html.hpp
/// HTML and Atom building blocks for the web server. Message content is
/// written by strangers: everything that comes from a message goes through
/// escape(); only http(s) URLs in bodies become links.

#include "listdex/query/Searcher.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace listdex::web {

/// @p s with & < > " ' escaped: safe in HTML text, attribute values and XML.
[[nodiscard]] std::string escape(std::string_view s);
/// @p s percent-encoded for one URL path segment or query value: everything
/// but letters, digits and -._~@ is encoded ('/' too).
[[nodiscard]] std::string url_encode(std::string_view s);

/// @p text escaped, with the byte ranges @p marks wrapped in <mark>.
[[nodiscard]] std::string highlighted(std::string_view text, const std::vector<std::pair<size_t, size_t>>& marks);

/// A message body as the inside of a <pre>: every line escaped, quoted lines
/// ("> ...") and diff lines (after "diff --git" or "@@ ") in classed spans,
/// http(s) URLs linked with rel="nofollow noopener noreferrer".
[[nodiscard]] std::string body_html(std::string_view body);

/// The search box in every page's header.
struct SearchBox {
    std::string query; ///< shown in the box
    /// The list it searches ("" for every list). A scoped box sends its
    /// query to /LIST/?q= (public-inbox's form), so refining keeps the scope.
    std::string list;
};

/// A whole page: @p title (plain text) and @p main (HTML), with the header's
/// search box.
[[nodiscard]] std::string page(std::string_view title, std::string_view main, const SearchBox& box = {});

/// The stylesheet served at /style.css (Style.cpp).
[[nodiscard]] std::string_view style_sheet_text();

/// Messages per month as a bar chart in inline SVG (no script, no image
/// request): a bar per month from the first to the last of @p months,
/// empty months included, each with a tooltip ("2024-03: 1,234
/// messages") and, when @p link_prefix is given, a link to
/// link_prefix + "YYYY-MM/". @p label names the picture for screen readers.
[[nodiscard]] std::string activity_svg(const std::vector<MonthCount>& months, std::string_view label,
                                       std::string_view link_prefix = {});

/// The same bars as activity_svg as one path, with neither tooltips nor
/// links: the home page's picture per list. A bar with its tooltip and
/// link is 140 bytes; at 97 lists of seven years that was 1.2 MB of the
/// home page, gzipped again for every browser's request.
/// @p label (the picture's name for screen readers and its tooltip) is
/// followed by the busiest month.
[[nodiscard]] std::string activity_sparkline(const std::vector<MonthCount>& months, std::string_view label);

/// One Atom entry.
struct AtomEntry {
    std::string id;      ///< absolute URL of the message page
    std::string title;
    std::string author;  ///< "Name <email>"
    int64_t updated = 0;
    std::string summary; ///< plain text
};

/// An Atom feed document.
[[nodiscard]] std::string atom_feed(std::string_view id, std::string_view title, int64_t updated,
                                    const std::vector<AtomEntry>& entries);

} // namespace listdex::web
