// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "listdex/mbox/InputScanner.hpp"

#include "listdex/base/Text.hpp"
#include "listdex/mbox/FromLine.hpp"
#include "listdex/mbox/MessageRepair.hpp"
#include "listdex/mbox/MhonarcPage.hpp"
#include "listdex/mbox/PublicInboxReader.hpp"
#include "listdex/mbox/TarReader.hpp"

#include <algorithm>
#include <array>
#include <filesystem>
#include <system_error>

namespace fs = std::filesystem;

namespace listdex {

namespace {

constexpr size_t kSniffBytes = 64 * 1024;

constexpr std::array<std::string_view, 16> kMessageHeaders{
    "from", "date", "subject", "message-id", "received", "return-path", "to", "mime-version",
    "delivered-to", "in-reply-to", "references", "cc", "sender", "x-mailer", "content-type", "list-id"};

} // namespace

std::optional<std::string_view> header_field_name(std::string_view line)
{
    const size_t colon = line.find(':');
    if (colon == 0 || colon == std::string_view::npos || colon > 76)
        return std::nullopt;
    for (size_t i = 0; i < colon; ++i) {
        const auto c = static_cast<unsigned char>(line[i]);
        if (c <= 32 || c >= 127)
            return std::nullopt;
    }
    return line.substr(0, colon);
}

ContentKind classify_content(std::string_view head)
{
    size_t pos = head.starts_with("\xEF\xBB\xBF") ? 3 : 0; // hand-saved .eml files
    while (pos < head.size() && (head[pos] == '\n' || head[pos] == '\r'))
        ++pos;
    if (pos == head.size())
        return ContentKind::empty;
    if (is_tar(head))
        return ContentKind::tar;
    const std::string_view rest = head.substr(pos);
    // The first line, with its line break; all of it when the head holds
    // no line break (an archive flattened onto one line).
    const size_t eol = rest.find('\n');
    if (parse_from_line(rest.substr(0, eol == std::string_view::npos ? rest.size() : eol + 1)))
        return ContentKind::mbox;
    switch (mhonarc_kind(rest)) {
    case MhonarcKind::message: return ContentKind::message; // rebuilt when decoded (MhonarcPage.hpp)
    case MhonarcKind::index: return ContentKind::not_mail;
    case MhonarcKind::none: break;
    }
    // A header block as mail readers take it (MessageRepair.hpp): the body
    // may start without a blank line, a field may have white space before
    // its colon. Mail when one of its fields names a message header.
    for (std::string_view name : header_block_names(rest))
        if (std::find(kMessageHeaders.begin(), kMessageHeaders.end(), ascii_lower(name)) != kMessageHeaders.end())
            return ContentKind::message;
    return ContentKind::not_mail;
}

std::string why_not_mail(std::string_view head)
{
    if (head.find('\0') != std::string_view::npos)
        return "binary data, not mail";
    if (mhonarc_kind(head) == MhonarcKind::index)
        return "an MHonArc index page, not a message";
    std::string_view first = trim(head.substr(0, head.find('\n')));
    const std::string lower = ascii_lower(head.substr(0, 512));
    if (lower.find("<html") != std::string::npos || lower.find("<!doctype html") != std::string::npos)
        return "an HTML page, not mail";
    if (first.size() > 40)
        first = first.substr(0, 40);
    std::string shown = one_line(first);
    return "not mail: its first line \"" + shown + "\" is neither an mbox From_ line nor a message header";
}

namespace {

struct Sniffed {
    ContentKind kind;
    std::string why; ///< not_mail: what the file is instead
};

Result<Sniffed> sniff_file(const std::string& path, Compression& compression)
{
    auto src = open_byte_source(path);
    if (!src)
        return std::unexpected(src.error());
    compression = (*src)->compression();
    auto head = (*src)->peek(kSniffBytes);
    if (!head)
        return std::unexpected(head.error());
    const ContentKind kind = classify_content(*head);
    return Sniffed{kind, kind == ContentKind::not_mail ? why_not_mail(*head) : std::string()};
}

bool is_maildir(const fs::path& dir)
{
    std::error_code ec;
    return fs::is_directory(dir / "cur", ec) || fs::is_directory(dir / "new", ec);
}

uint64_t size_on_disk(const fs::path& p)
{
    std::error_code ec;
    const auto n = fs::file_size(p, ec);
    return ec ? 0 : static_cast<uint64_t>(n);
}

/// A public-inbox v2 inbox (its epochs, in order) or a git repository;
/// false when @p dir is neither.
bool add_git_inputs(const fs::path& dir, ScanResult& out)
{
    if (auto epochs = inbox_epochs(dir); !epochs.empty()) {
        const std::string list = inbox_list(dir);
        for (const auto& e : epochs)
            out.files.push_back({e.string(), InputKind::git, Compression::none, 0, list});
        return true;
    }
    if (git_dir_of(dir)) {
        out.files.push_back({dir.string(), InputKind::git, Compression::none, 0, inbox_list(inbox_folder(dir))});
        return true;
    }
    return false;
}

/// Mailman's monthly archive names ("2013-March.txt.gz"): (year, month).
std::optional<std::pair<int, int>> pipermail_month(const fs::path& p)
{
    static constexpr std::array<std::string_view, 12> kMonths{"January", "February", "March",     "April",
                                                              "May",     "June",     "July",      "August",
                                                              "September", "October", "November", "December"};
    const std::string name = p.filename().string();
    const size_t dash = name.find('-');
    if (dash != 4)
        return std::nullopt;
    auto year = parse_number<int>(std::string_view(name).substr(0, 4));
    const std::string_view rest = std::string_view(name).substr(5);
    for (size_t m = 0; m < kMonths.size(); ++m)
        if (year && rest.starts_with(kMonths[m]) &&
            (rest.size() == kMonths[m].size() || rest[kMonths[m].size()] == '.'))
            return std::pair<int, int>(*year, static_cast<int>(m));
    return std::nullopt;
}

/// Deterministic import order: by name, except that Mailman's monthly
/// archives go by date, so that replies come after what they answer.
void sort_for_import(std::vector<fs::path>& entries)
{
    std::sort(entries.begin(), entries.end(), [](const fs::path& a, const fs::path& b) {
        const auto ma = pipermail_month(a), mb = pipermail_month(b);
        if (ma && mb && *ma != *mb)
            return *ma < *mb;
        return a < b;
    });
}

Result<void> scan_directory(const fs::path& dir, ScanResult& out)
{
    if (add_git_inputs(dir, out))
        return {};
    std::error_code ec;
    std::vector<fs::path> entries;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
        entries.push_back(it->path());
    if (ec)
        return fail(ExitCode::bad_input, dir.string() + ": " + ec.message());
    sort_for_import(entries);

    const bool maildir = is_maildir(dir);
    for (const fs::path& p : entries) {
        const std::string name = p.filename().string();
        if (name.starts_with("."))
            continue; // dot files: dovecot/courier indexes, editors' backups
        if (fs::is_directory(p, ec)) {
            if (maildir && name == "tmp")
                continue; // messages still being delivered
            if (maildir && (name == "cur" || name == "new")) {
                std::vector<fs::path> mails;
                for (fs::directory_iterator it(p, ec), end; !ec && it != end; it.increment(ec))
                    if (it->is_regular_file(ec) && !it->path().filename().string().starts_with("."))
                        mails.push_back(it->path());
                if (ec)
                    return fail(ExitCode::bad_input, p.string() + ": " + ec.message());
                std::sort(mails.begin(), mails.end());
                for (const auto& m : mails)
                    out.files.push_back({m.string(), InputKind::message, Compression::none, size_on_disk(m), {}});
                continue;
            }
            if (auto r = scan_directory(p, out); !r)
                return r;
            continue;
        }
        if (!fs::is_regular_file(p, ec))
            continue;
        Compression c = Compression::none;
        auto kind = sniff_file(p.string(), c);
        if (!kind) {
            out.skipped.push_back(kind.error().message);
            continue;
        }
        switch (kind->kind) {
        case ContentKind::mbox: out.files.push_back({p.string(), InputKind::mbox, c, size_on_disk(p), {}}); break;
        case ContentKind::message: out.files.push_back({p.string(), InputKind::message, c, size_on_disk(p), {}}); break;
        case ContentKind::tar: out.files.push_back({p.string(), InputKind::tar, c, size_on_disk(p), {}}); break;
        case ContentKind::empty: break;
        case ContentKind::not_mail: out.skipped.push_back(p.string() + ": " + kind->why); break;
        }
    }
    return {};
}

} // namespace

Result<ScanResult> scan_inputs(const std::vector<std::string>& paths)
{
    ScanResult out;
    for (const std::string& path : paths) {
        if (path == "-") {
            out.files.push_back({path, InputKind::mbox, Compression::none, 0, {}});
            continue;
        }
        std::error_code ec;
        const auto st = fs::status(path, ec);
        if (ec || !fs::exists(st))
            return fail(ExitCode::bad_input, path + ": no such file or directory");
        if (fs::is_directory(st)) {
            const size_t before = out.files.size();
            if (auto r = scan_directory(path, out); !r)
                return std::unexpected(r.error());
            if (out.files.size() == before && out.skipped.empty())
                return fail(ExitCode::bad_input, path + ": directory holds no mail");
            continue;
        }
        Compression c = Compression::none;
        auto kind = sniff_file(path, c);
        if (!kind)
            return std::unexpected(kind.error());
        switch (kind->kind) {
        case ContentKind::mbox: out.files.push_back({path, InputKind::mbox, c, size_on_disk(path), {}}); break;
        case ContentKind::message: out.files.push_back({path, InputKind::message, c, size_on_disk(path), {}}); break;
        case ContentKind::tar: out.files.push_back({path, InputKind::tar, c, size_on_disk(path), {}}); break;
        case ContentKind::empty: out.files.push_back({path, InputKind::empty, c, size_on_disk(path), {}}); break;
        case ContentKind::not_mail:
            return fail(ExitCode::bad_input, path + ": " + kind->why,
                        "listdex imports mbox files (optionally compressed), Maildir folders, single messages, "
                        "MHonArc message pages and tar archives of these");
        }
    }
    return out;
}

} // namespace listdex
