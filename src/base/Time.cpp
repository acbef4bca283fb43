// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "listdex/base/Time.hpp"

#include <chrono>
#include <cstdio>

namespace listdex {

using namespace std::chrono;

std::optional<int64_t> civil_to_unix(int y, int mon, int day, int h, int min, int s)
{
    const year_month_day ymd{year{y}, month{static_cast<unsigned>(mon)}, std::chrono::day{static_cast<unsigned>(day)}};
    if (!ymd.ok() || h < 0 || h > 23 || min < 0 || min > 59 || s < 0 || s > 60)
        return std::nullopt;
    return sys_days{ymd}.time_since_epoch().count() * int64_t{86400} + h * 3600 + min * 60 + s;
}

std::string short_date(int64_t t)
{
    const std::string iso = format_iso8601(t);
    return iso.substr(0, 10) + " " + iso.substr(11, 5);
}

std::string format_iso8601(int64_t t)
{
    const sys_seconds tp{seconds{t}};
    const auto day_start = floor<days>(tp);
    const year_month_day ymd{day_start};
    const hh_mm_ss hms{tp - day_start};
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02lld:%02lld:%02lldZ", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  static_cast<long long>(hms.hours().count()), static_cast<long long>(hms.minutes().count()),
                  static_cast<long long>(hms.seconds().count()));
    return buf;
}

bool plausible_message_date(int64_t t, int64_t now)
{
    return t >= 86400 && t <= now + 2 * 86400;
}

} // namespace listdex
