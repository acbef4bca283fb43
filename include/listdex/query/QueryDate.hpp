// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file QueryDate.hpp
/// Dates as the query language reads them (d:, dt:, rt:; docs/query.md):
/// ISO and public-inbox forms, Unix times, and the git "approxidate" words
/// that lei and b4 send. All dates are UTC. Pure functions.

#include <cstdint>
#include <optional>
#include <string_view>

namespace listdex {

/// A date as the query language reads it.
struct DateSpan {
    int64_t first = 0, last = 0; ///< first and last second of the period (UTC)
    bool relative = false;       ///< "3d", "2.weeks.ago", "last.friday": one moment before now
};

/// Parses, for @p now:
///  - YYYY, YYYY-MM, YYYY-MM-DD, YYYYMMDD (that whole period),
///    YYYYMMDDhhmmss, YYYY-MM-DDThh:mm[:ss] (that second or minute), @unixtime;
///  - today, yesterday (that day), now;
///  - relative N.unit.ago, N.unit, Nunit (units s, min, h, d, w, m|mo|month,
///    y, also plural; a month is 30 days, a year 365), last.unit (1 unit
///    ago), last.WEEKDAY and WEEKDAY (the most recent such day before today,
///    at the time of day of now, as git reads it).
/// nullopt when it is none of these.
[[nodiscard]] std::optional<DateSpan> parse_query_date(std::string_view text, int64_t now);

/// The forms above in one line, for error messages.
inline constexpr std::string_view kDateForms =
    "use YYYY, YYYY-MM, YYYY-MM-DD, YYYYMMDD, YYYYMMDDhhmmss, @unixtime, today, yesterday, or relative like "
    "2.weeks.ago, 3d, last.week, last.friday; A..B for ranges (either end may be left open)";

} // namespace listdex
