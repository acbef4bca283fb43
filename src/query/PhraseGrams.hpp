// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file PhraseGrams.hpp
/// Phrases of common words asked as common grams (schema::gram_term), so
/// that Xapian reads one posting list instead of the word positions of
/// most of the index. Private to the query layer.
///
/// Why: `"the patch"` matches a tenth of a lore archive, and both words are
/// in nearly every message, so Xapian 1.4 checks positions in most
/// documents: at a million messages an exact count took 138 ms and the top
/// 50 by relevance 131 ms. The import indexes every two adjacent common
/// words of a field as one term, so the phrase is that term: the same
/// documents, read from one posting list. Lucene's CommonGrams filter does
/// the same.

#include <xapian.h>

namespace listdex {

/// @p q with every phrase of two words that have a common gram (both
/// common, window 2: the words adjacent) replaced by that gram, which
/// matches the same documents; a longer phrase keeps its words and
/// positions but is also filtered by the grams of its pairs, so that
/// positions are read only where every such pair is adjacent somewhere.
/// NEAR, ADJ with a wider window, and phrases of wildcards are left as
/// they are.
[[nodiscard]] Xapian::Query with_common_grams(const Xapian::Query& q);

} // namespace listdex
