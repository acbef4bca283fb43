// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file CPtr.hpp
/// One owning pointer for the objects of every C library listdex calls
/// (libgit2, libxml2, libarchive, zstd, libdeflate, GLib's plain
/// allocations); GLib's reference-counted objects have GObjectPtr, which
/// says whether it adopts or retains.

#include <utility>

namespace listdex {

/// Calls @p Free, the C library's own release function, on a non-null
/// pointer (CPtr never passes it null). Whatever @p Free
/// returns (ZSTD_freeCCtx's size, archive_read_free's status) is dropped:
/// nothing can be done about a failure to release.
template <auto Free>
struct FreeWith {
    template <class T>
    void operator()(T* p) const noexcept
    {
        (void)Free(p);
    }
};

/// Owns one @p T of a C library, released by @p Free when it goes or is
/// replaced; empty when the library gave nothing. Moves, never copies.
template <class T, auto Free>
class CPtr {
public:
    CPtr() = default;
    /// Takes over @p owned (may be null).
    explicit CPtr(T* owned) noexcept : p_(owned) {}
    CPtr(CPtr&& o) noexcept : p_(o.release()) {}
    CPtr& operator=(CPtr&& o) noexcept
    {
        reset(o.release());
        return *this;
    }
    CPtr(const CPtr&) = delete;
    CPtr& operator=(const CPtr&) = delete;
    ~CPtr() { reset(); }

    [[nodiscard]] T* get() const noexcept { return p_; }
    T* operator->() const noexcept { return p_; }
    T& operator*() const noexcept { return *p_; }
    explicit operator bool() const noexcept { return p_ != nullptr; }
    /// Releases what it held and takes over @p owned.
    void reset(T* owned = nullptr) noexcept
    {
        if (T* old = std::exchange(p_, owned))
            FreeWith<Free>{}(old);
    }
    /// Gives up ownership: the caller releases the result.
    [[nodiscard]] T* release() noexcept { return std::exchange(p_, nullptr); }
    /// For a C function's T** out-parameter: releases what it held and
    /// lets the function store straight into it, so the object is there
    /// for the next call in the same expression:
    ///   if (git_commit_lookup(commit.out(), repo, &oid) != 0 || git_commit_tree(tree.out(), commit.get()) != 0)
    [[nodiscard]] T** out() noexcept
    {
        reset();
        return &p_;
    }

private:
    T* p_ = nullptr;
};

} // namespace listdex
