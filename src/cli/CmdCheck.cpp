// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "Commands.hpp"

#include "listdex/index/Compaction.hpp"
#include "listdex/index/IndexCheck.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>

namespace listdex::cli {

int cmd_check(const std::vector<std::string>& args)
{
    po::positional_options_description pos;
    po::variables_map vm;
    if (auto rc = parse_args(*find_command("check"), args, pos, vm))
        return *rc;
    const std::string format = vm["format"].as<std::string>();
    if (auto rc = check_choice(vm, "check", "format", {"text", "json"}))
        return *rc;
    const IndexPaths paths = index_paths(vm);
    auto r = check_index(paths, {.repair = vm.count("repair") > 0, .decoding = vm.count("decoding") > 0});
    if (!r)
        return report(r.error());
    if (format == "json") {
        nlohmann::ordered_json j = {{"index", paths.root.string()}, {"messages", r->messages},
                                    {"placeholders", r->ghosts},   {"threads", r->threads},
                                    {"problems", r->problems},     {"unrepairable", r->unrepairable},
                                    {"repairs", r->repairs}};
        std::cout << j.dump(2) << "\n";
    } else {
        for (const auto& line : r->repairs)
            std::cout << "repaired: " << line << "\n";
        for (const auto& line : r->problems)
            std::cout << "problem: " << line << "\n";
        std::cout << paths.root.string() << ": " << r->messages << " messages, " << r->ghosts << " placeholders, "
                  << r->threads << " threads: "
                  << (r->problems.empty() ? "no problems" : std::to_string(r->problems.size()) + " problems") << "\n";
        if (!r->problems.empty() && r->problems.size() > r->unrepairable.size())
            std::cout << (vm.count("decoding") ? "hint: listdex check --repair --decoding fixes the thread-level ones "
                                                 "and stores the decodings\n"
                                               : "hint: listdex check --repair fixes the thread-level ones\n");
    }
    return r->problems.empty() ? 0 : 1;
}

int cmd_compact(const std::vector<std::string>& args)
{
    po::positional_options_description pos;
    po::variables_map vm;
    if (auto rc = parse_args(*find_command("compact"), args, pos, vm))
        return *rc;
    if (auto rc = check_choice(vm, "compact", "format", {"text", "json"}))
        return *rc;
    const IndexPaths paths = index_paths(vm);
    auto r = compact_index(paths);
    if (!r)
        return report(r.error());
    if (vm["format"].as<std::string>() == "json") {
        nlohmann::ordered_json j = {{"index", paths.root.string()},
                                    {"shards", r->shards},
                                    {"databases_before", r->databases_before},
                                    {"bytes_before", r->bytes_before},
                                    {"bytes_after", r->bytes_after},
                                    {"seconds", r->seconds}};
        std::cout << j.dump(2) << "\n";
        return 0;
    }
    char line[160];
    std::snprintf(line, sizeof line, ": %u shards, %u databases merged into %u; %.2f GB before, %.2f GB after; %.1f s\n",
                  r->shards, r->databases_before, r->shards, static_cast<double>(r->bytes_before) / 1e9,
                  static_cast<double>(r->bytes_after) / 1e9, r->seconds);
    std::cout << paths.root.string() << line;
    return 0;
}

} // namespace listdex::cli
