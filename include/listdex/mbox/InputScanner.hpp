// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file InputScanner.hpp
/// Turns the paths a user names into a list of mail inputs, detected from
/// content: mbox (any variant, compressed or not), single RFC 822 messages
/// (.eml, Maildir files), Maildir folders and trees of them, public-inbox
/// git archives (v2 inbox folders, their epochs, v1 repositories), and stdin.

#include "listdex/base/Error.hpp"
#include "listdex/mbox/ByteSource.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace listdex {

enum class InputKind {
    mbox,    ///< a stream of messages separated by From_ lines
    message, ///< exactly one RFC 822 message (.eml file, Maildir entry)
    empty,   ///< an empty file: a valid mbox holding no message
    git,     ///< a public-inbox git repository (v2 epoch or v1 inbox)
    tar,     ///< a tar archive (compressed or not) of mail files: each is sniffed as it is read
};

/// What the first bytes of (decompressed) content look like.
enum class ContentKind { mbox, message, empty, tar, not_mail };

/// The name of the header field @p line starts with ("Name: value", a valid
/// RFC 5322 field name of at most 76 characters); nullopt when it does not.
[[nodiscard]] std::optional<std::string_view> header_field_name(std::string_view line);

/// Classifies the start of a file's decompressed content. A file is mail
/// only when its first non-blank line is an RFC 4155 From_ line (mbox) or
/// it starts with a header block (as a mail reader reads it: see
/// header_block_names) that names at least one message header (From, Date,
/// Subject, Message-ID, Received, ...).
[[nodiscard]] ContentKind classify_content(std::string_view head);

/// Why content classify_content calls not_mail is not mail, in a few
/// words ("binary data, not mail", "an HTML page, not mail", or what its
/// first line is), for the import report.
[[nodiscard]] std::string why_not_mail(std::string_view head);

struct InputFile {
    std::string path;
    InputKind kind = InputKind::mbox;
    Compression compression = Compression::none;
    uint64_t size = 0; ///< on-disk size (0 for stdin and git repositories)
    /// git: the list named by the inbox's public-inbox configuration, if any.
    std::string list;
};

struct ScanResult {
    std::vector<InputFile> files;
    /// Files skipped inside directories, each "PATH: why" (why_not_mail).
    std::vector<std::string> skipped;
};

/// Expands @p paths. A folder that is a public-inbox v2 inbox becomes its
/// epochs in order, a git repository one input; Mailman's monthly archives
/// (`2013-March.txt.gz`) are put in date order, not name order; a tar
/// archive is one input whose members are sniffed as they are read. A
/// named file that is missing, unreadable or not mail fails the whole scan
/// (ExitCode::bad_input, naming it and why_not_mail), so nothing is
/// imported from a mistyped command. Inside directories, non-mail files are
/// skipped and listed instead ("PATH: why"): mail folders hold index and
/// lock files, web mirrors index pages and images.
/// "-" (stdin) is accepted as is; its content is checked when it is read.
Result<ScanResult> scan_inputs(const std::vector<std::string>& paths);

} // namespace listdex
