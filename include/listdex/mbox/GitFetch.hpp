// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file GitFetch.hpp
/// Following public-inbox mirrors (listdex update): where a mirror was
/// cloned from, what its remote holds now, fetching its new commits, and
/// cloning an inbox's next epoch when the remote has started one. All with
/// libgit2; nothing is checked out.

#include "listdex/base/Error.hpp"

#include <filesystem>
#include <optional>
#include <string>

namespace listdex {

/// A repository and the remote it follows.
struct Mirror {
    std::filesystem::path repo; ///< the repository as given (a bare mirror, or a clone's folder)
    std::string remote;         ///< "origin", else its only remote; empty: none (a plain folder)
    std::string url;            ///< the remote's URL (empty when no remote)
    std::string tip;            ///< the commit HEAD names here (empty: an empty repository)
    bool bare = true;           ///< false: a clone with a work tree
};

/// What @p repo follows. Fails with ExitCode::bad_input naming it when it
/// is not a git repository.
[[nodiscard]] Result<Mirror> read_mirror(const std::filesystem::path& repo);

/// The commit the remote's branch for HEAD has now (connects and lists refs,
/// downloads no objects). Fails with ExitCode::failure naming the URL when
/// the remote cannot be reached.
[[nodiscard]] Result<std::string> remote_tip(const Mirror& mirror);

/// Fetches the new commits of @p mirror with its configured refspecs (a
/// `git clone --mirror`, as public-inbox-clone and grok-pull make, updates
/// its branches in place), then returns the commit HEAD names. A clone with
/// a work tree is refused (its branch moves with `git pull`, not here).
/// Fails with ExitCode::failure naming the repository and the URL.
[[nodiscard]] Result<std::string> fetch_mirror(const Mirror& mirror);

/// An epoch the remote has and this inbox has not yet.
struct NextEpoch {
    std::string url;             ///< where the remote serves it
    std::filesystem::path dest;  ///< INBOX/git/N+1.git
};
/// For the newest epoch of a public-inbox v2 inbox (`INBOX/git/N.git`,
/// cloned from `URL/git/N.git` or `URL/N`), the remote's next epoch when it
/// exists there and not here; nullopt otherwise (also when the remote
/// cannot say).
[[nodiscard]] std::optional<NextEpoch> next_epoch(const Mirror& newest_epoch);

/// Clones @p url as a bare mirror into @p dest (`git clone --mirror`).
/// Fails with ExitCode::failure naming both.
[[nodiscard]] Result<void> clone_mirror(const std::string& url, const std::filesystem::path& dest);

} // namespace listdex
