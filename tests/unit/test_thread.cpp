// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "ThreadShapes.hpp"
#include "listdex/thread/MemoryThreadStore.hpp"
#include "listdex/thread/ThreadTree.hpp"
#include "listdex/thread/Threader.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <numeric>

using namespace listdex;

namespace {

/// "m0(m1,m2)" from a built forest; ghosts are "?id".
std::string render(const std::vector<ThreadMember>& members, const std::vector<ThreadTreeNode>& forest)
{
    return render_forest(forest, [&](const ThreadTreeNode& n) {
        const ThreadMember& m = members[n.member];
        return (m.ghost ? "?" : "") + m.id.substr(0, m.id.find('@'));
    });
}

struct Harness {
    MemoryThreadStore store;
    Threader threader{store};
    ThreadAssignment add(const std::string& id, std::vector<std::string> refs, std::vector<std::string> irt,
                         int64_t date)
    {
        auto a = threader.add({id, std::move(refs), std::move(irt)});
        store.add_message(id, a, date);
        return a;
    }
    std::string tree_of(const std::string& id)
    {
        auto t = store.thread_of(id);
        EXPECT_TRUE(t) << id;
        auto members = store.members(store.resolve(*t));
        return render(members, build_thread_tree(members));
    }
};

} // namespace

TEST(ThreadRefs, ParentPrefersSingleInReplyTo)
{
    auto r = thread_refs({"c@x", {"a@x", "b@x"}, {"b2@x"}});
    EXPECT_EQ(r.parent, "b2@x"); // disagrees with References: In-Reply-To wins
    EXPECT_EQ(r.ancestors, (std::vector<std::string>{"a@x", "b@x", "b2@x"}));
    EXPECT_EQ(thread_refs({"c@x", {"a@x", "b@x"}, {}}).parent, "b@x");
    EXPECT_EQ(thread_refs({"c@x", {"a@x"}, {"p@x", "q@x"}}).parent, "a@x"); // ambiguous In-Reply-To
    EXPECT_EQ(thread_refs({"c@x", {}, {"p@x", "q@x"}}).parent, "p@x");
    EXPECT_FALSE(thread_refs({"c@x", {}, {}}).parent);
}

TEST(ThreadRefs, SelfReferencesRepeatsAndAbsurdLengths)
{
    auto r = thread_refs({"c@x", {"a@x", "c@x", "a@x"}, {"c@x"}});
    EXPECT_EQ(r.ancestors, std::vector<std::string>{"a@x"});
    EXPECT_EQ(r.parent, "a@x");
    MessageLinks huge{"z@x", {}, {}};
    for (int i = 0; i < 10000; ++i)
        huge.references.push_back("r" + std::to_string(i) + "@x");
    auto h = thread_refs(huge);
    EXPECT_EQ(h.ancestors.size(), kMaxAncestors);
    EXPECT_EQ(h.ancestors.front(), "r0@x");
    EXPECT_EQ(h.ancestors.back(), "r9999@x");
    EXPECT_EQ(h.parent, "r9999@x");
}

TEST(ThreadIds, FormatAndParse)
{
    EXPECT_EQ(format_thread_id(42), "0000002a");
    EXPECT_EQ(parse_thread_id("0000002a"), 42u);
    EXPECT_FALSE(parse_thread_id("xyz"));
    EXPECT_FALSE(parse_thread_id(""));
}

TEST(Threader, EveryShapeInEveryArrivalOrderAndSplit)
{
    int cases = 0;
    for (const Shape& shape : all_shapes(4)) {
        const int n = static_cast<int>(shape.parent.size());
        std::vector<int> order(n);
        std::iota(order.begin(), order.end(), 0);
        do {
            for (int split = 0; split <= n; ++split) {
                Harness h;
                std::vector<bool> present(n, false);
                for (int k = 0; k < n; ++k) {
                    const int i = order[k];
                    std::vector<std::string> irt;
                    if (shape.parent[i] >= 0)
                        irt.push_back(shape_id(shape.parent[i]));
                    h.add(shape_id(i), shape_references(shape, i), irt, 1000 + i);
                    present[i] = true;
                    if (k + 1 == split) { // the state between two imports
                        EXPECT_EQ(h.tree_of(shape_id(i)), expected_tree(shape, present));
                    }
                }
                EXPECT_EQ(h.tree_of(shape_id(0)), expected_tree(shape, present));
                // One thread holds everything, whatever the order.
                for (int i = 1; i < n; ++i)
                    EXPECT_EQ(h.store.resolve(*h.store.thread_of(shape_id(i))),
                              h.store.resolve(*h.store.thread_of(shape_id(0))));
                ++cases;
            }
        } while (std::next_permutation(order.begin(), order.end()));
    }
    EXPECT_GT(cases, 500);
}

TEST(Threader, MergesThreadsLinkedByALaterMessageAndKeepsAliases)
{
    Harness h;
    auto a = h.add("a@x", {}, {}, 1);
    auto b = h.add("b@x", {}, {}, 2);
    h.add("a1@x", {"a@x"}, {"a@x"}, 3); // thread a is now larger
    EXPECT_NE(a.thread, b.thread);
    auto link = h.add("c@x", {"b@x", "a1@x"}, {"a1@x"}, 4);
    EXPECT_EQ(link.thread, a.thread); // the larger thread survives
    EXPECT_EQ(link.merged, std::vector<ThreadId>{b.thread});
    EXPECT_EQ(h.store.resolve(b.thread), a.thread);
    EXPECT_EQ(h.tree_of("b@x"), "a(a1(c)) b");
}

TEST(Threader, CyclesAndSelfReferencesDoNotHang)
{
    Harness h;
    h.add("a@x", {"b@x"}, {"b@x"}, 1);
    h.add("b@x", {"a@x"}, {"a@x"}, 2);
    h.add("s@x", {"s@x"}, {"s@x"}, 3);
    EXPECT_EQ(h.tree_of("a@x"), "a(b)"); // the cycle is cut at its earliest message
    EXPECT_EQ(h.tree_of("s@x"), "s");
}

TEST(Threader, DuplicateMessageIdsShareAThread)
{
    Harness h;
    auto first = h.add("d@x", {}, {}, 1);
    auto second = h.add("d@x", {}, {}, 2);
    h.add("r@x", {"d@x"}, {"d@x"}, 3);
    EXPECT_EQ(first.thread, second.thread);
    EXPECT_EQ(h.tree_of("r@x"), "d(r) d");
}

TEST(Threader, TenThousandReferencesStayFast)
{
    Harness h;
    MessageLinks huge{"z@x", {}, {}};
    for (int i = 0; i < 10000; ++i)
        huge.references.push_back("r" + std::to_string(i) + "@x");
    const auto start = std::chrono::steady_clock::now();
    auto a = h.threader.add(huge);
    h.store.add_message("z@x", a, 1);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
    EXPECT_EQ(h.store.members(a.thread).size(), kMaxAncestors + 1);
}

TEST(ThreadTree, GhostsWithoutRealDescendantsAreHidden)
{
    std::vector<ThreadMember> m{{"g1", {}, 0, true}, {"g2", std::string("g1"), 0, true}, {"x", std::string("g2"), 5, false},
                                {"lonely", {}, 0, true}};
    EXPECT_EQ(render(m, build_thread_tree(m)), "?g1(?g2(x))");
}

TEST(SubjectKey, StripsReplyPrefixesListTagsAndCase)
{
    EXPECT_EQ(subject_key("Re: [xen-devel] [PATCH v2] Fix  the build").key, "fix the build");
    EXPECT_TRUE(subject_key("Re: [xen-devel] [PATCH v2] Fix  the build").reply);
    EXPECT_EQ(subject_key("[list] AW: Re[2]: Sv: hello").key, "hello");
    EXPECT_TRUE(subject_key("[list] AW: Re[2]: Sv: hello").reply);
    EXPECT_EQ(subject_key("Fwd: hello").key, "hello");
    EXPECT_FALSE(subject_key("Fwd: hello").reply); // a forward starts a thread of its own
    EXPECT_EQ(subject_key("Remote: hello").key, "remote: hello"); // not a prefix
    EXPECT_FALSE(subject_key("hello").reply);
    EXPECT_EQ(subject_key("  ").key, "");
}

TEST(Threader, SubjectThreadingOnlyForRepliesWithoutHeaders)
{
    MemoryThreadStore store;
    Threader threader(store);
    threader.thread_by_subject(10 * 86400);
    auto add = [&](const std::string& id, const std::string& subject, int64_t day,
                   std::vector<std::string> irt = {}) {
        auto a = threader.add({id, {}, std::move(irt)}, subject_key(subject), day * 86400);
        store.add_message(id, a, day * 86400);
        return a;
    };
    const auto root = add("a@x", "Topic", 1);
    EXPECT_FALSE(root.parent_by_subject);
    const auto reply = add("b@x", "Re: topic", 2);
    EXPECT_TRUE(reply.parent_by_subject);
    EXPECT_EQ(reply.parent, "a@x");
    EXPECT_EQ(reply.thread, root.thread);
    const auto real = add("c@x", "Re: topic", 3, {"a@x"}); // real headers: never by subject
    EXPECT_FALSE(real.parent_by_subject);
    EXPECT_EQ(real.parent, "a@x");
    const auto late = add("d@x", "Re: topic", 30); // beyond the window
    EXPECT_FALSE(late.parent_by_subject);
    EXPECT_NE(late.thread, root.thread);
}
