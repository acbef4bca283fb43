// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "QueryFilter.hpp"

#include "listdex/index/Schema.hpp"

#include <vector>

namespace listdex {

using Op = Xapian::Query::op;

std::vector<Xapian::Query> children(const Xapian::Query& q)
{
    std::vector<Xapian::Query> out;
    out.reserve(q.get_num_subqueries());
    for (size_t i = 0; i < q.get_num_subqueries(); ++i)
        out.push_back(q.get_subquery(i));
    return out;
}

Xapian::Query rebuilt(Op op, const std::vector<Xapian::Query>& subs)
{
    return Xapian::Query(op, subs.begin(), subs.end());
}

bool first_is_required(Op op)
{
    return op == Xapian::Query::OP_FILTER || op == Xapian::Query::OP_AND_NOT || op == Xapian::Query::OP_AND_MAYBE;
}

bool rebuildable(Op op)
{
    return op == Xapian::Query::OP_OR || op == Xapian::Query::OP_AND || first_is_required(op);
}

std::vector<MonthTerm> month_terms(const Xapian::Database& db)
{
    const std::string prefix(schema::prefix::month);
    std::vector<MonthTerm> out;
    for (auto t = db.allterms_begin(prefix); t != db.allterms_end(prefix); ++t)
        out.push_back({*t, t.get_termfreq()});
    return out;
}

bool has_positional(const Xapian::Query& q)
{
    const Op op = q.get_type();
    if (op == Xapian::Query::OP_PHRASE || op == Xapian::Query::OP_NEAR)
        return true;
    for (size_t i = 0; i < q.get_num_subqueries(); ++i)
        if (has_positional(q.get_subquery(i)))
            return true;
    return false;
}

Xapian::Query filtered(const Xapian::Query& q, const Xapian::Query& filter)
{
    const Op op = q.get_type();
    // Only an OR (somewhere below) makes a phrase run ahead of the filter;
    // OP_PHRASE and OP_NEAR themselves are driven by it.
    if (!rebuildable(op) || !has_positional(q))
        return Xapian::Query(Xapian::Query::OP_FILTER, q, filter);
    std::vector<Xapian::Query> subs = children(q);
    if (op == Xapian::Query::OP_OR) {
        for (Xapian::Query& s : subs)
            s = filtered(s, filter);
        return rebuilt(op, subs);
    }
    // Every document of an AND is in each of its subqueries, so filtering
    // one of them (one with a phrase) filters the whole.
    for (Xapian::Query& s : subs) {
        if (has_positional(s)) {
            s = filtered(s, filter);
            return rebuilt(op, subs);
        }
        if (first_is_required(op))
            break; // the phrase is in a part that adds or removes nothing required
    }
    return Xapian::Query(Xapian::Query::OP_FILTER, q, filter);
}

Xapian::Query with_filters_inside(const Xapian::Query& q)
{
    const Op op = q.get_type();
    if (!has_positional(q))
        return q;
    if (op == Xapian::Query::OP_FILTER) {
        std::vector<Xapian::Query> subs = children(q);
        const Xapian::Query kept = with_filters_inside(subs.front());
        subs.erase(subs.begin());
        // Several filters: each must match, and none adds weight.
        const Xapian::Query filter = subs.size() == 1 ? subs.front() : rebuilt(Xapian::Query::OP_AND, subs);
        return filtered(kept, filter);
    }
    if (!rebuildable(op))
        return q; // a phrase itself, or an operator with a parameter
    std::vector<Xapian::Query> subs = children(q);
    for (Xapian::Query& s : subs)
        s = with_filters_inside(s);
    return rebuilt(op, subs);
}

} // namespace listdex
