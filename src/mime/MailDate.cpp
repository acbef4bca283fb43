// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "listdex/mime/MailDate.hpp"

#include "listdex/base/Text.hpp"
#include "listdex/base/Time.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace listdex {

namespace {

struct Zone {
    std::string_view name; ///< lower case
    int minutes;           ///< east of UTC
};

// RFC 5322 4.3's names, and the unambiguous ones real mail uses. Ambiguous
// abbreviations (IST: India, Israel, Ireland) are left out on purpose.
constexpr std::array kZones = std::to_array<Zone>({
    {"ut", 0},        {"utc", 0},      {"gmt", 0},       {"z", 0},        {"est", -300},   {"edt", -240},
    {"cst", -360},    {"cdt", -300},   {"mst", -420},    {"mdt", -360},   {"pst", -480},   {"pdt", -420},
    {"ast", -240},    {"adt", -180},   {"akst", -540},   {"akdt", -480},  {"hst", -600},   {"wet", 0},
    {"west", 60},     {"bst", 60},     {"cet", 60},      {"cest", 120},   {"met", 60},     {"mest", 120},
    {"mez", 60},      {"mesz", 120},   {"eet", 120},     {"eest", 180},   {"msk", 180},    {"jst", 540},
    {"kst", 540},     {"hkt", 480},    {"sgt", 480},     {"awst", 480},   {"acst", 570},   {"acdt", 630},
    {"aest", 600},    {"aedt", 660},   {"nzst", 720},    {"nzdt", 780},
});

constexpr std::array<std::string_view, 12> kMonths{"jan", "feb", "mar", "apr", "may", "jun",
                                                   "jul", "aug", "sep", "oct", "nov", "dec"};
constexpr std::array<std::string_view, 7> kDays{"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

bool all_digits(std::string_view s)
{
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/// "jan", "january", "Jan." -> 1..12; 0 when not a month.
int month_of(std::string_view w)
{
    if (w.size() < 3)
        return 0;
    const std::string lower = ascii_lower(w);
    for (size_t m = 0; m < kMonths.size(); ++m)
        if (lower.starts_with(kMonths[m]))
            return static_cast<int>(m) + 1;
    return 0;
}

bool is_weekday(std::string_view w)
{
    const std::string lower = ascii_lower(w);
    return lower.size() >= 3 && std::any_of(kDays.begin(), kDays.end(), [&](std::string_view d) {
               return lower.starts_with(d);
           });
}

/// "+0100", "-05:00", "+01" -> minutes east; nullopt otherwise.
std::optional<int> numeric_zone(std::string_view z)
{
    if (z.size() < 3 || (z[0] != '+' && z[0] != '-'))
        return std::nullopt;
    std::string digits;
    for (char c : z.substr(1))
        if (c != ':')
            digits += c;
    if (!all_digits(digits) || (digits.size() != 4 && digits.size() != 2))
        return std::nullopt;
    const int h = std::stoi(digits.substr(0, 2)), m = digits.size() == 4 ? std::stoi(digits.substr(2, 2)) : 0;
    if (h > 23 || m > 59)
        return std::nullopt;
    return (z[0] == '-' ? -1 : 1) * (h * 60 + m);
}

/// The text without its (nested) comments, commas as spaces.
std::string without_comments(std::string_view s)
{
    std::string out;
    int depth = 0;
    for (char c : s) {
        if (c == '(')
            ++depth;
        else if (c == ')' && depth > 0)
            --depth;
        else if (depth == 0)
            out += c == ',' ? ' ' : c;
    }
    return out;
}

struct Parts {
    int year = -1, month = 0, day = 0, hour = -1, minute = 0, second = 0;
    int year_digits = 0;
    std::optional<int> zone;          ///< minutes east
    std::string unknown_zone;         ///< a zone word not known
    int half = 0;                     ///< 1 am, 2 pm
};

/// "HH:MM[:SS]" at the start of @p t; the rest (a glued zone or AM/PM) in @p rest.
bool read_time(std::string_view t, Parts& p, std::string_view& rest)
{
    size_t i = 0;
    auto number = [&](int max_digits) -> std::optional<int> {
        size_t start = i;
        while (i < t.size() && std::isdigit(static_cast<unsigned char>(t[i])) && i - start < size_t(max_digits))
            ++i;
        if (i == start)
            return std::nullopt;
        return std::stoi(std::string(t.substr(start, i - start)));
    };
    auto h = number(2);
    if (!h || i >= t.size() || t[i] != ':')
        return false;
    ++i;
    auto m = number(2);
    if (!m)
        return false;
    int s = 0;
    if (i < t.size() && t[i] == ':') {
        ++i;
        auto sec = number(2);
        if (!sec)
            return false;
        s = *sec;
    }
    if (i < t.size() && t[i] == '.') // fractions of a second (ISO 8601)
        while (++i < t.size() && std::isdigit(static_cast<unsigned char>(t[i]))) {
        }
    p.hour = *h;
    p.minute = *m;
    p.second = s;
    rest = t.substr(i);
    return true;
}

/// A zone, AM/PM, or nothing: what may follow a time or stand alone.
bool read_zone_or_half(std::string_view w, Parts& p)
{
    if (w.empty())
        return true;
    const std::string lower = ascii_lower(w);
    if (lower == "am" || lower == "a.m.") {
        p.half = 1;
        return true;
    }
    if (lower == "pm" || lower == "p.m.") {
        p.half = 2;
        return true;
    }
    if (auto z = numeric_zone(w)) {
        p.zone = z;
        return true;
    }
    for (const Zone& z : kZones)
        if (lower == z.name) {
            p.zone = z.minutes;
            return true;
        }
    // A zone name after the numeric zone is a comment in all but name
    // ("+0100 CET"); a single letter is a military zone, read as unknown
    // (RFC 5322 4.3); other words are unknown zones.
    if (std::all_of(lower.begin(), lower.end(), [](char c) { return c >= 'a' && c <= 'z'; }) && lower.size() <= 5) {
        if (!p.zone)
            p.unknown_zone = w;
        return true;
    }
    return false;
}

/// "2024-03-04" or "2024-03-04T09:00:00+01:00".
bool read_iso(std::string_view w, Parts& p)
{
    if (w.size() < 10 || w[4] != '-' || w[7] != '-' || !all_digits(w.substr(0, 4)) || !all_digits(w.substr(5, 2)) ||
        !all_digits(w.substr(8, 2)))
        return false;
    p.year = std::stoi(std::string(w.substr(0, 4)));
    p.year_digits = 4;
    p.month = std::stoi(std::string(w.substr(5, 2)));
    p.day = std::stoi(std::string(w.substr(8, 2)));
    if (w.size() == 10)
        return true;
    if (w[10] != 'T' && w[10] != 't')
        return false;
    std::string_view rest;
    if (!read_time(w.substr(11), p, rest))
        return false;
    if (rest == "Z" || rest == "z") {
        p.zone = 0;
        return true;
    }
    return read_zone_or_half(rest, p);
}

} // namespace

std::optional<MailDate> parse_mail_date(std::string_view value)
{
    const std::string text = without_comments(value);
    Parts p;
    std::vector<std::string_view> words;
    for (std::string_view w : split(text, ' '))
        for (std::string_view x : split(w, '\t'))
            if (!trim(x).empty())
                words.push_back(trim(x));
    for (std::string_view w : words) {
        std::string_view rest;
        if (is_weekday(w) && !month_of(w)) {
            continue;
        } else if (int m = month_of(w); m && !p.month && w.find('-') == std::string_view::npos) {
            p.month = m;
        } else if (read_iso(w, p)) {
            continue;
        } else if (std::count(w.begin(), w.end(), '-') == 2 && w.front() != '-' && month_of(w.substr(w.find('-') + 1))) {
            // RFC 850: 04-Mar-24
            const auto parts = split(w, '-');
            if (!all_digits(parts[0]) || !all_digits(parts[2]))
                return std::nullopt;
            p.day = std::stoi(std::string(parts[0]));
            p.month = month_of(parts[1]);
            p.year = std::stoi(std::string(parts[2]));
            p.year_digits = static_cast<int>(parts[2].size());
        } else if (w.find(':') != std::string_view::npos && p.hour < 0 && read_time(w, p, rest)) {
            if (!read_zone_or_half(rest, p))
                return std::nullopt;
        } else if (all_digits(w) && w.size() <= 2 && !p.day) {
            p.day = std::stoi(std::string(w));
        } else if (all_digits(w) && w.size() <= 4 && p.year < 0) {
            p.year = std::stoi(std::string(w));
            p.year_digits = static_cast<int>(w.size());
        } else if (!read_zone_or_half(w, p)) {
            return std::nullopt;
        }
    }
    if (p.year < 0 || !p.month || !p.day || p.hour < 0)
        return std::nullopt;
    MailDate out;
    if (p.year_digits == 2 || p.year_digits == 1) {
        const int full = p.year < 50 ? 2000 + p.year : 1900 + p.year;
        out.guesses.push_back("two-digit year " + std::to_string(p.year) + " read as " + std::to_string(full));
        p.year = full;
    } else if (p.year_digits == 3) {
        p.year += 1900;
        out.guesses.push_back("three-digit year read as " + std::to_string(p.year));
    }
    if (p.half) {
        if (p.hour < 1 || p.hour > 12)
            return std::nullopt;
        p.hour = p.hour % 12 + (p.half == 2 ? 12 : 0);
    }
    if (!p.zone) {
        out.guesses.push_back(p.unknown_zone.empty() ? "no time zone; read as UTC"
                                                     : "time zone \"" + p.unknown_zone + "\" unknown; read as UTC");
        p.zone = 0;
    }
    auto t = civil_to_unix(p.year, p.month, p.day, p.hour, p.minute, std::min(p.second, 59));
    if (!t)
        return std::nullopt;
    out.unix_time = *t - static_cast<int64_t>(*p.zone) * 60;
    return out;
}

} // namespace listdex
