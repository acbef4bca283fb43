// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file FieldProcessors.hpp
/// The Xapian field processors behind the query language's fields that are
/// not plain text (docs/query.md): dates, boolean fields, whole addresses,
/// attachment filename globs. parse_query (QueryParser.cpp) gives each to
/// the Xapian::QueryParser of one query. Private to the query layer.

#include "listdex/index/Schema.hpp"
#include "listdex/query/Searcher.hpp"

#include <xapian.h>

#include <cstdint>
#include <string>
#include <utility>

namespace listdex {

/// What our field and range processors found wrong in a query. They must
/// not throw: Xapian 1.4's parser frees memory it does not own when a
/// FieldProcessor throws under a +/- prefix ("-date:x y", found by
/// fuzz_query). They note the error and match nothing; parse_query reports
/// it once the parser has returned.
struct QueryErrors {
    std::string first;
    /// A processor found nothing to match (a glob matching no term): the
    /// parser then drops that part, and an empty query means "nothing".
    bool matched_nothing = false;
    Xapian::Query note(std::string what)
    {
        if (first.empty())
            first = std::move(what);
        return Xapian::Query::MatchNothing;
    }
    Xapian::Query nothing()
    {
        matched_nothing = true;
        return Xapian::Query::MatchNothing;
    }
};

// Each returns a processor already release()d: the Xapian::QueryParser it is
// added to owns it. @p db and @p errors must outlive that parser; @p f is an
// entry of schema::kFields (static). None throws (see QueryErrors).

/// d:/date: and the other range fields: a date, a period (d:2024-03), a
/// range (d:A..B, open at either end) or a relative date (d:2.weeks.ago).
[[nodiscard]] Xapian::FieldProcessor* date_processor(const Xapian::Database& db, const schema::Field& f, int64_t now,
                                                     QueryErrors& errors);

/// n:PATTERN with a '*': whole attachment filenames, any case.
[[nodiscard]] Xapian::FieldProcessor* attachment_glob_processor(const Xapian::Database& db, QueryErrors& errors);

/// A boolean field (list:, thread:, tag:, is:, ...): its values as users
/// type them, '*' a glob over its terms. @p reader: the reader's own state
/// for tag: and is:, nullptr to refuse them.
[[nodiscard]] Xapian::FieldProcessor* boolean_processor(const schema::Field& f, const Xapian::Database& db,
                                                        QueryErrors& errors, const ReaderState* reader);

/// An address field's whole-address form (from:"ann@example.org").
[[nodiscard]] Xapian::FieldProcessor* address_processor(const schema::Field& f);

} // namespace listdex
