// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "listdex/thread/ThreadTree.hpp"

#include <algorithm>
#include <unordered_map>

namespace listdex {

std::vector<ThreadTreeNode> build_thread_tree(const std::vector<ThreadMember>& members)
{
    const size_t n = members.size();
    // The member that children of an id hang under: the earliest real
    // message with that id, else its ghost.
    std::unordered_map<std::string, size_t> anchor;
    for (size_t i = 0; i < n; ++i) {
        auto [it, inserted] = anchor.emplace(members[i].id, i);
        if (inserted)
            continue;
        const ThreadMember& cur = members[it->second];
        const ThreadMember& cand = members[i];
        if ((cur.ghost && !cand.ghost) || (cur.ghost == cand.ghost && cand.date < cur.date))
            it->second = i;
    }
    std::vector<std::optional<size_t>> parent(n);
    for (size_t i = 0; i < n; ++i) {
        if (!members[i].parent)
            continue;
        auto it = anchor.find(*members[i].parent);
        if (it != anchor.end() && it->second != i)
            parent[i] = it->second;
    }
    // Cut parent cycles at their earliest (then smallest-id) member.
    std::vector<int> state(n, 0); // 0 unseen, 1 on the current path, 2 done
    for (size_t start = 0; start < n; ++start) {
        std::vector<size_t> path;
        size_t cur = start;
        while (state[cur] == 0) {
            state[cur] = 1;
            path.push_back(cur);
            if (!parent[cur])
                break;
            cur = *parent[cur];
        }
        if (state[cur] == 1 && parent[cur]) {
            // cur is on the current path: the cycle is cur ... back to cur.
            auto first = std::find(path.begin(), path.end(), cur);
            size_t cut = *first;
            for (auto it = first; it != path.end(); ++it) {
                const auto& a = members[*it];
                const auto& b = members[cut];
                if (a.date < b.date || (a.date == b.date && a.id < b.id))
                    cut = *it;
            }
            parent[cut].reset();
        }
        for (size_t p : path)
            state[p] = 2;
    }

    std::vector<std::vector<size_t>> children(n);
    std::vector<size_t> roots;
    for (size_t i = 0; i < n; ++i) {
        if (parent[i])
            children[*parent[i]].push_back(i);
        else
            roots.push_back(i);
    }
    // Depth-first build with explicit recursion depth bounded by n (acyclic now).
    auto build = [&](auto&& self, size_t i) -> std::optional<ThreadTreeNode> {
        ThreadTreeNode node{i, members[i].date, {}};
        for (size_t c : children[i])
            if (auto child = self(self, c))
                node.children.push_back(std::move(*child));
        if (members[i].ghost) {
            if (node.children.empty())
                return std::nullopt; // nothing real hangs under it
            node.date = node.children.front().date;
            for (const auto& c : node.children)
                node.date = std::min(node.date, c.date);
        }
        std::sort(node.children.begin(), node.children.end(), [&](const ThreadTreeNode& a, const ThreadTreeNode& b) {
            return a.date != b.date ? a.date < b.date : members[a.member].id < members[b.member].id;
        });
        return node;
    };
    std::vector<ThreadTreeNode> forest;
    for (size_t r : roots)
        if (auto node = build(build, r))
            forest.push_back(std::move(*node));
    std::sort(forest.begin(), forest.end(), [&](const ThreadTreeNode& a, const ThreadTreeNode& b) {
        return a.date != b.date ? a.date < b.date : members[a.member].id < members[b.member].id;
    });
    return forest;
}

} // namespace listdex
