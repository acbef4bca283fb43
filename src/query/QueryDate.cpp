// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "listdex/query/QueryDate.hpp"

#include "listdex/base/Text.hpp"
#include "listdex/base/Time.hpp"

#include <algorithm>
#include <array>
#include <limits>

namespace listdex {

namespace {

constexpr int64_t kDay = 86400;

int64_t start_of_day(int64_t t)
{
    return t - ((t % kDay) + kDay) % kDay;
}

/// Seconds per unit for relative dates; months and years are approximate.
std::optional<int64_t> unit_seconds(std::string_view u)
{
    if (u.ends_with('s') && u.size() > 2)
        u.remove_suffix(1); // plural
    if (u == "s" || u == "sec" || u == "second")
        return 1;
    if (u == "min" || u == "minute")
        return 60;
    if (u == "h" || u == "hour")
        return 3600;
    if (u == "d" || u == "day")
        return kDay;
    if (u == "w" || u == "week")
        return 7 * kDay;
    if (u == "m" || u == "mo" || u == "month")
        return 30 * kDay;
    if (u == "y" || u == "year")
        return 365 * kDay;
    return std::nullopt;
}

/// 0 = Sunday, as gmtime's tm_wday; full names or their first three letters.
std::optional<int> weekday(std::string_view w)
{
    static constexpr std::array<std::string_view, 7> kNames{"sunday",   "monday", "tuesday", "wednesday",
                                                            "thursday", "friday", "saturday"};
    for (int i = 0; i < 7; ++i)
        if (w.size() >= 3 && kNames[static_cast<size_t>(i)].starts_with(w))
            return i;
    return std::nullopt;
}

bool all_digits(std::string_view s)
{
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int number(std::string_view s)
{
    return parse_number<int>(s).value_or(-1);
}

/// The period [start, end) from year/month/day or a second.
std::optional<DateSpan> span(std::optional<int64_t> start, std::optional<int64_t> end)
{
    if (!start || !end || *end <= *start)
        return std::nullopt;
    return DateSpan{*start, *end - 1, false};
}

std::optional<DateSpan> calendar(std::string_view s)
{
    // YYYYMMDD and YYYYMMDDhhmmss (public-inbox, lei)
    if (all_digits(s) && (s.size() == 8 || s.size() == 14)) {
        const int y = number(s.substr(0, 4)), m = number(s.substr(4, 2)), d = number(s.substr(6, 2));
        if (s.size() == 8) {
            auto start = civil_to_unix(y, m, d, 0, 0, 0);
            return span(start, start ? std::optional<int64_t>(*start + kDay) : std::nullopt);
        }
        auto t = civil_to_unix(y, m, d, number(s.substr(8, 2)), number(s.substr(10, 2)), number(s.substr(12, 2)));
        return span(t, t ? std::optional<int64_t>(*t + 1) : std::nullopt);
    }
    if (s.size() < 4 || !all_digits(s.substr(0, 4)) || (s.size() > 4 && s[4] != '-'))
        return std::nullopt;
    // YYYY-MM-DDThh:mm[:ss]
    if (const size_t tpos = s.find('T'); tpos != std::string_view::npos) {
        auto date = split(s.substr(0, tpos), '-');
        auto time = split(s.substr(tpos + 1), ':');
        if (date.size() != 3 || time.size() < 2 || time.size() > 3 ||
            !std::all_of(date.begin(), date.end(), all_digits) || !std::all_of(time.begin(), time.end(), all_digits))
            return std::nullopt;
        const int sec = time.size() == 3 ? number(time[2]) : 0;
        auto t = civil_to_unix(number(date[0]), number(date[1]), number(date[2]), number(time[0]), number(time[1]),
                               sec);
        return span(t, t ? std::optional<int64_t>(*t + (time.size() == 3 ? 1 : 60)) : std::nullopt);
    }
    // YYYY, YYYY-MM, YYYY-MM-DD
    auto parts = split(s, '-');
    if (parts.size() > 3 || !std::all_of(parts.begin(), parts.end(), all_digits))
        return std::nullopt;
    const int y = number(parts[0]);
    const int m = parts.size() > 1 ? number(parts[1]) : 1;
    const int d = parts.size() > 2 ? number(parts[2]) : 1;
    auto start = civil_to_unix(y, m, d, 0, 0, 0);
    std::optional<int64_t> end;
    if (parts.size() == 1)
        end = civil_to_unix(y + 1, 1, 1, 0, 0, 0);
    else if (parts.size() == 2)
        end = m == 12 ? civil_to_unix(y + 1, 1, 1, 0, 0, 0) : civil_to_unix(y, m + 1, 1, 0, 0, 0);
    else if (start)
        end = *start + kDay;
    return span(start, end);
}

std::optional<DateSpan> relative(std::string_view s, int64_t now)
{
    const std::string lower = ascii_lower(s);
    std::string_view r = lower;
    if (r.ends_with(".ago"))
        r.remove_suffix(4);
    else if (r.ends_with("ago"))
        r.remove_suffix(3);
    auto moment = [](int64_t t) { return DateSpan{t, t, true}; };
    // last.friday, friday, last.week
    std::string_view word = r;
    int64_t count = 1;
    if (word.starts_with("last.") || word.starts_with("last_")) {
        word.remove_prefix(5);
    } else {
        size_t digits = 0;
        while (digits < r.size() && r[digits] >= '0' && r[digits] <= '9')
            ++digits;
        if (digits > 0) {
            auto n = parse_number<int64_t>(r.substr(0, digits));
            if (!n)
                return std::nullopt;
            count = *n;
            word = r.substr(digits);
            if (word.starts_with('.') || word.starts_with('_'))
                word.remove_prefix(1);
        } else if (!weekday(word)) {
            return std::nullopt; // a bare unit ("week") is no date
        }
    }
    if (auto wd = weekday(word); wd && count == 1) {
        // git: the most recent such weekday strictly before today.
        const int today = static_cast<int>(((now / kDay) % 7 + 7 + 4) % 7); // 1970-01-01 was a Thursday
        int back = today - *wd;
        if (back <= 0)
            back += 7;
        return moment(now - back * kDay);
    }
    auto secs = unit_seconds(word);
    if (!secs || count > std::numeric_limits<int64_t>::max() / *secs) // 446744073709551615d (fuzz_query)
        return std::nullopt;
    return moment(now - count * *secs);
}

} // namespace

std::optional<DateSpan> parse_query_date(std::string_view s, int64_t now)
{
    s = trim(s);
    if (s.empty())
        return std::nullopt;
    if (s.front() == '@') {
        auto v = parse_number<int64_t>(s.substr(1));
        if (!v)
            return std::nullopt;
        return DateSpan{*v, *v, false};
    }
    const std::string lower = ascii_lower(s);
    if (lower == "now")
        return DateSpan{now, now, true};
    if (lower == "today")
        return DateSpan{start_of_day(now), start_of_day(now) + kDay - 1, false};
    if (lower == "yesterday")
        return DateSpan{start_of_day(now) - kDay, start_of_day(now) - 1, false};
    if (auto c = calendar(s))
        return c;
    if (s.size() >= 4 && all_digits(s.substr(0, 4)) && (s.size() == 4 || s[4] == '-' || all_digits(s)))
        return std::nullopt; // a malformed calendar date is not "N units ago"
    return relative(s, now);
}

} // namespace listdex
