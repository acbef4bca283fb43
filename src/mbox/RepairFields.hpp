// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file RepairFields.hpp
/// The header field names the repairs know (MessageRepair.hpp) and the
/// small text scanning they share. Private to the mbox layer.

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace listdex::repair {

inline constexpr size_t npos = std::string_view::npos;

/// How far a field's value reaches when nothing marks its end but grammar.
enum class Grammar {
    unstructured, ///< free text: up to the next field name
    ids,          ///< <id> <id> ... (Message-ID, References, List-Archive ...)
    angle,        ///< phrase <x> (List-Id)
    addresses,    ///< address list
    date,         ///< RFC 5322 date
    token,        ///< one word and an optional comment (MIME-Version: 1.0)
    params,       ///< type/subtype; a=b; c="d e" (Content-Type, -Disposition)
    languages,    ///< en-US, de (Content-Language)
    received,     ///< anything; date (Received)
};

struct KnownField {
    std::string_view name; ///< lower case
    Grammar grammar;
};

// Sorted by name for binary search. Fields of the families in field_at()
// (X-..., ARC-..., DKIM-..., List-..., Content-...) are known as well,
// unstructured unless listed.
constexpr std::array kKnownFields = std::to_array<KnownField>({
    {"accept-language", Grammar::languages},
    {"approved", Grammar::addresses},
    {"arc-authentication-results", Grammar::unstructured},
    {"arc-message-signature", Grammar::unstructured},
    {"arc-seal", Grammar::unstructured},
    {"archived-at", Grammar::ids},
    {"authentication-results", Grammar::unstructured},
    {"auto-submitted", Grammar::token},
    {"autocrypt", Grammar::unstructured},
    {"bcc", Grammar::addresses},
    {"cc", Grammar::addresses},
    {"comments", Grammar::unstructured},
    {"content-base", Grammar::unstructured},
    {"content-description", Grammar::unstructured},
    {"content-disposition", Grammar::params},
    {"content-id", Grammar::ids},
    {"content-language", Grammar::languages},
    {"content-length", Grammar::token},
    {"content-location", Grammar::unstructured},
    {"content-md5", Grammar::token},
    {"content-transfer-encoding", Grammar::token},
    {"content-type", Grammar::params},
    {"date", Grammar::date},
    {"delivered-to", Grammar::addresses},
    {"disposition-notification-to", Grammar::addresses},
    {"dkim-signature", Grammar::unstructured},
    {"domainkey-signature", Grammar::unstructured},
    {"envelope-to", Grammar::addresses},
    {"errors-to", Grammar::addresses},
    {"face", Grammar::unstructured},
    {"feedback-id", Grammar::unstructured},
    {"followup-to", Grammar::unstructured},
    {"from", Grammar::addresses},
    {"importance", Grammar::token},
    {"in-reply-to", Grammar::ids},
    {"keywords", Grammar::unstructured},
    {"lines", Grammar::token},
    {"list-archive", Grammar::ids},
    {"list-help", Grammar::ids},
    {"list-id", Grammar::angle},
    {"list-owner", Grammar::ids},
    {"list-post", Grammar::ids},
    {"list-subscribe", Grammar::ids},
    {"list-unsubscribe", Grammar::ids},
    {"list-unsubscribe-post", Grammar::unstructured},
    {"mail-copies-to", Grammar::addresses},
    {"mail-followup-to", Grammar::addresses},
    {"mail-reply-to", Grammar::addresses},
    {"mailing-list", Grammar::unstructured},
    {"message-id", Grammar::ids},
    {"mime-version", Grammar::token},
    {"newsgroups", Grammar::unstructured},
    {"openpgp", Grammar::unstructured},
    {"organisation", Grammar::unstructured},
    {"organization", Grammar::unstructured},
    {"precedence", Grammar::token},
    {"priority", Grammar::token},
    {"received", Grammar::received},
    {"received-spf", Grammar::unstructured},
    {"references", Grammar::ids},
    {"reply-to", Grammar::addresses},
    {"resent-bcc", Grammar::addresses},
    {"resent-cc", Grammar::addresses},
    {"resent-date", Grammar::date},
    {"resent-from", Grammar::addresses},
    {"resent-message-id", Grammar::ids},
    {"resent-sender", Grammar::addresses},
    {"resent-to", Grammar::addresses},
    {"return-path", Grammar::addresses},
    {"return-receipt-to", Grammar::addresses},
    {"sender", Grammar::addresses},
    {"sensitivity", Grammar::token},
    {"status", Grammar::token},
    {"subject", Grammar::unstructured},
    {"thread-index", Grammar::unstructured},
    {"thread-topic", Grammar::unstructured},
    {"to", Grammar::addresses},
    {"user-agent", Grammar::unstructured},
    {"x-beenthere", Grammar::addresses},
    {"x-mailing-list", Grammar::addresses},
    {"x-mailman-version", Grammar::token},
    {"x-original-from", Grammar::addresses},
    {"x-original-sender", Grammar::addresses},
    {"x-original-to", Grammar::addresses},
    {"x-priority", Grammar::token},
    {"x-received", Grammar::received},
});

static_assert(std::ranges::is_sorted(kKnownFields, {}, &KnownField::name));

[[nodiscard]] bool is_space(char c);
[[nodiscard]] size_t skip_space(std::string_view s, size_t i);
[[nodiscard]] size_t token_end(std::string_view s, size_t i);
/// The field whose name is the token at @p i ("Subject:"), if known.
[[nodiscard]] std::optional<Grammar> field_at(std::string_view s, size_t i);
/// Start of the next token at or after @p i that is a known field name.
[[nodiscard]] size_t next_field(std::string_view s, size_t i);
/// MIME parameter @p name (lower case) of header value @p value
/// ("multipart/mixed; boundary=\"b1\"" -> "b1"); "" when absent.
[[nodiscard]] std::string param(std::string_view value, std::string_view name);
/// A word with a dot inside ("example.com").
[[nodiscard]] bool has_dot_word(std::string_view w);

} // namespace listdex::repair
