// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file PublicInboxReader.hpp
/// Reads public-inbox git archives (lore.kernel.org mirrors) with libgit2,
/// straight from the object database: nothing is checked out.
///
/// Layouts (public-inbox-v1-format(5), public-inbox-v2-format(5)):
/// - v2: an inbox folder with epochs `git/0.git`, `git/1.git`, ...; every
///   commit's tree holds one blob, `m` (a message added) or `d` (a message
///   removed);
/// - v1: one repository whose tree holds every message under a path made
///   from the SHA-1 of its Message-ID; a commit adds or removes files.
/// Commits are read oldest first. A commit with `m` or `d` is read as v2;
/// any other commit is compared with its first parent (v1).

#include "listdex/base/Error.hpp"
#include "listdex/mbox/RawMessage.hpp"

#include <cstdint>
#include <deque>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace listdex {

/// The git directory of @p dir when it is a repository: @p dir itself when
/// bare (HEAD, objects/, refs/), `dir/.git` for a clone with a work tree.
[[nodiscard]] std::optional<std::filesystem::path> git_dir_of(const std::filesystem::path& dir);

/// N for a v2 epoch folder named `N.git`; nullopt for any other name.
[[nodiscard]] std::optional<unsigned long> epoch_number(const std::filesystem::path& repo);

/// The epochs of a public-inbox v2 inbox folder (`git/N.git`) in epoch
/// order; empty when @p dir is not one.
[[nodiscard]] std::vector<std::filesystem::path> inbox_epochs(const std::filesystem::path& dir);

/// The folder of the inbox a repository belongs to: `foo` for `foo/git/0.git`,
/// the repository itself for a v1 inbox.
[[nodiscard]] std::filesystem::path inbox_folder(const std::filesystem::path& repo);

/// The list of the inbox at @p inbox from the public-inbox configuration:
/// `inbox/inbox.config.example` (written by public-inbox-clone), else the
/// entry of `$PI_CONFIG` (default `~/.public-inbox/config`) whose inboxdir
/// is this folder. Its `listid` in lower case, else the inbox's name; empty
/// when no configuration names it.
[[nodiscard]] std::string inbox_list(const std::filesystem::path& inbox);

/// Bounds what libgit2 keeps in memory while reading, for an import allowed
/// @p budget bytes: mapped pack windows (file-backed, but counted in RSS) at
/// an eighth of it, in windows of at most 32 MB, and its object cache at a
/// sixteenth. Process-wide; call before opening readers.
void limit_git_memory(uint64_t budget);

class PublicInboxReader {
public:
    /// Opens the repository @p repo (a v2 epoch or a v1 inbox). When @p after
    /// is a commit of its current history, only the commits after it are
    /// read; otherwise (first import, or history rewritten by
    /// public-inbox-purge) every commit is. Fails with ExitCode::bad_input
    /// naming the repository.
    static Result<std::unique_ptr<PublicInboxReader>> open(const std::filesystem::path& repo, const std::string& after);
    ~PublicInboxReader();
    PublicInboxReader(const PublicInboxReader&) = delete;
    PublicInboxReader& operator=(const PublicInboxReader&) = delete;

    /// The next message or removal (the last item of each commit carries a
    /// checkpoint), then one checkpoint item naming the newest commit, then
    /// nullopt. Fails naming the repository and commit on a broken object.
    Result<std::optional<RawMessage>> next();

    /// The repository's name in checkpoints: a hash of its absolute path.
    [[nodiscard]] static std::string repository_key(const std::filesystem::path& repo);

private:
    struct Impl;
    explicit PublicInboxReader(std::unique_ptr<Impl> impl);
    Result<void> read_commit();
    std::unique_ptr<Impl> impl_;
};

} // namespace listdex
