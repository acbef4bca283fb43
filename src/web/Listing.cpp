// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "Listing.hpp"

#include "listdex/base/Text.hpp"
#include "listdex/base/Time.hpp"

#include <algorithm>

namespace listdex::web {

std::string message_url(const Scope& scope, std::string_view key)
{
    return scope.url() + url_encode(key) + "/";
}

Paging paging(const Exchange& x)
{
    const ServeOptions& o = x.site.options();
    Paging p;
    p.size = o.page_size;
    if (x.has("n"))
        p.size = std::clamp<uint64_t>(parse_number<uint64_t>(x.param("n")).value_or(o.page_size), 1, o.max_page_size);
    p.page = std::clamp<uint64_t>(parse_number<uint64_t>(x.param("page")).value_or(1), 1, 1000000);
    return p;
}

SearchOptions search_options(const Exchange& x)
{
    const Paging p = paging(x);
    SearchOptions o;
    o.limit = p.size;
    o.offset = p.offset();
    o.time_limit = x.site.options().search_seconds;
    if (x.param("sort") == "oldest")
        o.sort = SortOrder::oldest;
    else if (x.param("sort") == "relevance")
        o.sort = SortOrder::relevance;
    return o;
}

std::string thread_list_html(const std::vector<ThreadHit>& hits, const Scope& scope)
{
    std::string out = "<ol class=\"results\">\n";
    for (const auto& t : hits) {
        std::string authors;
        for (size_t i = 0; i < t.authors.size() && i < 4; ++i)
            authors += (i ? ", " : "") + t.authors[i];
        if (t.authors.size() > 4)
            authors += ", …";
        const std::string url = t.first.empty() ? "/t/thread:" + url_encode(t.thread) : message_url(scope, t.first);
        out += "<li><a class=\"subject\" href=\"" + escape(url) + "\">" +
               escape(t.subject.empty() ? "(no subject)" : t.subject) + "</a><div class=\"meta\"><span>" +
               escape(short_date(t.date)) + "</span> · <a href=\"" +
               escape(t.first.empty() ? url : url + "T/") + "\">" +
               (t.matched == t.messages ? "" : thousands(t.matched) + "/") + counted(t.messages, "message", "messages") +
               "</a> · " + escape(authors) + "</div></li>\n";
    }
    return out + "</ol>\n";
}

std::string message_list_html(const std::vector<MessageHit>& hits, const Scope& scope)
{
    std::string out = "<ol class=\"results\">\n";
    for (const auto& m : hits)
        out += "<li><a class=\"subject\" href=\"" + escape(message_url(scope, m.id)) + "\">" +
               escape(m.subject.empty() ? "(no subject)" : m.subject) + "</a><div class=\"meta\"><span>" +
               escape(short_date(m.date)) + "</span> · " + escape(m.from) + "</div><p class=\"snippet\">" +
               highlighted(m.snippet, m.highlights) + "</p></li>\n";
    return out + "</ol>\n";
}

std::string page_numbers(uint64_t total, uint64_t per_page, uint64_t current,
                         const std::function<std::string(uint64_t page)>& url)
{
    const uint64_t pages = per_page ? (total + per_page - 1) / per_page : 1;
    if (pages <= 1 && current <= 1)
        return {};
    auto link = [&](uint64_t p, const std::string& label, const char* rel = nullptr) {
        return "<a href=\"" + escape(url(p)) + "\"" + (rel ? std::string(" rel=\"") + rel + "\"" : std::string()) +
               ">" + label + "</a>";
    };
    std::string out = "<nav class=\"pages\" aria-label=\"pages\">";
    if (current > 1)
        out += link(current - 1, "←&nbsp;previous", "prev");
    // First, last, and two either side of the current page.
    uint64_t shown = 0;
    for (uint64_t p = 1; p <= pages; ++p) {
        if (p != 1 && p != pages && (p + 2 < current || p > current + 2))
            continue;
        if (shown && p > shown + 1)
            out += "<span class=\"gap\">…</span>";
        out += p == current ? "<strong aria-current=\"page\">" + thousands(p) + "</strong>" : link(p, thousands(p));
        shown = p;
    }
    if (current < pages)
        out += link(current + 1, "next&nbsp;→", "next");
    return out + "</nav>\n";
}

} // namespace listdex::web
