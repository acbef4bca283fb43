// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file StoredDocument.hpp
/// Reading listdex documents back (see Schema.hpp): shared by IndexReader
/// and the query layer, so the layout is decoded in one place.

#include "DocData.hpp"
#include "IndexConfig.hpp"
#include "ShardStub.hpp"
#include "XapianGuard.hpp"
#include "listdex/base/Error.hpp"
#include "listdex/index/IndexPaths.hpp"
#include "listdex/index/IndexReader.hpp"

#include <xapian.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace listdex {

/// The index's shards opened as one Xapian database for reading: local
/// shards through their stubs (ShardStub.hpp; one or more databases each),
/// remote ones (listdex.conf `shard.N = tcp://HOST:PORT`) through
/// xapian-tcpsrv (one database each, as the client sees it). Xapian
/// interleaves the document ids of all those databases: id d of the whole
/// lives in database (d - 1) % databases, and a shard's own handle
/// interleaves the ids of its databases the same way.
class IndexDatabase {
public:
    /// Fails with ExitCode::no_index (with a hint) when there is no index
    /// or its schema is not ours, with ExitCode::failure when a shard
    /// belongs to another index (listdex.conf's id).
    static Result<IndexDatabase> open(const IndexPaths& paths);

    Xapian::Database& db() { return db_; }
    [[nodiscard]] const IndexPaths& paths() const { return paths_; }
    /// The shard holding document @p d of db().
    [[nodiscard]] unsigned shard_of(Xapian::docid d) const { return shard_of_database_[(d - 1) % databases()]; }
    /// The shard holding @p list's messages in an index placed by list
    /// (IndexConfig::list_home), else nullopt.
    [[nodiscard]] std::optional<unsigned> list_shard(std::string_view list) const { return config_.list_home(list); }
    /// True when a shard is read through xapian-tcpsrv, which runs only
    /// Xapian's own match spies.
    [[nodiscard]] bool has_remote_shards() const { return !config_.remote.empty(); }
    /// How many shards the index has.
    [[nodiscard]] unsigned shard_count() const { return static_cast<unsigned>(shards_.size()); }
    /// Shard @p n alone (local, or through its xapian-tcpsrv), a database of
    /// its own: for reading shards from several threads. Its document ids
    /// are those of shard(n). Throws Xapian errors.
    [[nodiscard]] Xapian::Database open_shard(unsigned n) const;
    /// The databases of shard @p n (or its one xapian-tcpsrv), each opened
    /// on its own, for reading from several threads; document ids are each
    /// database's own. Throws Xapian errors.
    [[nodiscard]] std::vector<Xapian::Database> open_shard_databases(unsigned n) const;
    /// The databases of db(), each as a database of its own (sharing db()'s
    /// open tables), in db()'s order; document ids are each database's own.
    [[nodiscard]] const std::vector<Xapian::Database>& member_databases() const { return databases_; }
    /// Document @p local of shard @p n (an id of shard(n) or open_shard(n))
    /// as a document id of db().
    [[nodiscard]] Xapian::docid whole_docid(unsigned n, Xapian::docid local) const
    {
        const Xapian::docid k = databases_of_shard_.at(n), i = (local - 1) % k;
        return (local - 1) / k * databases() + first_database_.at(n) + i + 1;
    }
    /// Brings every shard to its latest commit. When a shard's stub lists
    /// other databases than those open (a compaction, or a new database
    /// started), which reopen() cannot follow, the shards are opened afresh.
    /// Xapian's reopen() is skipped while no database's version file
    /// changed, unless @p always_reopen (after Xapian said the revision
    /// read is gone: then whatever the files say).
    void refresh(bool always_reopen = false);
    /// Each local shard's Xapian database UUID and revision as this reader
    /// has it open ("UUID:REV ..."): every commit raises the revision and a
    /// compaction makes a new database, so it changes with any change of
    /// the index. nullopt when a shard is remote (xapian-tcpsrv tells no
    /// revision). Cheap: no table is read. Throws Xapian errors.
    [[nodiscard]] std::optional<std::string> shard_revisions() const;
    /// Each local shard's Xapian database UUIDs and last document number
    /// (of shard(n)), in shard order: documents added since have higher
    /// numbers, unless the UUIDs changed (a compaction, or another list of
    /// databases). nullopt when a shard is remote.
    [[nodiscard]] std::optional<std::vector<std::pair<std::string, Xapian::docid>>> shard_ends() const;
    /// Shard @p n as db() holds it open (refresh() moves it too).
    [[nodiscard]] const Xapian::Database& shard(unsigned n) const { return shards_.at(n); }

private:
    /// Thrown by open_shards: a shard records another index's id.
    struct ForeignShard {
        std::string what;
    };
    /// What a local shard's stub listed when it was opened, and the stub's
    /// stamp, taken before it was read (so a rewrite in between makes the
    /// next refresh() read it again, never miss it), at taken_ns.
    struct Listing {
        std::vector<unsigned> generations;
        std::optional<FileStamp> stamp;
        int64_t taken_ns = 0;
    };
    /// The stamps of the version files of databases_ (nullopt: remote, or
    /// not stat'ed), taken at taken_ns before the reopen that read them.
    struct Versions {
        std::vector<std::optional<FileStamp>> stamps;
        int64_t taken_ns = 0;
        /// Every database local, and every stamp settled when taken.
        [[nodiscard]] bool settled() const;
    };
    /// The stamps of the version files of databases_, now.
    [[nodiscard]] Versions version_stamps() const;
    IndexDatabase() = default;
    /// Every shard, local or remote, into db_, shards_ and databases_.
    /// Throws ForeignShard, Xapian errors (DatabaseOpeningError when a
    /// stub cannot be read).
    void open_shards();
    [[nodiscard]] Xapian::docid databases() const { return static_cast<Xapian::docid>(databases_.size()); }
    /// Shard @p n's databases, opened: those its stub lists (into
    /// @p listed), or its one xapian-tcpsrv. Throws as open_shards().
    [[nodiscard]] std::vector<Xapian::Database> shard_databases(unsigned n, Listing& listed) const;
    IndexPaths paths_;
    IndexConfig config_;
    Xapian::Database db_;
    /// The shards of db_, one handle each, and the databases of db_, one
    /// handle each (all sharing db_'s open tables, so db_.reopen() moves
    /// them too): Xapian tells a revision only of a single database.
    std::vector<Xapian::Database> shards_, databases_;
    std::vector<unsigned> shard_of_database_; ///< per database of db_
    std::vector<Xapian::docid> first_database_, databases_of_shard_; ///< per shard: its databases in db_
    std::vector<Listing> listed_; ///< per shard (empty if remote)
    Versions versions_;           ///< as the last reopen found them (none after open_shards)
};

/// The raw-message packs (or the body-text or decoded-message packs) of
/// every shard, each opened on first use. Not thread-safe, like RawStoreReader.
class PackReaders {
public:
    enum class Kind { raw, text, parsed };
    PackReaders(IndexPaths paths, Kind kind) : paths_(std::move(paths)), kind_(kind) {}
    /// Fails naming the pack when it is missing (e.g. a remote shard's packs
    /// were not copied here) or damaged.
    Result<std::string> get(unsigned shard, RawRef ref);

private:
    IndexPaths paths_;
    Kind kind_;
    std::map<unsigned, std::unique_ptr<RawStoreReader>> open_;
};

/// guarded() for readers: when a writer's commit (or compaction) discards
/// what is being read, refreshes @p index and runs @p f again.
template <class F>
auto guarded_read(IndexDatabase& index, std::string_view context, F&& f) -> decltype(f())
{
    return guarded(context, [&]() -> decltype(f()) {
        for (int attempt = 0;; ++attempt) {
            try {
                return f();
            } catch (const Xapian::DatabaseModifiedError&) {
                if (attempt >= 3)
                    throw;
                index.refresh(true);
            } catch (const Xapian::DatabaseOpeningError&) {
                if (attempt >= 3)
                    throw;
                index.refresh(true);
            }
        }
    });
}

/// @p m's raw copy read from @p raw (a Kind::raw reader), verified against
/// its content hash: raw packs are read only as far as the message
/// (RawStoreReader::Decode::prefix), so the block's checksum does not guard
/// it. Fails naming the message when the bytes do not match.
[[nodiscard]] Result<std::string> read_raw_copy(PackReaders& raw, const StoredMessage& m);

/// @p m's stored record (ParsedRecord.hpp) read from @p parsed (a
/// Kind::parsed reader), decoded; nullopt when it has none, or one of
/// another version, or the record cannot be read: callers parse the raw
/// copy then, which is the truth the record caches.
[[nodiscard]] std::optional<ParsedMessage> stored_parse(PackReaders& parsed, const StoredMessage& m);

/// One value slot of a database read in document order. Xapian keeps a
/// slot's values in chunks of its postlist table: walking them forward
/// reads each chunk once, where Document::get_value looks the chunk up
/// again for every document (a block read per value: most of `check`'s
/// time at a million messages).
class ValueCursor {
public:
    ValueCursor(const Xapian::Database& db, Xapian::valueno slot)
        : it_(db.valuestream_begin(slot)), end_(db.valuestream_end(slot))
    {
    }
    /// The value of document @p d ("" when it has none); asked with @p d in
    /// increasing order. Throws Xapian errors.
    [[nodiscard]] std::string at(Xapian::docid d)
    {
        if (it_ != end_ && it_.get_docid() < d)
            it_.skip_to(d);
        return it_ != end_ && it_.get_docid() == d ? *it_ : std::string();
    }

private:
    Xapian::ValueIterator it_, end_;
};

/// What listings and pages show of message document @p doc, whose data
/// is @p data: the data's summary, or, in documents imported before
/// summaries were stored, the values (five more look-ups).
[[nodiscard]] DocSummary document_summary(const Xapian::Document& doc, const DocData& data);
/// The same with @p doc's data decoded here; from its values also when its
/// data cannot be read (as listings, which read values, show it).
[[nodiscard]] DocSummary document_summary(const Xapian::Document& doc);
/// The summary a document's values give: what the writer stores in the
/// data of a document it adds, and what `check` compares the data's with.
[[nodiscard]] DocSummary summary_from_values(const Xapian::Document& doc);
/// The effective date of a message document (UTC seconds).
[[nodiscard]] int64_t document_date(const Xapian::Document& doc);
/// The content hash of a message document's stored raw copy ("" for ghosts).
[[nodiscard]] std::string document_hash(const Xapian::Document& doc);
/// The lists of a message document (its list value).
[[nodiscard]] std::vector<std::string> document_lists(const Xapian::Document& doc);
/// The lists named in a list value (list ids separated by spaces).
[[nodiscard]] std::vector<std::string> list_ids(std::string_view value);
/// The reader's tags on @p doc (schema::prefix::tag terms), sorted. A
/// termlist read: for the reader's views (show, thread), not for exports.
[[nodiscard]] std::vector<std::string> document_tags(const Xapian::Document& doc);
/// "ID#1f2e3d4c": the key of one of several messages sharing Message-ID @p id.
[[nodiscard]] std::string shared_id_key(const std::string& id, const std::string& hash);

/// Message document @p doc (document @p id of @p index; Document::get_docid
/// gives the id inside its shard) as a StoredMessage (key = its
/// Message-ID); nullopt for ghosts and for documents whose data cannot be read.
[[nodiscard]] std::optional<StoredMessage> stored_message(const IndexDatabase& index, Xapian::docid id,
                                                          const Xapian::Document& doc);
/// The error for a message document whose data cannot be read.
[[nodiscard]] Error unreadable_document(Xapian::docid id);

/// Every message with Message-ID @p id ("<a@b>", "a@b", "id:a@b"), or the
/// one message named by a "a@b#hash" key; sorted by date, with their tags.
/// Fails with ExitCode::not_found when there is none, ExitCode::usage for
/// an empty id. Serves IndexReader::find and Searcher::find.
[[nodiscard]] Result<std::vector<StoredMessage>> find_messages(IndexDatabase& index, std::string_view id);

} // namespace listdex
