#include "IndexWriter.hpp"

#include "IndexConfig.hpp"
#include "XapianGuard.hpp"
#include "listdex/index/Schema.hpp"

namespace listdex {

Result<std::unique_ptr<IndexWriter>> IndexWriter::open(const IndexPaths& paths, unsigned new_shards)
{
    auto lock = IndexLock::acquire(paths);
    if (!lock)
        return std::unexpected(lock.error());
    unsigned count = std::max(1u, new_shards);
    const bool existed = paths.exists();
    if (existed) {
        auto config = read_index_config(paths);
        if (!config)
            return std::unexpected(config.error());
        count = config->shards;
        if (!config->remote.empty()) {
            const auto& [n, remote] = *config->remote.begin();
            return fail(ExitCode::usage,
                        paths.root.string() + ": shard " + std::to_string(n) + " is read from " + remote.host + ":" +
                            std::to_string(remote.port) + "; this folder is for searching only",
                        "import on the machine that holds every shard, then copy the shards out "
                        "(docs/architecture.md, Shards on several hosts)");
        }
    }
    std::unique_ptr<IndexWriter> w(new IndexWriter());
    w->lock_ = std::move(*lock);
    w->paths_ = paths;
    for (unsigned n = 0; n < count; ++n) {
        auto shard = ShardWriter::open(paths, n, !existed);
        if (!shard)
            return std::unexpected(shard.error());
        w->shards_.push_back(std::move(*shard));
    }
    // The configuration comes last: a folder without it is not an index yet.
    if (!existed)
        if (auto r = write_index_config(paths, count); !r)
            return std::unexpected(r.error());
    auto committed = IndexDatabase::open(paths);
    if (!committed)
        return std::unexpected(committed.error());
    w->committed_.emplace(std::move(*committed));
    const ThreadId last =
        parse_thread_id(w->shards_.front()->metadata(std::string(schema::kLastThreadKey))).value_or(0);
    w->threads_ = std::make_unique<XapianThreadStore>(*w->committed_, w->shards_, last);
    w->threader_ = std::make_unique<Threader>(*w->threads_);
    return w;
}

IndexWriter::~IndexWriter() = default;

Result<bool> IndexWriter::contains(const std::string& hash)
{
    if (pending_hashes_.contains(hash))
        return true;
    return guarded("reading index", [&]() -> Result<bool> {
        return committed_->db().term_exists(schema::term(schema::kHashPrefix, hash));
    });
}

Result<void> IndexWriter::add(Xapian::Document doc, std::string raw, std::string text, uint32_t flags,
                              const std::string& hash, const MessageLinks& links)
{
    return guarded("adding a message", [&]() -> Result<void> {
        const unsigned shard = shard_for(hash, static_cast<unsigned>(shards_.size()));
        const ThreadAssignment a = threader_->add(links);
        threads_->remove_ghost(links.id);
        threads_->label(doc, links.id, a, shard);
        shards_[shard]->add_message(std::move(doc), std::move(raw), std::move(text), flags);
        pending_hashes_.insert(hash);
        return {};
    });
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
    // Shard 0 carries the index-wide metadata (thread counter, aliases):
    // Xapian reads metadata of a multi-database from its first shard.
    shards_.front()->commit(threads_->take_metadata(), durable);
    for (size_t n = 1; n < shards_.size(); ++n)
        shards_[n]->commit({}, durable);
    if (auto r = wait_all(); !r)
        return r;
    return guarded("reading index", [&]() -> Result<void> {
        committed_->refresh();
        threads_->committed();
        pending_hashes_.clear();
        return {};
    });
}

Result<void> IndexWriter::compact()
{
    for (auto& shard : shards_)
        shard->compact();
    return wait_all();
}

Result<uint64_t> IndexWriter::message_count()
{
    return guarded("reading index", [&]() -> Result<uint64_t> {
        return committed_->db().get_termfreq(std::string(schema::kKindMail));
    });
}

} // namespace listdex
