// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
// The home page (every list), a list's page (its threads, its months, its
// activity) and a month of a list.
#include "Listing.hpp"
#include "Views.hpp"
#include "listdex/base/Text.hpp"
#include "listdex/base/Time.hpp"

#include <algorithm>
#include <cstdio>

namespace listdex::web {

namespace {

constexpr const char* kMonthNames[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr const char* kLongMonthNames[] = {"January", "February", "March",     "April",   "May",      "June",
                                           "July",    "August",   "September", "October", "November", "December"};

std::string month_key(int year, int month)
{
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d", year, month);
    return buf;
}

/// Every month with messages, newest year first, each year's months in order.
std::string month_index(const Scope& scope, const std::vector<MonthCount>& months)
{
    if (months.empty())
        return {};
    std::string out = "<section class=\"months\" aria-label=\"archive by month\">\n<h2>Archive by month</h2>\n";
    for (int year = months.back().year; year >= months.front().year; --year) {
        std::string cells;
        for (const auto& m : months)
            if (m.year == year)
                cells += "<li><a href=\"" + escape(scope.url() + month_key(m.year, m.month)) + "/\">" +
                         kMonthNames[m.month - 1] + " <span class=\"n\">" + thousands(m.messages) + "</span></a></li>";
        if (!cells.empty())
            out += "<div class=\"year\"><h3>" + std::to_string(year) + "</h3><ol>" + cells + "</ol></div>\n";
    }
    return out + "</section>\n";
}

std::string list_heading(const SiteList& l)
{
    const ListSummary& s = l.summary;
    return "<h1>" + escape(s.id) + "</h1>\n<p class=\"dim\">" + counted(s.messages, "message", "messages") + " · " +
           counted(s.threads, "thread", "threads") + " · " + escape(short_date(s.oldest).substr(0, 10)) + " to " +
           escape(short_date(s.newest).substr(0, 10)) + "</p>\n";
}

/// Every list by latest activity (the home page).
std::string home_page(const Catalog& catalog)
{
    std::vector<const SiteList*> lists;
    for (const auto& l : catalog.lists)
        lists.push_back(&l);
    // Latest activity first, as people read their lists.
    std::stable_sort(lists.begin(), lists.end(),
                     [](const SiteList* a, const SiteList* b) { return a->summary.newest > b->summary.newest; });
    std::string main = "<h1>Lists</h1>\n<p class=\"dim\">" + counted(catalog.messages, "message", "messages") +
                       " in " + counted(lists.size(), "list", "lists") +
                       " · <a href=\"/all/\">every list, newest first</a></p>\n";
    main += activity_svg(catalog.months, "messages per month, every list", "/all/");
    main += "<table class=\"lists\">\n<thead><tr><th>list</th><th class=\"n\">messages</th><th class=\"n\">threads</th>"
            "<th>latest</th><th>activity</th></tr></thead>\n<tbody>\n";
    for (const SiteList* l : lists) {
        const ListSummary& s = l->summary;
        const std::string url = "/" + url_encode(s.id) + "/";
        main += "<tr><td class=\"list\"><a href=\"" + url + "\">" + escape(s.id) + "</a><span class=\"since\">since " +
                escape(short_date(s.oldest).substr(0, 10)) + "</span></td><td class=\"n\" data-label=\"messages\">" +
                thousands(s.messages) + "</td><td class=\"n\" data-label=\"threads\">" + thousands(s.threads) +
                "</td><td class=\"latest\">" + escape(short_date(s.newest)) + "</td><td class=\"spark\">" +
                activity_sparkline(l->summary.months, "messages per month in " + s.id) + "</td></tr>\n";
    }
    return page("lists", main + "</tbody>\n</table>\n");
}

} // namespace

void home(Exchange& x)
{
    auto catalog = x.catalog();
    if (!catalog)
        return;
    // The same for every request until the index changes: rendering 70
    // lists' activity pictures took most of a request at 1M messages.
    x.html(200, catalog->home_page([&] { return home_page(*catalog); }));
}

void list_index(Exchange& x)
{
    if (x.has("q") || x.has("x"))
        return list_search(x);
    Readers* r = x.readers();
    if (!r)
        return;
    const Paging p = paging(x);
    const SearchOptions o = search_options(x);
    auto hits = r->searcher->threads(x.scope.query("*"), o);
    if (!hits)
        return x.error(hits.error());
    const SearchBox box{{}, x.scope.list_id()};
    if (hits->empty() && p.page > 1)
        return x.error({ExitCode::not_found, "no page " + std::to_string(p.page) + " of " + x.scope.name(), {}}, box);
    auto catalog = x.catalog();
    if (!catalog)
        return;
    std::string main;
    const std::vector<MonthCount>& months = x.scope.all() ? catalog->months : x.scope.list->summary.months;
    uint64_t threads = 0;
    if (x.scope.all()) {
        auto n = r->searcher->count("*", true);
        if (!n)
            return x.error(n.error(), box);
        threads = *n;
        main = "<h1>Every list</h1>\n<p class=\"dim\">" + thousands(catalog->messages) + " messages · " +
               thousands(threads) + " threads</p>\n";
    } else {
        threads = x.scope.list->summary.threads;
        main = list_heading(*x.scope.list);
    }
    main += "<nav class=\"links\"><a href=\"" + x.scope.url() + "?q=*\">messages</a><a href=\"" + x.scope.url() +
            "new.atom\">Atom feed</a><a href=\"" + x.scope.url() + "_/text/help/\">search help</a></nav>\n";
    main += activity_svg(months, "messages per month in " + x.scope.name(), x.scope.url());
    const std::string base = x.scope.url() + (x.has("n") ? "?n=" + std::to_string(p.size) + "&" : "?");
    const std::string pages = page_numbers(threads, p.size, p.page, [&](uint64_t n) {
        return base + "page=" + std::to_string(n);
    });
    main += "<h2>Threads, latest activity first</h2>\n" + thread_list_html(*hits, x.scope) + pages;
    main += month_index(x.scope, months);
    x.html(200, page(x.scope.name(), main, box));
}

void month_page(Exchange& x)
{
    auto catalog = x.catalog();
    if (!catalog)
        return;
    Readers* r = x.readers();
    const std::string& month = x.args[1];
    const int year = std::stoi(month.substr(0, 4)), mon = std::stoi(month.substr(5, 2));
    const std::vector<MonthCount>& months = x.scope.all() ? catalog->months : x.scope.list->summary.months;
    auto here = std::find_if(months.begin(), months.end(),
                             [&](const MonthCount& m) { return m.year == year && m.month == mon; });
    const SearchBox box{{}, x.scope.list_id()};
    if (here == months.end())
        return x.error({ExitCode::not_found, "no messages in " + x.scope.name() + " in " + month,
                        "the list page shows the months it has: " + x.scope.url()},
                       box);
    const Paging p = paging(x);
    SearchOptions o = search_options(x);
    o.sort = SortOrder::oldest; // an archive month reads in order
    const std::string query = x.scope.query("d:" + month);
    auto hits = r->searcher->threads(query, o);
    if (!hits)
        return x.error(hits.error(), box);
    auto threads = r->searcher->count(query, true);
    if (!threads)
        return x.error(threads.error(), box);
    std::string main = "<h1>" + escape(x.scope.name()) + ": " + kLongMonthNames[mon - 1] + " " +
                       std::to_string(year) + "</h1>\n<p class=\"dim\">" +
                       counted(here->messages, "message", "messages") + " in " + counted(*threads, "thread", "threads") +
                       ", oldest first</p>\n<nav class=\"links\">";
    if (here != months.begin())
        main += "<a rel=\"prev\" href=\"" + x.scope.url() + month_key((here - 1)->year, (here - 1)->month) + "/\">←&nbsp;" +
                month_key((here - 1)->year, (here - 1)->month) + "</a>";
    main += "<a href=\"" + x.scope.url() + "\">" + escape(x.scope.name()) + "</a>";
    if (here + 1 != months.end())
        main += "<a rel=\"next\" href=\"" + x.scope.url() + month_key((here + 1)->year, (here + 1)->month) + "/\">" +
                month_key((here + 1)->year, (here + 1)->month) + "&nbsp;→</a>";
    main += "</nav>\n" + thread_list_html(*hits, x.scope);
    const std::string base = x.scope.url() + month + "/?";
    main += page_numbers(*threads, p.size, p.page, [&](uint64_t n) { return base + "page=" + std::to_string(n); });
    x.html(200, page(x.scope.name() + " " + month, main, box));
}

} // namespace listdex::web
