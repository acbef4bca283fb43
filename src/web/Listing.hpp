// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file Listing.hpp
/// Lists of threads and messages, and page navigation: shared by the list,
/// month and search pages.

#include "Site.hpp"

#include <functional>
#include <string>
#include <vector>

namespace listdex::web {

/// Threads, one row each: subject (to the oldest message's page under
/// @p scope), date, matched/total messages, authors.
[[nodiscard]] std::string thread_list_html(const std::vector<ThreadHit>& hits, const Scope& scope);
/// Messages with their snippets (query words in <mark>).
[[nodiscard]] std::string message_list_html(const std::vector<MessageHit>& hits, const Scope& scope);

/// Page numbers for @p total results, @p per_page a page, the current
/// page @p current (1-based). @p url gives a page's URL.
[[nodiscard]] std::string page_numbers(uint64_t total, uint64_t per_page, uint64_t current,
                                       const std::function<std::string(uint64_t page)>& url);

/// "/NAME/ID/" of a message under @p scope ("all" or a list id).
[[nodiscard]] std::string message_url(const Scope& scope, std::string_view key);

/// Page size and page number from ?n= and ?page= (1-based), bounded.
struct Paging {
    uint64_t size = 50;
    uint64_t page = 1;
    [[nodiscard]] uint64_t offset() const { return (page - 1) * size; }
};
[[nodiscard]] Paging paging(const Exchange& x);
/// A search as listdex's URLs ask for it: paging(), ?sort=newest|oldest|
/// relevance, and the server's time limit.
[[nodiscard]] SearchOptions search_options(const Exchange& x);

} // namespace listdex::web
