#pragma once
/// @file RawMessage.hpp
/// One message as split from its container, before any MIME decoding.

#include <cstdint>
#include <optional>
#include <string>

namespace listdex {

struct RawMessage {
    /// The message as delivered: mbox From_ line removed, mboxrd ">From "
    /// quoting undone, line endings as in the source.
    std::string bytes;
    /// The file it came from, as the user named it ("-" for stdin).
    std::string source;
    /// Byte offset of the message (its From_ line) in the decompressed source.
    uint64_t offset = 0;
    /// Date of the mbox From_ line, used when the Date header is unusable.
    std::optional<int64_t> envelope_date;
};

} // namespace listdex
