#include "Html.hpp"

#include "listdex/base/Text.hpp"
#include "listdex/base/Time.hpp"

#include <ctime>

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

std::string page(std::string_view title, std::string_view main, std::string_view query)
{
    std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                      "<meta name=\"referrer\" content=\"no-referrer\">\n<title>";
    out += escape(title);
    out += " · listdex</title>\n<link rel=\"stylesheet\" href=\"/style.css\">\n</head>\n<body>\n<header>\n"
           "<a class=\"home\" href=\"/\">listdex</a>\n"
           "<form action=\"/search\" method=\"get\" role=\"search\">"
           "<input type=\"search\" name=\"q\" aria-label=\"search\" placeholder=\"search: words, from:, s:, "
           "date:…\" value=\"";
    out += escape(query);
    out += "\"> <button type=\"submit\">search</button></form>\n</header>\n<main>\n";
    out += main;
    out += "</main>\n<footer><a href=\"/\">lists</a> · query language: words, \"phrases\", from: to: cc: "
           "subject: body: list: id: date:A..B, AND OR NOT</footer>\n</body>\n</html>\n";
    return out;
}

std::string_view stylesheet()
{
    return R"(:root { color-scheme: light dark; --fg: #1b1b1b; --bg: #fdfdfb; --dim: #6a6a6a; --link: #0b57a4;
  --q: #5a6d7a; --add: #176b2c; --del: #a1262c; --hunk: #7a4ba8; --mark: #fde68a; --rule: #ddd; }
@media (prefers-color-scheme: dark) { :root { --fg: #e4e4e0; --bg: #161616; --dim: #9a9a9a; --link: #7fb6f0;
  --q: #93a7b5; --add: #7fd08f; --del: #f08a8f; --hunk: #c5a0ef; --mark: #6b5a12; --rule: #333; } }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 72rem; padding: 0 1rem 2rem; font: 16px/1.45 system-ui, sans-serif;
  color: var(--fg); background: var(--bg); }
a { color: var(--link); }
header { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; padding: .75rem 0;
  border-bottom: 1px solid var(--rule); }
header .home { font-weight: 700; text-decoration: none; }
header form { display: flex; flex: 1 1 16rem; gap: .4rem; }
header input { flex: 1; min-width: 0; padding: .35rem .5rem; font: inherit; }
footer { margin-top: 2rem; color: var(--dim); font-size: .85rem; }
h1 { font-size: 1.3rem; margin: 1rem 0 .5rem; overflow-wrap: anywhere; }
.meta, .dim { color: var(--dim); }
table.headers { border-collapse: collapse; margin: .5rem 0; }
table.headers th { text-align: left; vertical-align: top; padding: 0 .75rem 0 0; color: var(--dim); font-weight: 400; }
table.headers td { overflow-wrap: anywhere; }
pre.body { white-space: pre-wrap; overflow-wrap: anywhere; font: 14px/1.4 ui-monospace, monospace;
  border-top: 1px solid var(--rule); padding-top: .75rem; }
pre.body .q { color: var(--q); } pre.body .add { color: var(--add); } pre.body .del { color: var(--del); }
pre.body .hunk { color: var(--hunk); } pre.body .dh { font-weight: 700; }
ol.results { list-style: none; padding: 0; } ol.results li { padding: .5rem 0; border-bottom: 1px solid var(--rule); }
ol.results .subject { font-weight: 600; overflow-wrap: anywhere; }
.snippet { margin: .2rem 0 0; overflow-wrap: anywhere; } mark { background: var(--mark); color: inherit; }
ul.tree, ul.tree ul { list-style: none; padding-left: 1rem; margin: 0; } ul.tree { padding-left: 0; }
ul.tree li { padding: .15rem 0; overflow-wrap: anywhere; } ul.tree li.missing > span { color: var(--dim); }
nav.links a, nav.pages a { margin-right: 1rem; }
.error { border-left: 4px solid var(--del); padding: .5rem 1rem; }
article.message { border-top: 2px solid var(--rule); margin-top: 1.5rem; }
table.lists { border-collapse: collapse; width: 100%; } table.lists td, table.lists th { text-align: left;
  padding: .3rem .75rem .3rem 0; border-bottom: 1px solid var(--rule); overflow-wrap: anywhere; }
)";
}

std::string short_date(int64_t t)
{
    const time_t tt = static_cast<time_t>(t);
    struct tm tm{};
    gmtime_r(&tt, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
    return buf;
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
