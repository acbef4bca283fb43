// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
// Threads: the overview table (also under every message), the thread's
// messages flat or nested, and the thread as an Atom feed.
#include "Listing.hpp"
#include "Views.hpp"
#include "listdex/base/Text.hpp"
#include "listdex/base/Time.hpp"
#include "listdex/thread/Threader.hpp"

#include <algorithm>

namespace listdex::web {

namespace {

/// Indentation stops growing here (the stylesheet lowers it on phones);
/// deeper rows show their depth instead.
constexpr unsigned kMaxIndent = 12;

std::string author_name(const std::string& from)
{
    const size_t lt = from.rfind(" <");
    return lt == std::string::npos ? from : from.substr(0, lt);
}

/// "2024-03-04 09:15", with the year and the time in spans a narrow
/// screen may hide.
std::string date_cell(int64_t t)
{
    const std::string d = short_date(t);
    return "<span class=\"y\">" + d.substr(0, 5) + "</span>" + d.substr(5, 5) + "<span class=\"hm\">" + d.substr(10) +
           "</span>";
}

std::string depth_class(unsigned depth)
{
    return "d" + std::to_string(std::min(depth, kMaxIndent));
}

/// The thread's messages in the order a T/ (by date) or t/ (tree) page
/// shows them, with their depths.
std::vector<std::pair<const ThreadEntry*, unsigned>> ordered(const ThreadView& v, bool flat)
{
    std::vector<std::pair<const ThreadEntry*, unsigned>> out;
    auto walk = [&](auto&& self, const ThreadTreeNode& n, unsigned depth) -> void {
        const ThreadEntry& e = v.entries[n.member];
        if (!e.missing)
            out.emplace_back(&e, depth);
        for (const auto& c : n.children)
            self(self, c, depth + (e.missing && depth == 0 ? 0 : 1));
    };
    for (const auto& root : v.forest)
        walk(walk, root, 0);
    if (flat)
        std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first->date < b.first->date; });
    return out;
}

} // namespace

std::string thread_title(const ThreadView& v)
{
    // The first root that is a message (or, under a placeholder, its first reply).
    for (const auto& root : v.forest) {
        const ThreadTreeNode* n = &root;
        while (v.entries[n->member].missing && !n->children.empty())
            n = &n->children.front();
        if (!v.entries[n->member].missing && !v.entries[n->member].subject.empty())
            return v.entries[n->member].subject;
    }
    return "(no subject)";
}

std::string thread_table(const ThreadView& v, const Scope& scope, std::string_view current)
{
    std::string out = "<table class=\"thread\">\n";
    auto row = [&](auto&& self, const ThreadTreeNode& n, unsigned depth, const std::string& parent_key) -> void {
        const ThreadEntry& e = v.entries[n.member];
        std::string key = parent_key;
        const std::string depth_mark =
            depth > kMaxIndent ? "<span class=\"deep\" title=\"depth " + std::to_string(depth) + "\">" +
                                     std::to_string(depth) + "</span>"
                               : std::string();
        if (e.missing) {
            out += "<tr class=\"missing\"><td class=\"date\"></td><td class=\"who\"></td><td class=\"t " +
                   depth_class(depth) + "\">" + depth_mark + "[not in the archive] &lt;" + escape(e.message_id) +
                   "&gt;</td></tr>\n";
        } else {
            key = subject_key(e.subject).key;
            const std::string url = escape(message_url(scope, e.stored.key));
            const bool here = !current.empty() && e.stored.key == current;
            // The subject where it changes, as mutt and lore show threads.
            const std::string subject =
                depth == 0 || key != parent_key
                    ? "<a href=\"" + url + "\">" + escape(e.subject.empty() ? "(no subject)" : e.subject) + "</a>"
                    : "<span class=\"re\" aria-hidden=\"true\">↳</span>";
            std::string who = escape(author_name(e.from));
            if (who.empty())
                who = "(unknown)";
            out += std::string("<tr") + (here ? " class=\"current\" aria-current=\"true\"" : "") +
                   "><td class=\"date\">" + date_cell(e.date) + "</td><td class=\"who\"><a href=\"" + url + "\">" +
                   who + "</a></td><td class=\"t " + depth_class(depth) + "\">" + depth_mark + subject +
                   (e.parent_by_subject ? " <i class=\"dim\" title=\"no In-Reply-To or References: placed by its "
                                          "subject\">linked by subject</i>"
                                        : "") +
                   "</td></tr>\n";
        }
        for (const auto& c : n.children)
            self(self, c, depth + 1, key);
    };
    for (const auto& root : v.forest)
        row(row, root, 0, std::string());
    return out + "</table>\n";
}

void thread_overview(Exchange& x)
{
    if (x.args[0].ends_with(".mbox.gz"))
        return thread_mbox(x);
    Readers* r = x.readers();
    if (!r)
        return;
    auto view = r->searcher->thread(x.args[0]);
    if (!view)
        return x.error(view.error());
    size_t count = 0;
    for (const auto& e : view->entries)
        count += e.missing ? 0 : 1;
    const std::string title = thread_title(*view);
    const bool flat = x.param("view") == "flat";
    const std::string self = "/t/" + url_encode(x.args[0]);
    std::string main = "<h1>" + escape(title) + "</h1>\n<p class=\"dim\">thread " + escape(view->thread) + " · " +
                       counted(count, "message", "messages") + "</p>\n<nav class=\"links\">" +
                       (flat ? "<a href=\"" + self + "\">overview</a>" : "<a href=\"" + self + "?view=flat\">flat</a>") +
                       "<a href=\"" + self + ".mbox.gz\">mbox.gz</a></nav>\n";
    if (!flat) {
        main += thread_table(*view, x.scope);
    } else {
        for (const auto& [e, depth] : ordered(*view, true)) {
            auto pm = r->reader->parse(e->stored);
            if (!pm)
                return x.error(pm.error());
            main += message_article(x.scope, e->stored, *pm, false);
        }
    }
    x.html(200, page(title, main));
}

void thread_messages(Exchange& x)
{
    auto at = x.locate();
    if (!at)
        return;
    const ThreadView* view = &at->thread;
    const std::vector<StoredMessage>* found = &at->messages;
    Readers* r = x.readers();
    const SearchBox box{{}, x.scope.list_id()};
    const bool flat = x.req.target.substr(0, x.req.target.find('?')).ends_with("/T/");
    const std::string title = thread_title(*view);
    const std::string url = message_url(x.scope, found->front().key);
    const auto messages = ordered(*view, flat);
    std::string main = "<nav class=\"crumbs\"><a href=\"/\">lists</a> › <a href=\"" + x.scope.url() + "\">" +
                       escape(x.scope.name()) + "</a></nav>\n<h1>" + escape(title) + "</h1>\n<p class=\"dim\">" +
                       counted(messages.size(), "message", "messages") +
                       (flat ? ", oldest first" : ", as replies nest") + "</p>\n<nav class=\"links\">" +
                       (flat ? "<a href=\"" + escape(url) + "t/\">nested</a>" : "<a href=\"" + escape(url) + "T/\">flat</a>") +
                       "<a href=\"" + escape(url) + "t.mbox.gz\">download thread (mbox.gz)</a><a href=\"" + escape(url) +
                       "t.atom\">Atom</a></nav>\n" + thread_table(*view, x.scope, found->front().key);
    for (const auto& [e, depth] : messages) {
        auto pm = r->reader->parse(e->stored);
        if (!pm)
            return x.error(pm.error(), box);
        main += flat ? message_article(x.scope, e->stored, *pm, false)
                     : "<div class=\"nest " + depth_class(depth) + "\">" +
                           message_article(x.scope, e->stored, *pm, false) + "</div>\n";
    }
    x.html(200, page(title, main, box));
}

void thread_atom(Exchange& x)
{
    auto at = x.locate();
    if (!at)
        return;
    const ThreadView* view = &at->thread;
    Readers* r = x.readers();
    auto messages = ordered(*view, true);
    std::reverse(messages.begin(), messages.end()); // newest first, as feeds are read
    const std::string base = x.base_url();
    std::vector<AtomEntry> entries;
    for (const auto& [e, depth] : messages) {
        auto pm = r->reader->parse(e->stored);
        if (!pm)
            return x.error(pm.error());
        std::string summary = pm->body.substr(0, 600);
        entries.push_back({base + message_url(x.scope, e->stored.key), e->subject, e->from, e->date,
                           make_valid_utf8(summary)});
    }
    x.text(200, atom_feed(base + x.req.target, thread_title(*view), messages.empty() ? 0 : messages.front().first->date,
                          entries),
           kAtom);
}

} // namespace listdex::web
