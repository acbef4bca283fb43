// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "ShardWriter.hpp"

#include "DocData.hpp"
#include "StoredDocument.hpp"
#include "ShardStub.hpp"
#include "XapianGuard.hpp"
#include "listdex/index/Schema.hpp"

#include <algorithm>
#include <fcntl.h>
#include <unistd.h>

namespace listdex {

namespace {

/// Removes the generations of shard @p n that its stub does not list
/// (@p listed): left by a compaction that was interrupted before or after
/// its stub swap.
void remove_stale_generations(const IndexPaths& paths, unsigned n, const std::vector<unsigned>& listed)
{
    std::error_code ec;
    const std::string prefix = std::to_string(n) + ".g";
    std::vector<std::string> keep;
    for (unsigned g : listed)
        keep.push_back(paths.shard_generation(n, g).filename().string());
    for (const auto& e : std::filesystem::directory_iterator(paths.shard(n).parent_path(), ec)) {
        const std::string name = e.path().filename().string();
        if (name.starts_with(prefix) && std::ranges::find(keep, name) == keep.end())
            std::filesystem::remove_all(e.path(), ec);
    }
}

/// With DB_NO_SYNC Xapian leaves syncing to us: flush the whole filesystem
/// the shard is on, at the end of an import.
void sync_filesystem(const std::filesystem::path& dir)
{
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::syncfs(fd);
        ::close(fd);
    }
}

} // namespace

ShardWriter::ShardWriter(IndexPaths paths, unsigned n) : paths_(std::move(paths)), n_(n) {}

Result<std::unique_ptr<ShardWriter>> ShardWriter::open(const IndexPaths& paths, unsigned n, bool create)
{
    std::unique_ptr<ShardWriter> w(new ShardWriter(paths, n));
    auto opened = guarded("opening shard " + paths.shard(n).string(), [&]() -> Result<void> {
        std::filesystem::create_directories(paths.shard(n).parent_path());
        std::filesystem::create_directories(paths.raw(n).parent_path());
        auto listed = read_shard_stub(paths, n);
        if (!listed)
            return std::unexpected(listed.error());
        if (listed->empty() && !create)
            return fail(ExitCode::failure, paths.shard(n).string() + ": shard " + std::to_string(n) + " is missing",
                        "the index folder is incomplete; restore the shard or re-import into a new folder");
        if (listed->empty()) {
            // A new shard: generation 1, then the stub that names it.
            Xapian::WritableDatabase(paths.shard_generation(n, 1).string(),
                                     Xapian::DB_CREATE_OR_OPEN | Xapian::DB_BACKEND_GLASS)
                .close();
            listed->push_back(1);
            if (auto r = write_shard_stub(paths, n, *listed); !r)
                return r;
        }
        remove_stale_generations(paths, n, *listed);
        w->generations_ = std::move(*listed);
        w->databases_ = static_cast<unsigned>(w->generations_.size());
        // Local ids unique across the databases, so that a compaction
        // that keeps them (or a reader's order by id) stays sound.
        for (unsigned g : w->generations_) {
            const Xapian::Database database(paths.shard_generation(n, g).string());
            w->next_local_ = std::max(w->next_local_, database.get_lastdocid() + 1);
            w->newest_documents_ = database.get_doccount();
        }
        w->db_.emplace(paths.shard(n).string(), Xapian::DB_OPEN | Xapian::DB_NO_SYNC);
        const std::string version = w->db_->get_metadata(std::string(schema::kSchemaKey));
        if (version.empty() && w->db_->get_doccount() > 0)
            return fail(ExitCode::no_index, paths.shard(n).string() + ": not a listdex shard (no schema version)");
        if (!version.empty() && version != std::to_string(schema::kSchemaVersion))
            return fail(ExitCode::no_index,
                        paths.root.string() + ": index schema " + version + ", this listdex writes schema " +
                            std::to_string(schema::kSchemaVersion),
                        "import the archives into a new index folder");
        for (auto k = w->db_->metadata_keys_begin(); k != w->db_->metadata_keys_end(); ++k)
            if (!(*k).starts_with(schema::kAliasKeyPrefix))
                w->opened_metadata_[*k] = w->db_->get_metadata(*k);
        auto committed = [&](std::string_view key) -> uint64_t {
            const std::string s = w->metadata(std::string(key));
            return s.empty() ? 0 : std::stoull(s);
        };
        auto raw = RawStoreWriter::open(paths.raw(n), committed(schema::kRawSizeKey));
        if (!raw)
            return std::unexpected(raw.error());
        w->raw_ = std::move(*raw);
        auto text = RawStoreWriter::open(paths.text(n), committed(schema::kTextSizeKey), 64 * 1024);
        if (!text)
            return std::unexpected(text.error());
        w->text_ = std::move(*text);
        // Small blocks: a thread's messages lie in many blocks, and reading
        // one record decompresses its whole block.
        auto parsed = RawStoreWriter::open(paths.parsed(n), committed(schema::kParsedSizeKey), 32 * 1024);
        if (!parsed)
            return std::unexpected(parsed.error());
        w->parsed_ = std::move(*parsed);
        // Batches are unflushed transactions: if anything fails before the
        // next commit, the batch is dropped as a whole.
        w->db_->begin_transaction(false);
        return {};
    });
    if (!opened)
        return std::unexpected(opened.error());
    w->thread_ = std::thread([p = w.get()] { p->run(); });
    return w;
}

ShardWriter::~ShardWriter()
{
    {
        std::lock_guard lk(m_);
        stopping_ = true;
        ops_.clear();
    }
    cv_.notify_all();
    if (thread_.joinable())
        thread_.join();
    try {
        if (db_) { // (compact() closes it early)
            db_->cancel_transaction();
            db_->close();
        }
    } catch (const Xapian::Error&) {
        // Nothing was committed; the shard stays at its last commit.
    }
}

std::string ShardWriter::metadata(const std::string& key) const
{
    auto it = opened_metadata_.find(key);
    return it == opened_metadata_.end() ? std::string() : it->second;
}

void ShardWriter::post(std::function<void()> op)
{
    {
        std::lock_guard lk(m_);
        if (error_)
            return;
        ops_.push_back(std::move(op));
    }
    cv_.notify_one();
}

void ShardWriter::run()
{
    for (;;) {
        std::function<void()> op;
        {
            std::unique_lock lk(m_);
            busy_ = false;
            idle_cv_.notify_all();
            cv_.wait(lk, [&] { return stopping_ || !ops_.empty(); });
            if (stopping_)
                return;
            op = std::move(ops_.front());
            ops_.pop_front();
            busy_ = true;
        }
        std::optional<Error> failed;
        try {
            op();
        } catch (const Xapian::Error& e) {
            failed = xapian_error("writing shard " + std::to_string(n_), e);
        } catch (const Error& e) {
            failed = e;
        } catch (const std::exception& e) {
            failed = Error{ExitCode::failure, "writing shard " + std::to_string(n_) + ": " + e.what(), {}};
        }
        if (failed) {
            std::lock_guard lk(m_);
            error_ = std::move(failed);
            ops_.clear();
        }
    }
}

Result<void> ShardWriter::wait()
{
    std::unique_lock lk(m_);
    idle_cv_.wait(lk, [&] { return ops_.empty() && !busy_; });
    if (error_)
        return std::unexpected(*error_);
    return {};
}

namespace {
template <class T>
T value_or_throw(Result<T> r)
{
    if (!r)
        throw r.error();
    return std::move(*r);
}
} // namespace

void ShardWriter::add_message(Xapian::Document doc, std::string raw, std::string text, std::string parsed,
                              uint32_t flags)
{
    post([this, doc = std::move(doc), raw = std::move(raw), text = std::move(text), parsed = std::move(parsed),
          flags]() mutable {
        const RawRef ref = value_or_throw(raw_->add(raw));
        const RawRef text_ref = value_or_throw(text_->add(text));
        const RawRef parsed_ref = value_or_throw(parsed_->add(parsed));
        doc.set_data(DocData{ref, flags, text_ref, parsed_ref, summary_from_values(doc)}.encode());
        add(doc);
    });
}

void ShardWriter::add_document(Xapian::Document doc)
{
    post([this, doc = std::move(doc)] { add(doc); });
}

void ShardWriter::add(const Xapian::Document& doc)
{
    const auto databases = static_cast<Xapian::docid>(generations_.size());
    ++newest_documents_;
    if (databases == 1) {
        db_->add_document(doc);
        return;
    }
    // Xapian's add_document would deal new documents out to the databases
    // in turn; they go to the newest one. Id (l - 1) * k + k of k databases
    // is local id l of the last.
    db_->replace_document((next_local_ - 1) * databases + databases, doc);
    ++next_local_;
}

void ShardWriter::add_terms(std::string key_term, std::vector<std::string> terms)
{
    post([this, key_term = std::move(key_term), terms = std::move(terms)] {
        static const std::string list_prefix(schema::prefix::list);
        std::vector<Xapian::docid> ids(db_->postlist_begin(key_term), db_->postlist_end(key_term));
        for (Xapian::docid d : ids) {
            Xapian::Document doc = db_->get_document(d);
            for (const auto& t : terms)
                doc.add_boolean_term(t);
            std::string lists;
            auto t = doc.termlist_begin();
            for (t.skip_to(list_prefix); t != doc.termlist_end() && (*t).starts_with(list_prefix); ++t)
                lists.append(lists.empty() ? "" : " ").append(*t, list_prefix.size());
            doc.add_value(schema::Slot::list, lists);
            db_->replace_document(d, doc);
        }
    });
}

void ShardWriter::retag(std::string id_term, TagEdit edit)
{
    post([this, id_term = std::move(id_term), edit = std::move(edit)] {
        const std::string tag_prefix(schema::prefix::tag);
        std::vector<Xapian::docid> ids(db_->postlist_begin(id_term), db_->postlist_end(id_term));
        for (Xapian::docid d : ids) {
            Xapian::Document doc = db_->get_document(d);
            if (doc.get_data() == schema::kGhostData)
                continue;
            const std::vector<std::string> present = document_tags(doc);
            auto has = [&](const std::string& tag) { return std::ranges::find(present, tag) != present.end(); };
            auto wanted = [&](const std::string& tag) { return std::ranges::find(edit.add, tag) != edit.add.end(); };
            bool changed = false;
            for (const auto& tag : present)
                if ((edit.exact && !wanted(tag)) || std::ranges::find(edit.remove, tag) != edit.remove.end()) {
                    doc.remove_term(schema::term(tag_prefix, tag));
                    changed = true;
                }
            for (const auto& tag : edit.add)
                if (!has(tag) && std::ranges::find(edit.remove, tag) == edit.remove.end()) {
                    doc.add_boolean_term(schema::term(tag_prefix, tag));
                    changed = true;
                }
            if (changed) {
                db_->replace_document(d, doc);
                ++retagged_;
            }
        }
    });
}

void ShardWriter::remove_messages(std::string key_term)
{
    post([this, key_term = std::move(key_term)] { db_->delete_document(key_term); });
}

void ShardWriter::remove_ghosts(std::string id_term)
{
    post([this, id_term = std::move(id_term)] {
        std::vector<Xapian::docid> ghosts;
        for (auto p = db_->postlist_begin(id_term); p != db_->postlist_end(id_term); ++p)
            if (db_->get_document(*p).get_data() == schema::kGhostData)
                ghosts.push_back(*p);
        for (Xapian::docid d : ghosts)
            db_->delete_document(d);
    });
}

void ShardWriter::store_parsed(Xapian::docid docid, std::string record)
{
    post([this, docid, record = std::move(record)] {
        Xapian::Document doc = db_->get_document(docid);
        auto data = DocData::decode(doc.get_data());
        if (!data)
            return; // a ghost, or data check reports
        data->parsed = value_or_throw(parsed_->add(record));
        doc.set_data(data->encode()); // only the data changes: Xapian rewrites no term
        db_->replace_document(docid, doc);
    });
}

void ShardWriter::merge_thread(std::string from_term, std::string into_term, std::string into_value)
{
    post([this, from_term = std::move(from_term), into_term = std::move(into_term),
          into_value = std::move(into_value)] {
        std::vector<Xapian::docid> ids(db_->postlist_begin(from_term), db_->postlist_end(from_term));
        for (Xapian::docid d : ids) {
            Xapian::Document doc = db_->get_document(d);
            doc.remove_term(from_term);
            doc.add_boolean_term(into_term);
            doc.add_value(schema::Slot::thread, into_value);
            db_->replace_document(d, doc);
        }
    });
}

void ShardWriter::commit(std::map<std::string, std::string> metadata, bool durable)
{
    post([this, metadata = std::move(metadata), durable] {
        // Raw bytes first, then the Xapian commit that refers to them.
        const uint64_t raw_size = value_or_throw(raw_->flush(durable));
        const uint64_t text_size = value_or_throw(text_->flush(durable));
        const uint64_t parsed_size = value_or_throw(parsed_->flush(durable));
        db_->set_metadata(std::string(schema::kSchemaKey), std::to_string(schema::kSchemaVersion));
        db_->set_metadata(std::string(schema::kRawSizeKey), std::to_string(raw_size));
        db_->set_metadata(std::string(schema::kTextSizeKey), std::to_string(text_size));
        db_->set_metadata(std::string(schema::kParsedSizeKey), std::to_string(parsed_size));
        for (const auto& [key, value] : metadata)
            db_->set_metadata(key, value);
        db_->commit_transaction();
        db_->commit();
        if (durable)
            sync_filesystem(paths_.shard(n_).parent_path());
        db_->begin_transaction(false);
    });
}

unsigned ShardWriter::next_generation()
{
    const unsigned next = std::ranges::max(generations_) + 1;
    db_->cancel_transaction(); // empty: everything was committed
    std::error_code ec;
    std::filesystem::remove_all(paths_.shard_generation(n_, next), ec); // debris: no stub lists it
    return next;
}

void ShardWriter::start_database()
{
    post([this] {
        const unsigned next = next_generation();
        const auto target = paths_.shard_generation(n_, next);
        // Created synced, before the stub names it.
        Xapian::WritableDatabase(target.string(), Xapian::DB_CREATE | Xapian::DB_BACKEND_GLASS).close();
        auto listed = generations_;
        listed.push_back(next);
        if (auto r = write_shard_stub(paths_, n_, listed); !r)
            throw r.error();
        db_->close();
        db_.reset();
        generations_ = std::move(listed);
        databases_ = static_cast<unsigned>(generations_.size());
        newest_documents_ = 0;
        db_.emplace(paths_.shard(n_).string(), Xapian::DB_OPEN | Xapian::DB_NO_SYNC);
        db_->begin_transaction(false);
    });
}

void ShardWriter::compact()
{
    post([this] {
        // The databases listed are merged (Xapian renumbers: documents of
        // the first, then of the next, in order) into one new generation.
        const unsigned next = next_generation();
        const auto target = paths_.shard_generation(n_, next);
        db_->compact(target.string());
        db_->close();
        db_.reset();
        sync_filesystem(target);
        const unsigned compacted[] = {next};
        if (auto r = write_shard_stub(paths_, n_, compacted); !r)
            throw r.error();
        sync_filesystem(paths_.shard(n_).parent_path());
        std::error_code ec;
        for (unsigned g : generations_)
            std::filesystem::remove_all(paths_.shard_generation(n_, g), ec);
        generations_ = {next};
        databases_ = 1;
    });
}

} // namespace listdex
