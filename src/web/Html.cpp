// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "Html.hpp"

#include "listdex/base/Text.hpp"
#include "listdex/base/Time.hpp"

#include <algorithm>
#include <cstdio>

namespace listdex::web {

std::string escape(std::string_view s)
{
    std::string out;
    out.reserve(s.size() + s.size() / 8);
    for (char c : s) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default:
            // C0 controls other than tab and line breaks are invalid in XML
            // and useless in HTML.
            if (static_cast<unsigned char>(c) >= 0x20 || c == '\t' || c == '\n' || c == '\r')
                out += c;
        }
    }
    return out;
}

std::string url_encode(std::string_view s)
{
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '@') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

std::string highlighted(std::string_view text, const std::vector<std::pair<size_t, size_t>>& marks)
{
    std::string out;
    size_t pos = 0;
    for (auto [start, length] : marks) {
        if (start < pos || start + length > text.size())
            continue;
        out += escape(text.substr(pos, start - pos));
        out += "<mark>" + escape(text.substr(start, length)) + "</mark>";
        pos = start + length;
    }
    return out + escape(text.substr(pos));
}

namespace {

bool starts_with_nocase(std::string_view s, std::string_view prefix)
{
    return s.size() >= prefix.size() && ascii_lower(s.substr(0, prefix.size())) == prefix;
}

/// @p line escaped, http(s) URLs turned into links.
std::string linkified(std::string_view line)
{
    std::string out;
    size_t pos = 0;
    for (size_t i = 0; i < line.size(); ++i) {
        if ((line[i] != 'h' && line[i] != 'H') ||
            !(starts_with_nocase(line.substr(i), "http://") || starts_with_nocase(line.substr(i), "https://")))
            continue;
        if (i > 0 && std::isalnum(static_cast<unsigned char>(line[i - 1])))
            continue;
        size_t end = i;
        while (end < line.size() && static_cast<unsigned char>(line[end]) > 0x20 &&
               std::string_view("<>\"'`").find(line[end]) == std::string_view::npos)
            ++end;
        while (end > i && std::string_view(".,;:!?)]").find(line[end - 1]) != std::string_view::npos)
            --end; // trailing punctuation belongs to the sentence
        const std::string_view url = line.substr(i, end - i);
        if (url.find("://") + 3 >= url.size())
            continue; // "http://" alone
        out += escape(line.substr(pos, i - pos));
        out += "<a href=\"" + escape(url) + "\" rel=\"nofollow noopener noreferrer\">" + escape(url) + "</a>";
        pos = end;
        i = end - 1;
    }
    return out + escape(line.substr(pos));
}

} // namespace

std::string body_html(std::string_view body)
{
    std::string out;
    bool in_diff = false;
    for (size_t pos = 0; pos < body.size();) {
        size_t end = body.find('\n', pos);
        end = end == std::string_view::npos ? body.size() : end;
        const std::string_view line = body.substr(pos, end - pos);
        pos = end + 1;
        if (line.starts_with("diff --git ") || line.starts_with("@@ "))
            in_diff = true;
        const char* cls = nullptr;
        if (line.starts_with('>'))
            cls = "q";
        else if (in_diff && (line.starts_with("diff --git ") || line.starts_with("--- ") || line.starts_with("+++ ") ||
                             line.starts_with("index ")))
            cls = "dh";
        else if (in_diff && line.starts_with("@@"))
            cls = "hunk";
        else if (in_diff && line.starts_with('+'))
            cls = "add";
        else if (in_diff && line.starts_with('-'))
            cls = "del";
        if (line == "-- " || line == "--")
            in_diff = false; // a signature ends the patch
        if (cls)
            out += std::string("<span class=\"") + cls + "\">" + linkified(line) + "</span>\n";
        else
            out += linkified(line) + "\n";
    }
    return out;
}

std::string page(std::string_view title, std::string_view main, const SearchBox& box)
{
    const std::string scope = box.list.empty() ? "all" : url_encode(box.list);
    std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                      "<meta name=\"referrer\" content=\"no-referrer\">\n<title>";
    out += escape(title);
    out += " · listdex</title>\n<link rel=\"stylesheet\" href=\"/style.css\">\n</head>\n<body>\n<header>\n"
           "<a class=\"home\" href=\"/\">listdex</a>\n";
    // A list's box searches that list (public-inbox's /LIST/?q=); the
    // others search everything.
    out += box.list.empty() ? std::string("<form action=\"/search\" method=\"get\" role=\"search\">")
                            : "<form action=\"/" + scope + "/\" method=\"get\" role=\"search\">";
    out += "<input type=\"search\" name=\"q\" aria-label=\"search\" placeholder=\"";
    out += box.list.empty() ? "search: words, f:, s:, d:…" : "search this list: words, f:, s:, d:…";
    out += "\" value=\"" + escape(box.query) +
           "\"> <button type=\"submit\">search</button></form>\n";
    if (!box.list.empty())
        out += "<span class=\"scope\">in <a href=\"/" + scope + "/\">" + escape(box.list) +
               "</a> · <a href=\"/search" +
               (box.query.empty() ? std::string() : "?q=" + escape(url_encode(box.query))) +
               "\">all lists</a></span>\n";
    out += "</header>\n<main>\n";
    out += main;
    out += "</main>\n<footer><a href=\"/\">lists</a> · <a href=\"/" + scope +
           "/_/text/help/\">query language</a>: words, \"phrases\", f: t: c: s: b: nq: n: l: m: d:A..B dfn: dfb: "
           "patchid:, AND OR NOT</footer>\n</body>\n</html>\n";
    return out;
}

namespace {

// Both activity pictures: ten units per month from the first month to the
// last, bars eight wide, as high as kChartHeight at the busiest month (at
// least 1); the stylesheet sets the size and preserveAspectRatio="none"
// stretches the bars to it.
constexpr int kChartHeight = 40;

int month_number(const MonthCount& m)
{
    return m.year * 12 + m.month - 1;
}

std::string month_name(const MonthCount& m)
{
    char name[16];
    std::snprintf(name, sizeof name, "%04d-%02d", m.year, m.month);
    return name;
}

/// The opening of a picture of @p months (not empty) named @p name (text,
/// escaped here), up to its first bar.
std::string chart_open(const std::vector<MonthCount>& months, std::string_view name)
{
    const int width = (month_number(months.back()) - month_number(months.front()) + 1) * 10;
    return "<svg class=\"activity\" role=\"img\" viewBox=\"0 0 " + std::to_string(width) + " " +
           std::to_string(kChartHeight) + "\" preserveAspectRatio=\"none\" aria-label=\"" + escape(name) +
           "\">\n<title>" + escape(name) + "</title>\n";
}

/// Calls @p bar(month, x, height) for each of @p months: x the bar's left
/// edge, height scaled to the busiest month.
template <class F>
void for_each_bar(const std::vector<MonthCount>& months, F&& bar)
{
    uint64_t peak = 1;
    for (const auto& m : months)
        peak = std::max(peak, m.messages);
    for (const auto& m : months)
        bar(m, (month_number(m) - month_number(months.front())) * 10 + 1,
            std::max(1.0, static_cast<double>(m.messages) * kChartHeight / static_cast<double>(peak)));
}

} // namespace

std::string activity_svg(const std::vector<MonthCount>& months, std::string_view label, std::string_view link_prefix)
{
    if (months.empty())
        return {};
    std::string out = chart_open(months, label);
    for_each_bar(months, [&](const MonthCount& m, int x, double h) {
        char bar[160];
        std::snprintf(bar, sizeof bar, "<rect x=\"%d\" y=\"%.1f\" width=\"8\" height=\"%.1f\"><title>", x,
                      kChartHeight - h, h);
        const std::string month = month_name(m);
        std::string rect = std::string(bar) + month + ": " + counted(m.messages, "message", "messages") +
                           "</title></rect>";
        if (!link_prefix.empty())
            rect = "<a href=\"" + escape(link_prefix) + month + "/\">" + rect + "</a>";
        out += rect + "\n";
    });
    return out + "</svg>\n";
}

std::string activity_sparkline(const std::vector<MonthCount>& months, std::string_view label)
{
    if (months.empty())
        return {};
    const auto busiest = std::ranges::max_element(months, {}, &MonthCount::messages); // the first of equals
    std::string out = chart_open(months, std::string(label) + " (busiest: " + month_name(*busiest) + ", " +
                                             counted(busiest->messages, "message", "messages") + ")") +
                      "<path d=\"";
    for_each_bar(months, [&](const MonthCount&, int x, double h) {
        char bar[64];
        std::snprintf(bar, sizeof bar, "M%d %.1fh8V%dh-8z", x, kChartHeight - h, kChartHeight);
        out += bar;
    });
    return out + "\"/></svg>\n";
}

std::string atom_feed(std::string_view id, std::string_view title, int64_t updated,
                      const std::vector<AtomEntry>& entries)
{
    std::string out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n";
    out += "<id>" + escape(id) + "</id>\n<title>" + escape(title) + "</title>\n<updated>" +
           format_iso8601(updated) + "</updated>\n<link rel=\"self\" href=\"" + escape(id) + "\"/>\n";
    for (const auto& e : entries) {
        std::string name = e.author, email;
        if (auto lt = e.author.rfind(" <"); lt != std::string::npos && e.author.ends_with('>')) {
            name = e.author.substr(0, lt);
            email = e.author.substr(lt + 2, e.author.size() - lt - 3);
        }
        out += "<entry>\n<id>" + escape(e.id) + "</id>\n<title>" + escape(e.title) + "</title>\n<author><name>" +
               escape(name.empty() ? email : name) + "</name>" + (email.empty() ? "" : "<email>" + escape(email) + "</email>") +
               "</author>\n<updated>" + format_iso8601(e.updated) + "</updated>\n<link href=\"" + escape(e.id) +
               "\"/>\n<summary>" + escape(e.summary) + "</summary>\n</entry>\n";
    }
    return out + "</feed>\n";
}

} // namespace listdex::web
