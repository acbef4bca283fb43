#include "listdex/index/IndexReader.hpp"

#include "DocData.hpp"
#include "XapianGuard.hpp"
#include "listdex/base/Text.hpp"
#include "listdex/index/Schema.hpp"
#include "listdex/mime/MimeParser.hpp"

#include <xapian.h>

#include <algorithm>

namespace listdex {

struct IndexReader::Impl {
    IndexPaths paths;
    Xapian::Database db;
    std::unique_ptr<RawStoreReader> raw;
    std::unique_ptr<MimeParser> mime;

};

IndexReader::IndexReader() : impl_(std::make_unique<Impl>()) {}
IndexReader::~IndexReader() = default;

Result<std::unique_ptr<IndexReader>> IndexReader::open(const IndexPaths& paths)
{
    if (!paths.exists())
        return fail(ExitCode::no_index, "no listdex index at " + paths.root.string(),
                    "import an archive first (listdex import FILE), or name the index with --index DIR "
                    "or $LISTDEX_INDEX");
    std::unique_ptr<IndexReader> r(new IndexReader());
    r->impl_->paths = paths;
    auto opened = guarded("opening index " + paths.root.string(), [&]() -> Result<void> {
        r->impl_->db = Xapian::Database(paths.shard(0).string());
        const std::string version = r->impl_->db.get_metadata(std::string(schema::kSchemaKey));
        if (!version.empty() && version != std::to_string(schema::kSchemaVersion))
            return fail(ExitCode::no_index,
                        paths.root.string() + ": index schema " + version + ", this listdex reads schema " +
                            std::to_string(schema::kSchemaVersion),
                        "import the archives into a new index folder");
        return {};
    });
    if (!opened)
        return std::unexpected(opened.error());
    return r;
}

Result<uint64_t> IndexReader::message_count()
{
    return guarded_read(impl_->db, impl_->paths.shard(0).string(), "reading index", [&]() -> Result<uint64_t> {
        refresh(impl_->db, impl_->paths.shard(0).string());
        return impl_->db.get_termfreq(std::string(schema::kKindMail));
    });
}

Result<std::vector<StoredMessage>> IndexReader::find(std::string_view raw_id)
{
    const std::string id = normalize_message_id(raw_id);
    if (id.empty())
        return fail(ExitCode::usage, "empty Message-ID");
    const std::string id_prefix(schema::field("id")->prefix);

    auto lookup = [&](const std::string& mid) -> Result<std::vector<StoredMessage>> {
        return guarded_read(impl_->db, impl_->paths.shard(0).string(), "reading index", [&]() -> Result<std::vector<StoredMessage>> {
            std::vector<StoredMessage> out;
            const std::string term = schema::term(id_prefix, mid);
            for (auto it = impl_->db.postlist_begin(term); it != impl_->db.postlist_end(term); ++it) {
                Xapian::Document doc = impl_->db.get_document(*it);
                if (doc.get_data() == schema::kGhostData)
                    continue; // a placeholder, not a message
                auto data = DocData::decode(doc.get_data());
                if (!data)
                    return fail(ExitCode::failure, "document " + std::to_string(*it) + " has unreadable data",
                                "the index may be damaged; re-import into a new index");
                StoredMessage m;
                m.message_id = doc.get_value(schema::Slot::message_id);
                m.key = m.message_id;
                m.date = static_cast<int64_t>(Xapian::sortable_unserialise(doc.get_value(schema::Slot::date)));
                m.flags = data->flags;
                m.ref = data->ref;
                auto t = doc.termlist_begin();
                t.skip_to(std::string(schema::kHashPrefix));
                if (t != doc.termlist_end() && (*t).starts_with(schema::kHashPrefix))
                    m.hash = (*t).substr(schema::kHashPrefix.size());
                out.push_back(std::move(m));
            }
            return out;
        });
    };

    auto found = lookup(id);
    if (!found)
        return found;
    std::string hash_prefix;
    if (found->empty()) {
        // "a@b#1f2e3d4c": one of several messages sharing a Message-ID.
        const size_t hash = id.rfind('#');
        if (hash != std::string::npos && hash + 5 <= id.size()) {
            hash_prefix = ascii_lower(id.substr(hash + 1));
            found = lookup(id.substr(0, hash));
            if (!found)
                return found;
        }
    }
    std::sort(found->begin(), found->end(), [](const StoredMessage& a, const StoredMessage& b) {
        return a.date != b.date ? a.date < b.date : a.hash < b.hash;
    });
    if (found->size() > 1)
        for (auto& m : *found)
            m.key = m.message_id + "#" + m.hash.substr(0, 8);
    if (!hash_prefix.empty())
        std::erase_if(*found, [&](const StoredMessage& m) { return !m.hash.starts_with(hash_prefix); });
    if (found->empty())
        return fail(ExitCode::not_found, "no message with Message-ID <" + id + "> in " + impl_->paths.root.string());
    return found;
}

Result<std::string> IndexReader::raw(const StoredMessage& m)
{
    if (!impl_->raw) {
        auto r = RawStoreReader::open(impl_->paths.raw(m.shard));
        if (!r)
            return std::unexpected(r.error());
        impl_->raw = std::move(*r);
    }
    return impl_->raw->get(m.ref);
}

Result<ParsedMessage> IndexReader::parse(const StoredMessage& m)
{
    auto bytes = raw(m);
    if (!bytes)
        return std::unexpected(bytes.error());
    if (!impl_->mime)
        impl_->mime = std::make_unique<MimeParser>();
    return impl_->mime->parse(*bytes);
}

} // namespace listdex
