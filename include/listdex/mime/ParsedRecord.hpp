// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file ParsedRecord.hpp
/// A ParsedMessage as bytes: the import stores each message's decoded
/// form beside its raw copy, so reading a thread or a message needs no
/// GMime, only a read of the record (see IndexReader::parse). Plain data,
/// no GMime: the search-only `listdex` binary decodes records too.
///
/// The record is a cache of MimeParser::parse, never the truth: a record
/// made by another version of the decoder (kParsedRecordVersion) is not
/// read, and the raw copy is parsed again.

#include "listdex/mime/ParsedMessage.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace listdex {

/// Raised whenever MimeParser's output for some message changes, or this
/// layout does: records of every other version are ignored.
inline constexpr uint32_t kParsedRecordVersion = 1;

/// @p pm as a record: every field but body_as_sent (the index reads it,
/// readers never do).
[[nodiscard]] std::string encode_parsed_record(const ParsedMessage& pm);

/// The message of record @p bytes; nullopt when it is of another version
/// (kParsedRecordVersion) or damaged (truncated, lengths beyond its end).
[[nodiscard]] std::optional<ParsedMessage> decode_parsed_record(std::string_view bytes);

/// The first field a record keeps in which @p a and @p b differ ("body",
/// "attachments", ...), or "" when they agree in all of them: how `listdex
/// check --decoding` compares a record with a fresh decoding.
[[nodiscard]] std::string first_record_difference(const ParsedMessage& a, const ParsedMessage& b);

} // namespace listdex
