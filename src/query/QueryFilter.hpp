// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file QueryFilter.hpp
/// Restricting a query to some documents (a month window of a date-sorted
/// listing, the query's own list: or d:) without making Xapian check phrases
/// outside them. Private to the query layer.
///
/// Why: Xapian 1.4 lets a filter drive an AND, so a lone phrase under a
/// filter is checked only on the filter's documents. But a phrase under an
/// OR (the query parser gives one phrase per default field: body, quoted
/// text, subject, ...) advances on its own, to its next real match, reading
/// word positions of every document its words share, filtered out or not.
/// At a million messages `"the patch"` newest first spent 480 ms in one
/// window of 27,510 messages this way, against 22 ms with the filter on each
/// branch of the OR. The weights are right that way too: with a selective
/// filter around an OR of phrases, Xapian 1.4.22 also weighs a phrase whose
/// words a document has apart (tests/unit/test_query.cpp, QueryFilter.*).

#include <xapian.h>

#include <string>
#include <vector>

namespace listdex {

/// A month term of the index (schema::month_term) and how many messages
/// hold it.
struct MonthTerm {
    std::string term;
    Xapian::doccount messages = 0;
};

/// Every month term of @p db, oldest first: what date-sorted listings walk,
/// d: ranges filter by, and the list pages count.
[[nodiscard]] std::vector<MonthTerm> month_terms(const Xapian::Database& db);

/// The subqueries of @p q, in order.
[[nodiscard]] std::vector<Xapian::Query> children(const Xapian::Query& q);
/// A query of operator @p op over @p subs (rebuildable operators only).
[[nodiscard]] Xapian::Query rebuilt(Xapian::Query::op op, const std::vector<Xapian::Query>& subs);
/// The operators whose first subquery must match and whose others do not
/// add documents: a filter on the whole is a filter on the first.
[[nodiscard]] bool first_is_required(Xapian::Query::op op);
/// The operators rebuilt() can make again: those without a parameter (a
/// phrase's window, a weight factor), whose subqueries are all there is.
[[nodiscard]] bool rebuildable(Xapian::Query::op op);

/// Whether @p q checks word positions anywhere (OP_PHRASE or OP_NEAR).
[[nodiscard]] bool has_positional(const Xapian::Query& q);

/// The documents of @p q that match @p filter, weighted as @p q weights them
/// (a filter adds no weight), so the same matches in the same order as
/// Query(OP_FILTER, q, filter). Where @p q has a phrase under an OR, the
/// filter goes down to each branch of that OR, so that the phrase is checked
/// only on documents that pass it; any other query is filtered as a whole.
[[nodiscard]] Xapian::Query filtered(const Xapian::Query& q, const Xapian::Query& filter);

/// @p q with each of its own filters (boolean fields such as list: or d:,
/// which Xapian's parser puts in OP_FILTER) moved down as filtered() does.
/// Same matches, same weights.
[[nodiscard]] Xapian::Query with_filters_inside(const Xapian::Query& q);

} // namespace listdex
