// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "listdex/index/IndexCheck.hpp"

#include "DocData.hpp"
#include "IndexConfig.hpp"
#include "IndexWriter.hpp"
#include "StoredDocument.hpp"
#include "XapianGuard.hpp"
#include "XapianThreadStore.hpp"
#include "listdex/base/Hash.hpp"
#include "listdex/base/Text.hpp"
#include "listdex/index/Schema.hpp"
#include "listdex/mime/MimeParser.hpp"
#include "listdex/mime/ParsedRecord.hpp"

#include <xapian.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <thread>
#include <unordered_map>

namespace listdex {

namespace {

/// What one pass over the index found, and what a repair would do about it.
struct Findings {
    CheckReport report;
    std::set<std::string> stale_ghosts;                    ///< ids with both a message and a ghost
    std::vector<std::pair<ThreadId, ThreadId>> merges;     ///< (from, into) to join split threads
    ThreadId max_thread = 0;                               ///< largest thread id in use
    /// With --decoding: messages whose stored decoding is missing, of
    /// another version, unreadable or different: (shard, its document id
    /// there, its raw copy).
    std::vector<std::tuple<unsigned, Xapian::docid, RawRef>> redecode;
    bool journal = false;
};

/// Union-find over thread ids: threads that must be one.
class ThreadUnion {
public:
    ThreadId find(ThreadId t)
    {
        auto it = parent_.find(t);
        if (it == parent_.end() || it->second == t)
            return t;
        return it->second = find(it->second);
    }
    void join(ThreadId a, ThreadId b)
    {
        a = find(a);
        b = find(b);
        if (a != b) // the older (smaller) id survives
            parent_[std::max(a, b)] = std::min(a, b);
    }
    std::vector<std::pair<ThreadId, ThreadId>> merges()
    {
        std::vector<std::pair<ThreadId, ThreadId>> out;
        for (const auto& [t, p] : parent_)
            if (find(t) != t)
                out.emplace_back(t, find(t));
        return out;
    }

private:
    std::map<ThreadId, ThreadId> parent_;
};

/// Message-ID -> (thread, document of the whole index): when several
/// documents share an id, the last one counts, as in one pass in document order.
using ThreadsById = std::unordered_map<std::string, std::pair<ThreadId, Xapian::docid>>;

/// (document, Message-ID, thread, parent's Message-ID)
using ParentLink = std::tuple<Xapian::docid, std::string, ThreadId, std::string>;

/// What reading one shard found.
struct ShardScan {
    ThreadsById message_thread, ghost_thread;
    std::vector<ParentLink> parents;
    std::set<ThreadId> threads;
    struct Problem {
        Xapian::docid doc;
        std::string what;
        bool repairable = false; ///< by `check --repair --decoding`
    };
    std::vector<Problem> problems;
    uint64_t messages = 0, ghosts = 0;
    std::vector<std::pair<Xapian::docid, RawRef>> redecode; ///< see Findings::redecode
    uint64_t without_decoding = 0; ///< of redecode: no record of this version (no problem of its own)
    std::optional<Error> failed; ///< a Xapian error stopped the scan
};

/// With `check --decoding`: whether message @p data of shard @p n needs a
/// fresh record: it has none of this version (@p no_record is set), or one
/// that cannot be read or differs from its @p raw copy decoded again (a
/// problem each, for @p fixable).
bool needs_record(MimeParser& parser, PackReaders& records, unsigned n, const DocData& data, const std::string& raw,
                  bool& no_record, const std::function<void(std::string)>& problem,
                  const std::function<void(std::string)>& fixable)
{
    no_record = false;
    if (!data.parsed)
        return no_record = true;
    auto bytes = records.get(n, *data.parsed);
    if (!bytes) {
        fixable(": its stored decoding is unreadable (" + bytes.error().message +
                "): decoded from its raw copy instead; check --repair --decoding stores a new one");
        return true;
    }
    auto stored = decode_parsed_record(*bytes);
    if (!stored)
        return no_record = true; // another version's: readers decode the raw copy
    auto fresh = parser.parse(raw);
    if (!fresh) {
        problem(": its raw copy no longer decodes: " + fresh.error().message);
        return false;
    }
    const std::string field = first_record_difference(*stored, *fresh);
    if (field.empty())
        return false;
    fixable(": its stored decoding differs from its raw copy's in " + field +
            " (a decoder changed without a new record version); check --repair --decoding stores a fresh one");
    return true;
}

/// Whether document @p d of @p db has @p term: a look-up in the term's
/// posting list (a document's own term list is stored compressed, and
/// inflating every document's was half of check's CPU time).
bool has_term(const Xapian::Database& db, const std::string& term, Xapian::docid d)
{
    auto p = db.postlist_begin(term);
    if (p != db.postlist_end(term))
        p.skip_to(d);
    return p != db.postlist_end(term) && *p == d;
}

/// The documents of every term of one prefix, walked once and then asked
/// in document order. One posting-list look-up per document (has_term) is
/// a B-tree descent and a block read each; this costs one per term, and
/// a shard has a thread term per thread and a hash term per message.
template <class Key> class TermsByDocument {
public:
    /// @p key maps a term's suffix to its Key, or to nullopt for a suffix
    /// that is not the one spelling of a key (those terms are not kept).
    TermsByDocument(const Xapian::Database& db, std::string_view prefix,
                    const std::function<std::optional<Key>(std::string_view)>& key)
    {
        const std::string p(prefix);
        for (auto t = db.allterms_begin(p); t != db.allterms_end(p); ++t)
            if (const auto k = key(std::string_view(*t).substr(p.size())))
                for (auto d = db.postlist_begin(*t); d != db.postlist_end(*t); ++d)
                    postings_.emplace_back(*d, *k);
        std::ranges::sort(postings_);
    }
    /// Whether document @p d has the term of @p key; asked with @p d in
    /// increasing order.
    bool has(Xapian::docid d, const Key& key)
    {
        while (next_ < postings_.size() && postings_[next_].first < d)
            ++next_;
        for (size_t i = next_; i < postings_.size() && postings_[i].first == d; ++i)
            if (postings_[i].second == key)
                return true;
        return false;
    }

private:
    std::vector<std::pair<Xapian::docid, Key>> postings_;
    size_t next_ = 0;
};

/// A content hash (message_hash: 32 lower-case hex digits) as two numbers.
using HashKey = std::array<uint64_t, 2>;
std::optional<HashKey> hash_key(std::string_view hex)
{
    if (hex.size() != 32 || hex.find_first_not_of("0123456789abcdef") != std::string_view::npos)
        return std::nullopt;
    return HashKey{*parse_number<uint64_t>(hex.substr(0, 16), 16), *parse_number<uint64_t>(hex.substr(16), 16)};
}

/// Checks every document of shard @p n on its own: thread term and value,
/// data, raw copy (read and hashed), hash term, placement; with
/// @p decoding its stored decoding too.
ShardScan scan_shard(const IndexDatabase& index, const IndexPaths& paths, const IndexConfig& config, unsigned n,
                     bool decoding)
{
    ShardScan out;
    try {
        Xapian::Database db = index.open_shard(n);
        PackReaders packs(paths, PackReaders::Kind::raw); // this thread's own
        PackReaders records(paths, PackReaders::Kind::parsed);
        std::optional<MimeParser> parser;
        if (decoding)
            parser.emplace();
        const bool remote = config.remote.contains(n);
        TermsByDocument<ThreadId> thread_terms(db, schema::prefix::thread, [](std::string_view suffix) {
            auto t = parse_thread_id(suffix);
            return t && format_thread_id(*t) == suffix ? t : std::nullopt;
        });
        TermsByDocument<HashKey> hash_terms(db, schema::prefix::hash, hash_key);
        ValueCursor ids(db, schema::Slot::message_id), threads(db, schema::Slot::thread),
            parents(db, schema::Slot::parent), hashes(db, schema::Slot::hash), lists(db, schema::Slot::list),
            froms(db, schema::Slot::from), subjects(db, schema::Slot::subject), dates(db, schema::Slot::date);
        for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
            const Xapian::docid d = index.whole_docid(n, *it);
            const Xapian::Document doc = db.get_document(*it, Xapian::DOC_ASSUME_VALID); // for its data only
            const std::string id = ids.at(*it);
            const std::string where = "document " + std::to_string(d) + " <" + id + ">";
            auto problem = [&](std::string what) { out.problems.push_back({d, where + what, false}); };
            auto fixable = [&](std::string what) { out.problems.push_back({d, where + what, true}); };
            const auto thread = parse_thread_id(threads.at(*it));
            if (!thread) {
                problem(" has no thread");
                continue;
            }
            const bool ghost = doc.get_data() == schema::kGhostData;
            const std::string hash = ghost ? std::string() : hashes.at(*it);
            const bool has_thread_term = thread_terms.has(*it, *thread);
            // A hash value that no kept hash term spells gets its own look-up.
            const auto key = hash_key(hash);
            const bool has_hash_term =
                !ghost && (key ? hash_terms.has(*it, *key)
                               : has_term(db, schema::term(schema::prefix::hash, hash), *it));
            if (!has_thread_term)
                problem(": its thread term and value disagree");
            out.threads.insert(*thread);
            (ghost ? out.ghost_thread : out.message_thread)[id] = {*thread, d};
            if (ghost) {
                ++out.ghosts;
                continue;
            }
            ++out.messages;
            if (std::string parent = parents.at(*it); !parent.empty())
                out.parents.emplace_back(d, id, *thread, std::move(parent));
            auto data = DocData::decode(doc.get_data());
            if (!data) {
                problem(": unreadable document data");
                continue;
            }
            // Pages show the summary; searches filter and sort by the values.
            if (data->summary &&
                *data->summary != DocSummary{id, hash, froms.at(*it), subjects.at(*it),
                                             static_cast<int64_t>(Xapian::sortable_unserialise(dates.at(*it)))})
                problem(": the Message-ID, hash, sender, subject or date in its data and in its values disagree");
            if (remote)
                continue; // its raw copy is on the shard's host
            auto raw = packs.get(n, data->ref);
            if (!raw)
                problem(": raw copy unreadable: " + raw.error().message);
            else if (message_hash(*raw) != hash)
                problem(": raw copy does not match its content hash");
            else if (bool no_record; parser && needs_record(*parser, records, n, *data, *raw, no_record, problem, fixable)) {
                out.redecode.emplace_back(*it, data->ref);
                out.without_decoding += no_record ? 1 : 0;
            }
            if (!has_hash_term)
                problem(": its stored copy's hash is not among its hash terms (re-imports would add it again)");
            if (!config.placed_right(n, list_ids(lists.at(*it)), hash))
                problem(": in shard " + std::to_string(n) + ", not its " +
                        (config.shard_by == ShardBy::list ? "lists' shard nor its " : "") + "hash's shard (" +
                        std::to_string(shard_for(hash, config.shards)) + ")");
        }
    } catch (const Xapian::Error& e) {
        out.failed = xapian_error("checking shard " + std::to_string(n), e);
    }
    return out;
}

Result<Findings> inspect(const IndexPaths& paths, bool decoding)
{
    auto config = read_index_config(paths);
    if (!config)
        return std::unexpected(config.error());
    auto index = IndexDatabase::open(paths);
    if (!index)
        return std::unexpected(index.error());
    Findings f;
    auto& problems = f.report.problems;
    auto unrepairable = [&](std::string what) {
        problems.push_back(what);
        f.report.unrepairable.push_back(std::move(what));
    };
    if (std::filesystem::exists(paths.journal())) {
        f.journal = true;
        problems.push_back("a commit round was cut short (" + paths.journal().string() +
                           "): its shards may disagree until it is replayed");
    }
    return guarded("checking " + paths.root.string(), [&]() -> Result<Findings> {
        const unsigned shards = config->shards;
        for (unsigned n = 0; n < shards; ++n) {
            if (config->remote.contains(n))
                continue;
            Xapian::Database shard(paths.shard(n).string());
            const std::string schema = shard.get_metadata(std::string(schema::kSchemaKey));
            const bool never_committed = schema.empty() && shard.get_doccount() == 0;
            if (schema != std::to_string(schema::kSchemaVersion) && !never_committed)
                unrepairable("shard " + std::to_string(n) + " has schema '" + schema + "', listdex.conf " +
                             std::to_string(schema::kSchemaVersion));
            if (const std::string id = shard.get_metadata(std::string(schema::kIndexIdKey));
                !config->owns(id))
                unrepairable("shard " + std::to_string(n) + " belongs to index " + id + ", listdex.conf says " +
                             config->id);
            // Lost raw or text bytes are lost messages; lost decodings are
            // decoded from the raw copies again, and --repair --decoding
            // stores them again (a writer extends the pack to its size).
            for (auto [key, file, lost] : {std::tuple{schema::kRawSizeKey, paths.raw(n), true},
                                           {schema::kTextSizeKey, paths.text(n), true},
                                           {schema::kParsedSizeKey, paths.parsed(n), false}}) {
                const uint64_t committed = parse_number<uint64_t>(shard.get_metadata(std::string(key))).value_or(0);
                std::error_code ec;
                const uint64_t size = std::filesystem::file_size(file, ec);
                if (committed == 0 || (!ec && size >= committed))
                    continue;
                const std::string what = file.string() + " holds " + std::to_string(ec ? 0 : size) +
                                         " bytes, its shard's last commit recorded " + std::to_string(committed) + ": ";
                if (lost)
                    unrepairable(what + "messages in it are lost; re-import their archives");
                else
                    problems.push_back(what + "its messages are decoded from their raw copies instead (slower); "
                                              "check --repair --decoding stores them again");
            }
        }

        // Every shard is read by its own thread (as many at a time as there
        // are cores): each document's checks need only its own shard.
        std::vector<ShardScan> scans(shards);
        std::atomic<unsigned> next{0};
        std::vector<std::thread> workers;
        const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
        for (unsigned w = 0; w < std::min(shards, cores); ++w)
            workers.emplace_back([&] {
                for (unsigned n; (n = next++) < shards;)
                    scans[n] = scan_shard(*index, paths, *config, n, decoding);
            });
        for (auto& w : workers)
            w.join();
        // Merged as one pass over the whole index in document order would
        // have seen them.
        std::vector<ShardScan::Problem> found;
        ThreadsById message_thread, ghost_thread;
        std::vector<ParentLink> parents;
        std::set<ThreadId> threads;
        auto merge = [](ThreadsById& into, ThreadsById& from) {
            into.merge(from); // moves the nodes of ids it does not have yet
            for (auto& [id, at] : from) // ids in both: the later document's
                if (auto& have = into[id]; have.second < at.second)
                    have = at;
            from = {};
        };
        uint64_t without_decoding = 0;
        for (unsigned n = 0; n < shards; ++n) {
            auto& scan = scans[n];
            if (scan.failed)
                return std::unexpected(*scan.failed);
            for (const auto& [doc, ref] : scan.redecode)
                f.redecode.emplace_back(n, doc, ref);
            without_decoding += scan.without_decoding;
            found.insert(found.end(), std::make_move_iterator(scan.problems.begin()),
                         std::make_move_iterator(scan.problems.end()));
            merge(message_thread, scan.message_thread);
            merge(ghost_thread, scan.ghost_thread);
            parents.insert(parents.end(), std::make_move_iterator(scan.parents.begin()),
                           std::make_move_iterator(scan.parents.end()));
            scan.parents = {};
            threads.merge(scan.threads);
            f.report.messages += scan.messages;
            f.report.ghosts += scan.ghosts;
        }
        std::stable_sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.doc < b.doc; });
        for (auto& p : found)
            if (p.repairable)
                problems.push_back(std::move(p.what));
            else
                unrepairable(std::move(p.what));
        if (without_decoding > 0)
            problems.push_back(std::to_string(without_decoding) +
                               " messages have no stored decoding of this listdex version: they are decoded from "
                               "their raw copies (slower); check --repair --decoding stores them");
        std::sort(parents.begin(), parents.end(),
                  [](const ParentLink& a, const ParentLink& b) { return std::get<0>(a) < std::get<0>(b); });
        if (!threads.empty())
            f.max_thread = *threads.rbegin();
        Xapian::Database& db = index->db();
        f.report.threads = threads.size();

        for (const auto& [id, at] : ghost_thread)
            if (message_thread.contains(id)) {
                f.stale_ghosts.insert(id);
                problems.push_back("<" + id + "> has both a message and a placeholder");
            }
        ThreadUnion joined;
        for (const auto& [doc, id, thread, parent] : parents) {
            auto p = message_thread.find(parent);
            auto g = ghost_thread.find(parent);
            const ThreadId parent_thread = p != message_thread.end() ? p->second.first
                                           : g != ghost_thread.end()  ? g->second.first
                                                                      : thread;
            if (parent_thread != thread) {
                problems.push_back("<" + id + "> is in thread " + format_thread_id(thread) + ", its parent <" + parent +
                                   "> in thread " + format_thread_id(parent_thread));
                joined.join(thread, parent_thread);
            }
        }
        f.merges = joined.merges();
        const ThreadId counter =
            parse_thread_id(db.get_metadata(std::string(schema::kLastThreadKey))).value_or(0);
        if (f.max_thread > counter)
            problems.push_back("thread counter " + format_thread_id(counter) + " is below thread " +
                               format_thread_id(f.max_thread) + " in use: new threads could reuse ids");
        const std::string alias_prefix(schema::kAliasKeyPrefix);
        for (auto k = db.metadata_keys_begin(alias_prefix); k != db.metadata_keys_end(alias_prefix); ++k) {
            const std::string into = db.get_metadata(*k);
            const auto target = parse_thread_id(into);
            if (!target || (!threads.contains(*target) && db.get_metadata(alias_prefix + into).empty()))
                unrepairable("thread alias " + (*k).substr(alias_prefix.size()) + " -> " + into +
                                   " names no thread (harmless: the old id finds nothing)");
        }
        return std::move(f);
    });
}

/// Decodes the raw copy of each message of @p todo and stores its record,
/// committing every few thousand (a kill loses only the last few).
Result<void> store_decodings(IndexWriter& writer, const IndexPaths& paths,
                             const std::vector<std::tuple<unsigned, Xapian::docid, RawRef>>& todo)
{
    PackReaders packs(paths, PackReaders::Kind::raw);
    MimeParser parser;
    size_t pending = 0;
    for (const auto& [n, doc, ref] : todo) {
        auto raw = packs.get(n, ref);
        if (!raw)
            return std::unexpected(raw.error());
        auto pm = parser.parse(*raw);
        if (!pm)
            continue; // reported by the check
        writer.store_parsed(n, doc, encode_parsed_record(*pm));
        if (++pending == 5000) {
            if (auto r = writer.commit(false); !r)
                return r;
            pending = 0;
        }
    }
    return writer.commit(true);
}

} // namespace

Result<CheckReport> check_index(const IndexPaths& paths, const CheckOptions& options)
{
    const bool repair = options.repair;
    auto found = inspect(paths, options.decoding);
    if (!found)
        return std::unexpected(found.error());
    const bool repairable = found->report.problems.size() > found->report.unrepairable.size();
    if (!repair || !repairable)
        return std::move(found->report);

    std::vector<std::string> repairs;
    {
        // Opening a writer replays an unfinished round (IndexWriter::open).
        auto writer = IndexWriter::open(paths, 0);
        if (!writer)
            return std::unexpected(writer.error());
        if (found->journal)
            repairs.push_back("replayed the unfinished commit round");
        // What the replay left to do.
        auto again = inspect(paths, options.decoding);
        if (!again)
            return std::unexpected(again.error());
        const std::vector<std::string> ghosts(again->stale_ghosts.begin(), again->stale_ghosts.end());
        if (auto r = (*writer)->repair(ghosts, again->merges, again->max_thread); !r)
            return std::unexpected(r.error());
        if (!ghosts.empty())
            repairs.push_back("removed " + std::to_string(ghosts.size()) + " placeholders of messages the index has");
        if (!again->merges.empty())
            repairs.push_back("joined " + std::to_string(again->merges.size()) + " threads split from their parents'");
        repairs.push_back("thread counter at least " + format_thread_id(again->max_thread));
        if (!again->redecode.empty()) {
            if (auto r = store_decodings(**writer, paths, again->redecode); !r)
                return std::unexpected(r.error());
            repairs.push_back("stored the decodings of " + std::to_string(again->redecode.size()) + " messages");
        }
    }
    auto after = inspect(paths, options.decoding);
    if (!after)
        return std::unexpected(after.error());
    after->report.repairs = std::move(repairs);
    return std::move(after->report);
}

} // namespace listdex
