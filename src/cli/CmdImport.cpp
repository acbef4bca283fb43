// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "Commands.hpp"
#include "Terminal.hpp"

#include "listdex/base/Text.hpp"
#include "listdex/index/Importer.hpp"
#include "listdex/index/IndexReader.hpp"
#include "listdex/mbox/GitFetch.hpp"
#include "listdex/mbox/PublicInboxReader.hpp"
#include "listdex/query/Json.hpp"

#include <algorithm>
#include <csignal>
#include <map>
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
              << " new messages from " << counted(r.input_files, "file", "files")
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
              << (r.compacted_because.empty() ? ".\n" : " (compacted: " + r.compacted_because + ").\n");
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


/// The import settings of @p vm (import and update share them).
Result<ImportOptions> read_import_options(const po::variables_map& vm)
{
    ImportOptions opt;
    opt.workers = vm["jobs"].as<unsigned>();
    opt.shards = vm["shards"].as<unsigned>();
    if (opt.shards > 256)
        return fail(ExitCode::usage, "--shards must be at most 256");
    if (vm.count("shard-by")) {
        const std::string by = vm["shard-by"].as<std::string>();
        if (by != "message" && by != "list")
            return fail(ExitCode::usage, "--shard-by must be message or list");
        opt.placement.shard_by = by == "list" ? ShardBy::list : ShardBy::message;
    }
    if (vm.count("list-shard"))
        for (const std::string& pin : vm["list-shard"].as<std::vector<std::string>>()) {
            const size_t eq = pin.rfind('=');
            const auto shard = eq == std::string::npos ? std::nullopt : parse_number<unsigned>(pin.substr(eq + 1));
            const std::string list = eq == std::string::npos ? std::string() : normalize_list_id(pin.substr(0, eq));
            if (!shard || list.empty() || list.find_first_of(" \t\r\n") != std::string::npos)
                return fail(ExitCode::usage, "--list-shard takes LIST=N (linux-man.vger.kernel.org=1), not '" + pin + "'");
            opt.placement.list_shard[list] = *shard;
        }
    if (vm["memory"].as<unsigned>() < 16)
        return fail(ExitCode::usage, "--memory must be at least 16 (MB)");
    opt.memory = uint64_t{vm["memory"].as<unsigned>()} << 20;
    const std::string compact = vm["compact"].as<std::string>();
    if (compact == "always")
        opt.compact = ImportOptions::Compact::always;
    else if (compact == "never")
        opt.compact = ImportOptions::Compact::never;
    else if (compact != "auto")
        return fail(ExitCode::usage, "--compact must be auto, always or never");
    opt.database_documents = vm["database-documents"].as<unsigned>();
    if (vm.count("list")) {
        opt.list = ascii_lower(vm["list"].as<std::string>());
        if (opt.list.empty() || opt.list.find_first_of(" \t\r\n") != std::string::npos)
            return fail(ExitCode::usage, "--list takes a list id without spaces (linux-man.vger.kernel.org)");
    }
    if (vm.count("thread-by-subject"))
        opt.subject_window = int64_t{vm["subject-window"].as<unsigned>()} * 86400;
    const std::string format = vm["format"].as<std::string>();
    if (format != "text" && format != "json")
        return fail(ExitCode::usage, "--format must be text or json");
    return opt;
}

/// Imports @p paths with @p opt and reports as `listdex import` does
/// (progress on a terminal, the summary or JSON); returns the exit status.
/// With @p json_reports the JSON report is appended there, not printed.
int run_import(const IndexPaths& index, const std::vector<std::string>& paths, ImportOptions opt,
               const po::variables_map& vm, nlohmann::ordered_json* json_reports = nullptr)
{
    const bool quiet = vm.count("quiet") > 0;
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
    auto result = import_archives(index, paths, opt);
    line.clear();
    if (!result)
        return report(result.error());
    if (json_reports)
        json_reports->push_back(import_report_json(*result, index.root.string()));
    else if (vm["format"].as<std::string>() == "json")
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

std::string short_commit(const std::string& commit)
{
    return commit.empty() ? std::string("(empty)") : commit.substr(0, 12);
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
    auto opt = read_import_options(vm);
    if (!opt)
        return report({opt.error().code, "import: " + opt.error().message, opt.error().hint});
    return run_import(index_paths(vm), vm["path"].as<std::vector<std::string>>(), std::move(*opt), vm);
}

int cmd_update(const std::vector<std::string>& args)
{
    po::positional_options_description pos;
    po::variables_map vm;
    const Command& self = *find_command("update");
    if (auto rc = parse_args(self, args, pos, vm))
        return *rc;
    auto opt = read_import_options(vm);
    if (!opt)
        return report({opt.error().code, "update: " + opt.error().message, opt.error().hint});
    const IndexPaths index = index_paths(vm);
    const bool dry_run = vm.count("dry-run") > 0;
    const bool quiet = vm.count("quiet") > 0;
    std::vector<GitSource> sources;
    {
        auto reader = IndexReader::open(index);
        if (!reader)
            return report(reader.error());
        auto read = (*reader)->git_sources();
        if (!read)
            return report(read.error());
        sources = std::move(*read);
    }
    const bool json = vm["format"].as<std::string>() == "json";
    // What happened to each mirror: a line on stdout (not with --quiet), or
    // with --format json an entry of "mirrors" in the one JSON document.
    nlohmann::ordered_json mirrors = nlohmann::ordered_json::array(), imports = nlohmann::ordered_json::array();
    auto record = [&](const std::filesystem::path& repo, const std::string& url, const std::string& status,
                      nlohmann::ordered_json more) {
        nlohmann::ordered_json m{{"repo", repo.string()}, {"url", url}, {"status", status}};
        m.update(more);
        mirrors.push_back(std::move(m));
    };
    auto said = [&](const std::filesystem::path& repo, const std::string& url, const std::string& status,
                    const std::string& line, nlohmann::ordered_json more = nlohmann::ordered_json::object()) {
        record(repo, url, status, std::move(more));
        if (!json && (!quiet || dry_run))
            std::cout << repo.string() << ": " << line << "\n";
    };
    auto print_json = [&] {
        if (json)
            std::cout << nlohmann::ordered_json{{"mirrors", mirrors}, {"imports", imports}}.dump(2) << "\n";
    };
    if (sources.empty()) {
        if (json)
            print_json();
        else
            std::cout << "Nothing to update: no public-inbox repository has been imported into "
                      << index.root.string() << " (listdex import a mirror first).\n";
        return 0;
    }
    // Failures on stderr, each making the exit status 7 while the others
    // are updated.
    int failures = 0;
    auto failed = [&](const std::filesystem::path& repo, const std::string& url, const Error& e) {
        std::cerr << "listdex: update: " << e.describe() << "\n";
        record(repo, url, "failed", {{"error", e.describe()}});
        ++failures;
    };
    // The paths to import, grouped by the --list their first import was
    // given (a --list given here wins for all).
    std::map<std::string, std::vector<std::string>> paths_by_list;
    std::map<std::filesystem::path, Mirror> newest_epoch; // per v2 inbox
    for (const auto& source : sources) {
        auto mirror = read_mirror(source.repo);
        if (!mirror) {
            failed(source.repo, "", mirror.error());
            continue;
        }
        const std::filesystem::path inbox = inbox_folder(source.repo);
        auto& paths = paths_by_list[opt->list.empty() ? source.list : opt->list];
        if (std::find(paths.begin(), paths.end(), inbox.string()) == paths.end())
            paths.push_back(inbox.string());
        if (inbox != source.repo) {
            auto [at, added] = newest_epoch.try_emplace(inbox, *mirror);
            if (!added && epoch_number(at->second.repo) < epoch_number(mirror->repo)) // 10.git after 9.git
                at->second = *mirror;
        }
        if (mirror->remote.empty()) {
            said(source.repo, "", "read again", "no remote; read again");
            continue;
        }
        auto tip = dry_run ? remote_tip(*mirror) : fetch_mirror(*mirror);
        if (!tip) {
            failed(source.repo, mirror->url, tip.error());
            continue;
        }
        const std::string range = short_commit(mirror->tip) + ".." + short_commit(*tip);
        const nlohmann::ordered_json commits{{"old", mirror->tip}, {"new", *tip}};
        if (*tip == mirror->tip)
            said(source.repo, mirror->url, "up to date", mirror->url + ": up to date");
        else if (dry_run)
            said(source.repo, mirror->url, "would fetch", "would fetch " + mirror->url + " (" + range + ")", commits);
        else
            said(source.repo, mirror->url, "fetched", mirror->url + ": fetched " + range, commits);
    }
    // A remote that has started a new epoch (public-inbox does every ~1 GB):
    // clone it beside the others, so the import reads it too.
    for (auto& [inbox, newest] : newest_epoch) {
        while (auto next = next_epoch(newest)) {
            if (dry_run) {
                said(next->dest, next->url, "would clone", "would clone " + next->url + " (a new epoch)");
                break;
            }
            if (auto r = clone_mirror(next->url, next->dest); !r) {
                failed(next->dest, next->url, r.error());
                break;
            }
            said(next->dest, next->url, "cloned", "cloned " + next->url + " (a new epoch)");
            auto cloned = read_mirror(next->dest);
            if (!cloned)
                break;
            newest = *cloned;
        }
    }
    int status = 0;
    if (!dry_run) {
        for (const auto& [list, paths] : paths_by_list) {
            ImportOptions group = *opt;
            group.list = list;
            status = std::max(status, run_import(index, paths, std::move(group), vm, json ? &imports : nullptr));
            if (g_stop.load())
                break;
        }
    }
    print_json();
    return status == 0 && failures ? static_cast<int>(ExitCode::partial) : status;
}

} // namespace listdex::cli
