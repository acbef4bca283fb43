// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "IndexLock.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sys/file.h>
#include <unistd.h>

namespace listdex {

namespace {
std::string holder_description(const std::filesystem::path& lock)
{
    std::ifstream in(lock);
    std::string pid;
    in >> pid;
    if (pid.empty())
        return "another process";
    std::ifstream cmd("/proc/" + pid + "/cmdline");
    std::string cmdline((std::istreambuf_iterator<char>(cmd)), std::istreambuf_iterator<char>());
    for (char& c : cmdline)
        if (c == '\0')
            c = ' ';
    while (!cmdline.empty() && cmdline.back() == ' ')
        cmdline.pop_back();
    return "process " + pid + (cmdline.empty() ? "" : " (" + cmdline + ")");
}
} // namespace

Result<std::unique_ptr<IndexLock>> IndexLock::acquire(const IndexPaths& paths)
{
    std::error_code ec;
    std::filesystem::create_directories(paths.root, ec);
    if (ec)
        return fail(ExitCode::failure, paths.root.string() + ": cannot create index folder: " + ec.message());
    const int fd = ::open(paths.lock().c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        return fail(ExitCode::failure, paths.lock().string() + ": " + std::strerror(errno));
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        const int err = errno;
        ::close(fd);
        if (err == EWOULDBLOCK)
            return fail(ExitCode::locked,
                        "index " + paths.root.string() + " is being written by " + holder_description(paths.lock()),
                        "wait for it to finish; searches keep working meanwhile");
        return fail(ExitCode::failure, paths.lock().string() + ": " + std::strerror(err));
    }
    const std::string pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) < 0) {
        // The lock itself is held; a missing pid only makes messages vaguer.
    }
    return std::unique_ptr<IndexLock>(new IndexLock(fd));
}

IndexLock::~IndexLock()
{
    ::close(fd_); // releases the flock
}

} // namespace listdex
