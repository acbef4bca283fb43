// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "listdex/query/Snippet.hpp"

#include "listdex/base/Text.hpp"

#include <algorithm>
#include <cctype>

namespace listdex {

namespace {

/// Word starts in @p lower (ASCII lower case) that begin like one of @p
/// stems: (offset, which stem), in text order.
std::vector<std::pair<size_t, size_t>> stem_hits(std::string_view lower, const std::vector<std::string>& stems)
{
    std::vector<std::pair<size_t, size_t>> hits;
    for (size_t k = 0; k < stems.size(); ++k) {
        std::string_view stem = stems[k];
        if (stem.size() > 3 && stem.back() == 'i')
            stem.remove_suffix(1); // "happi" stems "happy"
        if (stem.empty())
            continue;
        for (size_t p = lower.find(stem); p != std::string::npos && hits.size() < 4096; p = lower.find(stem, p + 1))
            if (p == 0 || !std::isalnum(static_cast<unsigned char>(lower[p - 1])))
                hits.emplace_back(p, k);
    }
    std::sort(hits.begin(), hits.end());
    return hits;
}

/// About @p size bytes of @p text around the first place where the most
/// different @p stems start words close together, else its beginning; on
/// UTF-8 boundaries.
std::string_view snippet_window(std::string_view text, const std::vector<std::string>& stems, size_t size)
{
    const std::string lower = ascii_lower(text);
    const auto hits = stem_hits(lower, stems);
    // The first place where the most different terms occur close together
    // (a phrase, or words of the query near each other).
    size_t first = std::string::npos, best = 0;
    for (size_t i = 0; i < hits.size(); ++i) {
        std::vector<bool> seen(stems.size());
        size_t distinct = 0;
        for (size_t j = i; j < hits.size() && hits[j].first < hits[i].first + 200; ++j)
            if (!seen[hits[j].second]) {
                seen[hits[j].second] = true;
                ++distinct;
            }
        if (distinct > best) {
            best = distinct;
            first = hits[i].first;
        }
        if (best == stems.size())
            break;
    }
    size_t start = 0;
    if (first != std::string::npos && first > size / 4) {
        start = first - size / 4; // some context before the word, from a word start
        const size_t space = text.find_first_of(" \n", start);
        start = space < first ? space + 1 : start;
    }
    size_t end = std::min(text.size(), start + size);
    auto continuation = [&](size_t i) { return (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80; };
    while (start < end && continuation(start))
        ++start;
    while (end < text.size() && end > start && continuation(end))
        --end;
    return text.substr(start, end - start);
}

} // namespace

std::vector<std::pair<size_t, size_t>> highlight_ranges(std::string_view text, const std::vector<std::string>& stems)
{
    std::vector<std::pair<size_t, size_t>> out;
    for (auto [start, stem] : stem_hits(ascii_lower(text), stems)) {
        if (!out.empty() && start < out.back().first + out.back().second)
            continue; // inside the previous word
        size_t end = start;
        while (end < text.size() && (std::isalnum(static_cast<unsigned char>(text[end])) ||
                                     static_cast<unsigned char>(text[end]) >= 0x80))
            ++end;
        out.emplace_back(start, end - start);
    }
    return out;
}

std::string cut_snippet(std::string_view text, const std::vector<std::string>& stems, size_t length)
{
    std::string_view w = snippet_window(text, stems, length);
    const bool cut_end = w.data() + w.size() < text.data() + text.size();
    if (cut_end) { // end on a word boundary
        const size_t space = w.find_last_of(" \t\n");
        if (space != std::string_view::npos && space > w.size() / 2)
            w = w.substr(0, space);
    }
    std::string out = one_line(w);
    if (w.data() != text.data())
        out.insert(0, "...");
    if (cut_end)
        out += "...";
    return out;
}

} // namespace listdex
