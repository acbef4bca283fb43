// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "listdex/base/Text.hpp"

#include <algorithm>

namespace listdex {

std::string ascii_lower(std::string_view s)
{
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    return out;
}

bool iequals(std::string_view a, std::string_view b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
               return lower(x) == lower(y);
           });
}

std::string_view trim(std::string_view s)
{
    const char* ws = " \t\r\n";
    const size_t b = s.find_first_not_of(ws);
    if (b == std::string_view::npos)
        return {};
    return s.substr(b, s.find_last_not_of(ws) - b + 1);
}

namespace {
// Length of the valid UTF-8 sequence at s[i], or 0 when invalid.
size_t utf8_sequence(std::string_view s, size_t i)
{
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80)
        return 1;
    size_t n;
    unsigned min;
    unsigned cp;
    if ((c & 0xE0) == 0xC0) { n = 2; min = 0x80; cp = c & 0x1F; }
    else if ((c & 0xF0) == 0xE0) { n = 3; min = 0x800; cp = c & 0x0F; }
    else if ((c & 0xF8) == 0xF0) { n = 4; min = 0x10000; cp = c & 0x07; }
    else return 0;
    if (i + n > s.size())
        return 0;
    for (size_t k = 1; k < n; ++k) {
        const auto cc = static_cast<unsigned char>(s[i + k]);
        if ((cc & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (cc & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}
} // namespace

bool is_valid_utf8(std::string_view s)
{
    for (size_t i = 0; i < s.size();) {
        const size_t n = utf8_sequence(s, i);
        if (n == 0)
            return false;
        i += n;
    }
    return true;
}

std::string make_valid_utf8(std::string_view s)
{
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size();) {
        const size_t n = utf8_sequence(s, i);
        if (n == 0) {
            out += "\xEF\xBF\xBD";
            ++i;
        } else {
            if (!(n == 1 && s[i] == '\0'))
                out.append(s, i, n);
            i += n;
        }
    }
    return out;
}

std::string one_line(std::string_view s)
{
    const std::string valid = make_valid_utf8(s);
    std::string out;
    out.reserve(valid.size());
    bool space = false;
    for (char c : valid) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u == 0x7f) {
            space = !out.empty();
            continue;
        }
        if (space)
            out += ' ';
        space = false;
        out += c;
    }
    return out;
}

std::string normalize_message_id(std::string_view id)
{
    id = trim(id);
    if (id.starts_with("id:"))
        id = trim(id.substr(3));
    else if (id.starts_with("mid:"))
        id = trim(id.substr(4));
    if (id.size() >= 2 && id.front() == '<' && id.back() == '>')
        id = trim(id.substr(1, id.size() - 2));
    return std::string(id);
}

std::vector<std::string_view> split(std::string_view s, char sep)
{
    std::vector<std::string_view> out;
    size_t start = 0;
    for (;;) {
        const size_t p = s.find(sep, start);
        if (p == std::string_view::npos) {
            out.push_back(s.substr(start));
            return out;
        }
        out.push_back(s.substr(start, p - start));
        start = p + 1;
    }
}

std::string join(const std::vector<std::string>& parts, std::string_view sep)
{
    std::string out;
    for (const auto& p : parts) {
        if (!out.empty())
            out += sep;
        out += p;
    }
    return out;
}

std::string normalize_list_id(std::string_view id)
{
    id = trim(id);
    const size_t lt = id.rfind('<');
    const size_t gt = id.find('>', lt == std::string_view::npos ? 0 : lt);
    if (lt != std::string_view::npos && gt != std::string_view::npos && gt > lt + 1)
        id = trim(id.substr(lt + 1, gt - lt - 1));
    std::string out = ascii_lower(id);
    // name@host: one '@', a dot-atom on either side.
    if (const size_t at = out.find('@'); at != std::string::npos && at > 0 && at + 1 < out.size() &&
                                         out.find('@', at + 1) == std::string::npos &&
                                         out.find_first_of(" \t") == std::string::npos)
        out[at] = '.';
    return out;
}

std::string thousands(uint64_t n)
{
    std::string digits = std::to_string(n);
    std::string out;
    for (size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0)
            out += ',';
        out += digits[i];
    }
    return out;
}

std::string counted(uint64_t n, std::string_view one, std::string_view many)
{
    return thousands(n) + " " + std::string(n == 1 ? one : many);
}

} // namespace listdex
