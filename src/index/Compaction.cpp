// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "listdex/index/Compaction.hpp"

#include "IndexConfig.hpp"
#include "IndexWriter.hpp"

#include <chrono>

namespace listdex {

namespace {

/// Bytes of the files under @p dir.
uint64_t folder_bytes(const std::filesystem::path& dir)
{
    uint64_t total = 0;
    std::error_code ec;
    for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec))
        if (it->is_regular_file(ec))
            total += it->file_size(ec);
    return total;
}

} // namespace

Result<CompactReport> compact_index(const IndexPaths& paths)
{
    auto config = read_index_config(paths); // (a writer would make a new index)
    if (!config)
        return std::unexpected(config.error());
    const auto started = std::chrono::steady_clock::now();
    auto writer = IndexWriter::open(paths, 0);
    if (!writer)
        return std::unexpected(writer.error());
    CompactReport report;
    report.bytes_before = folder_bytes(paths.root / "shards");
    report.shards = config->shards;
    for (unsigned databases : (*writer)->shard_databases()) // as the writer read the stubs
        report.databases_before += databases;
    if (auto r = (*writer)->compact(); !r)
        return std::unexpected(r.error());
    writer->reset(); // the lock goes last
    report.bytes_after = folder_bytes(paths.root / "shards");
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return report;
}

} // namespace listdex
