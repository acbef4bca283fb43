#pragma once
/// @file Json.hpp
/// The JSON formats of listdex (documented in docs/json.md), shared by the
/// CLI and the web API so both print the same objects.

#include "listdex/index/Importer.hpp"
#include "listdex/index/IndexReader.hpp"
#include "listdex/mime/ParsedMessage.hpp"

#include <nlohmann/json.hpp>

namespace listdex {

/// How the effective date of a stored message was obtained.
[[nodiscard]] const char* date_source(uint32_t flags);

/// `listdex show --format json`: one message.
[[nodiscard]] nlohmann::ordered_json message_json(const StoredMessage& stored, const ParsedMessage& pm);

/// `listdex import --format json`: the import summary.
[[nodiscard]] nlohmann::ordered_json import_report_json(const ImportReport& report, const std::string& index_dir);

} // namespace listdex
