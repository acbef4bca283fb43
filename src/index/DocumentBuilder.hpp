// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file DocumentBuilder.hpp
/// Turns a ParsedMessage into a Xapian::Document following Schema.hpp.
/// One builder per thread (TermGenerator is not thread-safe); documents are
/// independent of any database, so parse workers build them in parallel and
/// the single writer only adds them.

#include "listdex/mime/ParsedMessage.hpp"
#include "listdex/thread/Threader.hpp"

#include <xapian.h>

namespace listdex {

/// What the builder makes of one message.
struct BuiltDocument {
    Xapian::Document doc;     ///< everything except what only the writer knows (date value, data)
    std::string snippet_text; ///< the text snippets are cut from (see snippet_text())
    std::string same_key;     ///< same_message_key(); "" when it has none
    SubjectKey subject;       ///< for subject threading
};

/// What makes two copies the same message (a cross-post, the same mail in
/// two archives): the same Message-ID, Date and first sender address. Empty
/// when the message lacks one of them (its id is synthetic, or it has no
/// usable Date or sender): such copies are only merged when byte-equal.
[[nodiscard]] std::string same_message_key(const ParsedMessage& pm);

/// The text kept for snippets: the message's own lines (quoted lines repeat
/// other messages, and phrases never match in them), or the whole body when
/// it has no own words; cut at schema::kMaxStoredText on a line or UTF-8
/// boundary. Short texts keep snippets cheap at query time.
[[nodiscard]] std::string snippet_text(std::string_view own, std::string_view body);

class DocumentBuilder {
public:
    DocumentBuilder();
    [[nodiscard]] BuiltDocument build(const ParsedMessage& pm, const std::string& hash);

private:
    /// Indexes a body or text attachments: quoted runs under the quoted
    /// prefix, diffs split into the diff fields, the rest as own text, and
    /// the patch id.
    void index_text_parts(Xapian::Document& doc, std::string_view text);

    Xapian::TermGenerator tg_;
};

} // namespace listdex
