// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "ShardStub.hpp"

#include "listdex/base/File.hpp"

#include <charconv>
#include <chrono>
#include <fstream>
#include <sstream>
#include <sys/stat.h>

namespace listdex {

std::optional<FileStamp> file_stamp(const std::filesystem::path& path)
{
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        return std::nullopt;
    return FileStamp{static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino),
                     static_cast<uint64_t>(st.st_size),
                     static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec};
}

int64_t wall_clock_ns()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

Result<std::vector<unsigned>> read_shard_stub(const IndexPaths& paths, unsigned n)
{
    const auto stub = paths.shard(n);
    std::ifstream in(stub);
    if (!in) {
        std::error_code ec;
        if (!std::filesystem::exists(stub, ec) && !ec)
            return std::vector<unsigned>{};
        return fail(ExitCode::failure, stub.string() + ": cannot read the shard's stub");
    }
    const std::string prefix = std::to_string(n) + ".g";
    std::vector<unsigned> generations;
    std::string line;
    for (size_t number = 1; std::getline(in, line); ++number) {
        if (line.empty() || line.front() == '#')
            continue;
        std::istringstream words(line);
        std::string backend, name, extra;
        words >> backend >> name >> extra;
        unsigned g = 0;
        const char* digits = name.data() + std::min(prefix.size(), name.size());
        const auto [end, ec] = std::from_chars(digits, name.data() + name.size(), g);
        if (backend != "glass" || !extra.empty() || !name.starts_with(prefix) || ec != std::errc() ||
            end != name.data() + name.size() || g == 0)
            return fail(ExitCode::failure,
                        stub.string() + ":" + std::to_string(number) + ": not a database of shard " +
                            std::to_string(n) + ": " + line,
                        "listdex writes \"glass " + prefix + "N\" lines; restore the stub");
        generations.push_back(g);
    }
    if (generations.empty())
        return fail(ExitCode::failure, stub.string() + ": the shard's stub lists no database",
                    "restore the stub, or re-import into a new index folder");
    return generations;
}

Result<void> write_shard_stub(const IndexPaths& paths, unsigned n, std::span<const unsigned> generations)
{
    std::string text;
    for (unsigned g : generations)
        text += "glass " + paths.shard_generation(n, g).filename().string() + "\n";
    return replace_file(paths.shard(n), text);
}

} // namespace listdex
