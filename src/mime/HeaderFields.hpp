// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file HeaderFields.hpp
/// Header fields of a parsed GMime object as ParsedMessage holds them:
/// addresses (names without an address kept), Message-ID lists, the list a
/// message came from, the date a server received it. Private to `mime`.

#include "listdex/mime/ParsedMessage.hpp"

#include <gmime/gmime.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace listdex {

/// Longest Message-ID kept (RFC 5322's line limit); longer ones are dropped.
constexpr size_t kMaxIdLength = 998;

/// Field @p name of @p obj, unfolded on one line; "" when absent.
[[nodiscard]] std::string header(GMimeObject* obj, const char* name);

/// A name with no address: a sender GMime finds no address in ("MAILER
/// DAEMON <>"), or a name alone as scraped archives leave it ("Jennifer
/// Herbert", a quoted "Marcus D. Leech" where an archive hid the address,
/// without the quoted string's quotes and escapes). The name is kept
/// (RFC 2047-decoded) with an empty address, so it is shown and
/// searchable; nullopt when nothing is left.
[[nodiscard]] std::optional<Address> name_alone(const std::string& value);

/// Appends the mailboxes of @p list (groups flattened, 8 levels at most) to
/// @p out. A mailbox GMime gives no domain and that is a quoted string,
/// several words or an encoded word is a name (name_alone); a lone word
/// ("root") stays a local address. @p list may be null.
void append_addresses(InternetAddressList* list, std::vector<Address>& out, int depth = 0);

/// The Message-IDs of an In-Reply-To or References value, without <>,
/// valid UTF-8, each at most kMaxIdLength.
[[nodiscard]] std::vector<std::string> parse_ids(GMimeParserOptions* opt, const std::string& value);

/// The date of the first Received: header that has a plausible one (the
/// receiving server's clock, after the last ';'), as public-inbox's rt:
/// reads it; nullopt when none has.
[[nodiscard]] std::optional<int64_t> received_date(GMimeObject* obj);

/// The list id from List-Id, else X-Mailing-List, else Mailing-List,
/// normalised (normalize_list_id); "" when there is none.
[[nodiscard]] std::string list_from_headers(GMimeObject* obj);

} // namespace listdex
