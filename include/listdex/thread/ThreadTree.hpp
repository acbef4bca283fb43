// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file ThreadTree.hpp
/// Builds the display tree of one thread from its members' parent links.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace listdex {

struct ThreadMember {
    std::string id;
    std::optional<std::string> parent;
    int64_t date = 0;   ///< ignored for ghosts (they sort by their first child)
    bool ghost = false; ///< a placeholder for a message the archive lacks
};

struct ThreadTreeNode {
    size_t member = 0; ///< index into the members given to build_thread_tree
    int64_t date = 0;  ///< the member's date; for ghosts, the earliest descendant's
    std::vector<ThreadTreeNode> children;
};

/// The forest of @p members: children under their parent (when the parent is
/// a member), siblings and roots in date order (then id). Robust to hostile
/// links: a parent cycle is cut at its earliest message; a Message-ID held by
/// several messages anchors children on the first of them; ghosts without
/// real descendants are left out.
[[nodiscard]] std::vector<ThreadTreeNode> build_thread_tree(const std::vector<ThreadMember>& members);

} // namespace listdex
