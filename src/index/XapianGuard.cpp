// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "XapianGuard.hpp"

namespace listdex {

Error xapian_error(std::string_view context, const Xapian::Error& e)
{
    const std::string what = std::string(context) + ": " + e.get_description();
    // Xapian::Error is not polymorphic; its type name tells the subclass.
    const std::string_view type = e.get_type();
    if (type == "DatabaseLockError")
        return Error{ExitCode::locked, what, "another process is writing this index; wait for it to finish"};
    if (type == "DatabaseCorruptError")
        return Error{ExitCode::failure, what, "the index is damaged; re-import into a new index"};
    if (type == "DatabaseOpeningError" || type == "DatabaseNotFoundError" || type == "DatabaseVersionError")
        return Error{ExitCode::no_index, what, "run `listdex import` first, or pass --index DIR"};
    // A shard server (listdex.conf `shard.N`) that is down or unreachable:
    // the index cannot be read, as when it is missing (and the web says 503).
    if (type == "NetworkError" || type == "NetworkTimeoutError")
        return Error{ExitCode::no_index, what,
                     "a shard server (listdex.conf shard.N = tcp://HOST:PORT) is down or unreachable"};
    return Error{ExitCode::failure, what, {}};
}

} // namespace listdex
