// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
// listdex thread: a whole thread, read with bodies (the default), as a tree
// of headers, as JSON or as an mbox. Built into both binaries: the tree,
// JSON and mbox need no decoding, and bodies come decoded from the records
// the import stored (ParsedRecord.hpp), so `listdex` prints them itself; a
// thread with a message imported before records (or by another decoder
// version) is handed over to the listdex-mime helper, which decodes the raw
// copies with GMime.
#include "Commands.hpp"
#include "Reading.hpp"
#include "Terminal.hpp"

#include "listdex/base/Time.hpp"
#include "listdex/query/Json.hpp"

#include <iostream>

namespace listdex::cli {

namespace {

/// Tree lines indent at most this deep; deeper lines say their depth.
constexpr size_t kMaxTreeDepth = 12;

/// --headers-only: date, indented sender, the subject where it changes,
/// the key; fitted to the width (the key stays whole: `show` takes it).
void print_tree(const ThreadView& v, const ThreadTreeNode& n, size_t depth, const std::string& parent_subject,
                const OutputStyle& style, const Colours& colours)
{
    const ThreadEntry& e = v.entries[n.member];
    std::string indent(2 * std::min(depth, kMaxTreeDepth), ' ');
    if (depth > kMaxTreeDepth)
        indent += "[" + std::to_string(depth) + "] ";
    std::string subject = parent_subject;
    if (e.missing) {
        std::cout << fit(std::string(16, ' ') + "  " + indent + "[not in the archive]  <" + e.message_id + ">",
                         style.width)
                  << "\n";
    } else {
        subject = e.subject;
        const bool changed = parent_subject.empty() || !same_subject(e.subject, parent_subject);
        const std::string tail = "  <" + e.stored.key + ">" + (e.parent_by_subject ? "  (linked by subject)" : "");
        std::string text = e.from + (changed ? "  " + e.subject : "");
        if (style.width > 0) {
            const size_t fixed = 18 + display_width(indent + tail);
            text = fit(text, style.width > fixed ? style.width - fixed : 1);
        }
        std::cout << colours.dim(short_date(e.date)) << "  " << indent << text << colours.dim(tail) << "\n";
    }
    for (const auto& c : n.children)
        print_tree(v, c, depth + 1, subject, style, colours);
}

} // namespace

int cmd_thread(const std::vector<std::string>& args)
{
    po::positional_options_description pos;
    pos.add("id", 1);
    po::variables_map vm;
    if (auto rc = parse_args(*find_command("thread"), args, pos, vm))
        return *rc;
    if (!vm.count("id"))
        return report({ExitCode::usage, "thread: name a Message-ID or a thread id", "listdex thread thread:0000002a"});
    const std::string format = vm["format"].as<std::string>();
    if (auto rc = check_choice(vm, "thread", "format", {"text", "json", "mbox"}))
        return *rc;
    if (vm.count("headers-only") && format != "text")
        return report({ExitCode::usage, "thread: --headers-only goes with --format text", {}});
    const bool bodies = format == "text" && !vm.count("headers-only");
    auto style = reading_style(vm);
    if (!style)
        return report(style.error());
    auto searcher = open_searcher(vm);
    if (!searcher)
        return report(searcher.error());
    auto view = (*searcher)->thread(vm["id"].as<std::string>());
    if (!view)
        return report(view.error());
    if (!view->requested_alias.empty())
        std::cerr << "listdex: thread " << view->requested_alias << " was merged into thread " << view->thread << "\n";
    if (format == "json") {
        std::cout << thread_view_json(*view).dump(2) << "\n";
        return 0;
    }
    if (format == "mbox") {
        auto mbox = (*searcher)->thread_mboxrd(*view);
        if (!mbox)
            return report(mbox.error());
        std::cout << *mbox;
        return 0;
    }
    DecodeMessage decode;
    if (bodies) {
        std::vector<StoredMessage> members;
        for (const auto& e : view->entries)
            if (!e.missing)
                members.push_back(e.stored);
        auto decoder = reading_decoder(index_paths(vm), **searcher, members);
        if (!decoder)
            return report(decoder.error());
        if (!*decoder)
            return run_mime_helper(); // a message without a stored decoding
        decode = std::move(**decoder);
    }
    const Colours colours(style->colour);
    Pager pager(style->page);
    size_t count = 0;
    for (const auto& e : view->entries)
        count += e.missing ? 0 : 1;
    std::cout << colours.paint("1", "thread:" + view->thread) << "  " << count
              << (count == 1 ? " message" : " messages") << "\n";
    if (bodies) {
        auto printed = print_thread_bodies(std::cout, decode, *view, {}, colours);
        return printed ? 0 : report(printed.error());
    }
    for (const auto& r : view->forest)
        print_tree(*view, r, 0, "", *style, colours);
    return 0;
}

} // namespace listdex::cli
