// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file IndexLock.hpp
/// The single-writer lock: an flock(2) on DIR/lock holding the writer's pid,
/// so a second writer is told which process to wait for. The kernel drops
/// the lock when the process dies, even on kill -9.

#include "listdex/base/Error.hpp"
#include "listdex/index/IndexPaths.hpp"

#include <memory>

namespace listdex {

class IndexLock {
public:
    /// Fails with ExitCode::locked, naming the holder's pid and command.
    static Result<std::unique_ptr<IndexLock>> acquire(const IndexPaths& paths);
    ~IndexLock();
    IndexLock(const IndexLock&) = delete;
    IndexLock& operator=(const IndexLock&) = delete;

private:
    explicit IndexLock(int fd) : fd_(fd) {}
    int fd_;
};

} // namespace listdex
