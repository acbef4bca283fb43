// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file Commands.hpp
/// The CLI's subcommands. Each parses its own options with
/// Boost.Program_options and calls the library; none includes GMime or Xapian.

#include "listdex/base/Error.hpp"
#include "Terminal.hpp"

#include "listdex/index/IndexPaths.hpp"
#include "listdex/query/Searcher.hpp"

#include <boost/program_options.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace listdex::cli {

namespace po = boost::program_options;

struct Command {
    std::string_view name;
    std::string_view summary;
    std::string_view usage;
    std::string_view details;
    /// nullptr: run by the listdex-mime helper (commands that decode mail).
    int (*run)(const std::vector<std::string>& args);
    po::options_description (*options)();
};

[[nodiscard]] const std::vector<Command>& commands();
[[nodiscard]] const Command* find_command(std::string_view name);

/// The field table of `listdex help search`, generated from schema::kFields.
[[nodiscard]] std::string field_help();

/// Prints `listdex help CMD` to stdout.
void print_command_help(const Command& c);
/// Prints the query language (`listdex help query`, listdex-query(7)).
void print_query_help();
/// Prints the overview (`listdex help`).
void print_overview();

/// "; did you mean 'search'?" for a mistyped command name, else "".
[[nodiscard]] std::string did_you_mean_command(std::string_view typed);

/// Options every command takes: --index, --help.
[[nodiscard]] po::options_description common_options();

/// Parses @p args for @p command. Returns an exit status when the command
/// should stop here (--help printed: 0; bad usage: 2), nullopt to go on.
std::optional<int> parse_args(const Command& command, const std::vector<std::string>& args,
                              const po::positional_options_description& positional, po::variables_map& vm);

/// The index named by --index, or the default (see resolve_index_paths).
[[nodiscard]] IndexPaths index_paths(const po::variables_map& vm);

/// A Searcher over the index of @p vm for the reader of the user
/// configuration (tag:, is: allowed; see UserConfig.hpp).
Result<std::unique_ptr<Searcher>> open_searcher(const po::variables_map& vm);

/// --no-pager, --color: the options of commands that print for reading.
[[nodiscard]] po::options_description reading_options();
/// The style those options and the terminal ask for (ExitCode::usage for a
/// bad --color). Call before printing anything.
Result<OutputStyle> reading_style(const po::variables_map& vm);

/// One line of a thread listing (search, new): date, [matched/total],
/// authors, subject, thread id; fitted to @p width (0: as long as it is).
[[nodiscard]] std::string thread_line(const ThreadHit& h, size_t width, const Colours& colours);

/// Where the listdex-mime helper of the listdex at @p self is: beside it (a
/// build folder), else PREFIX/libexec/listdex/ (installed).
[[nodiscard]] std::filesystem::path mime_helper_path(const std::filesystem::path& self);

/// Records the program's arguments (main's argv, which outlives every
/// command) for run_mime_helper.
void keep_program_arguments(char** argv);

/// Replaces this process with the listdex-mime helper (mime_helper_path),
/// passing the arguments kept by keep_program_arguments on; returns (an
/// exit status) only when that fails.
int run_mime_helper();

/// When option @p option of @p command is not one of @p values: reports
/// "COMMAND: --OPTION must be A, B or C" and returns the usage exit status.
std::optional<int> check_choice(const po::variables_map& vm, std::string_view command, const std::string& option,
                                std::initializer_list<std::string_view> values);

/// Prints "listdex: MESSAGE" (and the hint) to stderr; returns the exit status.
int report(const Error& e);

int cmd_import(const std::vector<std::string>& args);
int cmd_update(const std::vector<std::string>& args);
int cmd_show(const std::vector<std::string>& args);
int cmd_count(const std::vector<std::string>& args);
int cmd_lists(const std::vector<std::string>& args);
int cmd_search(const std::vector<std::string>& args);
int cmd_thread(const std::vector<std::string>& args);
int cmd_serve(const std::vector<std::string>& args);
int cmd_check(const std::vector<std::string>& args);
int cmd_compact(const std::vector<std::string>& args);
int cmd_tag(const std::vector<std::string>& args);
int cmd_tags(const std::vector<std::string>& args);
int cmd_new(const std::vector<std::string>& args);
po::options_description tag_options();
po::options_description tags_options();
po::options_description new_options();
po::options_description import_options();
po::options_description update_options();
po::options_description show_options();
po::options_description count_options();
po::options_description lists_options();
po::options_description search_options();
po::options_description thread_options();
po::options_description serve_options();
po::options_description check_options();
po::options_description compact_options();

} // namespace listdex::cli
