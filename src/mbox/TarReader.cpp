// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "listdex/mbox/TarReader.hpp"

#include "listdex/base/CPtr.hpp"

#include <archive.h>
#include <archive_entry.h>

namespace listdex {

bool is_tar(std::string_view head)
{
    return head.size() >= 262 && head.substr(257, 5) == "ustar";
}

struct TarReader::Impl {
    std::string path;
    CPtr<struct archive, archive_read_free> a{archive_read_new()};
};

TarReader::~TarReader() = default;

Result<std::unique_ptr<TarReader>> TarReader::open(const std::string& path)
{
    std::unique_ptr<TarReader> r(new TarReader());
    r->impl_ = std::make_unique<Impl>();
    r->impl_->path = path;
    struct archive* a = r->impl_->a.get();
    archive_read_support_filter_all(a);
    archive_read_support_format_tar(a);
    archive_read_support_format_gnutar(a);
    if (archive_read_open_filename(a, path.c_str(), 1 << 16) != ARCHIVE_OK)
        return fail(ExitCode::bad_input, path + ": " + archive_error_string(a));
    return r;
}

Result<std::optional<TarMember>> TarReader::next()
{
    struct archive* a = impl_->a.get();
    for (;;) {
        struct archive_entry* entry = nullptr;
        const int rc = archive_read_next_header(a, &entry);
        if (rc == ARCHIVE_EOF)
            return std::optional<TarMember>{};
        if (rc < ARCHIVE_WARN)
            return fail(ExitCode::bad_input, impl_->path + ": " + archive_error_string(a));
        if (archive_entry_filetype(entry) != AE_IFREG)
            continue;
        TarMember m;
        m.name = archive_entry_pathname(entry) ? archive_entry_pathname(entry) : "";
        // Dot files, as in a folder import: MHonArc's .mhonarc.db, indexes.
        const size_t slash = m.name.rfind('/');
        if (m.name.compare(slash == std::string::npos ? 0 : slash + 1, 1, ".") == 0)
            continue;
        char buf[1 << 16];
        for (;;) {
            const la_ssize_t n = archive_read_data(a, buf, sizeof buf);
            if (n < 0)
                return fail(ExitCode::bad_input, impl_->path + ": " + m.name + ": " + archive_error_string(a));
            if (n == 0)
                break;
            m.bytes.append(buf, static_cast<size_t>(n));
        }
        return std::optional<TarMember>(std::move(m));
    }
}

} // namespace listdex
