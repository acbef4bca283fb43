// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file Importer.hpp
/// `listdex import`: inputs -> messages -> parsed documents -> index.
///
/// Pipeline: one reader thread splits the inputs into raw messages (in
/// order, numbered); a pool of workers hashes, skips what the index already
/// holds, parses with GMime and builds Xapian documents; the calling thread
/// threads them in input order (so an import is deterministic) and hands
/// each to the writer thread of its shard; every shard commits in batches.
/// Messages in flight and batches are bounded in bytes by the memory
/// setting, so memory does not grow with the archive.

#include "listdex/base/Error.hpp"
#include "listdex/index/IndexPaths.hpp"
#include "listdex/index/Placement.hpp"

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace listdex {

struct ImportProgress {
    uint64_t messages = 0;     ///< messages read so far
    uint64_t input_done = 0;   ///< bytes of input files consumed (compressed size)
    uint64_t input_total = 0;  ///< total input bytes; 0 when unknown (stdin)
    double seconds = 0;
};

/// A message that was imported with problems, or rejected.
struct ImportIssue {
    std::string source;
    uint64_t offset = 0;
    std::string commit; ///< git sources: the commit (offset is then 0)
    std::string message_id;
    std::vector<std::string> problems;
};

struct ImportReport {
    uint64_t messages_read = 0;
    uint64_t imported = 0;
    uint64_t duplicates = 0;          ///< byte-for-byte (after line endings) already stored
    uint64_t copies = 0;              ///< the same message already stored (cross-posts): list added
    uint64_t removed = 0;             ///< removed, as public-inbox recorded
    uint64_t removals_unknown = 0;    ///< removals of messages the index does not hold
    uint64_t parents_by_subject = 0;  ///< parents inferred from the subject (--thread-by-subject)
    uint64_t damaged = 0;             ///< imported with decoding problems
    uint64_t recovered = 0;           ///< had lost every line break; rebuilt
    uint64_t from_html = 0;           ///< rebuilt from pages of an HTML (MHonArc) archive
    uint64_t dates_from_envelope = 0; ///< Date unusable: mbox From_ line date used
    uint64_t dates_from_order = 0;    ///< no date at all: previous message's date used
    uint64_t rejected = 0;
    std::vector<ImportIssue> damaged_messages; ///< the first kMaxListed
    std::vector<ImportIssue> rejected_messages;
    std::vector<ImportIssue> recovered_messages;
    std::vector<std::string> skipped_files; ///< non-mail files inside directories
    std::vector<std::string> failed_files;  ///< inputs that broke off (I/O, decompression)
    uint64_t input_files = 0;
    uint64_t input_bytes = 0;
    uint64_t index_messages = 0;            ///< messages in the index afterwards
    double seconds = 0;
    /// Why the import compacted the index (ImportOptions::compact): "" when
    /// it did not.
    std::string compacted_because;
    bool interrupted = false;

    static constexpr size_t kMaxListed = 1000;
    /// ok, partial (rejections or failed files) or interrupted.
    [[nodiscard]] ExitCode exit_code() const;
};

struct ImportOptions {
    unsigned workers = 0;                 ///< parse threads; 0 = one per core
    unsigned shards = 0;                  ///< shards of a new index; 0 = one per core
    PlacementRequest placement;           ///< which shard each message goes to
    /// Peak memory the import stays under. It sizes the window of raw mail
    /// between reading and writing (memory / 64: parsed documents are
    /// several times larger than the mail), a commit's batch (memory / 16
    /// bytes of raw mail, or memory / 1024 terms: Xapian buffers about 200
    /// bytes per term of a document until the commit) and the largest
    /// message accepted (memory / 5: decoding one takes about three times
    /// its size); larger ones are rejected and reported, never silently
    /// dropped.
    uint64_t memory = 400ull << 20;
    /// Commit at least every this many messages as well (tests use it to
    /// force many small commits).
    uint64_t batch_messages = UINT64_MAX;
    /// The list of every message imported (`--list`); empty: each message's
    /// List-Id, X-Mailing-List or Mailing-List, or its public-inbox inbox's.
    std::string list;
    /// Subject threading for messages without In-Reply-To/References
    /// (Threader::thread_by_subject): the window in seconds; 0 = off.
    int64_t subject_window = 0;
    /// Compact the index after the import: automatically when the import
    /// added at least a quarter of the messages now in the index (first and
    /// bulk imports; compaction rewrites the whole index) or left a shard
    /// with more than kMostShardDatabases databases, always, or never.
    enum class Compact { automatic, always, never } compact = Compact::automatic;
    /// A shard whose newest Xapian database holds this many documents adds
    /// later ones to a new database (docs/schema.md, Databases of a shard).
    uint64_t database_documents = kDatabaseDocuments;
    std::function<void(const ImportProgress&)> progress; ///< called from the writer thread
    const std::atomic<bool>* stop = nullptr; ///< set (e.g. by SIGINT) to stop cleanly
};

/// Imports @p paths into the index at @p index (created when missing).
/// Inputs are checked before the index is touched: a missing, unreadable or
/// non-mail input fails with ExitCode::bad_input and writes nothing. Damage
/// inside an archive never aborts the import; it is counted in the report.
/// A stop request commits what was read so far and returns with
/// `interrupted` set. Fails with ExitCode::locked when another process
/// writes the index.
Result<ImportReport> import_archives(const IndexPaths& index, const std::vector<std::string>& paths,
                                     const ImportOptions& options);

} // namespace listdex
