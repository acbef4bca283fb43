// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
// Rebuilding messages that lost every line break (MessageRepair.hpp):
// header fields split at their names, each value bounded by its grammar.
#include "RepairFields.hpp"

#include "listdex/base/Text.hpp"
#include "listdex/mbox/MessageRepair.hpp"

#include <algorithm>
#include <string>
#include <vector>

namespace listdex {

using namespace repair;

namespace {

/// Past a "(comment)" at @p i (nested), else @p i. Header comments are
/// short ("(UTC)", "(Ann B)"); a long parenthesis is body text.
size_t skip_comment(std::string_view s, size_t i)
{
    if (i >= s.size() || s[i] != '(')
        return i;
    int depth = 0;
    for (size_t k = i; k < s.size() && k - i < 80; ++k) {
        if (s[k] == '\\')
            ++k;
        else if (s[k] == '(')
            ++depth;
        else if (s[k] == ')' && --depth == 0)
            return k + 1;
    }
    return i;
}

/// Past the comments (if any) after @p end; @p end itself when none.
size_t comments_after(std::string_view s, size_t end)
{
    for (;;) {
        const size_t k = skip_space(s, end);
        const size_t c = skip_comment(s, k);
        if (c == k)
            return end;
        end = c;
    }
}

/// Past "<...>" at @p i (no white space inside), or npos.
size_t angle_end(std::string_view s, size_t i)
{
    if (i >= s.size() || s[i] != '<')
        return npos;
    for (size_t k = i + 1; k < s.size() && !is_space(s[k]); ++k)
        if (s[k] == '>')
            return k + 1;
    return npos;
}

size_t ids_end(std::string_view s, size_t i)
{
    if (s.substr(i, 2) == "NO" && (i + 2 == s.size() || is_space(s[i + 2]))) // List-Post: NO
        return i + 2;
    size_t end = npos;
    for (size_t k = i;;) {
        const size_t a = angle_end(s, k);
        if (a == npos)
            return end == npos ? npos : comments_after(s, end);
        end = a;
        k = skip_space(s, a);
        if (k < s.size() && s[k] == ',') {
            end = k + 1;
            k = skip_space(s, k + 1);
        }
    }
}

/// A phrase (words, quoted strings) then <...>; npos when a field name or
/// too many words come first.
size_t phrase_angle_end(std::string_view s, size_t i)
{
    for (int words = 0; words < 24 && i < s.size(); ++words) {
        if (s[i] == '<')
            return angle_end(s, i);
        if (field_at(s, i))
            return npos;
        if (s[i] == '"') {
            size_t k = i + 1;
            while (k < s.size() && s[k] != '"')
                k += s[k] == '\\' ? 2 : 1;
            if (k >= s.size())
                return npos;
            i = k + 1;
        } else {
            const size_t lt = s.find('<', i);
            const size_t e = token_end(s, i);
            if (lt != npos && lt < e)
                return angle_end(s, lt);
            i = e;
        }
        i = skip_space(s, i);
    }
    return npos;
}

size_t addresses_end(std::string_view s, size_t i)
{
    size_t end = npos;
    for (size_t k = i;;) {
        if (k >= s.size() || field_at(s, k))
            return end;
        const size_t t = token_end(s, k);
        std::string_view tok = s.substr(k, t - k);
        size_t m = npos;
        if (tok.ends_with(":;")) { // undisclosed-recipients:;
            m = t;
        } else if (tok.find('@') != npos && tok[0] != '"') {
            m = t;
        } else if (const size_t at = skip_space(s, t); s.substr(at, 3) == "at " && has_dot_word(s.substr(
                                                              at + 3, token_end(s, at + 3) - at - 3))) {
            m = token_end(s, at + 3); // pipermail: user at example.com
        } else {
            m = phrase_angle_end(s, k);
        }
        if (m == npos)
            return end;
        end = comments_after(s, m);
        if (s[end - 1] == ',') {
            k = skip_space(s, end);
            continue;
        }
        k = skip_space(s, end);
        if (k < s.size() && s[k] == ',') {
            end = k + 1;
            k = skip_space(s, end);
            continue;
        }
        return end;
    }
}

bool all_digits(std::string_view s)
{
    return !s.empty() && std::ranges::all_of(s, [](char c) { return c >= '0' && c <= '9'; });
}

/// [Wkd,] D Mon YYYY HH:MM[:SS] [ZONE] [(comment)]
size_t date_end(std::string_view s, size_t i)
{
    std::vector<std::pair<size_t, size_t>> tok;
    for (size_t k = i; k < s.size() && tok.size() < 7; k = skip_space(s, token_end(s, k)))
        tok.emplace_back(k, token_end(s, k));
    auto word = [&](size_t n) { return n < tok.size() ? s.substr(tok[n].first, tok[n].second - tok[n].first) : ""; };
    size_t n = 0;
    if (word(0).size() == 4 && word(0).ends_with(','))
        ++n;
    std::string_view day = word(n), mon = word(n + 1), year = word(n + 2), time = word(n + 3);
    if (!all_digits(day) || day.size() > 2 || mon.size() != 3 || !all_digits(year) || year.size() < 2 ||
        year.size() > 4 || time.find(':') == npos || !all_digits(time.substr(0, time.find(':'))))
        return npos;
    size_t end = tok[n + 3].second;
    std::string_view zone = word(n + 4);
    const bool numeric = zone.size() == 5 && (zone[0] == '+' || zone[0] == '-') && all_digits(zone.substr(1));
    const bool named = !zone.empty() && zone.size() <= 5 &&
                       std::ranges::all_of(zone, [](char c) { return c >= 'A' && c <= 'Z'; });
    if (numeric || named)
        end = tok[n + 4].second;
    return comments_after(s, end);
}

size_t params_end(std::string_view s, size_t i)
{
    size_t end = token_end(s, i);
    bool semicolon = s[end - 1] == ';';
    for (;;) {
        size_t k = skip_space(s, end);
        if (k < s.size() && s[k] == ';') {
            semicolon = true;
            k = skip_space(s, k + 1);
        }
        if (!semicolon || k >= s.size() || field_at(s, k))
            return comments_after(s, end);
        size_t eq = k;
        while (eq < s.size() && s[eq] != '=' && !is_space(s[eq]))
            ++eq;
        if (eq >= s.size() || s[eq] != '=' || eq == k)
            return comments_after(s, end);
        size_t v = eq + 1;
        if (v < s.size() && s[v] == '"') {
            ++v;
            while (v < s.size() && s[v] != '"')
                v += s[v] == '\\' ? 2 : 1;
            v = std::min(v + 1, s.size());
        } else {
            while (v < s.size() && s[v] != ';' && !is_space(s[v]))
                ++v;
        }
        semicolon = v < s.size() && s[v] == ';';
        end = semicolon ? v + 1 : v;
    }
}

size_t languages_end(std::string_view s, size_t i)
{
    size_t end = npos;
    for (size_t k = i; k < s.size() && !field_at(s, k);) {
        const size_t t = token_end(s, k);
        std::string_view w = s.substr(k, t - k);
        const bool comma = w.ends_with(',');
        if (comma)
            w.remove_suffix(1);
        if (w.empty() || w.size() > 35 || !std::ranges::all_of(w, [](char c) {
                return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
            }))
            break;
        end = t;
        if (!comma)
            break;
        k = skip_space(s, t);
    }
    return end;
}

/// Where a value starting at @p i ends by its grammar; npos when it does
/// not fit the grammar (or has none).
size_t value_end(Grammar g, std::string_view s, size_t i)
{
    if (i >= s.size())
        return npos;
    switch (g) {
    case Grammar::unstructured:
        return npos;
    case Grammar::ids:
        return ids_end(s, i);
    case Grammar::angle: {
        const size_t end = phrase_angle_end(s, i);
        return end == npos ? npos : comments_after(s, end);
    }
    case Grammar::addresses:
        return addresses_end(s, i);
    case Grammar::date:
        return date_end(s, i);
    case Grammar::token:
        return field_at(s, i) ? npos : comments_after(s, token_end(s, i));
    case Grammar::params:
        return field_at(s, i) ? npos : params_end(s, i);
    case Grammar::languages:
        return languages_end(s, i);
    case Grammar::received: {
        // "from x (comment) by y ...; DATE": the ';' outside comments (which
        // hold words like "sender:"), and no field name before it.
        int depth = 0;
        for (size_t k = i; k < s.size(); ++k) {
            if (s[k] == '(')
                ++depth;
            else if (s[k] == ')' && depth > 0)
                --depth;
            else if (depth == 0 && s[k] == ';')
                return date_end(s, skip_space(s, k + 1));
            else if (depth == 0 && is_space(s[k - 1]) && field_at(s, k))
                return npos;
        }
        return npos;
    }
    }
    return npos;
}


bool base64_word(std::string_view w)
{
    return !w.empty() && std::ranges::all_of(w, [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/' ||
               c == '=';
    });
}

/// Where a trailing base64 body starts in @p s, or npos: lines of one
/// length (a multiple of 4, long enough not to be words of a sentence),
/// the last one maybe shorter.
size_t trailing_base64(std::string_view s)
{
    std::vector<std::pair<size_t, size_t>> words; // (start, length), from the end
    for (size_t e = s.size(); e > 0;) {
        while (e > 0 && is_space(s[e - 1]))
            --e;
        size_t b = e;
        while (b > 0 && !is_space(s[b - 1]))
            --b;
        if (b == e || !base64_word(s.substr(b, e - b)))
            break;
        words.emplace_back(b, e - b);
        e = b;
    }
    auto line_like = [](size_t len) { return len >= 20 && len % 4 == 0; };
    if (words.size() >= 2 && line_like(words[1].second)) {
        size_t k = 1;
        while (k + 1 < words.size() && words[k + 1].second == words[1].second)
            ++k;
        return words[k].first;
    }
    return !words.empty() && line_like(words[0].second) ? words[0].first : npos;
}

/// Fields a message (or part) has at most once (RFC 5322 3.6, RFC 2045).
bool once_only(std::string_view name)
{
    static constexpr std::array<std::string_view, 15> kOnce{
        "date", "from", "sender", "reply-to", "to", "cc", "bcc", "message-id", "in-reply-to", "references",
        "subject", "mime-version", "content-type", "content-transfer-encoding", "list-id"};
    return std::ranges::any_of(kOnce, [&](std::string_view n) { return iequals(n, name); });
}

struct Field {
    std::string name, value;
};

/// @p part: a MIME body part, whose header holds only Content-* fields
/// (anything else starts its body, a forwarded message's header say).
std::string rebuild(std::string_view s, int depth, bool& guessed, bool part = false);

std::string rebuild_body(std::string_view body, const std::vector<Field>& fields, int depth, bool& guessed)
{
    body = trim(body);
    std::string type, encoding;
    for (const auto& f : fields) {
        if (iequals(f.name, "content-type"))
            type = f.value;
        else if (iequals(f.name, "content-transfer-encoding"))
            encoding = ascii_lower(trim(f.value));
    }
    const std::string boundary = ascii_lower(type).starts_with("multipart/") ? param(type, "boundary") : "";
    std::string out;
    if (!boundary.empty() && depth < 20) {
        // Parts sit between "--BOUNDARY" words; the last one is "--BOUNDARY--".
        const std::string delim = "--" + boundary;
        std::vector<size_t> at;
        for (size_t p = body.find(delim); p != npos; p = body.find(delim, p + delim.size()))
            if ((p == 0 || is_space(body[p - 1])) &&
                (p + delim.size() == body.size() || is_space(body[p + delim.size()]) ||
                 body.substr(p + delim.size(), 2) == "--"))
                at.push_back(p);
        if (!at.empty()) {
            out += trim(body.substr(0, at[0]));
            out += "\n";
            for (size_t k = 0; k < at.size(); ++k) {
                const size_t from = at[k] + delim.size();
                if (body.substr(from, 2) == "--") {
                    out += delim + "--\n";
                    out += trim(body.substr(from + 2));
                    return out;
                }
                const size_t to = k + 1 < at.size() ? at[k + 1] : body.size();
                out += delim + "\n" + rebuild(body.substr(from, to - from), depth + 1, guessed, true) + "\n";
            }
            return out;
        }
    }
    if (const std::string t = ascii_lower(trim(type));
        (t.starts_with("message/rfc822") || t.starts_with("message/global")) && depth < 20)
        return rebuild(body, depth + 1, guessed); // a forwarded message, flattened with the rest
    if (encoding == "base64") {
        for (size_t i = skip_space(body, 0); i < body.size(); i = skip_space(body, token_end(body, i))) {
            out.append(body.substr(i, token_end(body, i) - i));
            out += '\n';
        }
        return out;
    }
    if (encoding == "quoted-printable") {
        // "=" then a line break was a soft break; a literal "=" is "=3D".
        for (size_t i = 0; i < body.size(); ++i) {
            out += body[i];
            if (body[i] == '=' && i + 1 < body.size() && body[i + 1] == ' ') {
                out += '\n';
                ++i;
            }
        }
        return out;
    }
    return std::string(body);
}

/// One entity (a message or a MIME part) from flattened text.
std::string rebuild(std::string_view s, int depth, bool& guessed, bool part)
{
    std::vector<Field> fields;
    size_t i = skip_space(s, 0);
    bool last_bounded = false;
    while (i < s.size()) {
        auto g = field_at(s, i);
        if (!g || (part && !iequals(s.substr(i, 8), "content-") && !iequals(s.substr(i, 13), "mime-version:")))
            break;
        // A field RFC 5322 allows once, seen again, is body text ("Cc:" and
        // "From:" lines of a patch).
        const size_t name_end = token_end(s, i);
        const std::string_view name = s.substr(i, name_end - 1 - i);
        if (once_only(name) && std::ranges::any_of(fields, [&](const Field& f) { return iequals(f.name, name); }))
            break;
        const size_t v = skip_space(s, name_end);
        size_t end = value_end(*g, s, v);
        last_bounded = end != npos;
        if (!last_bounded)
            end = next_field(s, v);
        fields.push_back({std::string(name), std::string(trim(s.substr(v, end - v)))});
        i = skip_space(s, end);
    }
    std::string_view body = s.substr(std::min(i, s.size()));
    std::string moved; // text taken back from a free-text field into the body
    if (body.empty() && !last_bounded && !fields.empty()) {
        // A free-text field ran to the end: find the body inside it, by the
        // multipart boundary or the shape of base64 lines. Failing that the
        // field is taken to be empty and its text to be the body: text in
        // the body stays readable and searchable, a body swallowed by, say,
        // X-Mailer would be neither.
        Field& f = fields.back();
        size_t cut = npos;
        for (const auto& other : fields)
            if (iequals(other.name, "content-type"))
                if (std::string b = param(other.value, "boundary"); !b.empty())
                    if (const size_t p = f.value.find("--" + b); p != npos)
                        cut = p;
        if (cut == npos)
            for (const auto& other : fields)
                if (iequals(other.name, "content-transfer-encoding") && iequals(trim(other.value), "base64"))
                    cut = trailing_base64(f.value);
        if (cut == npos) {
            cut = 0;
            guessed = true;
        }
        moved = f.value.substr(cut);
        f.value = std::string(trim(std::string_view(f.value).substr(0, cut)));
        body = moved;
    }
    std::string out;
    for (const auto& f : fields)
        out += f.name + ":" + (f.value.empty() ? "" : " ") + f.value + "\n";
    return out + "\n" + rebuild_body(body, fields, depth, guessed);
}

} // namespace

bool is_flattened(std::string_view raw)
{
    while (!raw.empty() && is_space(raw.back()))
        raw.remove_suffix(1);
    if (raw.find('\n') != npos || !starts_with_known_field(raw))
        return false;
    // Header fields come first; do not walk a huge body to count them.
    std::string_view head = raw.substr(0, 1 << 16);
    int fields = 0;
    for (size_t i = 0; i < head.size() && fields < 3; i = skip_space(head, token_end(head, i)))
        fields += field_at(head, i) ? 1 : 0;
    return fields >= 3;
}

std::optional<Unflattened> unflatten(std::string_view raw)
{
    if (!is_flattened(raw))
        return std::nullopt;
    Unflattened u;
    u.bytes = rebuild(trim(raw), 0, u.header_end_guessed);
    if (!u.bytes.ends_with('\n'))
        u.bytes += '\n';
    return u;
}

} // namespace listdex
