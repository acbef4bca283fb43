// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "Series.hpp"

#include "listdex/base/Text.hpp"

#include <algorithm>
#include <cctype>

namespace listdex::web {

std::optional<PatchNumber> patch_number(std::string_view subject)
{
    subject = trim(subject);
    // Tags before the patch's own bracket: "[linux-man] [PATCH 1/2]".
    while (subject.starts_with('[')) {
        const size_t close = subject.find(']');
        if (close == std::string_view::npos)
            return std::nullopt;
        const std::string tag = ascii_lower(subject.substr(1, close - 1));
        subject = trim(subject.substr(close + 1));
        if (tag.find("patch") == std::string::npos)
            continue;
        PatchNumber n;
        bool numbered = false;
        for (std::string_view word : split(tag, ' ')) {
            if (word.size() > 1 && word[0] == 'v' && std::isdigit(static_cast<unsigned char>(word[1]))) {
                if (auto v = parse_number<unsigned>(word.substr(1))) {
                    n.version = *v;
                    n.versioned = true;
                }
                continue;
            }
            const size_t slash = word.find('/');
            if (slash == std::string_view::npos)
                continue;
            auto k = parse_number<unsigned>(word.substr(0, slash));
            auto total = parse_number<unsigned>(word.substr(slash + 1));
            if (k && total && *total > 0 && *k <= *total && *total <= 10000) {
                n.index = *k;
                n.total = *total;
                numbered = true;
            }
        }
        return numbered ? std::optional<PatchNumber>(n) : std::nullopt;
    }
    return std::nullopt; // "Re: [PATCH ...]" is a reply, not a patch
}

bool Series::complete() const
{
    return present() == total;
}

unsigned Series::present() const
{
    return static_cast<unsigned>(
        std::count_if(patches.begin(), patches.end(), [](const ThreadEntry* e) { return e != nullptr; }));
}

std::vector<Series> find_series(const ThreadView& v)
{
    std::vector<Series> out;
    auto add = [&](const ThreadEntry& e, const PatchNumber& n) {
        auto s = std::find_if(out.begin(), out.end(),
                              [&](const Series& x) { return x.version == n.version && x.total == n.total; });
        if (s == out.end()) {
            out.push_back({n.version, n.total, std::vector<const ThreadEntry*>(n.total, nullptr)});
            s = out.end() - 1;
        }
        if (n.index == 0)
            return; // a cover letter
        const ThreadEntry*& slot = s->patches[n.index - 1];
        if (!slot || e.date < slot->date)
            slot = &e;
    };
    // Down the tree, each patch knowing the numbers of the nearest
    // numbered message above it.
    auto walk = [&](auto&& self, const ThreadTreeNode& node, std::optional<PatchNumber> above) -> void {
        const ThreadEntry& e = v.entries[node.member];
        if (!e.missing) {
            if (auto n = patch_number(e.subject)) {
                if (!n->versioned && above && above->total == n->total)
                    n->version = above->version;
                add(e, *n);
                above = n;
            }
        }
        for (const auto& c : node.children)
            self(self, c, above);
    };
    for (const auto& root : v.forest)
        walk(walk, root, std::nullopt);
    std::sort(out.begin(), out.end(), [](const Series& a, const Series& b) {
        return a.version != b.version ? a.version < b.version : a.total < b.total;
    });
    return out;
}

const Series* series_of(const std::vector<Series>& all, const ThreadView& v, std::string_view key)
{
    if (all.empty())
        return nullptr;
    // The path from a root to the message: its ancestors, nearest last.
    std::vector<const ThreadEntry*> path;
    auto find = [&](auto&& self, const ThreadTreeNode& n) -> bool {
        path.push_back(&v.entries[n.member]);
        if (!path.back()->missing && path.back()->stored.key == key)
            return true;
        for (const auto& c : n.children)
            if (self(self, c))
                return true;
        path.pop_back();
        return false;
    };
    for (const auto& root : v.forest)
        if (find(find, root))
            break;
    for (auto it = path.rbegin(); it != path.rend(); ++it) {
        if ((*it)->missing)
            continue;
        for (const Series& s : all)
            if (std::find(s.patches.begin(), s.patches.end(), *it) != s.patches.end())
                return &s;
        // A cover letter: the series of its own numbers.
        if (auto n = patch_number((*it)->subject); n && n->index == 0)
            for (const Series& s : all)
                if (s.version == n->version && s.total == n->total)
                    return &s;
    }
    return &all.back();
}

} // namespace listdex::web
