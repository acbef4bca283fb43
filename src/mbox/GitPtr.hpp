// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file GitPtr.hpp
/// The mbox layer's libgit2 helpers (private): the owning pointer of each
/// libgit2 object it uses, the one-time set-up, and the last error's text.

#include "listdex/base/CPtr.hpp"

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

/// libgit2 objects, each freed with its git_*_free.
using Repo = CPtr<git_repository, git_repository_free>;
using Walk = CPtr<git_revwalk, git_revwalk_free>;
using Commit = CPtr<git_commit, git_commit_free>;
using Tree = CPtr<git_tree, git_tree_free>;
using Diff = CPtr<git_diff, git_diff_free>;
using Config = CPtr<git_config, git_config_free>;
using ConfigIter = CPtr<git_config_iterator, git_config_iterator_free>;
using Remote = CPtr<git_remote, git_remote_free>;
using Reference = CPtr<git_reference, git_reference_free>;
using ReferenceIter = CPtr<git_reference_iterator, git_reference_iterator_free>;
using Odb = CPtr<git_odb, git_odb_free>;
using OdbObject = CPtr<git_odb_object, git_odb_object_free>;

} // namespace listdex
