// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "listdex/mbox/MhonarcPage.hpp"

#include "listdex/base/Text.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <utility>
#include <vector>

namespace listdex {

namespace {

constexpr std::string_view kMarker = "<!-- MHonArc v";
constexpr std::string_view kIdComment = "<!--X-Message-Id:";

/// @p s with numeric and the common named character references replaced:
/// the header parts MHonArc writes itself use only these (the body, the
/// sender's own HTML, goes whole to the HTML-to-text step of mime).
std::string decode_entities(std::string_view s)
{
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '&') {
            out += s[i];
            continue;
        }
        const size_t semi = s.find(';', i);
        if (semi == std::string_view::npos || semi - i > 10) {
            out += s[i];
            continue;
        }
        const std::string_view ref = s.substr(i + 1, semi - i - 1);
        uint32_t cp = 0;
        if (ref.starts_with("#x") || ref.starts_with("#X"))
            cp = parse_number<uint32_t>(ref.substr(2), 16).value_or(0);
        else if (ref.starts_with('#'))
            cp = parse_number<uint32_t>(ref.substr(1)).value_or(0);
        else if (ref == "lt")
            cp = '<';
        else if (ref == "gt")
            cp = '>';
        else if (ref == "amp")
            cp = '&';
        else if (ref == "quot")
            cp = '"';
        else if (ref == "apos")
            cp = '\'';
        else if (ref == "nbsp")
            cp = 0xA0;
        if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            out += s[i];
            continue;
        }
        // UTF-8
        if (cp < 0x80) {
            out += static_cast<char>(cp);
        } else if (cp < 0x800) {
            out += static_cast<char>(0xC0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (cp >> 18));
            out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        }
        i = semi;
    }
    return out;
}

/// HTML text without its tags, entities decoded, on one line.
std::string html_text(std::string_view html)
{
    std::string out;
    bool in_tag = false;
    for (char c : html) {
        if (c == '<')
            in_tag = true;
        else if (c == '>' && in_tag)
            in_tag = false;
        else if (!in_tag)
            out += c;
    }
    return one_line(decode_entities(out));
}

/// MHonArc's "R13": ROT13 of the letters, and of "@A-Z[" rotated by 14
/// (so '@' and 'N' swap). Its own inverse.
std::string r13(std::string_view s)
{
    static constexpr std::string_view upper = "@ABCDEFGHIJKLMNOPQRSTUVWXYZ[";
    std::string out(s);
    for (char& c : out) {
        if (c >= 'a' && c <= 'z')
            c = static_cast<char>('a' + (c - 'a' + 13) % 26);
        else if (const size_t at = upper.find(c); at != std::string_view::npos)
            c = upper[(at + 14) % upper.size()];
    }
    return out;
}

std::string_view between(std::string_view s, std::string_view open, std::string_view close)
{
    const size_t a = s.find(open);
    if (a == std::string_view::npos)
        return {};
    const size_t b = s.find(close, a + open.size());
    return b == std::string_view::npos ? std::string_view() : s.substr(a + open.size(), b - a - open.size());
}

/// An address the archive replaced ("user@xxxxxxxxx", "user@DOMAIN.HIDDEN").
bool hidden_address(std::string_view entry)
{
    const size_t at = entry.rfind('@');
    if (at == std::string_view::npos)
        return false;
    std::string_view domain = entry.substr(at + 1);
    domain = domain.substr(0, domain.find_first_of("> ,\""));
    if (iequals(domain, "domain.hidden"))
        return true;
    return !domain.empty() && domain.find_first_not_of("x.") == std::string_view::npos;
}

/// The entries of an address list as MHonArc shows it: split at the commas
/// outside quotes and angle brackets. MHonArc shows names decoded, so a
/// comma may belong to a name ("Skorstad,J\u00f8rn <j@n.no>"); every entry
/// it shows has an address, so a piece without one is joined to the next.
std::vector<std::string> address_entries(std::string_view value)
{
    std::vector<std::string> out;
    std::string pending;
    bool quoted = false;
    int angle = 0;
    size_t start = 0;
    for (size_t i = 0; i <= value.size(); ++i) {
        const char c = i < value.size() ? value[i] : ',';
        if (c == '"' && (i == 0 || value[i - 1] != '\\'))
            quoted = !quoted;
        else if (!quoted && c == '<')
            ++angle;
        else if (!quoted && c == '>' && angle > 0)
            --angle;
        else if (c == ',' && ((!quoted && angle == 0) || i == value.size())) {
            const std::string_view piece = trim(value.substr(start, i - start));
            start = i + 1;
            if (piece.empty())
                continue;
            if (!pending.empty())
                pending += ',';
            pending += piece;
            if (pending.find_first_of("@<") != std::string::npos || i == value.size())
                out.push_back(std::exchange(pending, {}));
        }
    }
    return out;
}

/// @p name as a header phrase: quoted when it holds what a phrase cannot
/// (a decoded "Kai M\u00e4kisara (Kolumbus)" would otherwise lose its
/// parentheses as a comment) or when @p always; a name MHonArc shows
/// quoted stays as it is.
std::string phrase(std::string_view name, bool always)
{
    if (name.empty() || (name.size() >= 2 && name.front() == '"' && name.back() == '"') ||
        (!always && name.find_first_of("()<>[]:;@\\,\"") == std::string_view::npos))
        return std::string(name);
    std::string out = "\"";
    for (char c : name) {
        if (c == '"' || c == '\\')
            out += '\\';
        out += c;
    }
    return out + '"';
}

/// An address list as MHonArc shows it (names decoded, addresses perhaps
/// hidden), written back as a header field. A hidden address is dropped
/// and its name kept alone as a quoted string ("Damon"), which the parser
/// reads as a name without an address; a name that is itself a hidden
/// address goes.
std::string rebuilt_address_list(const std::string& value, bool& hid)
{
    std::string out;
    for (const std::string& entry : address_entries(value)) {
        const size_t lt = entry.rfind('<');
        const std::string_view whole(entry);
        const std::string_view name = lt == std::string::npos ? std::string_view() : trim(whole.substr(0, lt));
        const std::string_view address = lt == std::string::npos ? whole : whole.substr(lt);
        const bool hidden = hidden_address(address);
        std::string kept = phrase(name, hidden);
        if (hidden) {
            hid = true;
            if (name.empty() || hidden_address(name))
                continue;
        } else {
            if (!kept.empty())
                kept += ' ';
            kept += address;
        }
        if (!out.empty())
            out += ", ";
        out += kept;
    }
    return out;
}

std::string_view type_of(std::string_view name)
{
    // The extensions MHonArc gives the files it saves (its CT-to-extension
    // table) and the common ones of attachment names.
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 24> kTypes{{
        {".jpg", "image/jpeg"}, {".jpeg", "image/jpeg"}, {".png", "image/png"}, {".gif", "image/gif"},
        {".bmp", "image/bmp"}, {".svg", "image/svg+xml"}, {".tif", "image/tiff"}, {".tiff", "image/tiff"},
        {".webp", "image/webp"}, {".pdf", "application/pdf"}, {".ps", "application/postscript"},
        {".txt", "text/plain"}, {".patch", "text/x-patch"}, {".diff", "text/x-diff"}, {".html", "text/html"},
        {".csv", "text/csv"}, {".xml", "application/xml"}, {".gz", "application/gzip"},
        {".bz2", "application/x-bzip2"}, {".xz", "application/x-xz"}, {".tar", "application/x-tar"},
        {".zip", "application/zip"}, {".pgp", "application/pgp-signature"}, {".asc", "application/pgp-signature"},
    }};
    const std::string lower = ascii_lower(name);
    for (const auto& [ext, type] : kTypes)
        if (lower.ends_with(ext))
            return type;
    return "application/octet-stream";
}

} // namespace

MhonarcKind mhonarc_kind(std::string_view head)
{
    head = trim(head.substr(0, 64 * 1024));
    if (!head.starts_with(kMarker))
        return MhonarcKind::none;
    return head.find(kIdComment) != std::string_view::npos ? MhonarcKind::message : MhonarcKind::index;
}

std::optional<MhonarcMessage> rebuild_mhonarc_message(std::string_view page)
{
    if (mhonarc_kind(page) != MhonarcKind::message)
        return std::nullopt;
    MhonarcMessage out;
    // The comments before <!--X-Head-End-->: X-Name: value.
    std::multimap<std::string, std::string> x;
    const std::string_view top = page.substr(0, page.find("<!--X-Head-End-->"));
    for (size_t pos = top.find("<!--X-"); pos != std::string_view::npos; pos = top.find("<!--X-", pos + 6)) {
        const size_t colon = top.find(':', pos);
        const size_t end = top.find("-->", pos);
        if (colon == std::string_view::npos || end == std::string_view::npos || colon > end)
            continue;
        x.emplace(ascii_lower(top.substr(pos + 6, colon - pos - 6)),
                  std::string(trim(decode_entities(top.substr(colon + 1, end - colon - 1)))));
    }
    auto first = [&](const char* name) {
        auto it = x.find(name);
        return it == x.end() ? std::string() : it->second;
    };
    // The header fields MHonArc shows: <li><em>Name</em>: value</li>.
    std::map<std::string, std::string> shown;
    const std::string_view head = between(page, "<!--X-Head-of-Message-->", "<!--X-Head-of-Message-End-->");
    for (size_t pos = head.find("<li><em>"); pos != std::string_view::npos; pos = head.find("<li><em>", pos + 8)) {
        const size_t name_end = head.find("</em>", pos);
        const size_t item_end = head.find("</li>", pos);
        if (name_end == std::string_view::npos || item_end == std::string_view::npos || name_end > item_end)
            continue;
        std::string_view value = head.substr(name_end + 5, item_end - name_end - 5);
        if (value.starts_with(':'))
            value.remove_prefix(1);
        shown.emplace(ascii_lower(html_text(head.substr(pos + 8, name_end - pos - 8))), html_text(value));
    }
    auto field = [](std::string& to, std::string_view name, const std::string& value) {
        if (!value.empty())
            to += std::string(name) + ": " + one_line(value) + "\n";
    };
    std::string h;
    std::string from = r13(first("from-r13"));
    if (from.empty())
        from = shown["from"];
    bool hid = false;
    field(h, "From", hidden_address(from) ? rebuilt_address_list(from, hid) : from);
    for (const char* name : {"to", "cc"}) {
        bool this_hid = false;
        const std::string kept = rebuilt_address_list(shown[name], this_hid);
        if (this_hid)
            out.notes.push_back(std::string("addresses in ") + (name[0] == 't' ? "To" : "Cc") +
                                " hidden by the archive; names kept");
        field(h, name[0] == 't' ? "To" : "Cc", kept);
    }
    if (hid)
        out.notes.push_back("the sender's address hidden by the archive; name kept");
    field(h, "Subject", first("subject"));
    field(h, "Date", shown.count("date") ? shown["date"] : first("date"));
    field(h, "Message-ID", std::string("<").append(first("message-id")).append(">"));
    std::string refs;
    for (auto [it, end] = x.equal_range("reference"); it != end; ++it)
        refs += (refs.empty() ? "<" : " <") + it->second + ">";
    field(h, "References", refs.empty() ? shown["references"] : refs);
    field(h, "In-Reply-To", shown["in-reply-to"]);
    field(h, "List-Id", shown["list-id"]);

    // Every part MHonArc saved as a file beside the page is an X-Derived
    // comment. Those it shows as attachments have a paragraph in the body,
    // <p><strong>Attachment: <a href="FILE"><tt>NAME</tt></a>...</p>,
    // which goes (the part keeps NAME); the others it shows inline, as
    // <img src="pngKWAHXNQFKD.png" alt="PNG image"> (mhexternal.pl) or as
    // a cid: reference of an HTML part it rewrote. Neither keeps the
    // original name, so those parts are named after their file in the
    // archive, which is where their bytes are.
    std::string body(between(page, "<!--X-Body-of-Message-->", "<!--X-Body-of-Message-End-->"));
    std::vector<std::string> files;
    auto add_file = [&files](std::string file) {
        if (!file.empty() && std::ranges::find(files, file) == files.end())
            files.push_back(std::move(file));
    };
    for (auto [it, end] = x.equal_range("derived"); it != end; ++it)
        add_file(it->second);
    std::map<std::string, std::string> name_of_file;
    constexpr std::string_view kAttachment = "<p><strong>Attachment:";
    for (size_t at; (at = body.find(kAttachment)) != std::string::npos;) {
        const size_t close = body.find("</p>", at);
        const size_t end = close == std::string::npos ? body.size() : close + 4;
        const std::string_view para(body.data() + at, end - at);
        std::string name = html_text(between(para, "<tt>", "</tt>"));
        std::string file = html_text(between(para, "href=\"", "\""));
        if (file.empty())
            file = name;
        add_file(file);
        name_of_file[file] = std::move(name);
        body.erase(at, end - at);
    }
    // Pages of MHonArc versions that wrote no X-Derived: the images shown.
    for (size_t at = body.find("<img"); at != std::string::npos; at = body.find("<img", at + 4)) {
        const std::string_view tag = between(std::string_view(body).substr(at), "<img", ">");
        const std::string_view src = between(tag, "src=\"", "\"");
        if (!tag.empty() && std::string_view(" \t\r\n").find(tag.front()) != std::string_view::npos && src.find_first_of(":/") == std::string_view::npos)
            add_file(html_text(src));
    }
    const std::string html = "<html><body>" + body + "</body></html>\n";
    h += "MIME-Version: 1.0\n";
    if (files.empty()) {
        out.message = h + "Content-Type: text/html; charset=utf-8\n\n" + html;
        return out;
    }
    const std::string boundary = "listdex-mhonarc-part";
    out.message = h + "Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\n\n--" + boundary +
                  "\nContent-Type: text/html; charset=utf-8\n\n" + html;
    for (const std::string& file : files) {
        const auto named = name_of_file.find(file);
        const bool attached = named != name_of_file.end() && !named->second.empty();
        const std::string& name = attached ? named->second : file;
        std::string_view type = type_of(name);
        if (type == "application/octet-stream")
            type = type_of(file);
        std::string safe = name;
        std::erase(safe, '"');
        out.message += "--" + boundary + "\nContent-Type: " + std::string(type) + "; name=\"" + safe +
                       "\"\nContent-Disposition: " + (attached ? "attachment" : "inline") + "; filename=\"" +
                       safe + "\"\n\n";
        out.notes.push_back(attached ? "attachment " + name + ": its bytes are a file of the archive beside the "
                                                              "page, not in it"
                                     : "part " + file + ": its bytes are a file of the archive beside the page, "
                                                        "not in it; its original name is not kept");
    }
    out.message += "--" + boundary + "--\n";
    return out;
}

} // namespace listdex
