// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file DocData.hpp
/// The Xapian document-data record (see Schema.hpp): where the raw message
/// and its body text are, and the schema::Flag bits, and where its decoded
/// form (ParsedRecord.hpp) is. Plain text, so `xapian-delve -d` is readable.

#include "listdex/index/RawStore.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace listdex {

struct DocData {
    RawRef ref;         ///< raw message in raw/N.pack
    uint32_t flags = 0; ///< schema::Flag bits
    RawRef text;        ///< decoded body text (for snippets) in raw/N.text
    /// The decoded message (ParsedRecord.hpp) in raw/N.parsed; nullopt in
    /// documents written before records were stored.
    std::optional<RawRef> parsed;

    [[nodiscard]] std::string encode() const;
    [[nodiscard]] static std::optional<DocData> decode(std::string_view data);
};

} // namespace listdex
