// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "Commands.hpp"
#include "Terminal.hpp"

#include "listdex/base/Text.hpp"
#include "listdex/index/Importer.hpp"
#include "listdex/query/Json.hpp"

#include <csignal>
#include <cstdio>
#include <iostream>

namespace listdex::cli {

namespace {

std::atomic<bool> g_stop{false};

extern "C" void on_signal(int)
{
    g_stop.store(true);
}

void print_issues(const char* title, const std::vector<ImportIssue>& list, uint64_t total, bool verbose)
{
    if (list.empty())
        return;
    std::cout << title << ":\n";
    const size_t shown = verbose ? list.size() : std::min<size_t>(list.size(), 20);
    for (size_t i = 0; i < shown; ++i) {
        const auto& issue = list[i];
        if (issue.commit.empty())
            std::cout << "  " << issue.source << ":" << issue.offset;
        else
            std::cout << "  " << issue.source << " commit " << issue.commit;
        if (!issue.message_id.empty())
            std::cout << " <" << issue.message_id << ">";
        std::cout << ": ";
        for (size_t k = 0; k < issue.problems.size(); ++k)
            std::cout << (k ? "; " : "") << issue.problems[k];
        std::cout << "\n";
    }
    if (total > shown)
        std::cout << "  ... and " << thousands(total - shown) << " more (--verbose lists "
                  << (verbose ? "the first " + thousands(list.size()) : std::string("them")) << ")\n";
}

void print_summary(const ImportReport& r, const std::string& index, bool verbose)
{
    const double rate = r.seconds > 0 ? static_cast<double>(r.input_bytes) / 1e6 / r.seconds : 0;
    char timing[96];
    std::snprintf(timing, sizeof timing, "%.1f s (%.1f MB/s)", r.seconds, rate);
    std::cout << (r.interrupted ? "Interrupted after importing " : "Imported ") << thousands(r.imported)
              << " new messages from " << thousands(r.input_files) << (r.input_files == 1 ? " file" : " files")
              << " (" << megabytes(r.input_bytes) << ") in " << timing << "\n"
              << "  messages read:             " << thousands(r.messages_read) << "\n"
              << "  duplicates skipped:        " << thousands(r.duplicates) << "\n"
              << "  copies of stored messages: " << thousands(r.copies) << " (their lists added)\n"
              << "  damaged, imported anyway:  " << thousands(r.damaged) << "\n"
              << "  rejected:                  " << thousands(r.rejected) << "\n";
    if (r.removed || r.removals_unknown)
        std::cout << "  removed (public-inbox):    " << thousands(r.removed)
                  << (r.removals_unknown ? " (" + thousands(r.removals_unknown) + " more were not in the index)" : "")
                  << "\n";
    if (r.parents_by_subject)
        std::cout << "  parents found by subject:  " << thousands(r.parents_by_subject) << "\n";
    if (r.recovered)
        std::cout << "  recovered (line breaks lost): " << thousands(r.recovered) << "\n";
    if (r.from_html)
        std::cout << "  rebuilt from HTML pages:   " << thousands(r.from_html) << "\n";
    if (r.dates_from_envelope)
        std::cout << "  dates from mbox From_ line: " << thousands(r.dates_from_envelope) << "\n";
    if (r.dates_from_order)
        std::cout << "  dates from import order:   " << thousands(r.dates_from_order) << "\n";
    std::cout << "Index " << index << " holds " << thousands(r.index_messages) << " messages"
              << (r.compacted ? " (compacted).\n" : ".\n");
    print_issues("Damaged messages (imported)", r.damaged_messages, r.damaged, verbose);
    print_issues("Rejected messages", r.rejected_messages, r.rejected, verbose);
    print_issues("Recovered messages (line breaks restored)", r.recovered_messages, r.recovered, verbose);
    for (const auto& f : r.failed_files)
        std::cout << "Input failed: " << f << "\n";
    if (!r.skipped_files.empty()) {
        // Every file a folder import passed over, and why: a count alone
        // hid mail the sniffer did not recognise.
        std::cout << "Skipped files:\n";
        const size_t shown = verbose ? r.skipped_files.size() : std::min<size_t>(r.skipped_files.size(), 20);
        for (size_t i = 0; i < shown; ++i)
            std::cout << "  " << r.skipped_files[i] << "\n";
        if (shown < r.skipped_files.size())
            std::cout << "  ... and " << thousands(r.skipped_files.size() - shown) << " more (--verbose lists them)\n";
    }
    if (r.interrupted)
        std::cout << "Run the same import again to finish it: nothing is imported twice.\n";
}

} // namespace

int cmd_import(const std::vector<std::string>& args)
{
    po::positional_options_description pos;
    pos.add("path", -1);
    po::variables_map vm;
    const Command& self = *find_command("import");
    if (auto rc = parse_args(self, args, pos, vm))
        return *rc;
    if (!vm.count("path"))
        return report({ExitCode::usage, "import: name at least one mbox, Maildir or message (or - for stdin)",
                       "listdex import ~/lists/linux-man.mbox.xz"});
    const std::string format = vm["format"].as<std::string>();
    if (format != "text" && format != "json")
        return report({ExitCode::usage, "import: --format must be text or json", {}});
    const bool quiet = vm.count("quiet") > 0;
    const IndexPaths index = index_paths(vm);

    ImportOptions opt;
    opt.workers = vm["jobs"].as<unsigned>();
    opt.shards = vm["shards"].as<unsigned>();
    if (opt.shards > 256)
        return report({ExitCode::usage, "import: --shards must be at most 256", {}});
    if (vm["memory"].as<unsigned>() < 16)
        return report({ExitCode::usage, "import: --memory must be at least 16 (MB)", {}});
    opt.memory = uint64_t{vm["memory"].as<unsigned>()} << 20;
    const std::string compact = vm["compact"].as<std::string>();
    if (compact == "always")
        opt.compact = ImportOptions::Compact::always;
    else if (compact == "never")
        opt.compact = ImportOptions::Compact::never;
    else if (compact != "auto")
        return report({ExitCode::usage, "import: --compact must be auto, always or never", {}});
    if (vm.count("list")) {
        opt.list = ascii_lower(vm["list"].as<std::string>());
        if (opt.list.empty() || opt.list.find_first_of(" \t\r\n") != std::string::npos)
            return report({ExitCode::usage, "import: --list takes a list id without spaces (linux-man.vger.kernel.org)", {}});
    }
    if (vm.count("thread-by-subject"))
        opt.subject_window = int64_t{vm["subject-window"].as<unsigned>()} * 86400;
    opt.stop = &g_stop;
    ProgressLine line;
    if (!quiet && stderr_is_terminal()) {
        opt.progress = [&](const ImportProgress& p) {
            std::string text = "  " + thousands(p.messages) + " messages";
            char buf[64];
            if (p.seconds > 0) {
                std::snprintf(buf, sizeof buf, "  %.1f MB/s", static_cast<double>(p.input_done) / 1e6 / p.seconds);
                text += buf;
            }
            if (p.input_total > 0) {
                std::snprintf(buf, sizeof buf, "  %3.0f%%",
                              100.0 * static_cast<double>(std::min(p.input_done, p.input_total)) /
                                  static_cast<double>(p.input_total));
                text += buf;
            }
            line.show(text);
        };
    }
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);
    auto result = import_archives(index, vm["path"].as<std::vector<std::string>>(), opt);
    line.clear();
    if (!result)
        return report(result.error());
    if (format == "json")
        std::cout << import_report_json(*result, index.root.string()).dump(2) << "\n";
    else if (!quiet)
        print_summary(*result, index.root.string(), vm.count("verbose") > 0);
    if (quiet) {
        for (const auto& f : result->failed_files)
            std::cerr << "listdex: input failed: " << f << "\n";
        if (result->rejected)
            std::cerr << "listdex: " << result->rejected << " messages rejected\n";
    }
    return static_cast<int>(result->exit_code());
}

} // namespace listdex::cli
