// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file GObjectPtr.hpp
/// An owning pointer for GObjects. Construction is explicit about ownership:
/// `adopt` takes over a reference the caller owns (the result of a *_new or
/// a "transfer full" call); `retain` adds a reference to a borrowed pointer
/// ("transfer none"). There is deliberately no constructor from T*.

#include "listdex/base/CPtr.hpp"

#include <glib-object.h>

#include <utility>

namespace listdex {

template <class T>
class GObjectPtr {
public:
    GObjectPtr() = default;
    static GObjectPtr adopt(T* owned) { return GObjectPtr(owned); }
    static GObjectPtr retain(T* borrowed)
    {
        if (borrowed)
            g_object_ref(borrowed);
        return GObjectPtr(borrowed);
    }
    GObjectPtr(const GObjectPtr& o) : p_(o.p_)
    {
        if (p_)
            g_object_ref(p_);
    }
    GObjectPtr(GObjectPtr&& o) noexcept : p_(std::exchange(o.p_, nullptr)) {}
    GObjectPtr& operator=(GObjectPtr o) noexcept
    {
        std::swap(p_, o.p_);
        return *this;
    }
    ~GObjectPtr()
    {
        if (p_)
            g_object_unref(p_);
    }
    T* get() const { return p_; }
    T* operator->() const { return p_; }
    explicit operator bool() const { return p_ != nullptr; }

private:
    explicit GObjectPtr(T* p) : p_(p) {}
    T* p_ = nullptr;
};

/// A g_malloc'ed string, g_free'd when it goes.
using GChars = CPtr<char, g_free>;

} // namespace listdex
