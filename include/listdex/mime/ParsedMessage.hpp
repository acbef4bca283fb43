// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file ParsedMessage.hpp
/// A decoded message as plain data: no GMime type crosses this boundary.
/// Every string is valid UTF-8; header values (names, subject, filenames,
/// Date) are single lines without control characters.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace listdex {

struct Address {
    std::string name;  ///< display name, RFC 2047-decoded; may be empty
    std::string email; ///< addr-spec; may be empty for malformed addresses
    /// "Name <email>", or just the email, or just the name.
    [[nodiscard]] std::string display() const;
};

/// Every address of @p list displayed (Address::display), ", " between them.
[[nodiscard]] std::string display_list(const std::vector<Address>& list);

struct Attachment {
    std::string filename;  ///< RFC 2231/2047-decoded; may be empty
    std::string mime_type; ///< lower case, e.g. "application/pdf"
    uint64_t size = 0;     ///< decoded size in bytes
    /// Position of the part in a depth-first walk of the MIME tree, starting
    /// at 1 (stable, used by the web frontend's download URLs).
    unsigned part = 0;
    /// Shown after the body, as lore shows patches and logs: text/* but
    /// HTML (its text is in ParsedMessage::attachment_texts).
    [[nodiscard]] bool shown_inline() const;
};

/// The text of a text attachment, decoded to UTF-8.
struct AttachmentText {
    unsigned part = 0; ///< Attachment::part
    std::string text;
};

struct ParsedMessage {
    std::string message_id;     ///< without <>; synthetic when the message has none
    bool synthetic_id = false;  ///< message_id was derived from the content
    std::vector<Address> from, to, cc;
    std::string subject;
    std::string date_header;      ///< the Date header as written (unfolded)
    std::optional<int64_t> date;  ///< from the Date header, when parseable and plausible
    /// From the first Received: header with a plausible date (rt:).
    std::optional<int64_t> received;
    std::string list_id;          ///< from List-Id, X-Mailing-List or Mailing-List
    std::vector<std::string> in_reply_to; ///< Message-IDs, without <>
    std::vector<std::string> references;  ///< Message-IDs, oldest first, without <>
    /// Readable body: chosen text parts, HTML turned into text, forwarded
    /// (message/rfc822) messages inline, format=flowed joined.
    std::string body;
    /// The same body with format=flowed soft line breaks as sent; empty
    /// when no part was format=flowed (then it equals body). The index
    /// reads this, as public-inbox and notmuch do: a patch in a flowed
    /// message is indexed (and its patch id computed) line for line.
    std::string body_as_sent;
    /// Each text attachment's text, in part order: indexed (a patch id per
    /// attachment, as public-inbox computes them) and shown after the body
    /// by the web server; 1 MiB in all at most.
    std::vector<AttachmentText> attachment_texts;
    std::vector<Attachment> attachments;
    /// public-inbox's number of every MIME object, by part number: entry
    /// `part - 1` is the number public-inbox gives part `part` in its URLs
    /// ("1" for a single-part message; a multipart's children "1", "2", ...;
    /// their children "2.1", "2.2"; a message/rfc822's message "2.1").
    std::vector<std::string> part_indexes;
    std::vector<std::string> mime_types; ///< every part's type, lower case, no duplicates
    /// What was wrong with the message, for the import report; empty when clean.
    std::vector<std::string> problems;
    uint64_t size = 0; ///< raw size in bytes
    /// The message had lost every line break and was rebuilt (see
    /// MessageRepair.hpp); the raw copy stays as found.
    bool recovered = false;
    /// Rebuilt from a page of an MHonArc web archive (MhonarcPage.hpp); the
    /// raw copy is the page as found.
    bool rebuilt_from_html = false;
    /// The body (or part of it) is text converted from an HTML part: the
    /// message had no plain-text alternative.
    bool body_from_html = false;

    [[nodiscard]] bool damaged() const { return !problems.empty(); }
};

} // namespace listdex
