// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file FromLine.hpp
/// RFC 4155 mbox separator lines: "From " SENDER SP ASCTIME-DATE.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace listdex {

struct FromLine {
    std::string sender;           ///< "MAILER-DAEMON", "user at example.com" (pipermail), "-" ...
    std::optional<int64_t> date;  ///< UTC seconds; nullopt for the 1970 placeholder
    /// Offset in the line of the text after the date ("remote from ...", or
    /// a flattened message's header fields); the line's length when none.
    size_t rest = 0;
};

/// Parses @p line (with or without its line ending) as an mbox From_ line.
/// Returns nullopt unless it is "From ", at least one sender word, and an
/// asctime-style date ("Thu Mar  7 15:51:00 [TZ] 2013"), so a body line such
/// as "From March 1, 2013, the travel office ..." is not a separator.
/// Text after the year is allowed ("remote from ...", damaged archives);
/// a line longer than 1000 bytes is a separator only when that text starts
/// with a header field (a flattened message, see MessageRepair.hpp).
[[nodiscard]] std::optional<FromLine> parse_from_line(std::string_view line);

} // namespace listdex
