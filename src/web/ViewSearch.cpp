// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
// Search results as pages and Atom feeds, in two URL schemes: listdex's
// /search?q=&o=&l=&page= and public-inbox's /LIST/?q=&x=&o= (what lore's
// links and lei's users type). Both count exactly.
#include "Listing.hpp"
#include "Views.hpp"
#include "listdex/base/Text.hpp"

namespace listdex::web {

namespace {

/// One results page to show.
struct Results {
    std::string shown;  ///< the query as typed
    std::string query;  ///< the same, limited to the scope
    bool messages = false;
    SearchOptions options;
    std::function<std::string(uint64_t page)> page_url;
    std::string switch_url; ///< the same search as threads (or as messages)
    std::string atom_url;
};

void show_results(Exchange& x, const Results& rq)
{
    const SearchBox box{rq.shown, x.scope.list_id()};
    Readers* r = x.readers();
    if (!r)
        return;
    std::string list_html;
    if (rq.messages) {
        auto hits = r->searcher->messages(rq.query, rq.options);
        if (!hits)
            return x.error(hits.error(), box);
        list_html = message_list_html(*hits, x.scope);
    } else {
        auto hits = r->searcher->threads(rq.query, rq.options);
        if (!hits)
            return x.error(hits.error(), box);
        list_html = thread_list_html(*hits, x.scope);
    }
    auto count = r->searcher->count(rq.query, !rq.messages);
    if (!count)
        return x.error(count.error(), box);
    std::string main = "<h1>" + escape(rq.shown) + "</h1>\n<p class=\"dim\">" +
                       (rq.messages ? counted(*count, "message", "messages") : counted(*count, "thread", "threads")) +
                       (x.scope.all() ? std::string() : " in " + escape(x.scope.name())) + " · <a href=\"" +
                       escape(rq.switch_url) + "\">" + (rq.messages ? "as threads" : "as messages") + "</a> · <a href=\"" +
                       escape(rq.atom_url) + "\">Atom feed</a> · <a href=\"" + x.scope.url() +
                       "_/text/help/\">help</a></p>\n";
    if (*count == 0)
        main += "<p>Nothing matches.</p>\n";
    const uint64_t page_no = rq.options.offset / rq.options.limit + 1;
    main += list_html + page_numbers(*count, rq.options.limit, page_no, rq.page_url);
    x.html(200, page(rq.shown, main, box));
}

void atom(Exchange& x, const std::string& query, const std::string& title)
{
    Readers* r = x.readers();
    if (!r)
        return;
    SearchOptions o;
    o.limit = x.site.options().page_size;
    o.time_limit = x.site.options().search_seconds;
    auto hits = r->searcher->messages(query, o);
    if (!hits)
        return x.error(hits.error());
    const std::string base = x.base_url();
    std::vector<AtomEntry> entries;
    for (const auto& m : *hits)
        entries.push_back({base + message_url(x.scope, m.id), m.subject, m.from, m.date, m.snippet});
    x.text(200, atom_feed(base + x.req.target, title, hits->empty() ? 0 : hits->front().date, entries), kAtom);
}

/// "?a=1&b=2" of @p x's parameters with @p changes applied ("" drops one).
std::string with_params(const Exchange& x, std::initializer_list<std::pair<std::string, std::string>> changes)
{
    std::string out;
    auto add = [&](const std::string& k, const std::string& v) {
        out += (out.empty() ? "?" : "&") + url_encode(k) + "=" + url_encode(v);
    };
    for (const auto& [k, v] : x.req.params) {
        bool changed = false;
        for (const auto& c : changes)
            changed = changed || c.first == k;
        if (!changed)
            add(k, v);
    }
    for (const auto& [k, v] : changes)
        if (!v.empty())
            add(k, v);
    return out;
}

} // namespace

void search_page(Exchange& x)
{
    const std::string shown = x.param("q");
    if (auto scoped = x.scope_from_l(); !scoped)
        return x.error(scoped.error(), {shown, {}});
    if (trim(shown).empty())
        return x.html(200, page("search", "<h1>Search</h1>\n<p>Words, \"phrases\", f: (from), s: (subject), "
                                          "l: (list), d:2024-01..2024-03, AND, OR, NOT: <a href=\"" +
                                              x.scope.url() + "_/text/help/\">the query language</a>.</p>\n",
                                          {{}, x.scope.list_id()}));
    Results rq;
    rq.shown = shown;
    rq.query = x.scope.query(shown);
    rq.messages = x.param("o") == "messages";
    rq.options = search_options(x);
    rq.page_url = [&](uint64_t n) { return "/search" + with_params(x, {{"page", std::to_string(n)}}); };
    rq.switch_url = "/search" + with_params(x, {{"o", rq.messages ? "" : "messages"}, {"page", ""}});
    rq.atom_url = "/search.atom" + with_params(x, {{"o", ""}, {"page", ""}, {"n", ""}, {"sort", ""}});
    show_results(x, rq);
}

void search_atom(Exchange& x)
{
    const std::string q = x.param("q");
    if (trim(q).empty())
        return x.error({ExitCode::usage, "q: a query is needed", "/search.atom?q=QUERY"});
    if (auto scoped = x.scope_from_l(); !scoped)
        return x.error(scoped.error());
    atom(x, x.scope.query(q), "listdex: " + q);
}

void list_search(Exchange& x)
{
    const std::string shown = x.param("q");
    const std::string view = x.param("x");
    if (view == "A")
        return trim(shown).empty() ? list_atom(x) : atom(x, x.scope.query(shown), x.scope.name() + ": " + shown);
    if (trim(shown).empty())
        return x.error({ExitCode::usage, "q: a query is needed", x.scope.url() + "?q=QUERY"},
                       {{}, x.scope.list_id()});
    // public-inbox's o= is an offset into the results (negative: counted
    // from the oldest), r= sorts by relevance.
    Results rq;
    rq.shown = shown;
    rq.query = x.scope.query(shown);
    rq.messages = view != "t";
    rq.options = search_options(x);
    rq.options.offset = 0;
    rq.options.sort = SortOrder::newest;
    const std::string o = x.param("o");
    if (auto n = parse_number<int64_t>(o); n && *n < 0) {
        rq.options.sort = SortOrder::oldest;
        rq.options.offset = static_cast<uint64_t>(-(*n + 1));
    } else if (n) {
        rq.options.offset = static_cast<uint64_t>(*n);
    }
    if (x.has("r"))
        rq.options.sort = SortOrder::relevance;
    rq.options.offset -= rq.options.offset % rq.options.limit;
    const bool ascending = rq.options.sort == SortOrder::oldest;
    rq.page_url = [&](uint64_t n) {
        const int64_t offset = static_cast<int64_t>((n - 1) * rq.options.limit);
        return x.scope.url() + with_params(x, {{"o", ascending ? std::to_string(-offset - 1) : std::to_string(offset)}});
    };
    rq.switch_url = x.scope.url() + with_params(x, {{"x", rq.messages ? "t" : ""}, {"o", ""}});
    rq.atom_url = x.scope.url() + with_params(x, {{"x", "A"}, {"o", ""}});
    show_results(x, rq);
}

void list_atom(Exchange& x)
{
    atom(x, x.scope.query("*"), x.scope.name());
}

} // namespace listdex::web
