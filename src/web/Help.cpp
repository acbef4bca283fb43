// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
// The query language help page (public-inbox's /LIST/_/text/help/), built
// from the schema's field table like `listdex help search`, and the
// stylesheet.
#include "Views.hpp"
#include "listdex/index/Schema.hpp"
#include "listdex/query/QueryDate.hpp"

namespace listdex::web {

void help_page(Exchange& x)
{
    const SearchBox box{{}, x.scope.list_id()};
    std::string main = "<h1>Searching " + escape(x.scope.all() ? std::string("every list") : x.scope.name()) +
                       "</h1>\n<p>Words match anywhere (subject, body, quoted lines, patches, senders, attachment "
                       "names); <code>\"a phrase\"</code> matches words in order; a trailing <code>*</code> "
                       "matches words starting so. Join with <code>AND</code> (the default), <code>OR</code>, "
                       "<code>NOT</code>, <code>-word</code> and parentheses. A pasted "
                       "<code>&lt;Message-ID&gt;</code> finds that message.</p>\n"
                       "<table class=\"fields\">\n<thead><tr><th>field</th><th>searches</th><th>example</th></tr>"
                       "</thead>\n<tbody>\n";
    for (const auto& f : schema::kFields) {
        if (f.personal)
            continue; // the reader's own state: not served
        std::string names;
        schema::detail::for_each_name(
            f, [&](std::string_view n) { names += (names.empty() ? "" : " ") + escape(std::string(n)) + ":"; });
        main += "<tr><td><code>" + names + "</code></td><td>" + escape(std::string(f.what)) + "</td><td><a href=\"" +
                x.scope.url() + "?q=" + escape(url_encode(f.example)) + "\"><code>" +
                escape(std::string(f.example)) + "</code></a></td></tr>\n";
    }
    main += "</tbody>\n</table>\n<p>Dates (<code>d:</code>, <code>dt:</code>, <code>rt:</code>): " +
            escape(std::string(kDateForms)) +
            ".</p>\n<p>Counts are exact. Results as mbox for lei and b4: <code>POST " + x.scope.url() +
            "?q=QUERY&amp;x=m</code> (add <code>&amp;t=1</code> for whole threads).</p>\n";
    x.html(200, page("search help", main, box));
}

void stylesheet(Exchange& x)
{
    x.res.set_header("Cache-Control", "max-age=3600");
    x.text(200, std::string(style_sheet_text()), "text/css; charset=utf-8");
}

} // namespace listdex::web
