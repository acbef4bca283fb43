// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file Flowed.hpp
/// RFC 3676 format=flowed: GMime has no decoder for it.

#include <string>
#include <string_view>

namespace listdex {

/// Joins soft-broken lines (a line ending in a space continues on the next
/// line of the same quote depth), removes space-stuffing, and with
/// @p delsp removes the space that marked the soft break. The signature
/// separator "-- " is never joined.
[[nodiscard]] std::string unflow(std::string_view text, bool delsp);

} // namespace listdex
