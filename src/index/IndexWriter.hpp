#pragma once
/// @file IndexWriter.hpp
/// The one writer of an index: holds the lock, the Xapian WritableDatabase
/// and the raw store, and commits them together (raw store first).
/// Not thread-safe: exactly one thread writes.

#include "IndexLock.hpp"
#include "XapianThreadStore.hpp"
#include "listdex/base/Error.hpp"
#include "listdex/index/IndexPaths.hpp"
#include "listdex/index/RawStore.hpp"

#include <xapian.h>

#include <memory>
#include <optional>

namespace listdex {

class IndexWriter {
public:
    /// Opens or creates the index at @p paths. Fails with ExitCode::locked
    /// when another process writes it, or when its schema is not ours.
    static Result<std::unique_ptr<IndexWriter>> open(const IndexPaths& paths);
    /// Uncommitted changes are discarded (an open transaction is cancelled).
    ~IndexWriter();

    /// Whether a message with this content hash is indexed (committed or not).
    Result<bool> contains(const std::string& hash);
    /// Threads the message (see Threader), stores @p raw and @p text (the
    /// decoded body, for snippets), and adds @p doc (built by
    /// DocumentBuilder) with its thread, data and kind.
    Result<void> add(Xapian::Document& doc, std::string_view raw, std::string_view text, uint32_t flags,
                     const MessageLinks& links);
    /// Makes everything added so far visible to readers, atomically.
    /// @p durable also fsyncs (used for the final commit of an import).
    Result<void> commit(bool durable);
    Result<uint64_t> message_count();
    /// Rewrites the committed database compactly (Xapian::Database::compact)
    /// as a new generation and swaps the shard's stub to it atomically; then
    /// removes the old generation. Readers with the old one open keep
    /// reading it. Must be the last call: the writer is closed afterwards.
    Result<void> compact();

private:
    IndexWriter() = default;
    std::unique_ptr<IndexLock> lock_;
    IndexPaths paths_;
    unsigned generation_ = 1; ///< current generation of shard 0
    std::optional<Xapian::WritableDatabase> db_;
    std::unique_ptr<RawStoreWriter> raw_;
    std::unique_ptr<RawStoreWriter> text_;
    std::unique_ptr<XapianThreadStore> threads_;
    std::unique_ptr<Threader> threader_;
};

} // namespace listdex
