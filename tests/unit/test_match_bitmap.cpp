// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
// Counts read from posting lists into bitmaps (query/MatchBitmap.hpp),
// against Xapian's own matcher on the same databases.
#include "TempDir.hpp"
#include "query/MatchBitmap.hpp"
#include "listdex/index/Schema.hpp"
#include "listdex/thread/Threader.hpp"

#include <gtest/gtest.h>
#include <xapian.h>

#include <random>
#include <set>

using namespace listdex;

namespace {

const std::vector<std::string> kWords{"the", "patch", "of", "memory", "barrier", "rare", "Lxen", "Lqemu"};

/// A database of @p docs documents with words drawn unevenly from kWords,
/// thread values (some documents without one), and some documents deleted
/// so that ids have holes.
void fill(const std::string& path, int docs, uint32_t seed)
{
    Xapian::WritableDatabase db(path, Xapian::DB_CREATE_OR_OVERWRITE);
    std::mt19937 random(seed);
    for (int i = 0; i < docs; ++i) {
        Xapian::Document doc;
        for (size_t w = 0; w < kWords.size(); ++w)
            if (random() % (w + 2) == 0) // "the" in half, "Lqemu" in one in nine
                doc.add_term(kWords[w]);
        if (random() % 100 == 0) // so rare that the others are looked up at its documents (skip_to)
            doc.add_term("scarce");
        if (random() % 20)
            doc.add_value(schema::Slot::thread, format_thread_id(random() % 300));
        db.add_document(doc);
    }
    for (Xapian::docid d = 3; d <= static_cast<Xapian::docid>(docs); d += 17)
        db.delete_document(d);
    db.commit();
}

/// A random query of the operators matching_documents answers. Every draw
/// is a statement of its own, so that every compiler makes the same
/// queries. With @p negated (under the excluded side of an AND_NOT) no
/// AND_MAYBE: Xapian 1.4.22 does not exclude all of `a AND_NOT (b AND (c
/// AND_MAYBE d))` (XapianAndMaybeUnderAndNot below).
Xapian::Query random_query(std::mt19937& random, int depth, bool negated = false)
{
    const unsigned pick = random() % 12;
    if (depth == 0 || pick < 4) {
        switch (random() % 10) {
        case 0:
            return Xapian::Query::MatchAll;
        case 1:
            return Xapian::Query::MatchNothing;
        case 2:
            return Xapian::Query("absent");
        case 3:
        case 4:
            return Xapian::Query("scarce");
        default:
            return Xapian::Query(kWords[random() % kWords.size()]);
        }
    }
    if (pick == 4) {
        Xapian::Query sub = random_query(random, depth - 1, negated);
        const double factor = 0.5 * (random() % 3);
        return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, sub, factor);
    }
    static const Xapian::Query::op ops[] = {Xapian::Query::OP_OR,     Xapian::Query::OP_AND,
                                            Xapian::Query::OP_FILTER, Xapian::Query::OP_AND_NOT,
                                            Xapian::Query::OP_SYNONYM, Xapian::Query::OP_MAX,
                                            Xapian::Query::OP_AND_MAYBE};
    const Xapian::Query::op op = ops[random() % (std::size(ops) - (negated ? 1 : 0))];
    std::vector<Xapian::Query> subs;
    for (unsigned n = 2 + random() % 3; n > 0; --n)
        subs.push_back(random_query(random, depth - 1, negated || (op == Xapian::Query::OP_AND_NOT && !subs.empty())));
    return Xapian::Query(op, subs.begin(), subs.end());
}

std::set<Xapian::docid> enquired(const Xapian::Database& db, const Xapian::Query& q)
{
    Xapian::Enquire e(db);
    e.set_query(q);
    e.set_weighting_scheme(Xapian::BoolWeight());
    std::set<Xapian::docid> out;
    const Xapian::MSet m = e.get_mset(0, db.get_doccount() + 1);
    for (auto it = m.begin(); it != m.end(); ++it)
        out.insert(*it);
    return out;
}

std::set<Xapian::docid> members(const IdBitmap& b)
{
    std::set<Xapian::docid> out;
    b.for_each([&](uint64_t d) { out.insert(static_cast<Xapian::docid>(d)); });
    return out;
}

} // namespace

TEST(MatchBitmap, PostingsAloneMatchWhatXapiansMatcherMatches)
{
    TempDir dir;
    fill((dir.path / "a").string(), 1500, 1);
    fill((dir.path / "b").string(), 400, 2);
    Xapian::Database a((dir.path / "a").string()), both((dir.path / "a").string());
    both.add_database(Xapian::Database((dir.path / "b").string()));
    std::mt19937 random(7);
    int nonempty = 0;
    for (int i = 0; i < 400; ++i) {
        const Xapian::Query q = random_query(random, 3);
        for (const Xapian::Database* db : {&a, &both}) {
            const auto docs = matching_documents(*db, q);
            ASSERT_TRUE(docs) << q.get_description();
            const auto expected = enquired(*db, q);
            ASSERT_EQ(members(*docs), expected) << q.get_description();
            EXPECT_EQ(docs->size(), expected.size());
            nonempty += expected.empty() ? 0 : 1;
            std::set<ThreadId> threads;
            for (Xapian::docid d : expected)
                if (auto t = parse_thread_id(db->get_document(d).get_value(schema::Slot::thread)))
                    threads.insert(*t);
            const IdBitmap found = threads_of(*db, *docs);
            ASSERT_EQ(found.size(), threads.size()) << q.get_description();
            std::set<ThreadId> found_set;
            found.for_each([&](uint64_t t) { found_set.insert(t); });
            EXPECT_EQ(found_set, threads);
        }
    }
    EXPECT_GT(nonempty, 200); // the queries were not all empty
}

// Xapian 1.4.22's matcher keeps some documents of `a AND_NOT (b AND (c
// AND_MAYBE d))` that the excluded side matches (found by the test above).
// The bitmap answers what the operators say: a without (b and c).
TEST(MatchBitmap, XapianAndMaybeUnderAndNot)
{
    TempDir dir;
    fill((dir.path / "a").string(), 1500, 1);
    Xapian::Database db((dir.path / "a").string());
    using Q = Xapian::Query;
    const Q q(Q::OP_AND_NOT, Q("rare"), Q(Q::OP_AND, Q("memory"), Q(Q::OP_AND_MAYBE, Q("Lxen"), Q("barrier"))));
    std::set<Xapian::docid> expected = enquired(db, Q("rare"));
    for (Xapian::docid d : enquired(db, Q(Q::OP_AND, Q("memory"), Q("Lxen"))))
        expected.erase(d);
    const auto docs = matching_documents(db, q);
    ASSERT_TRUE(docs);
    EXPECT_EQ(members(*docs), expected);
    EXPECT_LT(expected.size(), enquired(db, Q("rare")).size()); // the case excludes something
}

TEST(MatchBitmap, QueriesOfPositionsValuesOrPatternsAreLeftToXapian)
{
    TempDir dir;
    fill((dir.path / "a").string(), 50, 3);
    Xapian::Database db((dir.path / "a").string());
    const Xapian::Query the("the"), patch("patch");
    const std::vector<Xapian::Query> unanswered{
        Xapian::Query(Xapian::Query::OP_PHRASE, the, patch),
        Xapian::Query(Xapian::Query::OP_NEAR, the, patch),
        Xapian::Query(Xapian::Query::OP_OR, the, Xapian::Query(Xapian::Query::OP_PHRASE, the, patch)),
        Xapian::Query(Xapian::Query::OP_FILTER, the,
                      Xapian::Query(Xapian::Query::OP_VALUE_RANGE, schema::Slot::thread, "0", "1")),
        Xapian::Query(Xapian::Query::OP_WILDCARD, "pat"),
        Xapian::Query(Xapian::Query::OP_XOR, the, patch),
        Xapian::Query(Xapian::Query::OP_ELITE_SET, the, patch),
    };
    for (const auto& q : unanswered)
        EXPECT_FALSE(matching_documents(db, q)) << q.get_description();
}

TEST(MatchBitmap, SetOperations)
{
    IdBitmap a, b;
    for (uint64_t id : {1u, 5u, 64u, 200u})
        a.insert(id);
    EXPECT_FALSE(a.insert(64));
    for (uint64_t id : {5u, 200u, 1000u})
        b.insert(id);
    EXPECT_EQ(a.size(), 4u);
    IdBitmap both = a;
    both.intersect(b);
    EXPECT_EQ(members(both), (std::set<Xapian::docid>{5, 200}));
    EXPECT_EQ(both.size(), 2u); // counted again after a change
    EXPECT_FALSE(both.empty());
    IdBitmap only_a = a;
    only_a.subtract(b);
    EXPECT_EQ(members(only_a), (std::set<Xapian::docid>{1, 64}));
    EXPECT_EQ(only_a.size(), 2u);
    only_a.subtract(a);
    EXPECT_TRUE(only_a.empty());
    EXPECT_EQ(only_a.size(), 0u);
    a.merge(b);
    EXPECT_EQ(members(a), (std::set<Xapian::docid>{1, 5, 64, 200, 1000}));
    EXPECT_EQ(a.size(), 5u);
    a.insert(7); // kept counted
    EXPECT_EQ(a.size(), 6u);
}
