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

/// Brings a reader to the latest commit. A compaction swaps the shard's stub
/// to a new generation folder and deletes the old one, which reopen() cannot
/// follow; then the database is opened afresh from the stub at @p path.
void refresh(Xapian::Database& db, const std::string& path);

/// guarded() for readers: when a writer's commit (or compaction) discards
/// what is being read, refreshes @p db from @p path and runs @p f again.
template <class F>
auto guarded_read(Xapian::Database& db, const std::string& path, std::string_view context, F&& f) -> decltype(f())
{
    return guarded(context, [&]() -> decltype(f()) {
        for (int attempt = 0;; ++attempt) {
            try {
                return f();
            } catch (const Xapian::DatabaseModifiedError&) {
                if (attempt >= 3)
                    throw;
                refresh(db, path);
            } catch (const Xapian::DatabaseOpeningError&) {
                if (attempt >= 3)
                    throw;
                db = Xapian::Database(path);
            }
        }
    });
}

} // namespace listdex
