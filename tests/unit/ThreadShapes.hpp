// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
// Every thread shape of up to four messages, in every arrival order: shared
// by the threader's own test (memory store) and the index test (Xapian).
// Message i is "m<i>@shape", dated 1000 + i; its References list all its
// ancestors, root first, and In-Reply-To its parent (the shape's parent).

#include "listdex/thread/ThreadTree.hpp"

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

struct Shape {
    std::vector<int> parent; ///< parent[i] < i, or -1 for the root
};

/// All labelled shapes with parent[i] < i: every unlabelled tree of up to 4
/// nodes appears (several times, with other labels).
inline std::vector<Shape> all_shapes(int max_nodes = 4)
{
    std::vector<Shape> out;
    std::function<void(Shape)> extend = [&](Shape s) {
        out.push_back(s);
        if (static_cast<int>(s.parent.size()) == max_nodes)
            return;
        for (int p = 0; p < static_cast<int>(s.parent.size()); ++p) {
            Shape t = s;
            t.parent.push_back(p);
            extend(t);
        }
    };
    extend(Shape{{-1}});
    return out;
}

inline std::string shape_id(int i)
{
    return "m" + std::to_string(i) + "@shape";
}

inline std::vector<std::string> shape_references(const Shape& s, int i)
{
    std::vector<std::string> refs;
    for (int p = s.parent[i]; p >= 0; p = s.parent[p])
        refs.insert(refs.begin(), shape_id(p));
    return refs;
}

/// The tree expected once the messages in @p present have arrived:
/// "m0(m1(m3),m2)"; a missing message with present descendants shows as a
/// placeholder "?m1". Children in date (= index) order.
inline std::string expected_tree(const Shape& s, const std::vector<bool>& present)
{
    const int n = static_cast<int>(s.parent.size());
    std::vector<bool> shown(n, false);
    for (int i = 0; i < n; ++i)
        if (present[i])
            for (int a = i; a >= 0; a = s.parent[a])
                shown[a] = true;
    // A placeholder's date is unknown: it sorts by its earliest real descendant.
    std::function<int(int)> date = [&](int i) {
        int d = present[i] ? i : n;
        for (int c = 0; c < n; ++c)
            if (s.parent[c] == i && shown[c])
                d = std::min(d, date(c));
        return d;
    };
    auto by_date = [&](std::vector<int> v) {
        std::sort(v.begin(), v.end(), [&](int a, int b) { return date(a) != date(b) ? date(a) < date(b) : a < b; });
        return v;
    };
    std::function<std::string(int)> render = [&](int i) {
        std::string out = (present[i] ? "m" : "?m") + std::to_string(i);
        std::vector<int> kids;
        for (int c = 0; c < n; ++c)
            if (s.parent[c] == i && shown[c])
                kids.push_back(c);
        std::string inner;
        for (int c : by_date(kids))
            inner += (inner.empty() ? "" : ",") + render(c);
        return inner.empty() ? out : out + "(" + inner + ")";
    };
    std::vector<int> roots;
    for (int i = 0; i < n; ++i)
        if (shown[i] && (s.parent[i] < 0 || !shown[s.parent[i]]))
            roots.push_back(i);
    std::string forest;
    for (int r : by_date(roots))
        forest += (forest.empty() ? "" : " ") + render(r);
    return forest;
}

/// A built forest in the notation of expected_tree: @p label names a node
/// ("m1", or "?m1" for a placeholder).
template <class Label>
std::string render_forest(const std::vector<listdex::ThreadTreeNode>& forest, Label label)
{
    std::function<std::string(const listdex::ThreadTreeNode&)> one = [&](const listdex::ThreadTreeNode& n) {
        std::string kids;
        for (const auto& c : n.children)
            kids += (kids.empty() ? "" : ",") + one(c);
        return kids.empty() ? label(n) : label(n) + "(" + kids + ")";
    };
    std::string out;
    for (const auto& n : forest)
        out += (out.empty() ? "" : " ") + one(n);
    return out;
}
