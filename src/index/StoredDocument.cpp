#include "StoredDocument.hpp"

#include "DocData.hpp"
#include "XapianGuard.hpp"
#include "listdex/base/Text.hpp"
#include "listdex/index/Schema.hpp"

#include <fstream>

namespace listdex {

namespace {
Error schema_mismatch(const IndexPaths& paths, const std::string& found)
{
    return Error{ExitCode::no_index,
                 paths.root.string() + ": index schema " + found + ", this listdex reads schema " +
                     std::to_string(schema::kSchemaVersion),
                 "import the archives into a new index folder"};
}
} // namespace

Result<void> check_index_schema(const IndexPaths& paths)
{
    std::ifstream in(paths.config());
    for (std::string line; std::getline(in, line);) {
        if (!line.starts_with("schema"))
            continue;
        const size_t eq = line.find('=');
        const std::string version = eq == std::string::npos ? "" : std::string(trim(line.substr(eq + 1)));
        if (version != std::to_string(schema::kSchemaVersion))
            return std::unexpected(schema_mismatch(paths, version));
        return {};
    }
    return std::unexpected(schema_mismatch(paths, "unknown"));
}

Result<Xapian::Database> open_index_database(const IndexPaths& paths)
{
    if (!paths.exists())
        return fail(ExitCode::no_index, "no listdex index at " + paths.root.string(),
                    "import an archive first (listdex import FILE), or name the index with --index DIR "
                    "or $LISTDEX_INDEX");
    if (auto r = check_index_schema(paths); !r)
        return std::unexpected(r.error());
    return guarded("opening index " + paths.root.string(), [&]() -> Result<Xapian::Database> {
        Xapian::Database db(paths.shard(0).string());
        const std::string version = db.get_metadata(std::string(schema::kSchemaKey));
        if (!version.empty() && version != std::to_string(schema::kSchemaVersion))
            return std::unexpected(schema_mismatch(paths, version));
        return db;
    });
}

int64_t document_date(const Xapian::Document& doc)
{
    return static_cast<int64_t>(Xapian::sortable_unserialise(doc.get_value(schema::Slot::date)));
}

std::string document_hash(const Xapian::Document& doc)
{
    auto t = doc.termlist_begin();
    t.skip_to(std::string(schema::kHashPrefix));
    if (t != doc.termlist_end() && (*t).starts_with(schema::kHashPrefix))
        return (*t).substr(schema::kHashPrefix.size());
    return {};
}

std::string shared_id_key(const std::string& id, const std::string& hash)
{
    return id + "#" + hash.substr(0, 8);
}

std::optional<StoredMessage> stored_message(const Xapian::Document& doc)
{
    auto data = DocData::decode(doc.get_data());
    if (!data)
        return std::nullopt;
    StoredMessage m;
    m.message_id = doc.get_value(schema::Slot::message_id);
    m.key = m.message_id;
    m.hash = document_hash(doc);
    m.date = document_date(doc);
    m.flags = data->flags;
    m.ref = data->ref;
    return m;
}

Error unreadable_document(Xapian::docid id)
{
    return Error{ExitCode::failure, "document " + std::to_string(id) + " has unreadable data",
                 "the index may be damaged; re-import into a new index"};
}

} // namespace listdex
