// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file Hash.hpp
/// Content hashing for de-duplication and synthetic Message-IDs.

#include <string>
#include <string_view>

namespace listdex {

/// 128-bit XXH3 of @p bytes as 32 lowercase hex digits. Not cryptographic:
/// it identifies message content for de-duplication, where 128 bits make an
/// accidental collision negligible even across billions of messages.
[[nodiscard]] std::string content_hash(std::string_view bytes);

/// The hash of a raw message after normalising what transport changes but
/// authors do not: CRLF becomes LF and trailing blank lines are dropped, so
/// the same message read from a CRLF mbox and from a Maildir file is one.
[[nodiscard]] std::string message_hash(std::string_view raw);

} // namespace listdex
