// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "IndexWriter.hpp"

#include "IndexConfig.hpp"
#include "ListStats.hpp"
#include "XapianGuard.hpp"
#include "XapianThreadStore.hpp"

#include <map>
#include "listdex/index/Schema.hpp"

namespace listdex {

namespace {

/// Fails unless @p asked fits @p config, an index that exists (or is being
/// made with @p asked's placement).
Result<void> check_placement(const IndexPaths& paths, const IndexConfig& config, const PlacementRequest& asked)
{
    auto name = [](ShardBy by) { return by == ShardBy::list ? "list" : "message"; };
    if (asked.shard_by && *asked.shard_by != config.shard_by)
        return fail(ExitCode::usage,
                    paths.root.string() + " places messages by " + name(config.shard_by) + ", not by " +
                        name(*asked.shard_by),
                    "an index keeps the placement it was made with (shard-by in listdex.conf)");
    for (const auto& [list, n] : asked.list_shard) {
        if (config.shard_by != ShardBy::list)
            return fail(ExitCode::usage, "--list-shard " + list + "=" + std::to_string(n) + ": " +
                                             paths.root.string() + " places messages by message",
                        "make the index with --shard-by list");
        if (n >= config.shards)
            return fail(ExitCode::usage, "--list-shard " + list + "=" + std::to_string(n) + ": " +
                                             paths.root.string() + " has " + std::to_string(config.shards) +
                                             " shards (0 to " + std::to_string(config.shards - 1) + ")");
    }
    return {};
}

} // namespace

Result<std::unique_ptr<IndexWriter>> IndexWriter::open(const IndexPaths& paths, unsigned new_shards,
                                                       const PlacementRequest& placement)
{
    auto lock = IndexLock::acquire(paths);
    if (!lock)
        return std::unexpected(lock.error());
    const bool existed = paths.exists();
    IndexConfig config;
    if (existed) {
        auto read = read_index_config(paths);
        if (!read)
            return std::unexpected(read.error());
        config = std::move(*read);
        if (!config.remote.empty()) {
            const auto& [n, remote] = *config.remote.begin();
            return fail(ExitCode::usage,
                        paths.root.string() + ": shard " + std::to_string(n) + " is read from " + remote.host + ":" +
                            std::to_string(remote.port) + "; this folder is for searching only",
                        "import on the machine that holds every shard, then copy the shards out "
                        "(docs/architecture.md, Shards on several hosts)");
        }
    } else {
        config.shards = std::max(1u, new_shards);
        config.id = new_index_id();
        config.shard_by = placement.shard_by.value_or(ShardBy::message);
        config.list_shard = placement.list_shard; // an existing index takes them in pin_lists
    }
    if (auto r = check_placement(paths, config, placement); !r)
        return std::unexpected(r.error());
    if (!existed) {
        // Debris of a first import killed before it wrote the configuration:
        // nothing in it was ever an index.
        std::error_code ec;
        std::filesystem::remove_all(paths.root / "shards", ec);
        std::filesystem::remove_all(paths.root / "raw", ec);
        std::filesystem::remove(paths.journal(), ec);
    }
    std::unique_ptr<IndexWriter> w(new IndexWriter());
    w->lock_ = std::move(*lock);
    w->paths_ = paths;
    for (unsigned n = 0; n < config.shards; ++n) {
        auto shard = ShardWriter::open(paths, n, !existed);
        if (!shard)
            return std::unexpected(shard.error());
        w->shards_.push_back(std::move(*shard));
    }
    // The configuration comes last: a folder without it is not an index yet.
    if (!existed)
        if (auto r = write_index_config(paths, config); !r)
            return std::unexpected(r.error());
    auto committed = IndexDatabase::open(paths);
    if (!committed)
        return std::unexpected(committed.error());
    w->committed_.emplace(std::move(*committed));
    if (existed)
        if (auto r = w->pin_lists(config, placement.list_shard); !r)
            return std::unexpected(r.error());
    w->config_ = std::move(config);
    auto journal = RoundJournal::read(paths.journal());
    if (!journal)
        return std::unexpected(journal.error());
    if (*journal) {
        if (auto r = w->replay(**journal); !r)
            return std::unexpected(r.error());
    } else {
        std::error_code ec;
        std::filesystem::remove(paths.journal(), ec); // cut short before any shard committed
    }
    // From the committed view, which a replay has just moved on (a shard's
    // own metadata is what it had when opened).
    auto last_thread = guarded("reading index", [&]() -> Result<ThreadId> {
        return parse_thread_id(w->committed_->db().get_metadata(std::string(schema::kLastThreadKey))).value_or(0);
    });
    if (!last_thread)
        return std::unexpected(last_thread.error());
    const ThreadId last = *last_thread;
    w->threads_ = std::make_unique<XapianThreadStore>(*w->committed_, w->shards_, last);
    w->threader_ = std::make_unique<Threader>(*w->threads_);
    return w;
}

IndexWriter::~IndexWriter() = default;

Result<void> IndexWriter::pin_lists(IndexConfig& config, const std::map<std::string, unsigned, std::less<>>& pins)
{
    bool changed = false;
    for (const auto& [list, n] : pins) {
        if (config.list_home(list) != n) { // moving it: only while it has no messages
            auto held = guarded("reading index", [&]() -> Result<Xapian::doccount> {
                return committed_->db().get_termfreq(schema::term(schema::prefix::list, list));
            });
            if (!held)
                return std::unexpected(held.error());
            if (*held > 0)
                return fail(ExitCode::usage,
                            "--list-shard " + list + "=" + std::to_string(n) + ": " + list + " has " +
                                std::to_string(*held) + " messages in shard " +
                                std::to_string(*config.list_home(list)),
                            "a list keeps its shard once it has messages; pin a list before its first import");
        }
        // Recorded even where its id's hash already put it: explicit in listdex.conf.
        auto [pin, added] = config.list_shard.try_emplace(list, n);
        changed = changed || added || pin->second != n;
        pin->second = n;
    }
    if (changed)
        return write_index_config(paths_, config);
    return {};
}

Result<bool> IndexWriter::contains(const std::string& hash)
{
    if (pending_hashes_.contains(hash))
        return true;
    return guarded("reading index", [&]() -> Result<bool> {
        return committed_->db().term_exists(schema::term(schema::prefix::hash, hash));
    });
}

Result<ThreadAssignment> IndexWriter::add(Xapian::Document doc, std::string raw, std::string text, std::string parsed,
                                          uint32_t flags,
                                          const std::string& hash, const std::string& list,
                                          const std::string& same_key, const MessageLinks& links,
                                          const SubjectKey& subject, int64_t date)
{
    return guarded("adding a message", [&]() -> Result<ThreadAssignment> {
        const unsigned shard = config_.home_shard(list, hash);
        const ThreadAssignment a = threader_->add(links, subject, date);
        if (a.parent_by_subject)
            flags |= schema::Flag::parent_by_subject;
        threads_->remove_ghost(links.id);
        threads_->label(doc, links.id, a, shard);
        shards_[shard]->add_message(std::move(doc), std::move(raw), std::move(text), std::move(parsed), flags);
        pending_hashes_.insert(hash);
        if (!same_key.empty())
            pending_same_[same_key] = shard;
        dirty_ = lists_changed_ = true;
        return a;
    });
}

Result<bool> IndexWriter::add_copy(const std::string& same_key, const std::string& hash, const std::string& list)
{
    return guarded("adding a copy of a message", [&]() -> Result<bool> {
        const std::string term = schema::term(schema::prefix::same, same_key);
        std::optional<unsigned> shard;
        if (auto it = pending_same_.find(same_key); it != pending_same_.end()) {
            shard = it->second;
        } else {
            Xapian::Database& db = committed_->db();
            if (auto p = db.postlist_begin(term); p != db.postlist_end(term))
                shard = committed_->shard_of(*p);
        }
        if (!shard)
            return false;
        std::vector<std::string> terms{schema::term(schema::prefix::hash, hash)};
        if (!list.empty())
            terms.push_back(schema::term(schema::prefix::list, list));
        shards_[*shard]->add_terms(term, std::move(terms));
        pending_hashes_.insert(hash);
        dirty_ = lists_changed_ = true;
        return true;
    });
}

Result<bool> IndexWriter::remove(const std::string& hash)
{
    if (dirty_)
        if (auto r = commit(false); !r)
            return std::unexpected(r.error());
    return guarded("removing a message", [&]() -> Result<bool> {
        Xapian::Database& db = committed_->db();
        const std::string key = schema::term(schema::prefix::hash, hash);
        const auto p = db.postlist_begin(key);
        if (p == db.postlist_end(key))
            return false;
        const Xapian::docid did = *p;
        const Xapian::Document doc = db.get_document(did);
        const std::string id = doc.get_value(schema::Slot::message_id);
        const std::string id_term = schema::term(schema::prefix::message_id, id);
        bool another = false;
        for (auto q = db.postlist_begin(id_term); q != db.postlist_end(id_term) && !another; ++q)
            another = *q != did && db.get_document(*q).get_data() != schema::kGhostData;
        shards_[committed_->shard_of(did)]->remove_messages(key);
        if (auto thread = parse_thread_id(doc.get_value(schema::Slot::thread))) {
            const std::string parent = doc.get_value(schema::Slot::parent);
            threads_->remove_message(id, *thread, parent.empty() ? std::nullopt : std::optional<std::string>(parent),
                                     !another);
        }
        dirty_ = lists_changed_ = true;
        return true;
    });
}

Result<uint64_t> IndexWriter::retag(std::span<const TagEdit> edits)
{
    return guarded("changing tags", [&]() -> Result<uint64_t> {
        Xapian::Database& db = committed_->db();
        const std::string id_prefix(schema::prefix::message_id);
        uint64_t missing = 0;
        for (const TagEdit& e : edits) {
            const std::string term = schema::term(id_prefix, e.message_id);
            bool mail = false;
            for (auto p = db.postlist_begin(term); p != db.postlist_end(term) && !mail; ++p)
                mail = db.get_document(*p).get_data() != schema::kGhostData;
            if (!mail) {
                ++missing;
                continue;
            }
            for (auto& shard : shards_)
                shard->retag(term, e);
            pending_tags_.push_back(e);
            dirty_ = true;
        }
        return missing;
    });
}

uint64_t IndexWriter::retagged() const
{
    uint64_t n = 0;
    for (const auto& shard : shards_)
        n += shard->retagged();
    return n;
}

void IndexWriter::reached(const std::string& key, const std::string& position)
{
    positions_[key] = position;
}

Result<std::string> IndexWriter::metadata(const std::string& key)
{
    return guarded("reading index", [&]() -> Result<std::string> { return committed_->db().get_metadata(key); });
}

Result<void> IndexWriter::wait_all()
{
    Result<void> result;
    for (auto& shard : shards_)
        if (auto r = shard->wait(); !r && result)
            result = r;
    return result;
}

Result<void> IndexWriter::commit(bool durable)
{
    RoundJournal round = threads_->take_round();
    round.tags = std::move(pending_tags_);
    pending_tags_.clear();
    if (lists_changed_) // in the same commit as the change (journalled: a replay clears them too)
        round.metadata[std::string(schema::kListStatsKey)] = "";
    if (auto r = commit_round(round, durable); !r)
        return r;
    if (!positions_.empty()) {
        // Only now is everything read before these positions committed in
        // every shard. Shard 0 alone: one commit, atomic.
        shards_.front()->commit(std::move(positions_), durable);
        positions_.clear();
        if (auto r = wait_all(); !r)
            return r;
    }
    // Xapian's cost of adding a batch grows with the database it goes to
    // (about one B-tree leaf read and written per distinct term, and the
    // leaves grow with the database): new documents go to a database of
    // their own once the newest is full, and readers search them all until
    // a compaction merges them.
    bool started = false;
    for (auto& shard : shards_)
        if (database_documents_ > 0 && shard->newest_documents() >= database_documents_) {
            // Recorded before any stub lists a second database: a listdex
            // older than this layout then refuses the index.
            if (!config_.several_databases) {
                config_.several_databases = true;
                if (auto r = write_index_config(paths_, config_); !r)
                    return r;
            }
            shard->start_database();
            started = true;
        }
    if (started)
        if (auto r = wait_all(); !r)
            return r;
    return guarded("reading index", [&]() -> Result<void> {
        committed_->refresh();
        threads_->committed();
        pending_hashes_.clear();
        pending_same_.clear();
        dirty_ = false;
        return {};
    });
}

std::vector<unsigned> IndexWriter::shard_databases() const
{
    std::vector<unsigned> out;
    for (const auto& shard : shards_)
        out.push_back(shard->databases());
    return out;
}

Result<void> IndexWriter::commit_round(const RoundJournal& round, bool durable)
{
    // The journal goes first, so that a kill while the shards commit leaves
    // what the next writer needs to make them agree (RoundJournal.hpp).
    if (auto r = round.write(paths_.journal(), durable); !r)
        return r;
    // Shard 0 carries the index-wide metadata (thread counter, aliases):
    // Xapian reads metadata of a multi-database from its first shard.
    // Every shard says which index it belongs to (readers check).
    std::map<std::string, std::string> own;
    if (!config_.id.empty())
        own[std::string(schema::kIndexIdKey)] = config_.id;
    auto first = round.metadata;
    first.insert(own.begin(), own.end());
    shards_.front()->commit(std::move(first), durable);
    for (size_t n = 1; n < shards_.size(); ++n)
        shards_[n]->commit(own, durable);
    if (auto r = wait_all(); !r)
        return r;
    std::error_code ec;
    std::filesystem::remove(paths_.journal(), ec);
    return {};
}

Result<void> IndexWriter::replay(const RoundJournal& journal)
{
    return guarded("repairing the index after an interrupted commit", [&]() -> Result<void> {
        std::map<ThreadId, ThreadId> into;
        for (const auto& [from, to] : journal.merges) {
            into[from] = to;
            for (auto& shard : shards_)
                shard->merge_thread(thread_term(from), thread_term(to), format_thread_id(to));
        }
        auto resolve = [&](ThreadId t) {
            for (int hops = 0; hops < 64 && into.contains(t); ++hops)
                t = into[t];
            return t;
        };
        // The last entry of an id is what the round ended with.
        std::map<std::string, const RoundJournal::Member*> last;
        for (const auto& m : journal.members)
            last[m.id] = &m;
        Xapian::Database& db = committed_->db();
        const std::string id_prefix(schema::prefix::message_id);
        for (const auto& [id, m] : last) {
            const std::string term = schema::term(id_prefix, id);
            bool real = false, ghost = false;
            for (auto p = db.postlist_begin(term); p != db.postlist_end(term); ++p)
                (db.get_document(*p).get_data() == schema::kGhostData ? ghost : real) = true;
            const unsigned shard = shard_for(id, static_cast<unsigned>(shards_.size()));
            if (real && ghost)
                for (auto& s : shards_)
                    s->remove_ghosts(term);
            else if (!real && !ghost) // its message's shard missed the round: a ghost keeps its place
                shards_[shard]->add_document(ghost_document(
                    id, resolve(m->thread), m->parent.empty() ? std::nullopt : std::optional<std::string>(m->parent)));
        }
        // Tag changes are idempotent: every shard applies them all again.
        for (const TagEdit& t : journal.tags)
            for (auto& shard : shards_)
                shard->retag(schema::term(id_prefix, t.message_id), t);
        RoundJournal round;
        round.metadata = journal.metadata;
        const std::string counter(schema::kLastThreadKey);
        const ThreadId before = parse_thread_id(committed_->db().get_metadata(counter)).value_or(0);
        const ThreadId after = parse_thread_id(round.metadata[counter]).value_or(0);
        round.metadata[counter] = format_thread_id(std::max(before, after));
        if (auto r = commit_round(round, true); !r)
            return r;
        committed_->refresh();
        return {};
    });
}

Result<void> IndexWriter::store_list_stats()
{
    if (dirty_)
        return fail(ExitCode::failure, "internal error: list counts stored before a commit");
    auto stats = guarded("counting lists", [&]() -> Result<std::string> {
        Xapian::Database& db = committed_->db();
        if (!lists_changed_ && stored_index_stats(db))
            return std::string();
        return encode_index_stats(compute_index_stats(db));
    });
    if (!stats)
        return std::unexpected(stats.error());
    if (stats->empty())
        return {}; // still what is stored
    // Not synced: lost in a crash, the commit before it (which cleared
    // them) is what stays, and readers count.
    shards_.front()->commit({{std::string(schema::kListStatsKey), std::move(*stats)}}, false);
    if (auto r = wait_all(); !r)
        return r;
    lists_changed_ = false;
    return guarded("reading index", [&]() -> Result<void> {
        committed_->refresh();
        return {};
    });
}

Result<void> IndexWriter::compact()
{
    for (auto& shard : shards_)
        shard->compact();
    return wait_all();
}

Result<void> IndexWriter::repair(const std::vector<std::string>& stale_ghosts,
                                 const std::vector<std::pair<ThreadId, ThreadId>>& merges, ThreadId min_counter)
{
    auto done = guarded("repairing the index", [&]() -> Result<void> {
        const std::string id_prefix(schema::prefix::message_id);
        for (const auto& id : stale_ghosts)
            for (auto& shard : shards_)
                shard->remove_ghosts(schema::term(id_prefix, id));
        for (const auto& [from, into] : merges)
            threads_->merge(from, into);
        threads_->raise_counter(min_counter);
        lists_changed_ = true; // thread counts may change
        return {};
    });
    if (!done)
        return done;
    if (auto r = commit(true); !r)
        return r;
    return store_list_stats();
}

Result<uint64_t> IndexWriter::message_count()
{
    return guarded("reading index", [&]() -> Result<uint64_t> {
        return committed_->db().get_termfreq(std::string(schema::kKindMail));
    });
}

} // namespace listdex
