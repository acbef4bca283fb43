// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file MailDate.hpp
/// Date header values as mail carries them. GMime's reader took lower-case
/// zone names ("cst") for UTC, lost the minutes of "00:01+0000" and ignored
/// "PM"; this one reads RFC 5322 3.3, its obsolete forms (4.3) and what
/// real MUAs wrote, and says what it had to guess.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace listdex {

struct MailDate {
    int64_t unix_time = 0;
    /// What had to be guessed ("two-digit year 96 read as 1996", "no time
    /// zone; read as UTC"), for the import report; empty when nothing was.
    std::vector<std::string> guesses;
};

/// Reads @p value: "[Day,] D Mon YYYY HH:MM[:SS] ZONE" in any case, with
/// comments, two- and three-digit years (RFC 5322 4.3: 00-49 is 20xx,
/// 50-999 is 1900 + n), zone names (UT, GMT, Z, the US zones, common
/// European and Asian ones; military and unknown ones are read as UTC and
/// said so), a zone glued to the time ("00:01+0000", "09:00-05:00"), a
/// 12-hour time with AM/PM, no seconds, asctime ("Mon Mar  4 09:00:00
/// 2024"), RFC 850 ("Monday, 04-Mar-24 09:00:00 GMT") and ISO 8601
/// ("2024-03-04 09:00:00", "2024-03-04T09:00:00+01:00"). nullopt when it
/// is not a date (or an impossible one).
[[nodiscard]] std::optional<MailDate> parse_mail_date(std::string_view value);

} // namespace listdex
