// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file Reading.hpp
/// Messages as a reader sees them in the terminal: `show` (one message with
/// its whole header), and threads with bodies (`thread`, `show QUERY`):
/// each message with a short header, its decoded body, its text attachments
/// and its attachment list, indented by its depth (capped). Bodies are
/// never wrapped or cut: a patch stays a patch.

#include "Terminal.hpp"

#include "listdex/index/IndexReader.hpp"
#include "listdex/query/Searcher.hpp"

#include <functional>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <vector>

namespace listdex::cli {

/// An attachment MHonArc saved as a file beside its page: the index holds
/// its name, not its bytes.
[[nodiscard]] bool beside_the_page(const ParsedMessage& pm, const Attachment& a);

/// `listdex show`: the whole header, the body, text attachments, the list
/// of attachments.
void print_message(std::ostream& out, const StoredMessage& m, const ParsedMessage& pm, const Colours& colours);

/// Indentation stops growing at this depth; deeper messages say their depth.
inline constexpr size_t kMaxIndentDepth = 6;

/// Decodes a stored message (IndexReader::parse, or a stored record).
using DecodeMessage = std::function<Result<ParsedMessage>(const StoredMessage&)>;

/// How the messages of @p wanted get decoded for printing.
/// listdex-mime: IndexReader::parse, the stored decodings, else the raw
/// copies parsed with GMime. listdex, which links no GMime: the stored
/// decodings (ParsedRecord.hpp) of @p wanted, all read now; std::nullopt
/// when one of them has none this binary can read: the caller then hands
/// the whole command to the helper (run_mime_helper) before printing
/// anything. Decoding a message outside @p wanted is an error there.
/// Fails when the index cannot be opened.
Result<std::optional<DecodeMessage>> reading_decoder(const IndexPaths& paths, Searcher& searcher,
                                                     const std::vector<StoredMessage>& wanted);

/// Prints the messages of @p view in tree order with bodies, decoded by
/// @p decode. @p only: keys of the messages to print (others are skipped,
/// placeholders too); empty: the whole thread. Fails on the first message
/// that cannot be read.
Result<void> print_thread_bodies(std::ostream& out, const DecodeMessage& decode, const ThreadView& view,
                                 const std::set<std::string>& only, const Colours& colours);

} // namespace listdex::cli
