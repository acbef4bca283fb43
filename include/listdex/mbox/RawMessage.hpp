// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file RawMessage.hpp
/// One item split from its container, before any MIME decoding: usually a
/// message; from a public-inbox repository also a removal or a checkpoint.

#include "listdex/base/Error.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>

namespace listdex {

struct RawMessage {
    enum class Kind {
        message,    ///< a message to import
        removal,    ///< public-inbox recorded that this message was deleted
        checkpoint, ///< no message: only `checkpoint` (the end of a source)
    };
    Kind kind = Kind::message;
    /// The message as delivered: mbox From_ line removed, mboxrd ">From "
    /// quoting undone, line endings as in the source. For a removal, the
    /// removed message.
    std::string bytes;
    /// When set, `bytes` is empty until this reads them: git blobs are
    /// inflated by the parse workers, in parallel, not by the one reader.
    /// Errors name the repository and commit.
    std::function<Result<std::string>()> load;
    /// The message's size in bytes (known before it is loaded).
    uint64_t size = 0;
    /// The file it came from, as the user named it ("-" for stdin), or the
    /// git repository.
    std::string source;
    /// Byte offset of the message (its From_ line) in the decompressed source.
    uint64_t offset = 0;
    /// The git commit that added (or removed) it; empty for files.
    std::string commit;
    /// Date of the mbox From_ line, used when the Date header is unusable.
    std::optional<int64_t> envelope_date;
    /// The list every message of the source belongs to (`--list`, or the
    /// public-inbox inbox configuration); empty: the message's own headers say.
    std::string list;
    /// For sources that resume (git epochs): once this item is indexed, the
    /// source `first` may continue after position `second`.
    std::optional<std::pair<std::string, std::string>> checkpoint;
};

} // namespace listdex
