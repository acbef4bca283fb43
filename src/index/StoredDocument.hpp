#pragma once
/// @file StoredDocument.hpp
/// Reading listdex documents back (see Schema.hpp): shared by IndexReader
/// and the query layer, so the layout is decoded in one place.

#include "listdex/base/Error.hpp"
#include "listdex/index/IndexPaths.hpp"
#include "listdex/index/IndexReader.hpp"

#include <xapian.h>

#include <optional>
#include <string>

namespace listdex {

/// Checks the schema version recorded in DIR/listdex.conf before any
/// Xapian file is touched (the folder layout itself changes between
/// schemas). Fails with ExitCode::no_index naming both versions.
Result<void> check_index_schema(const IndexPaths& paths);

/// Opens the index's database for reading: fails with ExitCode::no_index
/// (with a hint) when there is no index or its schema is not ours.
Result<Xapian::Database> open_index_database(const IndexPaths& paths);

/// The effective date of a message document (UTC seconds).
[[nodiscard]] int64_t document_date(const Xapian::Document& doc);
/// The content hash of a message document ("" for ghosts).
[[nodiscard]] std::string document_hash(const Xapian::Document& doc);
/// "ID#1f2e3d4c": the key of one of several messages sharing Message-ID @p id.
[[nodiscard]] std::string shared_id_key(const std::string& id, const std::string& hash);

/// A message document as a StoredMessage (key = its Message-ID); nullopt
/// for ghosts and for documents whose data cannot be read.
[[nodiscard]] std::optional<StoredMessage> stored_message(const Xapian::Document& doc);
/// The error for a message document whose data cannot be read.
[[nodiscard]] Error unreadable_document(Xapian::docid id);

} // namespace listdex
