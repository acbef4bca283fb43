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

#include <xapian.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <unordered_map>

namespace listdex {

namespace {

/// What one pass over the index found, and what a repair would do about it.
struct Findings {
    CheckReport report;
    std::set<std::string> stale_ghosts;                    ///< ids with both a message and a ghost
    std::vector<std::pair<ThreadId, ThreadId>> merges;     ///< (from, into) to join split threads
    ThreadId max_thread = 0;                               ///< largest thread id in use
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

Result<Findings> inspect(const IndexPaths& paths)
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
            for (auto [key, file] : {std::pair{schema::kRawSizeKey, paths.raw(n)}, {schema::kTextSizeKey, paths.text(n)}}) {
                const uint64_t committed = parse_number<uint64_t>(shard.get_metadata(std::string(key))).value_or(0);
                std::error_code ec;
                const uint64_t size = std::filesystem::file_size(file, ec);
                if (committed > 0 && (ec || size < committed))
                    unrepairable(file.string() + " holds " + std::to_string(ec ? 0 : size) + " bytes, its shard's last "
                                 "commit recorded " + std::to_string(committed) + ": messages in it are lost; "
                                 "re-import their archives");
            }
        }

        Xapian::Database& db = index->db();
        PackReaders packs(paths, PackReaders::Kind::raw);
        std::unordered_map<std::string, ThreadId> message_thread, ghost_thread; // by Message-ID
        std::vector<std::tuple<std::string, ThreadId, std::string>> parents;    // (id, thread, parent id)
        std::set<ThreadId> threads;
        const std::string thread_prefix(schema::prefix::thread);
        for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
            const Xapian::docid d = *it;
            const Xapian::Document doc = db.get_document(d);
            const std::string id = doc.get_value(schema::Slot::message_id);
            const std::string where = "document " + std::to_string(d) + " <" + id + ">";
            const auto thread = parse_thread_id(doc.get_value(schema::Slot::thread));
            if (!thread) {
                unrepairable(where + " has no thread");
                continue;
            }
            threads.insert(*thread);
            f.max_thread = std::max(f.max_thread, *thread);
            auto t = doc.termlist_begin();
            t.skip_to(thread_term(*thread));
            if (t == doc.termlist_end() || *t != thread_term(*thread))
                unrepairable(where + ": its thread term and value disagree");
            if (doc.get_data() == schema::kGhostData) {
                ++f.report.ghosts;
                ghost_thread[id] = *thread;
                continue;
            }
            ++f.report.messages;
            message_thread[id] = *thread;
            if (const std::string parent = doc.get_value(schema::Slot::parent); !parent.empty())
                parents.emplace_back(id, *thread, parent);
            auto data = DocData::decode(doc.get_data());
            if (!data) {
                unrepairable(where + ": unreadable document data");
                continue;
            }
            const unsigned shard = index->shard_of(d);
            if (config->remote.contains(shard))
                continue; // its raw copy is on the shard's host
            auto raw = packs.get(shard, data->ref);
            const std::string hash = document_hash(doc);
            if (!raw)
                unrepairable(where + ": raw copy unreadable: " + raw.error().message);
            else if (message_hash(*raw) != hash)
                unrepairable(where + ": raw copy does not match its content hash");
            const std::string hash_term = schema::term(schema::prefix::hash, hash);
            auto h = doc.termlist_begin();
            h.skip_to(hash_term);
            if (h == doc.termlist_end() || *h != hash_term)
                unrepairable(where + ": its stored copy's hash is not among its hash terms (re-imports would add it again)");
            if (!config->placed_right(shard, document_lists(doc), hash))
                unrepairable(where + ": in shard " + std::to_string(shard) + ", not its " +
                             (config->shard_by == ShardBy::list ? "lists' shard nor its " : "") +
                             "hash's shard (" + std::to_string(shard_for(hash, shards)) + ")");
        }
        f.report.threads = threads.size();

        for (const auto& [id, thread] : ghost_thread)
            if (message_thread.contains(id)) {
                f.stale_ghosts.insert(id);
                problems.push_back("<" + id + "> has both a message and a placeholder");
            }
        ThreadUnion joined;
        for (const auto& [id, thread, parent] : parents) {
            auto p = message_thread.find(parent);
            const ThreadId parent_thread = p != message_thread.end() ? p->second
                                           : ghost_thread.contains(parent) ? ghost_thread[parent]
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

} // namespace

Result<CheckReport> check_index(const IndexPaths& paths, bool repair)
{
    auto found = inspect(paths);
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
        auto again = inspect(paths);
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
    }
    auto after = inspect(paths);
    if (!after)
        return std::unexpected(after.error());
    after->report.repairs = std::move(repairs);
    return std::move(after->report);
}

} // namespace listdex
