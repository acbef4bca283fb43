// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file Time.hpp
/// Date helpers: every stored date is seconds since the Unix epoch, UTC.

#include <cstdint>
#include <optional>
#include <string>

namespace listdex {

/// ISO 8601 UTC, e.g. "2024-03-07T15:51:00Z".
[[nodiscard]] std::string format_iso8601(int64_t unix_seconds);

/// "2024-03-07 15:51" (UTC): dates in listings, CLI and web alike.
[[nodiscard]] std::string short_date(int64_t unix_seconds);

/// Seconds since the epoch for a valid UTC civil time; nullopt otherwise.
[[nodiscard]] std::optional<int64_t> civil_to_unix(int y, int mon, int day, int h, int min, int s);

/// True for dates a real message can carry: after 1970-01-02 and no more
/// than two days after @p now. Others are treated as missing.
[[nodiscard]] bool plausible_message_date(int64_t unix_seconds, int64_t now);

} // namespace listdex
