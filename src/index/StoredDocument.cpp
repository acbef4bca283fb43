// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "StoredDocument.hpp"

#include "DocData.hpp"
#include "ShardStub.hpp"
#include "XapianGuard.hpp"
#include "listdex/base/Hash.hpp"
#include "listdex/base/Text.hpp"
#include "listdex/index/Schema.hpp"
#include "listdex/mime/ParsedRecord.hpp"

#include <algorithm>
#include <fstream>

namespace listdex {

Result<IndexDatabase> IndexDatabase::open(const IndexPaths& paths)
{
    auto config = read_index_config(paths);
    if (!config)
        return std::unexpected(config.error());
    IndexDatabase index;
    index.paths_ = paths;
    index.config_ = std::move(*config);
    return guarded("opening index " + paths.root.string(), [&]() -> Result<IndexDatabase> {
        try {
            index.open_shards();
        } catch (const ForeignShard& e) {
            return fail(ExitCode::failure, e.what,
                        "each index numbers its threads itself: serve only shards copied from this index "
                        "(docs/architecture.md, Shards on several hosts)");
        }
        return std::move(index);
    });
}

namespace {

/// The databases of local shard @p n, oldest first, each opened, and the
/// generations its stub lists (into @p generations). Throws
/// Xapian::DatabaseOpeningError when its stub cannot be read (as Xapian
/// does when it reads a stub itself).
std::vector<Xapian::Database> open_local_shard(const IndexPaths& paths, unsigned n, std::vector<unsigned>& generations)
{
    auto read = read_shard_stub(paths, n);
    if (read && read->empty())
        throw Xapian::DatabaseNotFoundError(paths.shard(n).string() + ": no such shard");
    if (!read)
        throw Xapian::DatabaseOpeningError(read.error().message);
    std::vector<Xapian::Database> out;
    for (unsigned g : *read)
        out.emplace_back(paths.shard_generation(n, g).string(), Xapian::DB_BACKEND_GLASS);
    generations = std::move(*read);
    return out;
}

} // namespace

std::vector<Xapian::Database> IndexDatabase::shard_databases(unsigned n, Listing& listed) const
{
    const auto remote = config_.remote.find(n);
    if (remote == config_.remote.end()) {
        listed.taken_ns = wall_clock_ns();
        listed.stamp = stub_stamp(paths_, n);
        return open_local_shard(paths_, n, listed.generations);
    }
    std::vector<Xapian::Database> one;
    one.push_back(Xapian::Remote::open(remote->second.host, remote->second.port));
    return one;
}

Xapian::Database IndexDatabase::open_shard(unsigned n) const
{
    Xapian::Database shard;
    for (auto& database : open_shard_databases(n))
        shard.add_database(database);
    return shard;
}

std::vector<Xapian::Database> IndexDatabase::open_shard_databases(unsigned n) const
{
    Listing listed;
    return shard_databases(n, listed);
}

void IndexDatabase::open_shards()
{
    Xapian::Database db;
    std::vector<Xapian::Database> shards, databases;
    std::vector<unsigned> shard_of_database;
    std::vector<Xapian::docid> first_database, databases_of_shard;
    std::vector<Listing> listed(config_.shards);
    for (unsigned n = 0; n < config_.shards; ++n) {
        const auto remote = config_.remote.find(n);
        std::vector<Xapian::Database> own = shard_databases(n, listed[n]);
        Xapian::Database shard;
        for (auto& database : own)
            shard.add_database(database);
        // Thread ids, aliases and list counts are per index: a shard of
        // another index would merge unrelated threads without a word.
        const std::string id = shard.get_metadata(std::string(schema::kIndexIdKey));
        if (!config_.owns(id))
            throw ForeignShard{"shard " + std::to_string(n) +
                               (remote != config_.remote.end()
                                    ? " (tcp://" + remote->second.host + ":" + std::to_string(remote->second.port) + ")"
                                    : " (" + paths_.shard(n).string() + ")") +
                               " belongs to index " + id + ", not to " + paths_.root.string() + " (index " +
                               config_.id + ")"};
        first_database.push_back(static_cast<Xapian::docid>(databases.size()));
        databases_of_shard.push_back(static_cast<Xapian::docid>(own.size()));
        for (auto& database : own) {
            db.add_database(database);
            shard_of_database.push_back(n);
            databases.push_back(std::move(database));
        }
        shards.push_back(std::move(shard));
    }
    db_ = std::move(db);
    shards_ = std::move(shards);
    databases_ = std::move(databases);
    shard_of_database_ = std::move(shard_of_database);
    first_database_ = std::move(first_database);
    databases_of_shard_ = std::move(databases_of_shard);
    listed_ = std::move(listed);
    versions_ = {};
}

IndexDatabase::Versions IndexDatabase::version_stamps() const
{
    Versions out;
    out.taken_ns = wall_clock_ns();
    for (unsigned n = 0; n < listed_.size(); ++n) {
        if (config_.remote.contains(n)) {
            out.stamps.emplace_back();
            continue;
        }
        for (unsigned g : listed_[n].generations)
            out.stamps.push_back(file_stamp(paths_.shard_generation(n, g) / "iamglass"));
    }
    return out;
}

bool IndexDatabase::Versions::settled() const
{
    return !stamps.empty() && std::ranges::all_of(stamps, [&](const std::optional<FileStamp>& s) {
        return s && s->settled(taken_ns);
    });
}

std::optional<std::string> IndexDatabase::shard_revisions() const
{
    if (!config_.remote.empty())
        return std::nullopt;
    // A compaction starts a new database at revision 1 again: its UUID
    // tells it from the one it replaced.
    std::string out;
    for (const auto& database : databases_)
        out += (out.empty() ? "" : " ") + database.get_uuid() + ":" + std::to_string(database.get_revision());
    return out;
}

std::optional<std::vector<std::pair<std::string, Xapian::docid>>> IndexDatabase::shard_ends() const
{
    if (!config_.remote.empty())
        return std::nullopt;
    std::vector<std::pair<std::string, Xapian::docid>> out;
    for (size_t n = 0; n < shards_.size(); ++n) {
        std::string uuids;
        for (Xapian::docid i = 0; i < databases_of_shard_[n]; ++i)
            uuids += (i ? ":" : "") + databases_[first_database_[n] + i].get_uuid();
        out.emplace_back(std::move(uuids), shards_[n].get_lastdocid());
    }
    return out;
}

void IndexDatabase::refresh(bool always_reopen)
{
    auto reopen_all = [&] {
        try {
            open_shards();
        } catch (const ForeignShard& e) { // as the callers' Xapian error mapping knows it
            throw Xapian::DatabaseOpeningError(e.what);
        }
    };
    // A writer that starts a database or compacts rewrites the stub: a
    // reopen() would keep reading the databases it has open, and miss a new
    // one. The web refreshes on every request, so a stub is read again only
    // when its stamp changed (one stat per shard).
    for (unsigned n = 0; n < listed_.size(); ++n) {
        if (config_.remote.contains(n))
            continue;
        const int64_t taken = wall_clock_ns();
        auto stamp = stub_stamp(paths_, n);
        if (stamp && stamp == listed_[n].stamp && stamp->settled(listed_[n].taken_ns))
            continue;
        if (auto now = read_shard_stub(paths_, n); !now || *now != listed_[n].generations) {
            reopen_all();
            return;
        }
        listed_[n].stamp = stamp; // rewritten with the same list, or not settled when last read
        listed_[n].taken_ns = taken;
    }
    // Xapian's reopen() reads every database's version file again (an open,
    // two reads and a close each): on a web page over two shards of two
    // databases, read by two readers, that was an eighth of the page's CPU.
    // Glass replaces the version file at every commit, so stamps equal to
    // those a reopen found, and settled then, say no commit came since.
    // Taken before the reopen: a commit in between changes them, and the
    // next refresh reopens again.
    Versions now = version_stamps();
    if (!always_reopen && versions_.settled() && now.stamps == versions_.stamps)
        return;
    try {
        db_.reopen();
    } catch (const Xapian::DatabaseOpeningError&) {
        reopen_all();
        return;
    }
    versions_ = std::move(now);
}

Result<std::string> PackReaders::get(unsigned shard, RawRef ref)
{
    auto& reader = open_[shard];
    if (!reader) {
        // Raw copies are read only as far as the message (read_raw_copy
        // verifies each against its content hash); texts and records whole,
        // their blocks' checksums verified.
        auto r = kind_ == Kind::raw ? RawStoreReader::open(paths_.raw(shard), RawStoreReader::Decode::prefix)
                                    : RawStoreReader::open(kind_ == Kind::text ? paths_.text(shard) : paths_.parsed(shard));
        if (!r)
            return std::unexpected(r.error());
        reader = std::move(*r);
    }
    return reader->get(ref);
}

Result<std::string> read_raw_copy(PackReaders& raw, const StoredMessage& m)
{
    auto bytes = raw.get(m.shard, m.ref);
    if (bytes && message_hash(*bytes) != m.hash)
        return fail(ExitCode::failure, "the raw copy of <" + m.message_id + "> does not match its content hash",
                    "the index is damaged: listdex check names every such message");
    return bytes;
}

std::optional<ParsedMessage> stored_parse(PackReaders& parsed, const StoredMessage& m)
{
    if (!m.parsed)
        return std::nullopt;
    auto bytes = parsed.get(m.shard, *m.parsed);
    return bytes ? decode_parsed_record(*bytes) : std::nullopt;
}

int64_t document_date(const Xapian::Document& doc)
{
    return static_cast<int64_t>(Xapian::sortable_unserialise(doc.get_value(schema::Slot::date)));
}

DocSummary summary_from_values(const Xapian::Document& doc)
{
    return {doc.get_value(schema::Slot::message_id), document_hash(doc), doc.get_value(schema::Slot::from),
            doc.get_value(schema::Slot::subject), document_date(doc)};
}

DocSummary document_summary(const Xapian::Document& doc, const DocData& data)
{
    return data.summary ? *data.summary : summary_from_values(doc);
}

DocSummary document_summary(const Xapian::Document& doc)
{
    const auto data = DocData::decode(doc.get_data());
    return data ? document_summary(doc, *data) : summary_from_values(doc);
}

std::string document_hash(const Xapian::Document& doc)
{
    return doc.get_value(schema::Slot::hash);
}

std::vector<std::string> document_lists(const Xapian::Document& doc)
{
    return list_ids(doc.get_value(schema::Slot::list));
}

std::vector<std::string> list_ids(std::string_view value)
{
    std::vector<std::string> out;
    for (auto l : split(value, ' '))
        if (!l.empty())
            out.emplace_back(l);
    return out;
}

std::string shared_id_key(const std::string& id, const std::string& hash)
{
    return id + "#" + hash.substr(0, 8);
}

std::vector<std::string> document_tags(const Xapian::Document& doc)
{
    const std::string prefix(schema::prefix::tag);
    std::vector<std::string> tags;
    auto t = doc.termlist_begin();
    for (t.skip_to(prefix); t != doc.termlist_end() && (*t).starts_with(prefix); ++t)
        tags.push_back((*t).substr(prefix.size()));
    return tags;
}

std::optional<StoredMessage> stored_message(const IndexDatabase& index, Xapian::docid id, const Xapian::Document& doc)
{
    auto data = DocData::decode(doc.get_data());
    if (!data)
        return std::nullopt;
    DocSummary summary = document_summary(doc, *data);
    StoredMessage m;
    m.message_id = std::move(summary.message_id);
    m.key = m.message_id;
    m.hash = std::move(summary.hash);
    m.date = summary.date;
    m.flags = data->flags;
    m.lists = document_lists(doc);
    m.ref = data->ref;
    m.parsed = data->parsed;
    m.shard = index.shard_of(id);
    m.document = id;
    return m;
}

Error unreadable_document(Xapian::docid id)
{
    return Error{ExitCode::failure, "document " + std::to_string(id) + " has unreadable data",
                 "the index may be damaged; re-import into a new index"};
}

Result<std::vector<StoredMessage>> find_messages(IndexDatabase& index, std::string_view raw_id)
{
    const std::string id = normalize_message_id(raw_id);
    if (id.empty())
        return fail(ExitCode::usage, "empty Message-ID");
    const std::string id_prefix(schema::prefix::message_id);

    auto lookup = [&](const std::string& mid) -> Result<std::vector<StoredMessage>> {
        return guarded_read(index, "reading index", [&]() -> Result<std::vector<StoredMessage>> {
            std::vector<StoredMessage> out;
            const std::string term = schema::term(id_prefix, mid);
            Xapian::Database& db = index.db();
            for (auto it = db.postlist_begin(term); it != db.postlist_end(term); ++it) {
                // In the posting list, so there: not looked up to check.
                Xapian::Document doc = db.get_document(*it, Xapian::DOC_ASSUME_VALID);
                if (doc.get_data() == schema::kGhostData)
                    continue; // a placeholder, not a message
                auto m = stored_message(index, *it, doc);
                if (!m)
                    return std::unexpected(unreadable_document(*it));
                m->tags = document_tags(doc); // find() serves show: the reader sees them
                out.push_back(std::move(*m));
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
            m.key = shared_id_key(m.message_id, m.hash);
    if (!hash_prefix.empty())
        std::erase_if(*found, [&](const StoredMessage& m) { return !m.hash.starts_with(hash_prefix); });
    if (found->empty())
        return fail(ExitCode::not_found, "no message with Message-ID <" + id + "> in " + index.paths().root.string());
    return found;
}

} // namespace listdex
