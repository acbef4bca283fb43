// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
// The JSON API: exactly the objects the CLI prints with --format json
// (docs/json.md), so scripts can move between them.
#include "Listing.hpp"
#include "Views.hpp"
#include "listdex/base/Text.hpp"
#include "listdex/query/Json.hpp"

namespace listdex::web {

void api_search(Exchange& x)
{
    const std::string q(trim(x.param("q")));
    if (q.empty())
        return x.json_error({ExitCode::usage, "q: a query is needed", "q=* matches everything"});
    if (auto scoped = x.scope_from_l(); !scoped)
        return x.json_error(scoped.error());
    Readers* r = x.readers();
    if (!r)
        return;
    const SearchOptions o = search_options(x);
    const std::string query = x.scope.query(q);
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    if (x.param("output") == "messages") {
        auto hits = r->searcher->messages(query, o);
        if (!hits)
            return x.json_error(hits.error());
        for (const auto& h : *hits)
            out.push_back(message_hit_json(h));
    } else {
        auto hits = r->searcher->threads(query, o);
        if (!hits)
            return x.json_error(hits.error());
        for (const auto& h : *hits)
            out.push_back(thread_hit_json(h));
    }
    x.json(200, out);
}

void api_thread(Exchange& x)
{
    Readers* r = x.readers();
    if (!r)
        return;
    auto view = r->searcher->thread(x.args[0]);
    if (!view)
        return x.json_error(view.error());
    x.json(200, thread_view_json(*view));
}

void api_message(Exchange& x)
{
    Readers* r = x.readers();
    if (!r)
        return;
    auto found = r->reader->find(x.args[0]);
    if (!found)
        return x.json_error(found.error());
    nlohmann::ordered_json all = nlohmann::ordered_json::array();
    for (const auto& m : *found) {
        auto pm = r->reader->parse(m);
        if (!pm)
            return x.json_error(pm.error());
        all.push_back(message_json(m, *pm));
    }
    x.json(200, all.size() == 1 ? all.front() : all);
}

} // namespace listdex::web
