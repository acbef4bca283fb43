#include "IndexWriter.hpp"

#include "DocData.hpp"
#include "StoredDocument.hpp"
#include "XapianGuard.hpp"
#include "listdex/index/Schema.hpp"

#include <fcntl.h>
#include <fstream>
#include <unistd.h>

namespace listdex {

namespace {

Result<void> write_config(const IndexPaths& paths)
{
    if (paths.exists())
        return {};
    const auto tmp = paths.config().string() + ".tmp";
    {
        std::ofstream out(tmp);
        out << "# listdex index\n"
            << "schema = " << schema::kSchemaVersion << "\n"
            << "shards = 1\n";
        if (!out)
            return fail(ExitCode::failure, tmp + ": cannot write index configuration");
    }
    std::error_code ec;
    std::filesystem::rename(tmp, paths.config(), ec);
    if (ec)
        return fail(ExitCode::failure, paths.config().string() + ": " + ec.message());
    return {};
}

/// Points the shard's stub at @p generation, atomically (write, sync, rename).
Result<void> write_stub(const IndexPaths& paths, unsigned generation)
{
    const auto stub = paths.shard(0);
    const auto tmp = stub.string() + ".tmp";
    {
        std::ofstream out(tmp);
        out << "glass " << paths.shard_generation(0, generation).filename().string() << "\n";
        out.flush();
        if (!out)
            return fail(ExitCode::failure, tmp + ": cannot write");
    }
    if (const int fd = ::open(tmp.c_str(), O_RDONLY | O_CLOEXEC); fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
    std::error_code ec;
    std::filesystem::rename(tmp, stub, ec);
    if (ec)
        return fail(ExitCode::failure, stub.string() + ": " + ec.message());
    return {};
}

/// The generation a stub names ("glass 0.g7" -> 7); 0 when unreadable.
unsigned stub_generation(const std::filesystem::path& stub)
{
    std::ifstream in(stub);
    std::string backend, dir;
    in >> backend >> dir;
    const size_t g = dir.rfind(".g");
    if (backend != "glass" || g == std::string::npos)
        return 0;
    try {
        return static_cast<unsigned>(std::stoul(dir.substr(g + 2)));
    } catch (const std::exception&) {
        return 0;
    }
}

/// Removes generations other than @p current: left by a compaction that
/// was interrupted before or after its stub swap.
void remove_stale_generations(const IndexPaths& paths, unsigned current)
{
    std::error_code ec;
    const std::string keep = paths.shard_generation(0, current).filename().string();
    for (const auto& e : std::filesystem::directory_iterator(paths.shard(0).parent_path(), ec)) {
        const std::string name = e.path().filename().string();
        if (name.starts_with("0.g") && name != keep)
            std::filesystem::remove_all(e.path(), ec);
    }
}

/// With DB_NO_SYNC Xapian leaves syncing to us: flush the whole filesystem
/// the shard is on once, at the end of an import.
void sync_filesystem(const std::filesystem::path& dir)
{
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::syncfs(fd);
        ::close(fd);
    }
}

} // namespace

Result<std::unique_ptr<IndexWriter>> IndexWriter::open(const IndexPaths& paths)
{
    auto lock = IndexLock::acquire(paths);
    if (!lock)
        return std::unexpected(lock.error());
    if (paths.exists())
        if (auto r = check_index_schema(paths); !r)
            return std::unexpected(r.error());
    std::unique_ptr<IndexWriter> w(new IndexWriter());
    w->lock_ = std::move(*lock);
    w->paths_ = paths;
    return guarded("opening index " + paths.root.string(), [&]() -> Result<std::unique_ptr<IndexWriter>> {
        std::filesystem::create_directories(paths.shard(0).parent_path());
        w->generation_ = stub_generation(paths.shard(0));
        if (w->generation_ == 0) {
            // A new index: generation 1, then the stub that names it.
            w->generation_ = 1;
            Xapian::WritableDatabase(paths.shard_generation(0, 1).string(),
                                     Xapian::DB_CREATE_OR_OPEN | Xapian::DB_BACKEND_GLASS)
                .close();
            if (auto r = write_stub(paths, 1); !r)
                return std::unexpected(r.error());
        }
        remove_stale_generations(paths, w->generation_);
        w->db_.emplace(paths.shard(0).string(), Xapian::DB_OPEN | Xapian::DB_NO_SYNC);
        const std::string version = w->db_->get_metadata(std::string(schema::kSchemaKey));
        if (version.empty() && w->db_->get_doccount() > 0)
            return fail(ExitCode::no_index, paths.root.string() + ": not a listdex index (no schema version)");
        if (!version.empty() && version != std::to_string(schema::kSchemaVersion))
            return fail(ExitCode::no_index,
                        paths.root.string() + ": index schema " + version + ", this listdex writes schema " +
                            std::to_string(schema::kSchemaVersion),
                        "import the archives into a new index folder");
        auto committed = [&](std::string_view key) -> uint64_t {
            const std::string s = w->db_->get_metadata(std::string(key));
            return s.empty() ? 0 : std::stoull(s);
        };
        auto raw = RawStoreWriter::open(paths.raw(0), committed(schema::kRawSizeKey));
        if (!raw)
            return std::unexpected(raw.error());
        w->raw_ = std::move(*raw);
        auto text = RawStoreWriter::open(paths.text(0), committed(schema::kTextSizeKey), 64 * 1024);
        if (!text)
            return std::unexpected(text.error());
        w->text_ = std::move(*text);
        w->threads_ = std::make_unique<XapianThreadStore>(*w->db_);
        w->threader_ = std::make_unique<Threader>(*w->threads_);
        if (auto r = write_config(paths); !r)
            return std::unexpected(r.error());
        // Batches are unflushed transactions: if anything fails before the
        // next commit, the batch is dropped as a whole.
        w->db_->begin_transaction(false);
        return std::move(w);
    });
}

IndexWriter::~IndexWriter()
{
    try {
        if (db_) { // (compact() closes it early)
            db_->cancel_transaction();
            db_->close();
        }
    } catch (const Xapian::Error&) {
        // Nothing was committed; the index stays at its last commit.
    }
}

Result<bool> IndexWriter::contains(const std::string& hash)
{
    return guarded("reading index", [&]() -> Result<bool> {
        return db_->term_exists(schema::term(schema::kHashPrefix, hash));
    });
}

Result<void> IndexWriter::add(Xapian::Document& doc, std::string_view raw, std::string_view text, uint32_t flags,
                              const MessageLinks& links)
{
    auto ref = raw_->add(raw);
    if (!ref)
        return std::unexpected(ref.error());
    auto text_ref = text_->add(text.substr(0, schema::kMaxStoredText));
    if (!text_ref)
        return std::unexpected(text_ref.error());
    return guarded("adding a message", [&]() -> Result<void> {
        const ThreadAssignment a = threader_->add(links);
        threads_->remove_ghost(links.id);
        threads_->label(doc, links.id, a);
        doc.set_data(DocData{*ref, flags, *text_ref}.encode());
        db_->add_document(doc);
        return {};
    });
}

Result<void> IndexWriter::commit(bool durable)
{
    // Raw bytes first, then the Xapian commit that refers to them.
    auto size = raw_->flush(durable);
    if (!size)
        return std::unexpected(size.error());
    auto text_size = text_->flush(durable);
    if (!text_size)
        return std::unexpected(text_size.error());
    return guarded("committing index", [&]() -> Result<void> {
        db_->set_metadata(std::string(schema::kSchemaKey), std::to_string(schema::kSchemaVersion));
        db_->set_metadata(std::string(schema::kRawSizeKey), std::to_string(*size));
        db_->set_metadata(std::string(schema::kTextSizeKey), std::to_string(*text_size));
        threads_->save();
        db_->commit_transaction();
        db_->commit();
        if (durable)
            sync_filesystem(paths_.shard(0).parent_path());
        db_->begin_transaction(false);
        return {};
    });
}

Result<void> IndexWriter::compact()
{
    const unsigned next = generation_ + 1;
    const auto target = paths_.shard_generation(0, next);
    auto compacted = guarded("compacting index", [&]() -> Result<void> {
        db_->cancel_transaction(); // empty: everything was committed
        std::error_code ec;
        std::filesystem::remove_all(target, ec);
        db_->compact(target.string());
        db_->close();
        db_.reset();
        return {};
    });
    if (!compacted)
        return compacted;
    sync_filesystem(target);
    if (auto r = write_stub(paths_, next); !r)
        return r;
    sync_filesystem(paths_.shard(0).parent_path());
    std::error_code ec;
    std::filesystem::remove_all(paths_.shard_generation(0, generation_), ec);
    generation_ = next;
    return {};
}

Result<uint64_t> IndexWriter::message_count()
{
    return guarded("reading index", [&]() -> Result<uint64_t> {
        return db_->get_termfreq(std::string(schema::kKindMail));
    });
}

} // namespace listdex
