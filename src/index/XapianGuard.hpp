// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file XapianGuard.hpp
/// The one place where Xapian exceptions become listdex Errors. Every call
/// into Xapian from the index and query layers goes through guarded().

#include "listdex/base/Error.hpp"

#include <xapian.h>

#include <string>
#include <string_view>

namespace listdex {

/// Maps a Xapian exception to an Error with the right exit status.
[[nodiscard]] Error xapian_error(std::string_view context, const Xapian::Error& e);

/// Runs @p f (returning Result<T>) and converts any Xapian exception.
template <class F>
auto guarded(std::string_view context, F&& f) -> decltype(f())
{
    try {
        return f();
    } catch (const Xapian::Error& e) {
        return std::unexpected(xapian_error(context, e));
    }
}

} // namespace listdex
