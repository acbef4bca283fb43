// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "PhraseGrams.hpp"

#include "QueryFilter.hpp"

#include "listdex/index/Schema.hpp"

#include <string>
#include <vector>

namespace listdex {

namespace {

/// The words of a phrase whose subqueries are all single terms and whose
/// window is its length (a quoted phrase, not ADJ/N); empty otherwise.
std::vector<std::string> phrase_words(const Xapian::Query& phrase)
{
    std::vector<std::string> words;
    const std::vector<Xapian::Query> subs = children(phrase);
    for (const Xapian::Query& s : subs) {
        if (s.get_type() != Xapian::Query::LEAF_TERM || s.get_terms_begin() == s.get_terms_end())
            return {};
        words.push_back(*s.get_terms_begin());
    }
    // Xapian 1.4 has no getter for the window; its description shows it.
    const Xapian::Query adjacent(Xapian::Query::OP_PHRASE, subs.begin(), subs.end(), subs.size());
    if (adjacent.get_description() != phrase.get_description())
        return {};
    return words;
}

Xapian::Query phrase_with_grams(const Xapian::Query& phrase)
{
    const std::vector<std::string> words = phrase_words(phrase);
    std::vector<Xapian::Query> grams;
    for (size_t i = 0; i + 1 < words.size(); ++i) {
        std::string gram = schema::gram_term(words[i], words[i + 1]);
        if (!gram.empty())
            grams.emplace_back(std::move(gram));
    }
    if (grams.empty())
        return phrase;
    if (words.size() == 2)
        return grams.front(); // the gram is the phrase
    // The grams add no weight; Xapian joins them and the phrase's words in
    // one AND and checks positions last.
    const Xapian::Query all = grams.size() == 1 ? grams.front() : rebuilt(Xapian::Query::OP_AND, grams);
    return Xapian::Query(Xapian::Query::OP_FILTER, phrase, all);
}

} // namespace

Xapian::Query with_common_grams(const Xapian::Query& q)
{
    const Xapian::Query::op op = q.get_type();
    if (op == Xapian::Query::OP_PHRASE)
        return phrase_with_grams(q);
    if (!rebuildable(op) || !has_positional(q))
        return q;
    std::vector<Xapian::Query> subs = children(q);
    for (Xapian::Query& s : subs)
        s = with_common_grams(s);
    return rebuilt(op, subs);
}

} // namespace listdex
