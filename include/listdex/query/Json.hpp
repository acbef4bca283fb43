// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file Json.hpp
/// The JSON formats of listdex (documented in docs/json.md), shared by the
/// CLI and the web API so both print the same objects.

#include "listdex/index/Importer.hpp"
#include "listdex/index/IndexReader.hpp"
#include "listdex/mime/ParsedMessage.hpp"
#include "listdex/query/Searcher.hpp"

#include <nlohmann/json.hpp>

namespace listdex {

/// How the effective date of a stored message was obtained.
[[nodiscard]] const char* date_source(uint32_t flags);

/// `listdex show --format json`: one message.
/// @p with_tags adds the reader's tags ("tags"): the CLI's, not the web's.
[[nodiscard]] nlohmann::ordered_json message_json(const StoredMessage& stored, const ParsedMessage& pm,
                                                  bool with_tags = false);

/// `listdex search --output messages --format json`: one element.
[[nodiscard]] nlohmann::ordered_json message_hit_json(const MessageHit& h);
/// `listdex search --output threads --format json`: one element.
[[nodiscard]] nlohmann::ordered_json thread_hit_json(const ThreadHit& h);
/// `listdex thread --format json`: the whole tree.
[[nodiscard]] nlohmann::ordered_json thread_view_json(const ThreadView& v);

/// `listdex count --format json`: {"query", "output", "count", "exact": true}.
[[nodiscard]] nlohmann::ordered_json count_json(const std::string& query, const std::string& output, uint64_t count);

/// `listdex lists --format json`: every list.
[[nodiscard]] nlohmann::ordered_json lists_json(const std::vector<ListSummary>& lists);
/// `listdex import --format json`: the import summary.
[[nodiscard]] nlohmann::ordered_json import_report_json(const ImportReport& report, const std::string& index_dir);

} // namespace listdex
