// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file QueryParser.hpp
/// The query language (docs/query.md) turned into a Xapian::Query: Xapian's
/// QueryParser configured from schema::kFields, plus what it does not do by
/// itself (exact addresses, filename and term globs, pasted Message-IDs,
/// errors instead of silently different queries). Private to the query layer.

#include "listdex/base/Error.hpp"
#include "listdex/query/Searcher.hpp"

#include <xapian.h>

#include <string>
#include <string_view>
#include <vector>

namespace listdex {

/// @p text as a query over @p db, filtered to messages (no ghosts). Fails
/// with ExitCode::usage and a one-line reason for anything that cannot be
/// answered as written: unknown fields, unreadable dates, unbalanced
/// parentheses or quotes, unsupported wildcards, bad ids. @p now is the
/// moment relative dates count back from. @p reader: the reader's own state
/// (tag:, is:); nullptr refuses those fields (the web server).
[[nodiscard]] Result<Xapian::Query> parse_query(const Xapian::Database& db, std::string_view text, int64_t now,
                                                const ReaderState* reader = nullptr);

/// The words of @p query that snippets and highlights look for: its own-text
/// stems and words, lower case.
[[nodiscard]] std::vector<std::string> snippet_words(const Xapian::Query& query);

/// Follows "listdex:alias:" records from a merged-away thread id to the
/// thread it lives on now.
[[nodiscard]] std::string resolve_thread_alias(const Xapian::Database& db, std::string thread);

} // namespace listdex
