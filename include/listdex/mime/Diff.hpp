// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file Diff.hpp
/// Patches inside message text, read the way public-inbox's indexer reads
/// them (SearchIdx.pm index_diff, 1.9), so the diff fields (dfn:, dfa:, ...)
/// mean what they mean on lore; and `git patch-id --stable`.
/// Pure text functions: no state, no errors (text that is no diff gives
/// only DiffPart::other pieces, and no patch id).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace listdex {

enum class DiffPart {
    other,   ///< not a diff line (commit message, notes): ordinary text
    name,    ///< a file path of the diff (old or new, once each)
    removed, ///< a '-' line without its '-' (the a/ side)
    added,   ///< a '+' line without its '+' (the b/ side)
    hunk,    ///< the context after "@@ -a,b +c,d @@" (usually a function name)
    context, ///< a ' ' line without its ' '
};

struct DiffPiece {
    DiffPart part;
    std::string text; ///< one line, or consecutive `other` lines joined by '\n'
};

struct DiffText {
    std::vector<DiffPiece> pieces;        ///< in text order
    std::vector<std::string> pre_blobs;   ///< "index A..B": A (abbreviated, as written)
    std::vector<std::string> post_blobs;  ///< "index A..B": B
};

/// True when some line starts with "diff ", "--- " or "+++ ": public-inbox
/// only reads such text as a diff.
[[nodiscard]] bool looks_like_diff(std::string_view text);

/// The pieces of @p text (unquoted lines of a message; see looks_like_diff).
[[nodiscard]] DiffText parse_diff(std::string_view text);

/// What `git patch-id --stable` prints first for @p text (40 hex digits),
/// nullopt when it holds no patch. The same algorithm as git 2.39: per file
/// a SHA-1 of the diff lines without white space and without line numbers,
/// the files' digests added up.
[[nodiscard]] std::optional<std::string> patch_id(std::string_view text);

} // namespace listdex
