// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
// listdex show: messages decoded, one (with its whole header, as JSON or
// raw) or several grouped by thread. Built into both binaries, as `thread`
// is: the decodings the import stored print without GMime; a message
// without one, and --part/--save (attachment bytes), go to listdex-mime.
#include "Commands.hpp"
#include "Reading.hpp"

#include "listdex/base/Time.hpp"
#include "listdex/index/IndexReader.hpp"
#include "listdex/index/Schema.hpp"
#include "listdex/query/Json.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <fstream>
#include <iostream>

namespace listdex::cli {

namespace {

#ifdef LISTDEX_MIME_COMMANDS
/// A file name for attachment @p a that cannot leave its folder or hide:
/// the last path component of its own name, control characters replaced,
/// leading dots dropped; "part-N" when nothing is left.
std::string safe_file_name(const Attachment& a)
{
    std::string name = a.filename.substr(a.filename.find_last_of("/\\") + 1);
    for (char& c : name)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
            c = '_';
    name.erase(0, name.find_first_not_of(". "));
    return name.empty() ? "part-" + std::to_string(a.part) : name;
}

/// @p dir / @p name, or with "-2", "-3", ... before the extension when that
/// file exists: saving never overwrites.
std::filesystem::path free_path(const std::filesystem::path& dir, const std::string& name)
{
    namespace fs = std::filesystem;
    fs::path p = dir / name;
    const std::string stem = fs::path(name).stem().string(), ext = fs::path(name).extension().string();
    for (int n = 2; fs::exists(p); ++n)
        p = dir / (stem + "-" + std::to_string(n) + ext);
    return p;
}

Result<void> write_file(const std::filesystem::path& path, const std::string& bytes)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out)
        return fail(ExitCode::failure, path.string() + ": cannot write", "check the folder exists and is writable");
    return {};
}

/// The bytes of a part whose content the message holds; an error for a
/// part MHonArc saved as a file beside its page.
Result<std::string> part_bytes(IndexReader& reader, const StoredMessage& m, const ParsedMessage& pm, unsigned part)
{
    for (const Attachment& a : pm.attachments)
        if (a.part == part && beside_the_page(pm, a))
            return fail(ExitCode::not_found,
                        "part " + std::to_string(part) + " (" + a.filename +
                            ") is not in the message: its bytes are a file of the HTML archive beside the page");
    auto bytes = reader.attachment(m, part);
    if (!bytes)
        return fail(ExitCode::not_found, m.key + ": no MIME part " + std::to_string(part),
                    "the attachment list of `listdex show` gives each part's number in brackets");
    return bytes;
}

/// show --part N [--output FILE] and show --save DIR for one message.
int write_parts(IndexReader& reader, const StoredMessage& m, const po::variables_map& vm)
{
    auto pm = reader.parse(m);
    if (!pm)
        return report(pm.error());
    if (vm.count("part")) {
        auto bytes = part_bytes(reader, m, *pm, vm["part"].as<unsigned>());
        if (!bytes)
            return report(bytes.error());
        if (!vm.count("output")) {
            std::cout.write(bytes->data(), static_cast<std::streamsize>(bytes->size()));
            return 0;
        }
        auto written = write_file(vm["output"].as<std::string>(), *bytes);
        return written ? 0 : report(written.error());
    }
    const std::filesystem::path dir = vm["save"].as<std::string>();
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec)
        return report({ExitCode::failure, dir.string() + ": " + ec.message(), {}});
    int rc = 0;
    for (const Attachment& a : pm->attachments) {
        auto bytes = part_bytes(reader, m, *pm, a.part);
        if (!bytes) {
            rc = report(bytes.error()); // the others are still saved
            continue;
        }
        const auto path = free_path(dir, safe_file_name(a));
        if (auto written = write_file(path, *bytes); !written)
            return report(written.error());
        std::cout << path.string() << "  " << thousands(bytes->size()) << " bytes\n";
    }
    if (pm->attachments.empty())
        std::cerr << "listdex: " << m.key << " has no attachments\n";
    return rc;
}

#endif // LISTDEX_MIME_COMMANDS

/// An argument that names a message: "<a@b>", "id:a@b", "a@b", "a@b#hash".
bool names_a_message(std::string_view arg)
{
    if (arg.starts_with("id:"))
        return true;
    if (arg.size() > 2 && arg.front() == '<' && arg.back() == '>')
        return true;
    return arg.find('@') != std::string_view::npos && arg.find_first_of(" :()\"*") == std::string_view::npos;
}

/// show ID ID... or show QUERY: the messages grouped by thread, each thread
/// in tree order (the threads in the order their first match came).
int show_many(const po::variables_map& vm, const std::vector<std::string>& args, const OutputStyle& style)
{
    auto searcher = open_searcher(vm);
    if (!searcher)
        return report(searcher.error());
    std::vector<std::pair<std::string, std::string>> ids; // (key, Message-ID)
    if (std::ranges::all_of(args, names_a_message)) {
        for (const auto& a : args) {
            auto found = (*searcher)->find(a);
            if (!found)
                return report(found.error());
            for (const auto& m : *found)
                ids.emplace_back(m.key, m.message_id);
        }
    } else {
        const std::string query = join(args, " ");
        SearchOptions opt;
        auto done = (*searcher)->export_matches(query, opt, false, [&](const ExportedMessage& m) -> Result<void> {
            ids.emplace_back(m.key, m.stored.message_id);
            return {};
        });
        if (!done)
            return report(done.error());
        if (ids.empty()) {
            std::cerr << "listdex: no message matches " << query << "\n";
            return 0;
        }
    }
    // Each thread once, with the keys to print in it; a thread read once
    // serves every match in it.
    std::vector<std::pair<ThreadView, std::set<std::string>>> threads;
    std::map<std::string, size_t> thread_of; // key of every member of a thread read -> its index
    for (const auto& [key, message_id] : ids) {
        auto known = thread_of.find(key);
        if (known == thread_of.end()) {
            auto view = (*searcher)->thread(message_id);
            if (!view)
                return report(view.error());
            for (const auto& e : view->entries)
                if (!e.missing)
                    thread_of[e.stored.key] = threads.size();
            threads.emplace_back(std::move(*view), std::set<std::string>{});
            known = thread_of.find(key);
            if (known == thread_of.end()) // cannot happen: a message is in its own thread
                return report({ExitCode::failure, key + ": not in its own thread", "listdex check"});
        }
        threads[known->second].second.insert(key);
    }
    const bool entire = vm.count("entire-thread") > 0;
    std::vector<StoredMessage> wanted;
    for (const auto& [view, keys] : threads)
        for (const auto& e : view.entries)
            if (!e.missing && (entire || keys.contains(e.stored.key)))
                wanted.push_back(e.stored);
    auto decoder = reading_decoder(index_paths(vm), **searcher, wanted);
    if (!decoder)
        return report(decoder.error());
    if (!*decoder)
        return run_mime_helper(); // a message without a stored decoding
    const Colours colours(style.colour);
    Pager pager(style.page);
    for (const auto& [view, keys] : threads) {
        std::cout << colours.paint("1", "thread:" + view.thread)
                  << "  " << keys.size() << (keys.size() == 1 ? " message" : " messages") << (entire ? " matched" : "")
                  << "\n";
        auto printed =
            print_thread_bodies(std::cout, **decoder, view, entire ? std::set<std::string>{} : keys, colours);
        if (!printed)
            return report(printed.error());
    }
    return 0;
}

} // namespace

int cmd_show(const std::vector<std::string>& args)
{
    po::positional_options_description pos;
    pos.add("id", -1);
    po::variables_map vm;
    const Command& self = *find_command("show");
    if (auto rc = parse_args(self, args, pos, vm))
        return *rc;
    if (!vm.count("id"))
        return report({ExitCode::usage, "show: name a Message-ID", "listdex show '<20240101.123@example.org>'"});
    const auto targets = vm["id"].as<std::vector<std::string>>();
    const std::string format = vm["format"].as<std::string>();
    if (auto rc = check_choice(vm, "show", "format", {"text", "json"}))
        return *rc;
    if (vm.count("output") && !vm.count("part"))
        return report({ExitCode::usage, "show: --output goes with --part", {}});
    if (vm.count("part") && vm.count("save"))
        return report({ExitCode::usage, "show: --part and --save do not go together", {}});
    const bool one = targets.size() == 1 && names_a_message(targets.front());
    if (!one && (vm.count("part") || vm.count("save") || vm.count("raw") || format == "json"))
        return report({ExitCode::usage, "show: --part, --save, --raw and --format json take one Message-ID", {}});
    if (one && vm.count("entire-thread"))
        return report({ExitCode::usage, "show: --entire-thread goes with several ids or a query",
                       "listdex thread ID prints a whole thread"});
    auto style = reading_style(vm);
    if (!style)
        return report(style.error());
    if (!one)
        return show_many(vm, targets, *style);
    auto searcher = open_searcher(vm);
    if (!searcher)
        return report(searcher.error());
    auto found = (*searcher)->find(targets.front());
    if (!found)
        return report(found.error());

    if (vm.count("part") || vm.count("save")) {
        if (found->size() > 1) {
            std::string keys;
            for (const auto& m : *found)
                keys += " " + m.key;
            return report({ExitCode::usage, "show: " + std::to_string(found->size()) +
                                                " messages share this Message-ID; name one:" + keys, {}});
        }
#ifdef LISTDEX_MIME_COMMANDS
        auto reader = IndexReader::open(index_paths(vm));
        if (!reader)
            return report(reader.error());
        return write_parts(**reader, found->front(), vm);
#else
        return run_mime_helper(); // attachment bytes are decoded with GMime
#endif
    }
    if (vm.count("raw")) {
        for (const auto& m : *found) {
            auto bytes = (*searcher)->raw(m);
            if (!bytes)
                return report(bytes.error());
            std::cout.write(bytes->data(), static_cast<std::streamsize>(bytes->size()));
        }
        return 0;
    }
    auto decoder = reading_decoder(index_paths(vm), **searcher, *found);
    if (!decoder)
        return report(decoder.error());
    if (!*decoder)
        return run_mime_helper(); // a message without a stored decoding
    nlohmann::ordered_json all = nlohmann::ordered_json::array();
    std::vector<ParsedMessage> parsed;
    for (const StoredMessage& m : *found) {
        auto pm = (**decoder)(m);
        if (!pm)
            return report(pm.error());
        if (format == "json")
            all.push_back(message_json(m, *pm, true));
        else
            parsed.push_back(std::move(*pm));
    }
    if (format == "json") {
        std::cout << (all.size() == 1 ? all.front() : all).dump(2) << "\n";
        return 0;
    }
    const Colours colours(style->colour);
    Pager pager(style->page);
    for (size_t i = 0; i < found->size(); ++i) {
        if (found->size() > 1)
            std::cout << (i ? "\n" : "") << "===== message " << i + 1 << " of " << found->size() << ": "
                      << (*found)[i].key << " =====\n";
        print_message(std::cout, (*found)[i], parsed[i], colours);
    }
    return 0;
}

} // namespace listdex::cli
