// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file GitPtr.hpp
/// The mbox layer's libgit2 helpers (private): one owning pointer for every
/// libgit2 object, the one-time set-up, and the last error's text.

#include <git2.h>

#include <string>

namespace listdex {

/// Sets libgit2 up once (thread support, caches; see PublicInboxReader.cpp).
/// Every entry point that calls libgit2 calls it first.
void init_libgit2();
/// libgit2's last error on this thread, for messages.
std::string git_message();

/// @p oid in hex.
inline std::string oid_hex(const git_oid& oid)
{
    char buf[GIT_OID_HEXSZ + 1];
    git_oid_tostr(buf, sizeof buf, &oid);
    return buf;
}

/// Owns one libgit2 object; freed with the matching git_*_free.
template <typename T, void (*Free)(T*)>
struct GitPtr {
    T* p = nullptr;
    GitPtr() = default;
    GitPtr(const GitPtr&) = delete;
    GitPtr& operator=(const GitPtr&) = delete;
    ~GitPtr()
    {
        if (p)
            Free(p);
    }
    /// For libgit2's out-parameters: frees what was held first.
    T** out()
    {
        if (p)
            Free(p);
        p = nullptr;
        return &p;
    }
};
using Repo = GitPtr<git_repository, git_repository_free>;
using Walk = GitPtr<git_revwalk, git_revwalk_free>;
using Commit = GitPtr<git_commit, git_commit_free>;
using Tree = GitPtr<git_tree, git_tree_free>;
using Diff = GitPtr<git_diff, git_diff_free>;
using Config = GitPtr<git_config, git_config_free>;
using ConfigIter = GitPtr<git_config_iterator, git_config_iterator_free>;
using Remote = GitPtr<git_remote, git_remote_free>;
using Reference = GitPtr<git_reference, git_reference_free>;

} // namespace listdex
