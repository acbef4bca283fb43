// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
// listdex: the command-line front end. Dispatches git-style subcommands.

#include "Commands.hpp"

#include <iostream>

using namespace listdex::cli;

int main(int argc, char** argv)
{
    keep_program_arguments(argv);
    std::vector<std::string> args(argv + 1, argv + argc);
    // Options every command takes may come before the command, as git and
    // notmuch accept them: listdex --index DIR count x.
    std::vector<std::string> leading;
    while (!args.empty() && args.front().starts_with("--index")) {
        if (args.front() == "--index" && args.size() >= 2) {
            leading.insert(leading.end(), args.begin(), args.begin() + 2);
            args.erase(args.begin(), args.begin() + 2);
        } else if (args.front().starts_with("--index=")) {
            leading.push_back(args.front());
            args.erase(args.begin());
        } else {
            break;
        }
    }
    if (args.empty()) {
        print_overview();
        return static_cast<int>(listdex::ExitCode::usage);
    }
    const std::string name = args.front();
    args.erase(args.begin());
    args.insert(args.end(), leading.begin(), leading.end());
    if (name == "--help" || name == "-h") {
        print_overview();
        return 0;
    }
    if (name == "--version") {
        std::cout << "listdex " << LISTDEX_VERSION << "\n";
        return 0;
    }
    if (name == "help") {
        if (args.empty() || args.front().starts_with("--index")) {
            print_overview();
            return 0;
        }
        if (const Command* c = find_command(args.front())) {
            print_command_help(*c);
            return 0;
        }
        if (args.front() == "query") {
            print_query_help();
            return 0;
        }
        std::cerr << "listdex: no command or topic named '" << args.front() << "'" << did_you_mean_command(args.front())
                  << "\n";
        return static_cast<int>(listdex::ExitCode::usage);
    }
    const Command* c = find_command(name);
    if (!c) {
        std::cerr << "listdex: '" << name << "' is not a listdex command" << did_you_mean_command(name)
                  << " (see listdex help)\n";
        return static_cast<int>(listdex::ExitCode::usage);
    }
    if (!c->run)
        return run_mime_helper();
    try {
        return c->run(args);
    } catch (const std::exception& e) {
        std::cerr << "listdex: internal error: " << e.what() << "\n";
        return static_cast<int>(listdex::ExitCode::failure);
    }
}
