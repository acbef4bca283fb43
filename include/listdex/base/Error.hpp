// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file Error.hpp
/// Errors as values: every fallible library call returns Result<T>, which
/// carries either the value or an Error with the exit status a front end
/// should use and a hint telling the user what to do next.

#include <expected>
#include <string>

namespace listdex {

/// Exit statuses of the `listdex` command, shared by all front ends.
enum class ExitCode : int {
    ok = 0,
    failure = 1,       ///< generic failure
    usage = 2,         ///< bad command line or query
    bad_input = 3,     ///< an input path is missing, unreadable or not mail
    no_index = 4,      ///< the index does not exist or cannot be opened
    not_found = 5,     ///< the requested message or thread is not in the index
    locked = 6,        ///< another process holds the index's write lock
    partial = 7,       ///< import finished, but some messages were rejected
    too_slow = 8,      ///< a search hit its time limit (web server)
    interrupted = 130, ///< stopped by SIGINT/SIGTERM (128 + SIGINT)
};

/// A failure: what went wrong (naming the file and byte offset where there
/// is one) and, optionally, what the user can do about it.
struct Error {
    ExitCode code = ExitCode::failure;
    std::string message;
    std::string hint;

    /// The message and hint as printed by the command-line front end.
    [[nodiscard]] std::string describe() const;
};

template <class T>
using Result = std::expected<T, Error>;

/// Shorthand for `std::unexpected(Error{...})`.
inline std::unexpected<Error> fail(ExitCode code, std::string message, std::string hint = {})
{
    return std::unexpected(Error{code, std::move(message), std::move(hint)});
}

} // namespace listdex
