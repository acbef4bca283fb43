// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "listdex/base/File.hpp"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <unistd.h>

namespace listdex {

namespace {

Result<void> system_error(const std::filesystem::path& path, int err)
{
    return fail(ExitCode::failure, path.string() + ": " + std::strerror(err));
}

} // namespace

Result<void> replace_file(const std::filesystem::path& path, std::string_view contents, bool durable)
{
    const std::filesystem::path tmp = path.string() + ".tmp";
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return system_error(tmp, errno);
    bool ok = true;
    for (std::string_view rest = contents; !rest.empty();) {
        const ssize_t n = ::write(fd, rest.data(), rest.size());
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            errno = n == 0 ? EIO : errno;
            ok = false;
            break;
        }
        rest.remove_prefix(static_cast<size_t>(n));
    }
    ok = ok && (!durable || ::fdatasync(fd) == 0);
    const int err = errno;
    ::close(fd);
    if (!ok)
        return system_error(tmp, err);
    if (::rename(tmp.c_str(), path.c_str()) != 0)
        return system_error(path, errno);
    if (durable) {
        // The rename itself is durable once the folder is synced.
        const auto folder = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
        if (const int dir = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dir >= 0) {
            ::fsync(dir);
            ::close(dir);
        }
    }
    return {};
}

} // namespace listdex
