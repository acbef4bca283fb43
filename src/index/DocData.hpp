// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file DocData.hpp
/// The Xapian document-data record (see Schema.hpp): where the raw message
/// and its body text are, and the schema::Flag bits, and where its decoded
/// form (ParsedRecord.hpp) is, then what a page shows of the message. Plain
/// text, so `xapian-delve -d` is readable.

#include "listdex/index/RawStore.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace listdex {

/// What listings and pages show of a message, fixed when it is imported:
/// the same as its message_id, hash, from, subject and date values, kept
/// in the data too because reading a document's data is one B-tree look-up
/// where each value slot is one of its own (Xapian keeps a slot's values in
/// chunks of the postlist table: a page read a block per value).
struct DocSummary {
    std::string message_id, hash, from, subject;
    int64_t date = 0; ///< UTC seconds, the effective date (the date value)

    bool operator==(const DocSummary&) const = default;
};

struct DocData {
    RawRef ref;         ///< raw message in raw/N.pack
    uint32_t flags = 0; ///< schema::Flag bits
    RawRef text;        ///< decoded body text (for snippets) in raw/N.text
    /// The decoded message (ParsedRecord.hpp) in raw/N.parsed; nullopt in
    /// documents written before records were stored.
    std::optional<RawRef> parsed;
    /// nullopt in documents written before summaries were stored (their
    /// readers read the values), and in those without a parsed record.
    std::optional<DocSummary> summary;

    /// The numbers on the first line; the summary's fields on one line each
    /// after it, with "\" and line breaks escaped ("\\", "\n"). Readers that
    /// know no summary read the first line's numbers and stop there.
    [[nodiscard]] std::string encode() const;
    /// nullopt when @p data is not a record of this schema, or its summary
    /// is not five well-formed lines (damaged).
    [[nodiscard]] static std::optional<DocData> decode(std::string_view data);
};

} // namespace listdex
