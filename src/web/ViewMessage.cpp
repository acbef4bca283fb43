// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
// One message: its page (headers, body, text attachments inline, the way
// around its thread and its list), and its parts as downloads.
#include "Listing.hpp"
#include "Series.hpp"
#include "Views.hpp"
#include "listdex/base/Text.hpp"
#include "listdex/base/Time.hpp"

#include <algorithm>

namespace listdex::web {

namespace {

/// public-inbox's filename in a part's URL: the name when it is a plain
/// one, else a.txt or a.bin (View.pm attach_link).
std::string url_filename(const Attachment& a)
{
    const std::string& f = a.filename;
    const bool plain = f.size() >= 3 && std::isalnum(static_cast<unsigned char>(f.front())) &&
                       std::isalnum(static_cast<unsigned char>(f.back())) &&
                       std::all_of(f.begin(), f.end(), [](char c) {
                           return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
                       });
    if (plain)
        return f;
    return a.mime_type == "text/plain" ? "a.txt" : "a.bin";
}

/// The URL of attachment @p a of message @p key under @p scope:
/// public-inbox's /LIST/ID/N-NAME when the part has a number, else
/// listdex's /m/ID/PART/NAME (a uuencoded file inside a text part).
std::string attachment_url(const Scope& scope, const std::string& key, const ParsedMessage& pm, const Attachment& a)
{
    const std::string index = a.part >= 1 && a.part <= pm.part_indexes.size() ? pm.part_indexes[a.part - 1] : "";
    const bool own_part =
        !index.empty() &&
        std::count_if(pm.attachments.begin(), pm.attachments.end(), [&](const Attachment& b) { return b.part == a.part; }) == 1;
    if (own_part)
        return message_url(scope, key) + index + "-" + url_filename(a);
    std::string name = a.filename.empty() ? "part-" + std::to_string(a.part) : a.filename;
    std::replace(name.begin(), name.end(), '/', '_');
    return "/m/" + url_encode(key) + "/" + std::to_string(a.part) + "/" + url_encode(name);
}

/// Serves part @p part of @p m as a download (never as a page).
void serve_part(Exchange& x, Readers& r, const StoredMessage& m, const ParsedMessage& pm, unsigned part)
{
    auto a = std::find_if(pm.attachments.begin(), pm.attachments.end(), [&](const Attachment& b) { return b.part == part; });
    auto bytes = r.reader->attachment(m, part);
    if (!bytes)
        return x.error(bytes.error());
    const std::string type = a == pm.attachments.end() ? std::string("text/plain") : a->mime_type;
    const std::string filename = a == pm.attachments.end() ? std::string() : a->filename;
    // Never a type a browser would run or render as a page: text as
    // text/plain (shown, not run; nosniff), a few inert types as
    // themselves, everything else as bytes.
    static const std::vector<std::string> safe{"image/png", "image/jpeg", "image/gif", "application/pdf"};
    std::string served = "application/octet-stream";
    bool show = false;
    if (type.starts_with("text/")) {
        served = "text/plain; charset=utf-8";
        show = true;
    } else if (std::find(safe.begin(), safe.end(), type) != safe.end()) {
        served = type;
    }
    std::string ascii;
    for (char c : filename)
        ascii += std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_' || c == ' ' ? c : '_';
    if (ascii.empty())
        ascii = "part-" + std::to_string(part);
    x.res.set_header("Content-Disposition", std::string(show ? "inline" : "attachment") + "; filename=\"" + ascii +
                                                "\"; filename*=UTF-8''" + url_encode(filename.empty() ? ascii : filename));
    x.text(200, std::move(*bytes), served.c_str());
}

/// A message and its parsed form, or an error page.
struct Found {
    std::vector<StoredMessage> stored;
    std::vector<ParsedMessage> parsed;
};

std::optional<Found> find_and_parse(Exchange& x, const std::string& id, bool all)
{
    auto found = x.find(id);
    if (!found)
        return std::nullopt;
    Found f;
    f.stored = std::move(*found);
    for (const auto& m : f.stored) {
        auto pm = x.readers()->reader->parse(m);
        if (!pm) {
            x.error(pm.error());
            return std::nullopt;
        }
        f.parsed.push_back(std::move(*pm));
        if (!all)
            break;
    }
    return f;
}

std::string entry_link(const Scope& scope, const ThreadEntry& e, const std::string& label, const char* rel)
{
    return "<a href=\"" + escape(message_url(scope, e.stored.key)) + "\"" +
           (rel ? std::string(" rel=\"") + rel + "\"" : std::string()) + ">" + label + "</a>";
}

} // namespace

std::string message_article(const Scope& scope, const StoredMessage& m, const ParsedMessage& pm, bool heading)
{
    const std::string url = message_url(scope, m.key);
    const std::string subject = pm.subject.empty() ? "(no subject)" : pm.subject;
    std::string out = "<article class=\"message\" id=\"m-" + escape(url_encode(m.key)) + "\">\n";
    out += heading ? "<h1>" + escape(subject) + "</h1>\n"
                   : "<h2><a href=\"" + escape(url) + "\">" + escape(subject) + "</a></h2>\n";
    out += "<table class=\"headers\">\n";
    auto row = [&](const char* name, const std::string& value, const std::string& link = {}) {
        if (value.empty())
            return;
        out += std::string("<tr><th>") + name + "</th><td>" +
               (link.empty() ? escape(value) : "<a href=\"" + escape(link) + "\">" + escape(value) + "</a>") +
               "</td></tr>\n";
    };
    row("From", display_list(pm.from));
    row("To", display_list(pm.to));
    row("Cc", display_list(pm.cc));
    row("Date", format_iso8601(m.date));
    std::string lists;
    for (const auto& l : m.lists)
        lists += (lists.empty() ? "" : ", ") + l;
    row(m.lists.size() > 1 ? "Lists" : "List", lists);
    row("Message-ID", "<" + m.message_id + ">");
    const std::string parent = !pm.in_reply_to.empty() ? pm.in_reply_to.front()
                               : !pm.references.empty() ? pm.references.back()
                                                        : std::string();
    if (!parent.empty())
        row("In-Reply-To", "<" + parent + ">", message_url(scope, parent));
    if (pm.rebuilt_from_html)
        row("Rebuilt", "from a page of an HTML (MHonArc) archive; raw shows the page");
    if (pm.recovered)
        row("Recovered", "line breaks were lost; header fields and body rebuilt (raw shows the original)");
    for (const auto& p : pm.problems)
        row("Problem", p);
    out += "</table>\n<nav class=\"links\"><a href=\"" + escape(url) + "raw\">raw</a><a href=\"" + escape(url) +
           "T/#m-" + escape(url_encode(m.key)) + "\">thread</a>";
    if (!parent.empty())
        out += "<a href=\"" + escape(message_url(scope, parent)) + "\" rel=\"up\">parent</a>";
    out += "</nav>\n<pre class=\"body\">" + body_html(pm.body) + "</pre>\n";
    for (const auto& t : pm.attachment_texts) {
        auto a = std::find_if(pm.attachments.begin(), pm.attachments.end(),
                              [&](const Attachment& b) { return b.part == t.part; });
        if (a == pm.attachments.end() || !a->shown_inline())
            continue;
        out += "<section class=\"inline-part\"><h3><a href=\"" + escape(attachment_url(scope, m.key, pm, *a)) +
               "\">[-- Attachment: " + escape(a->filename.empty() ? a->mime_type : a->filename) + " --]</a> <span "
               "class=\"dim nowrap\">" + escape(a->mime_type) + ", " + thousands(a->size) + " bytes</span></h3>\n"
               "<pre class=\"body\">" + body_html(t.text) + "</pre></section>\n";
    }
    if (!pm.attachments.empty()) {
        out += "<ul class=\"attachments\">\n";
        for (const auto& a : pm.attachments)
            out += "<li><a href=\"" + escape(attachment_url(scope, m.key, pm, a)) + "\">" +
                   escape(a.filename.empty() ? "part " + std::to_string(a.part) : a.filename) +
                   "</a> <span class=\"dim nowrap\">" + escape(a.mime_type) + ", " + thousands(a.size) +
                   " bytes</span></li>\n";
        out += "</ul>\n";
    }
    return out + "</article>\n";
}

void message_page(Exchange& x)
{
    auto found = find_and_parse(x, x.args.back(), true); // /m/ID or /LIST/ID/
    if (!found)
        return;
    Readers* r = x.readers();
    const StoredMessage& m = found->stored.front();
    const ParsedMessage& pm = found->parsed.front();
    const SearchBox box{{}, x.scope.list_id()};
    const std::string title = pm.subject.empty() ? "(no subject)" : pm.subject;

    std::string main = "<nav class=\"crumbs\"><a href=\"/\">lists</a> › <a href=\"" + x.scope.url() + "\">" +
                       escape(x.scope.name()) + "</a></nav>\n";
    if (found->stored.size() > 1)
        main += "<p class=\"dim\">" + std::to_string(found->stored.size()) +
                " different messages share this Message-ID; each is shown below.</p>\n";
    for (size_t i = 0; i < found->stored.size(); ++i)
        main += message_article(x.scope, found->stored[i], found->parsed[i], i == 0);

    // The way around: the thread in tree order, the list by date.
    auto view = x.thread_of(m);
    if (!view)
        return;
    auto catalog = x.catalog();
    if (!catalog)
        return;
    auto by_date = catalog->date_order(*r->searcher, x.scope.list_id());
    if (!by_date)
        return x.error(by_date.error(), box);
    auto around = r->searcher->neighbours(**by_date, m);
    if (!around)
        return x.error(around.error(), box);
    const std::vector<const ThreadEntry*> order = tree_order(*view);
    const ThreadEntry *prev = nullptr, *next = nullptr;
    for (size_t i = 0; i < order.size(); ++i) {
        if (order[i]->missing || order[i]->stored.key != m.key)
            continue;
        for (size_t j = i; j-- > 0;)
            if (!order[j]->missing) {
                prev = order[j];
                break;
            }
        for (size_t j = i + 1; j < order.size(); ++j)
            if (!order[j]->missing) {
                next = order[j];
                break;
            }
    }
    main += "<nav class=\"msgnav\" aria-label=\"messages around this one\"><div><span class=\"dim\">thread:</span> ";
    main += prev ? entry_link(x.scope, *prev, "←&nbsp;previous", "prev") : "<span class=\"dim\">←&nbsp;previous</span>";
    main += next ? entry_link(x.scope, *next, "next&nbsp;→", "next") : "<span class=\"dim\">next&nbsp;→</span>";
    main += "</div><div><span class=\"dim\">" + escape(x.scope.name()) + " by date:</span> ";
    auto date_link = [&](const std::optional<MessageLink>& h, const char* label) {
        return h ? "<a href=\"" + escape(message_url(x.scope, h->id)) + "\" title=\"" +
                       escape(short_date(h->date) + " " + h->subject) + "\">" + label + "</a>"
                 : "<span class=\"dim\">" + std::string(label) + "</span>";
    };
    main += date_link(around->before, "←&nbsp;older") + date_link(around->after, "newer&nbsp;→") + "</div></nav>\n";

    // Replies, as lore lists them under a message.
    std::vector<const ThreadEntry*> replies;
    auto collect = [&](auto&& self, const ThreadTreeNode& n) -> bool {
        const ThreadEntry& e = view->entries[n.member];
        if (!e.missing && e.stored.key == m.key) {
            for (const auto& c : n.children)
                if (!view->entries[c.member].missing)
                    replies.push_back(&view->entries[c.member]);
            return true;
        }
        for (const auto& c : n.children)
            if (self(self, c))
                return true;
        return false;
    };
    for (const auto& root : view->forest)
        if (collect(collect, root))
            break;
    if (!replies.empty()) {
        main += "<section class=\"replies\"><h2>" + counted(replies.size(), "reply", "replies") + "</h2>\n<ul>\n";
        for (const ThreadEntry* e : replies)
            main += "<li>" + entry_link(x.scope, *e, escape(e->subject.empty() ? "(no subject)" : e->subject), nullptr) +
                    " <span class=\"meta\">" + escape(e->from) + " · " + escape(short_date(e->date)) + "</span></li>\n";
        main += "</ul></section>\n";
    }

    // The thread under the message, with its downloads.
    const std::string url = message_url(x.scope, m.key);
    size_t count = 0;
    for (const auto& e : view->entries)
        count += e.missing ? 0 : 1;
    main += "<section class=\"thread\"><h2>Thread: " + counted(count, "message", "messages") +
            "</h2>\n<nav class=\"links\"><a href=\"" + escape(url) + "T/\">flat</a><a href=\"" + escape(url) +
            "t/\">nested</a><a href=\"" + escape(url) + "t.mbox.gz\">download thread (mbox.gz)</a>";
    // Every revision the thread holds; the message's own first.
    const std::vector<Series> all = find_series(*view);
    const Series* mine = series_of(all, *view, m.key);
    std::vector<const Series*> shown;
    if (mine)
        shown.push_back(mine);
    for (const Series& s : all)
        if (&s != mine)
            shown.push_back(&s);
    for (const Series* s : shown) {
        const std::string what = "v" + std::to_string(s->version) + ", " + counted(s->total, "patch", "patches");
        if (s->complete())
            main += "<a href=\"" + escape(url) + "series.mbox?v=" + std::to_string(s->version) + "&amp;n=" +
                    std::to_string(s->total) + "\">series for git am (" + what + ")</a>";
        else
            main += "<span class=\"dim\">series " + what + ": " + std::to_string(s->present()) +
                    " in the archive</span>";
    }
    main += "<a href=\"" + escape(url) + "t.atom\">Atom</a></nav>\n" + thread_table(*view, x.scope, m.key) +
            "</section>\n";
    x.html(200, page(title, main, box));
}

void attachment_by_index(Exchange& x)
{
    auto found = find_and_parse(x, x.args[1], false);
    if (!found)
        return;
    Readers* r = x.readers();
    const std::string& name = x.args[2];
    const std::string index = name.substr(0, name.find('-'));
    const auto& indexes = found->parsed.front().part_indexes;
    const auto at = std::find(indexes.begin(), indexes.end(), index);
    if (at == indexes.end())
        return x.not_found("message <" + x.args[1] + "> has no part " + index);
    serve_part(x, *r, found->stored.front(), found->parsed.front(), static_cast<unsigned>(at - indexes.begin()) + 1);
}

void attachment_by_part(Exchange& x)
{
    auto found = find_and_parse(x, x.args[0], false);
    if (!found)
        return;
    Readers* r = x.readers();
    const auto part = parse_number<unsigned>(x.args[1]).value_or(0);
    const auto& atts = found->parsed.front().attachments;
    if (std::none_of(atts.begin(), atts.end(), [&](const Attachment& a) { return a.part == part; }))
        return x.not_found("message <" + x.args[0] + "> has no attachment " + x.args[1]);
    serve_part(x, *r, found->stored.front(), found->parsed.front(), part);
}

} // namespace listdex::web
