// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "IndexConfig.hpp"

#include <cstdio>
#include <random>

#include "listdex/base/File.hpp"
#include "listdex/base/Hash.hpp"
#include "listdex/base/Text.hpp"
#include "listdex/index/Schema.hpp"

#include <fstream>
#include <sstream>

namespace listdex {

namespace {

/// "tcp://host:port" (host may be a bracketed IPv6 address).
std::optional<RemoteShard> parse_remote(std::string_view url)
{
    if (!url.starts_with("tcp://"))
        return std::nullopt;
    url.remove_prefix(6);
    const size_t colon = url.rfind(':');
    if (colon == std::string_view::npos || colon == 0)
        return std::nullopt;
    std::string_view host = url.substr(0, colon);
    if (host.starts_with('[') && host.ends_with(']'))
        host = host.substr(1, host.size() - 2);
    auto port = parse_number<unsigned>(url.substr(colon + 1));
    if (!port || *port == 0 || *port > 65535 || host.empty())
        return std::nullopt;
    return RemoteShard{std::string(host), *port};
}

} // namespace

Result<IndexConfig> read_index_config(const IndexPaths& paths)
{
    std::ifstream in(paths.config());
    if (!in)
        return fail(ExitCode::no_index, "no listdex index at " + paths.root.string(),
                    "import an archive first (listdex import FILE), or name the index with --index DIR "
                    "or $LISTDEX_INDEX");
    IndexConfig config;
    std::string schema_version = "unknown";
    int line_no = 0;
    for (std::string line; std::getline(in, line);) {
        ++line_no;
        const std::string_view text = trim(std::string_view(line).substr(0, line.find('#')));
        if (text.empty())
            continue;
        const size_t eq = text.find('=');
        const std::string_view key = trim(text.substr(0, eq));
        const std::string_view value = eq == std::string_view::npos ? "" : trim(text.substr(eq + 1));
        auto bad = [&](std::string_view why) {
            return fail(ExitCode::failure,
                        paths.config().string() + ":" + std::to_string(line_no) + ": " + std::string(why),
                        "see docs/architecture.md (Shards)");
        };
        if (key == "schema") {
            schema_version = std::string(value);
        } else if (key == "id") {
            config.id = std::string(value);
        } else if (key == "shards") {
            auto n = parse_number<unsigned>(value);
            if (!n || *n == 0 || *n > 256)
                return bad("shards must be a number from 1 to 256");
            config.shards = *n;
        } else if (key == "shard-by") {
            if (value == "message")
                config.shard_by = ShardBy::message;
            else if (value == "list")
                config.shard_by = ShardBy::list;
            else
                return bad("shard-by must be message or list");
        } else if (key == "databases") {
            if (value != "several")
                return bad("databases must be several (or the line absent)");
            config.several_databases = true;
        } else if (key.starts_with("list.")) {
            auto n = parse_number<unsigned>(value);
            if (key.size() == 5 || !n)
                return bad("expected list.LIST-ID = SHARD");
            config.list_shard[std::string(key.substr(5))] = *n;
        } else if (key.starts_with("shard.")) {
            auto n = parse_number<unsigned>(key.substr(6));
            auto remote = parse_remote(value);
            if (!n || !remote)
                return bad("expected shard.N = tcp://HOST:PORT");
            config.remote[*n] = *remote;
        } else {
            return bad("unknown setting '" + std::string(key) + "'");
        }
    }
    if (schema_version != std::to_string(schema::kSchemaVersion))
        return fail(ExitCode::no_index,
                    paths.root.string() + ": index schema " + schema_version + ", this listdex reads schema " +
                        std::to_string(schema::kSchemaVersion),
                    "import the archives into a new index folder");
    for (const auto& [n, remote] : config.remote)
        if (n >= config.shards)
            return fail(ExitCode::failure,
                        paths.config().string() + ": shard." + std::to_string(n) + " but the index has " +
                            std::to_string(config.shards) + " shards");
    for (const auto& [list, n] : config.list_shard) {
        if (config.shard_by != ShardBy::list)
            return fail(ExitCode::failure, paths.config().string() + ": list." + list + " needs shard-by = list");
        if (n >= config.shards)
            return fail(ExitCode::failure, paths.config().string() + ": list." + list + " = " + std::to_string(n) +
                                               " but the index has " + std::to_string(config.shards) + " shards");
    }
    return config;
}

std::string new_index_id()
{
    std::random_device random;
    std::string id;
    char buf[9];
    for (int i = 0; i < 4; ++i) {
        std::snprintf(buf, sizeof buf, "%08x", static_cast<unsigned>(random()));
        id += buf;
    }
    return id;
}

unsigned shard_for(std::string_view key, unsigned shards)
{
    if (shards <= 1)
        return 0;
    return static_cast<unsigned>(parse_number<uint64_t>(content_hash(key).substr(0, 8), 16).value_or(0) % shards);
}

std::optional<unsigned> IndexConfig::list_home(std::string_view list) const
{
    if (shard_by != ShardBy::list || list.empty())
        return std::nullopt;
    if (auto it = list_shard.find(list); it != list_shard.end())
        return it->second;
    return shard_for(list, shards);
}

unsigned IndexConfig::home_shard(std::string_view list, std::string_view hash) const
{
    return list_home(list).value_or(shard_for(hash, shards));
}

bool IndexConfig::placed_right(unsigned shard, const std::vector<std::string>& lists, std::string_view hash) const
{
    // A message that came without a list went by its hash, and keeps its
    // shard when a copy later adds a list.
    if (shard_for(hash, shards) == shard)
        return true;
    for (const auto& list : lists)
        if (list_home(list) == shard)
            return true;
    return false;
}

Result<void> write_index_config(const IndexPaths& paths, const IndexConfig& config)
{
    std::ostringstream out;
    out << "# listdex index (see docs/architecture.md)\n"
        << "schema = " << schema::kSchemaVersion << "\n"
        << "id = " << config.id << "\n"
        << "shards = " << config.shards << "\n";
    if (config.shard_by == ShardBy::list) {
        out << "shard-by = list\n";
        for (const auto& [list, n] : config.list_shard)
            out << "list." << list << " = " << n << "\n";
    }
    if (config.several_databases)
        out << "# a shard's stub may list several databases (docs/schema.md, Databases of a shard)\n"
            << "databases = several\n";
    out << "# shard.N = tcp://HOST:PORT makes readers use xapian-tcpsrv for shard N\n";
    for (const auto& [n, remote] : config.remote) {
        const bool ipv6 = remote.host.find(':') != std::string::npos;
        out << "shard." << n << " = tcp://" << (ipv6 ? "[" : "") << remote.host << (ipv6 ? "]" : "") << ":"
            << remote.port << "\n";
    }
    return replace_file(paths.config(), out.str());
}

} // namespace listdex
