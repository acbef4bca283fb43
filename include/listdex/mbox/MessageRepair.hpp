// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file MessageRepair.hpp
/// Repairs of damage that archives commonly do to raw messages, on plain
/// text before any MIME parsing (the stored raw copy stays as found; the
/// repair is redone whenever the message is decoded):
/// - flattened messages: every line break lost, so the From_ line, all
///   header fields and the body sit on one line separated by spaces (web
///   scrapes, tools that fold white space);
/// - pipermail's address obfuscation, "user at example.com";
/// - header blocks as loose mail writes them: a byte-order mark in front,
///   white space before the first field or before a colon, no blank line
///   before the body.
/// See docs/reliability.md for what is recovered and what cannot be.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace listdex {

/// True when @p text starts with a header field name listdex knows,
/// followed by ':' and white space ("Subject: hi"). Known: every RFC 5322,
/// MIME and RFC 2369/2919 list field, common others (User-Agent,
/// Organization, ...) and any field of the X-, ARC-, DKIM-, List-,
/// Content-, Resent-, Original- and Thread- families.
[[nodiscard]] bool starts_with_known_field(std::string_view text);

/// True when @p raw is a flattened message: one line (a line break at the
/// very end at most) that starts with a known header field and holds at
/// least three. A real message always has a line break between its header
/// and its body, so no intact message is taken for a flattened one.
[[nodiscard]] bool is_flattened(std::string_view raw);

struct Unflattened {
    std::string bytes; ///< an RFC 822 message: header lines, blank line, body lines
    /// The header ended with a free-text field (Subject, X-...) and the body
    /// did not show where it starts, so the split is a guess.
    bool header_end_guessed = false;
};

/// Rebuilds a flattened message: header fields split at their names, each
/// value bounded by its grammar (addresses, dates, Message-IDs, MIME
/// parameters) or by the next field; a base64 body back on lines, a
/// quoted-printable body's soft line breaks restored, multipart bodies split
/// at their boundaries and each part rebuilt the same way. Line breaks of a
/// plain-text body cannot be known and stay lost. nullopt when @p raw is
/// not flattened.
[[nodiscard]] std::optional<Unflattened> unflatten(std::string_view raw);

/// @p raw with addresses written as "user at example.com" (pipermail)
/// turned back into "user@example.com" in the top-level address fields
/// (From, To, Cc, Reply-To, Sender); nullopt when there is none to restore.
[[nodiscard]] std::optional<std::string> restore_at_addresses(std::string_view raw);

/// A header block made whole, and what was wrong with it.
struct HeaderRepair {
    std::string bytes;
    std::vector<std::string> problems; ///< for the import report; empty when only obsolete syntax was modernised
};

/// @p raw with its header block made one any MIME parser reads whole: a
/// UTF-8 byte-order mark before it dropped; white space before the first
/// field removed; white space between a field name and its colon (RFC
/// 5322's obsolete syntax, "Subject : x") removed; and when a line that is
/// neither a field ("Name:" with RFC 5322 name characters, so an 8-bit byte
/// in a name ends the header), a continuation, nor blank comes before the
/// blank line, a blank line put before it: the body starts there, as
/// Python's email and mutt read it. nullopt when nothing needed repair.
[[nodiscard]] std::optional<HeaderRepair> repair_header_block(std::string_view raw);

/// The names of the fields of @p head's header block as
/// repair_header_block reads it, up to where the body starts (empty when
/// the first line is not a field). For content sniffing.
[[nodiscard]] std::vector<std::string_view> header_block_names(std::string_view head);

} // namespace listdex
