// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file MimeParser.hpp
/// Decodes raw RFC 822 bytes into a ParsedMessage with GMime 3.

#include "listdex/base/Error.hpp"
#include "listdex/mime/ParsedMessage.hpp"

#include <memory>
#include <string_view>

namespace listdex {

/// Not thread-safe: use one MimeParser per thread (each owns its GMime
/// parser options, which collect warnings). Construction initialises GMime
/// once per process.
class MimeParser {
public:
    MimeParser();
    ~MimeParser();
    MimeParser(const MimeParser&) = delete;
    MimeParser& operator=(const MimeParser&) = delete;

    /// Decodes @p raw as far as possible; damage is recorded in
    /// ParsedMessage::problems rather than failing. Fails (ExitCode::bad_input)
    /// only when there is nothing to import: empty or blank input.
    Result<ParsedMessage> parse(std::string_view raw);

    /// The decoded bytes of attachment @p part (see Attachment::part), for
    /// downloads. Fails with ExitCode::not_found when there is no such part.
    Result<std::string> attachment_bytes(std::string_view raw, unsigned part);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace listdex
