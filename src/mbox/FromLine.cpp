// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "listdex/mbox/FromLine.hpp"

#include "listdex/base/Text.hpp"
#include "listdex/base/Time.hpp"
#include "listdex/mbox/MessageRepair.hpp"

#include <array>
#include <vector>

namespace listdex {

namespace {

constexpr std::array<std::string_view, 7> kWeekdays{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
constexpr std::array<std::string_view, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

std::optional<int> number(std::string_view s, size_t min_digits, size_t max_digits)
{
    if (s.size() < min_digits || s.size() > max_digits)
        return std::nullopt;
    return parse_number<int>(s);
}

int month_index(std::string_view s)
{
    for (size_t i = 0; i < kMonths.size(); ++i)
        if (s == kMonths[i])
            return static_cast<int>(i) + 1;
    return 0;
}

bool is_weekday(std::string_view s)
{
    for (auto d : kWeekdays)
        if (s == d)
            return true;
    return false;
}

/// "15:51:00" or "15:51" as seconds of the day.
std::optional<int> time_of_day(std::string_view s)
{
    const size_t c1 = s.find(':');
    if (c1 == std::string_view::npos)
        return std::nullopt;
    const size_t c2 = s.find(':', c1 + 1);
    auto h = number(s.substr(0, c1), 1, 2);
    auto m = number(s.substr(c1 + 1, c2 == std::string_view::npos ? std::string_view::npos : c2 - c1 - 1), 2, 2);
    auto sec = c2 == std::string_view::npos ? std::optional<int>(0) : number(s.substr(c2 + 1), 2, 2);
    if (!h || !m || !sec || *h > 23 || *m > 59 || *sec > 60)
        return std::nullopt;
    return *h * 3600 + *m * 60 + *sec;
}

/// "+0100" / "-0800" as seconds east of UTC.
std::optional<int> numeric_zone(std::string_view s)
{
    if (s.size() != 5 || (s[0] != '+' && s[0] != '-'))
        return std::nullopt;
    auto v = number(s.substr(1), 4, 4);
    if (!v)
        return std::nullopt;
    const int secs = (*v / 100) * 3600 + (*v % 100) * 60;
    return s[0] == '-' ? -secs : secs;
}

bool is_zone_name(std::string_view s)
{
    if (s.size() < 1 || s.size() > 5)
        return false;
    for (char c : s)
        if (c < 'A' || c > 'Z')
            return false;
    return true;
}

} // namespace

std::optional<FromLine> parse_from_line(std::string_view line)
{
    if (!line.starts_with("From "))
        return std::nullopt;
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r'))
        line.remove_suffix(1);
    // A separator is short; a long line is body text unless it is a
    // flattened message, whose date also comes within the first 1000 bytes.
    const std::string_view head = line.substr(0, 1000);

    std::vector<std::string_view> tok;
    for (size_t i = 5; i < head.size() && tok.size() < 64;) {
        while (i < head.size() && (head[i] == ' ' || head[i] == '\t'))
            ++i;
        const size_t start = i;
        while (i < head.size() && head[i] != ' ' && head[i] != '\t')
            ++i;
        if (i > start)
            tok.push_back(head.substr(start, i - start));
    }

    // The sender may contain spaces (pipermail's "user at example.com"), so
    // look for the first position where an asctime date starts. A sender is
    // one to three words; more is a sentence that happens to hold a date.
    for (size_t w = 1; w <= 3 && w + 4 < tok.size(); ++w) {
        if (!is_weekday(tok[w]))
            continue;
        const int mon = month_index(tok[w + 1]);
        auto day = number(tok[w + 2], 1, 2);
        auto tod = time_of_day(tok[w + 3]);
        if (mon == 0 || !day || !tod)
            continue;
        size_t y = w + 4;
        int zone = 0;
        if (auto z = numeric_zone(tok[y]); z && y + 1 < tok.size()) {
            zone = *z;
            ++y;
        } else if (is_zone_name(tok[y]) && y + 1 < tok.size()) {
            ++y; // named zones are ambiguous; treat as UTC
        }
        auto year = number(tok[y], 4, 4);
        if (!year)
            continue;
        FromLine fl;
        fl.rest = static_cast<size_t>(tok[y].data() + tok[y].size() - line.data());
        while (fl.rest < line.size() && (line[fl.rest] == ' ' || line[fl.rest] == '\t'))
            ++fl.rest;
        if (line.size() > head.size() && !starts_with_known_field(line.substr(fl.rest)))
            return std::nullopt;
        const char* first = tok[0].data();
        const char* last = tok[w - 1].data() + tok[w - 1].size();
        fl.sender = std::string(first, static_cast<size_t>(last - first));
        auto t = civil_to_unix(*year, mon, *day, 0, 0, 0);
        if (!t)
            return std::nullopt;
        const int64_t when = *t + *tod - zone;
        if (when > 86400) // "Thu Jan  1 00:00:00 1970" is a placeholder, not a date
            fl.date = when;
        return fl;
    }
    return std::nullopt;
}

} // namespace listdex
