// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "Routes.hpp"

#include "Views.hpp"
#include "listdex/base/Text.hpp"

#include <algorithm>
#include <cctype>
#include <span>

namespace listdex::web {

namespace {

void list_redirect(Exchange& x);    // /LIST -> /LIST/
void message_redirect(Exchange& x); // /LIST/ID -> /LIST/ID/
void add_slash(Exchange& x);        // /LIST/ID/T -> /LIST/ID/T/ ...
void find_message(Exchange& x);     // /ID, /r/ID -> /LIST/ID/

enum class Method { get, post };

struct Route {
    Method method;
    std::string_view pattern;
    Lane lane;
    void (*handler)(Exchange&);
};

// Parts of a pattern: a literal segment, or
//   {list}   a list id, its unique short name (before the first dot), or "all"
//   {id}     a Message-ID (or ID#HASH): one segment, percent-decoded, or more
//            than one when a client left its '/' unescaped
//   {month}  YYYY-MM
//   {n}      a number
//   {attach} public-inbox's part number and a cosmetic filename: 2-foo.patch, 1.2-a.txt
//   {any}    any one segment
// A pattern ending in '/' wants the trailing slash; the first match wins.
constexpr Route kRoutes[] = {
    {Method::get, "/", Lane::page, home},                                     // lists, latest activity first
    {Method::get, "/style.css", Lane::page, stylesheet},                      // the stylesheet
    {Method::get, "/search", Lane::search, search_page},                      // ?q= results, threads or o=messages
    {Method::get, "/search.atom", Lane::search, search_atom},                 // ?q= newest matches as Atom
    {Method::get, "/api/search", Lane::search, api_search},                   // JSON: listdex search
    {Method::get, "/api/thread/{id}", Lane::page, api_thread},                // JSON: listdex thread
    {Method::get, "/api/message/{id}", Lane::page, api_message},              // JSON: listdex show
    {Method::get, "/m/{id}/raw", Lane::page, raw_message},                    // one message's stored bytes
    {Method::get, "/m/{id}/{n}/{any}", Lane::page, attachment_by_part},       // attachment by listdex part number
    {Method::get, "/m/{id}", Lane::page, message_page},                       // the message, any list
    {Method::get, "/t/{id}", Lane::page, thread_overview},                    // thread tree; ID.mbox.gz: download
    {Method::get, "/r/{id}", Lane::page, find_message},                       // redirect to /LIST/ID/
    {Method::get, "/{list}/", Lane::search, list_index},                      // threads; ?q= search, &x=A Atom, &x=t threads
    {Method::post, "/{list}/", Lane::search, search_mbox},                    // ?q=&x=m[&t=1]: matches as mbox.gz (lei, b4)
    {Method::get, "/{list}/new.atom", Lane::search, list_atom},               // newest messages as Atom
    {Method::get, "/{list}/_/text/help/", Lane::page, help_page},             // the query language
    {Method::get, "/{list}/_/text/help", Lane::page, add_slash},              // -> .../help/
    {Method::get, "/{list}/{month}/", Lane::search, month_page},              // threads active that month
    {Method::get, "/{list}/{month}", Lane::page, add_slash},                  // -> /LIST/YYYY-MM/
    {Method::get, "/{list}/{id}/", Lane::page, message_page},                 // the message, its thread, navigation
    {Method::get, "/{list}/{id}/raw", Lane::page, raw_mboxrd},                // every message with the id, mboxrd
    {Method::get, "/{list}/{id}/t.mbox.gz", Lane::page, thread_mbox},         // the thread, gzipped mboxrd (b4)
    {Method::get, "/{list}/{id}/t.mbox", Lane::page, thread_mbox},            // the thread, mboxrd
    {Method::get, "/{list}/{id}/T/", Lane::page, thread_messages},            // the thread's messages by date
    {Method::get, "/{list}/{id}/t/", Lane::page, thread_messages},            // the thread's messages nested
    {Method::get, "/{list}/{id}/t.atom", Lane::page, thread_atom},            // the thread as Atom
    {Method::get, "/{list}/{id}/series.mbox", Lane::page, series_mbox},       // a patch series in order, for git am
    {Method::get, "/{list}/{id}/{attach}", Lane::page, attachment_by_index},  // a part by public-inbox's number
    {Method::get, "/{list}/{id}/T", Lane::page, add_slash},                   // -> .../T/
    {Method::get, "/{list}/{id}/t", Lane::page, add_slash},                   // -> .../t/
    {Method::get, "/{list}/{id}", Lane::page, message_redirect},              // -> /LIST/ID/ (b4 sends HEAD)
    {Method::get, "/{list}", Lane::page, list_redirect},                      // -> /LIST/
    {Method::get, "/{id}", Lane::page, find_message},                         // a Message-ID: -> /LIST/ID/
};

/// Each route's pattern split at '/', once.
const std::vector<std::vector<std::string_view>>& route_parts()
{
    static const auto parts = [] {
        std::vector<std::vector<std::string_view>> out;
        for (const Route& r : kRoutes)
            out.push_back(split(r.pattern.substr(1), '/'));
        return out;
    }();
    return parts;
}

bool is_month(std::string_view s)
{
    if (s.size() != 7 || s[4] != '-')
        return false;
    for (size_t i : {0, 1, 2, 3, 5, 6})
        if (!std::isdigit(static_cast<unsigned char>(s[i])))
            return false;
    const int month = (s[5] - '0') * 10 + (s[6] - '0');
    return month >= 1 && month <= 12;
}

bool is_attach(std::string_view s)
{
    const size_t dash = s.find('-');
    if (dash == 0 || dash == std::string_view::npos || !std::isdigit(static_cast<unsigned char>(s[0])))
        return false;
    return std::all_of(s.begin(), s.begin() + static_cast<ptrdiff_t>(dash),
                       [](char c) { return std::isdigit(static_cast<unsigned char>(c)) || c == '.'; });
}

/// Matches @p parts against @p segs; fills @p args with what {...} parts
/// matched. @p list_ok decides whether a segment names a list; {id} spans
/// several segments only when @p multi is set (the second pass).
template <class ListOk>
bool match(std::span<const std::string_view> parts, std::span<const std::string> segs, std::vector<std::string>& args,
           const ListOk& list_ok, bool multi)
{
    if (parts.empty())
        return segs.empty();
    const std::string_view p = parts.front();
    if (p == "{id}") {
        // One segment, or on the second pass more (an unescaped '/'): the
        // shortest that lets the rest match, so ".../raw" stays a suffix.
        for (size_t n = 1; n <= (multi ? segs.size() : std::min<size_t>(1, segs.size())); ++n) {
            if (segs[n - 1].empty())
                return false; // an id never ends in a '/'
            std::string id;
            for (size_t i = 0; i < n; ++i)
                id += (i ? "/" : "") + segs[i];
            args.push_back(id);
            if (match(parts.subspan(1), segs.subspan(n), args, list_ok, multi))
                return true;
            args.pop_back();
        }
        return false;
    }
    if (segs.empty())
        return false;
    const std::string& s = segs.front();
    bool ok;
    if (p == "{list}")
        ok = !s.empty() && list_ok(s);
    else if (p == "{month}")
        ok = is_month(s);
    else if (p == "{n}")
        ok = !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
    else if (p == "{attach}")
        ok = is_attach(s);
    else if (p == "{any}")
        ok = !s.empty();
    else
        return s == p && match(parts.subspan(1), segs.subspan(1), args, list_ok, multi);
    if (!ok)
        return false;
    args.push_back(s);
    if (match(parts.subspan(1), segs.subspan(1), args, list_ok, multi))
        return true;
    args.pop_back();
    return false;
}

std::string_view path_of(std::string_view target)
{
    return target.substr(0, target.find('?'));
}

// ------------------------------------------------------------ redirects

void list_redirect(Exchange& x)
{
    x.redirect(x.scope.url());
}

void add_slash(Exchange& x)
{
    x.redirect(std::string(path_of(x.req.target)) + "/");
}

void message_redirect(Exchange& x)
{
    // Only to a message the list holds: b4 takes a redirect as "known".
    auto found = x.find(x.args[1]);
    if (!found)
        return;
    x.redirect(x.scope.url() + url_encode(x.args[1]) + "/");
}

void find_message(Exchange& x)
{
    Readers* r = x.readers();
    if (!r)
        return;
    const std::string& id = x.args[0];
    if (id.find('@') == std::string::npos)
        return x.not_found("no list or message " + id + " here", "start from the list of lists: /");
    auto found = r->reader->find(id);
    if (!found)
        return x.error(found.error());
    const std::vector<std::string>& lists = found->front().lists;
    x.redirect("/" + url_encode(lists.empty() ? std::string("all") : lists.front()) + "/" + url_encode(id) + "/");
}

} // namespace

std::vector<std::string> path_segments(std::string_view path)
{
    std::vector<std::string> out;
    if (path.starts_with('/'))
        path.remove_prefix(1);
    for (std::string_view seg : split(path, '/')) {
        std::string s;
        for (size_t i = 0; i < seg.size(); ++i) {
            if (seg[i] == '%' && i + 2 < seg.size()) {
                auto v = parse_number<unsigned>(seg.substr(i + 1, 2), 16);
                if (v) {
                    s += static_cast<char>(*v);
                    i += 2;
                    continue;
                }
            }
            s += seg[i];
        }
        out.push_back(std::move(s));
    }
    return out;
}

void dispatch(Site& site, const httplib::Request& req, httplib::Response& res)
{
    const Method method = req.method == "POST" ? Method::post : Method::get;
    const std::vector<std::string> segs = path_segments(path_of(req.target));
    Exchange x{site, req, res, {}, {}, {}, nullptr};
    std::shared_ptr<const Catalog> catalog; // read on the first {list}
    bool catalog_failed = false;
    bool other_method = false;
    auto list_ok = [&](const std::string& name) {
        if (name == "all")
            return true;
        if (!catalog && !catalog_failed) {
            auto r = site.readers();
            // Every {list} is the first segment: one name per request.
            auto c = r ? site.catalog_knowing(**r, name)
                       : Result<std::shared_ptr<const Catalog>>(std::unexpected(r.error()));
            if (c) {
                catalog = *c;
                x.readers_ = *r; // brought to the latest commit just now
            } else {
                catalog_failed = true;
            }
        }
        return catalog && catalog->find(name) != nullptr;
    };
    // A Message-ID with an unescaped '/' spans segments: tried only when no
    // route matches it as one segment, as public-inbox's WWW.pm does.
    for (const bool multi : {false, true}) {
        for (size_t i = 0; i < std::size(kRoutes); ++i) {
            const Route& route = kRoutes[i];
            std::vector<std::string> args;
            if (!match(std::span<const std::string_view>(route_parts()[i]), std::span<const std::string>(segs), args,
                       list_ok, multi))
                continue;
            if (route.method != method) {
                other_method = true;
                continue;
            }
            x.args = std::move(args);
            if (route.pattern.starts_with("/{list}"))
                x.scope.list = x.args[0] == "all" ? nullptr : catalog->find(x.args[0]);
            x.catalog_ = catalog;
            return route.handler(x);
        }
        if (other_method)
            break;
    }
    if (catalog_failed) {
        auto r = site.readers();
        if (!r)
            return x.error(r.error());
        auto c = site.catalog(**r);
        if (!c)
            return x.error(c.error());
    }
    if (other_method) {
        res.status = 405;
        res.set_header("Allow", method == Method::post ? "GET, HEAD" : "POST");
        return x.text(405, "method not allowed here\n");
    }
    x.not_found("no page " + one_line(path_of(req.target)) + " here", "start from the list of lists: /");
}

Lane lane_of(std::string_view method, std::string_view target)
{
    const Method m = method == "POST" ? Method::post : Method::get;
    const std::vector<std::string> segs = path_segments(path_of(target));
    for (const bool multi : {false, true})
        for (size_t i = 0; i < std::size(kRoutes); ++i) {
            std::vector<std::string> args;
            if (kRoutes[i].method == m &&
                match(std::span<const std::string_view>(route_parts()[i]), std::span<const std::string>(segs), args,
                      [](const std::string&) { return true; }, multi))
                return kRoutes[i].lane;
        }
    return Lane::page;
}

std::vector<std::string> route_patterns()
{
    std::vector<std::string> out;
    for (const Route& r : kRoutes)
        out.push_back(std::string(r.method == Method::post ? "POST " : "GET ") + std::string(r.pattern));
    return out;
}

} // namespace listdex::web
