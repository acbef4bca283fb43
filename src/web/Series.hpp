// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file Series.hpp
/// A numbered patch series inside a thread ("[PATCH v2 3/7] ..."), for the
/// message page's "series for git am" link and /LIST/ID/series.mbox.

#include "listdex/query/Searcher.hpp"

#include <optional>
#include <string_view>
#include <vector>

namespace listdex::web {

/// What a subject says of its place in a series.
struct PatchNumber {
    unsigned version = 1;   ///< "v2" -> 2; none -> 1
    unsigned index = 0;     ///< 3 of "3/7"; 0 for a cover letter
    unsigned total = 0;     ///< 7 of "3/7"
    bool versioned = false; ///< the subject says "vN"
};

/// The series position in @p subject's first bracket that holds "PATCH"
/// and "K/N" ("[PATCH v2 3/7]", "[RFC PATCH 0/2]", "[PATCH net-next v3
/// 01/12]"); nullopt for replies ("Re: ...") and unnumbered patches.
[[nodiscard]] std::optional<PatchNumber> patch_number(std::string_view subject);

/// One revision of a series found in a thread.
struct Series {
    unsigned version = 1;
    unsigned total = 0;
    /// patches[k - 1]: the first message (by date) numbered k/total in
    /// this version; nullptr where the thread lacks it.
    std::vector<const ThreadEntry*> patches;
    [[nodiscard]] bool complete() const;
    [[nodiscard]] unsigned present() const; ///< patches the thread holds
};

/// Every revision of a numbered series in thread @p v (a v1 and its v2
/// are often in one thread), by version, then by total. A patch that
/// names no version takes that of the numbered message it replies to
/// when their totals agree ("[PATCH 1/3]" under "[PATCH v2 0/3]" is v2,
/// as b4 reads it). Pointers point into @p v.
[[nodiscard]] std::vector<Series> find_series(const ThreadView& v);

/// Of @p all (from find_series(@p v)), the series the message with key
/// @p key is part of: its own numbers, else those of its nearest numbered
/// ancestor (a review of patch 3/7 belongs to that series), else the
/// newest revision; nullptr when @p all is empty.
[[nodiscard]] const Series* series_of(const std::vector<Series>& all, const ThreadView& v, std::string_view key);

} // namespace listdex::web
