// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file MboxReader.hpp
/// Splits an mbox stream into messages, one at a time, in bounded memory
/// (one message plus a read buffer).
///
/// Handles every common variant without being told which:
/// - mboxo and mboxrd: separators are RFC 4155 From_ lines; body lines
///   matching `>+From ` lose one `>` (mboxrd un-escaping, which is also right
///   for mboxo's single-level quoting);
/// - mboxcl and mboxcl2: a Content-Length header is honoured when it ends the
///   body exactly at the end of input or just before the next From_ line
///   (its body is then taken verbatim, unquoted); otherwise it is ignored,
///   as many mboxo writers leave stale Content-Length headers behind;
/// - CRLF line endings, and files mixing LF and CRLF;
/// - unescaped "From " lines in bodies (mboxo, pipermail): a From_ line
///   separates messages unless plain text follows it (not a header field,
///   another From_ line, a blank line or the end: an empty message); in a pipermail archive (its first From_ line reads
///   "From user at example.com  date") only a From_ line with such a sender
///   does, so a pasted `git format-patch` line or mbox excerpt stays text;
///   and inside a multipart message whose closing boundary has not been
///   seen, a From_ line is text when the message's next boundary follows
///   within kBoundaryLookahead (a `git format-patch` file attached to an
///   mboxo message starts with a From_ line and header fields).

#include "listdex/base/Error.hpp"
#include "listdex/mbox/ByteSource.hpp"
#include "listdex/mbox/RawMessage.hpp"

#include <optional>
#include <string>

namespace listdex {

class MboxReader {
public:
    /// How far past a From_ line inside an open multipart the reader looks
    /// for the multipart's next boundary (see the file comment).
    static constexpr size_t kBoundaryLookahead = 4 << 20;

    /// @p source must outlive the reader.
    explicit MboxReader(ByteSource& source);

    /// The next message, or nullopt at the end of the input.
    /// Fails only on I/O or decompression errors (naming the file and offset).
    Result<std::optional<RawMessage>> next();

    /// Decompressed bytes consumed so far.
    [[nodiscard]] uint64_t offset() const { return base_ + pos_; }

private:
    /// The next line including its '\n' (the last line may lack it); empty at
    /// the end of input. Valid until the next call.
    Result<std::string_view> peek_line();
    void consume(size_t n) { pos_ += n; }
    /// Makes at least @p n bytes past the current position available if the
    /// input has them.
    Result<void> fill(size_t n);
    bool content_length_fits(size_t body_start, uint64_t length);
    /// Whether the From_ line of @p len bytes at the current position
    /// separates messages (see the file comment). May move the buffer.
    Result<bool> separator(size_t len);
    /// Whether a line starting "--" + @p boundary comes within
    /// kBoundaryLookahead bytes of the current position. May move the buffer.
    Result<bool> boundary_ahead(const std::string& boundary);

    ByteSource& source_;
    std::string buf_;
    size_t pos_ = 0;   ///< current position in buf_
    size_t scan_ = 0;  ///< buf_ has no '\n' from pos_ up to here (or one here)
    uint64_t base_ = 0; ///< stream offset of buf_[0]
    bool eof_ = false;
    uint64_t separators_seen_ = 0;
    bool pipermail_ = false; ///< the first From_ line had a pipermail sender
};

} // namespace listdex
