// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
// Mail as it was sent: raw messages, threads and search results as mboxrd
// (what b4, lei, mutt and git am read), gzipped where public-inbox does.
#include "Listing.hpp"
#include "Series.hpp"
#include "Views.hpp"
#include "listdex/base/Text.hpp"
#include "listdex/mbox/MboxWriter.hpp"

namespace listdex::web {

namespace {

constexpr const char* kMbox = "application/mbox";
constexpr const char* kGzip = "application/gzip";

/// A filename for a download: letters, digits, '.', '-' and '_' only.
std::string download_name(std::string_view s)
{
    std::string out;
    for (char c : s.substr(0, 80))
        out += std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_' ? c : '-';
    return out.empty() ? std::string("messages") : out;
}

void attachment_header(Exchange& x, const std::string& filename)
{
    x.res.set_header("Content-Disposition", "attachment; filename=\"" + filename + "\"");
}

} // namespace

void raw_message(Exchange& x)
{
    auto found = x.find(x.args[0]);
    if (!found)
        return;
    Readers* r = x.readers();
    // The oldest of several sharing the id; ID#HASH names another.
    auto bytes = r->reader->raw(found->front());
    if (!bytes)
        return x.error(bytes.error());
    x.text(200, std::move(*bytes));
}

void raw_mboxrd(Exchange& x)
{
    auto found = x.find(x.args[1]);
    if (!found)
        return;
    Readers* r = x.readers();
    std::string out;
    for (const auto& m : *found) {
        auto bytes = r->reader->raw(m);
        if (!bytes)
            return x.error(bytes.error());
        append_mboxrd(out, kPublicInboxFromLine, *bytes);
    }
    x.text(200, std::move(out));
}

void thread_mbox(Exchange& x)
{
    // /t/ID.mbox.gz (listdex's, as `thread --format mbox` prints it; ID may
    // be thread:XXXXXXXX) or /LIST/ID/t.mbox[.gz] (public-inbox's From_ lines).
    const bool legacy = x.req.target.starts_with("/t/");
    const bool gz = legacy || x.req.target.substr(0, x.req.target.find('?')).ends_with(".gz");
    std::optional<ThreadView> view;
    if (legacy) {
        Readers* r = x.readers();
        if (!r)
            return;
        auto v = r->searcher->thread(x.args[0].substr(0, x.args[0].size() - 8));
        if (!v)
            return x.error(v.error());
        view = std::move(*v);
    } else {
        auto at = x.locate();
        if (!at)
            return;
        view = std::move(at->thread);
    }
    auto text = x.readers()->searcher->thread_mboxrd(*view, legacy ? std::string_view() : kPublicInboxFromLine);
    if (!text)
        return x.error(text.error());
    const std::string name = legacy ? "thread-" + view->thread : download_name(thread_title(*view));
    if (!gz) {
        attachment_header(x, name + ".mbox");
        return x.text(200, std::move(*text), kMbox);
    }
    attachment_header(x, name + ".mbox.gz");
    x.text(200, gzip_whole(*text), kGzip);
}

void series_mbox(Exchange& x)
{
    auto at = x.locate();
    if (!at)
        return;
    const ThreadView* view = &at->thread;
    Readers* r = x.readers();
    // ?v=VERSION&n=TOTAL names a revision; else the one the message is part of.
    const std::vector<Series> all = find_series(*view);
    const Series* series = series_of(all, *view, at->messages.front().key);
    if (x.has("v") || x.has("n")) {
        series = nullptr;
        for (const Series& s : all)
            if (std::to_string(s.version) == x.param("v") && (!x.has("n") || std::to_string(s.total) == x.param("n")))
                series = &s;
    }
    if (!series)
        return x.not_found("the thread of <" + x.args[1] + "> holds no such numbered series",
                           "download the whole thread: t.mbox.gz");
    std::string missing;
    for (unsigned k = 1; k <= series->total; ++k)
        if (!series->patches[k - 1])
            missing += (missing.empty() ? "" : ", ") + std::to_string(k) + "/" + std::to_string(series->total);
    if (!missing.empty())
        return x.not_found("the archive lacks patch " + missing + " of this series (v" +
                               std::to_string(series->version) + ")",
                           "download the whole thread: t.mbox.gz");
    std::string out;
    for (const ThreadEntry* e : series->patches) {
        auto bytes = r->searcher->raw(e->stored);
        if (!bytes)
            return x.error(bytes.error());
        append_mboxrd(out, kPublicInboxFromLine, *bytes);
    }
    attachment_header(x, "v" + std::to_string(series->version) + "-" + download_name(series->patches[0]->subject) +
                             ".mbox");
    x.text(200, std::move(out), kMbox);
}

void search_mbox(Exchange& x)
{
    // public-inbox answers a POST only with x=m; anything else is the page.
    if (x.param("x") != "m")
        return list_search(x);
    Readers* r = x.readers();
    if (!r)
        return;
    const std::string q = x.param("q");
    const std::string query = x.scope.query(q);
    // t=1 in the URL (lei --threads, b4) or a form button "x=..." in the
    // body (public-inbox's search page) ask for whole threads.
    const bool whole_threads = (x.has("t") && x.param("t") != "0") ||
                               (x.req.body.starts_with("x=") && x.req.body.size() > 2 && x.req.body[2] != '0');
    const uint64_t cap = x.site.options().mbox_limit;
    auto matches = r->searcher->count(query, false);
    if (!matches)
        return x.text(http_status(matches.error().code), x.site.public_error(matches.error()).message + "\n");
    if (*matches == 0)
        return x.text(404, "No results found\n");
    auto too_many = [&](uint64_t n) {
        return Error{ExitCode::usage, thousands(n) + (whole_threads ? "+" : "") +
                                          " messages match; a download holds at most " + thousands(cap) +
                                          ": narrow the query (d:, l:, s:)",
                     {}};
    };
    if (*matches > cap)
        return x.text(400, too_many(*matches).message + "\n");
    SearchOptions o;
    o.time_limit = x.site.options().search_seconds;
    Gzip z;
    std::string one;
    uint64_t handed = 0;
    auto done = r->searcher->export_matches(query, o, whole_threads, [&](const ExportedMessage& m) -> Result<void> {
        if (++handed > cap)
            return std::unexpected(too_many(*matches));
        auto bytes = r->searcher->raw(m.stored);
        if (!bytes)
            return std::unexpected(bytes.error());
        one.clear();
        append_mboxrd(one, kPublicInboxFromLine, *bytes);
        z.add(one);
        return {};
    });
    if (!done)
        return x.text(http_status(done.error().code), x.site.public_error(done.error()).message + "\n");
    x.res.set_header("Content-Disposition", "inline; filename=\"results-" + download_name(q) + ".mbox.gz\"");
    x.text(200, z.finish(), kGzip);
}

} // namespace listdex::web
