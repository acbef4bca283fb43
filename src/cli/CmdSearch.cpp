// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "Commands.hpp"
#include "Terminal.hpp"

#include "listdex/base/Time.hpp"
#include "listdex/mbox/MboxWriter.hpp"
#include "listdex/query/Json.hpp"
#include "listdex/query/Searcher.hpp"

#include <iostream>

namespace listdex::cli {

namespace {

std::string join_query(const po::variables_map& vm)
{
    return vm.count("query") ? join(vm["query"].as<std::vector<std::string>>(), " ") : std::string();
}

} // namespace

std::string thread_line(const ThreadHit& h, size_t width, const Colours& colours)
{
    // The thread id stays whole (it is what `thread` takes); authors and
    // then the subject give way.
    const std::string head = short_date(h.date) + "  [" + std::to_string(h.matched) + "/" +
                             std::to_string(h.messages) + "]  ";
    const std::string tail = "  thread:" + h.thread;
    std::string authors = join(h.authors, ", ");
    std::string subject = h.subject;
    if (width > 0) {
        const size_t fixed = display_width(head + tail) + 2;
        const size_t room = width > fixed ? width - fixed : 1;
        const size_t author_room = std::max<size_t>(room / 3, std::min<size_t>(room, 12));
        authors = fit(authors, std::min(author_room, display_width(authors)));
        subject = fit(subject, room > display_width(authors) ? room - display_width(authors) : 1);
    }
    return colours.dim(short_date(h.date)) + "  [" + std::to_string(h.matched) + "/" + std::to_string(h.messages) +
           "]  " + authors + "  " + subject + colours.dim(tail);
}

po::options_description search_options()
{
    po::options_description d("Search options");
    d.add_options()("output", po::value<std::string>()->default_value("threads")->value_name("threads|messages|ids|mbox"),
                    "one line per thread; per message with a snippet; one id:KEY per message (for xargs listdex "
                    "show); or the matching messages as one mboxrd stream (for mutt, git am, lei import)")(
        "threads", "with --output mbox or ids: the whole threads of the matches, each once")(
        "sort", po::value<std::string>()->default_value("newest")->value_name("newest|oldest|relevance"),
        "result order")("limit", po::value<uint64_t>()->default_value(0)->value_name("N"),
                        "at most N results (0: all)")("offset", po::value<uint64_t>()->default_value(0)->value_name("N"),
                                                      "skip the first N results")(
        "format", po::value<std::string>()->default_value("text")->value_name("text|json"),
        "output format of threads and messages")(
        "query", po::value<std::vector<std::string>>()->multitoken(), "query words (positional)");
    d.add(reading_options());
    return d;
}

namespace {

/// --output ids / mbox: the matching messages, or with --threads every
/// message of their threads (tree order, each thread once).
int print_messages_raw(Searcher& searcher, const std::string& query, const SearchOptions& opt, bool mbox,
                       bool whole_threads)
{
    auto done = searcher.export_matches(query, opt, whole_threads, [&](const ExportedMessage& m) -> Result<void> {
        if (!mbox) {
            std::cout << "id:" << m.key << "\n";
            return {};
        }
        auto bytes = searcher.raw(m.stored);
        if (!bytes)
            return std::unexpected(bytes.error());
        std::string out;
        append_mboxrd(out, m.from, m.date, *bytes);
        std::cout << out;
        return {};
    });
    return done ? 0 : report(done.error());
}

} // namespace

int cmd_search(const std::vector<std::string>& args)
{
    po::positional_options_description pos;
    pos.add("query", -1);
    po::variables_map vm;
    if (auto rc = parse_args(*find_command("search"), args, pos, vm))
        return *rc;
    const std::string output = vm["output"].as<std::string>(), format = vm["format"].as<std::string>(),
                      sort = vm["sort"].as<std::string>();
    if (auto rc = check_choice(vm, "search", "output", {"threads", "messages", "ids", "mbox"}))
        return *rc;
    if (auto rc = check_choice(vm, "search", "format", {"text", "json"}))
        return *rc;
    if (format == "json" && (output == "ids" || output == "mbox"))
        return report({ExitCode::usage, "search: --format json goes with --output threads or messages", {}});
    const bool whole_threads = vm.count("threads") > 0;
    if (whole_threads && output != "ids" && output != "mbox")
        return report({ExitCode::usage, "search: --threads goes with --output mbox or ids", {}});
    SearchOptions opt;
    if (sort == "newest")
        opt.sort = SortOrder::newest;
    else if (sort == "oldest")
        opt.sort = SortOrder::oldest;
    else if (sort == "relevance")
        opt.sort = SortOrder::relevance;
    else
        return report({ExitCode::usage, "search: --sort must be newest, oldest or relevance", {}});
    opt.limit = vm["limit"].as<uint64_t>();
    opt.offset = vm["offset"].as<uint64_t>();
    const std::string query = join_query(vm);
    if (query.empty())
        return report({ExitCode::usage, "search: give a query ('*' matches every message)",
                       "listdex search from:alice subject:patch date:2024.."});

    auto style = reading_style(vm);
    if (!style)
        return report(style.error());
    auto searcher = open_searcher(vm);
    if (!searcher)
        return report(searcher.error());
    if (output == "ids" || output == "mbox")
        return print_messages_raw(**searcher, query, opt, output == "mbox", whole_threads);
    nlohmann::ordered_json all = nlohmann::ordered_json::array();
    const Colours colours(style->colour && format == "text");
    if (output == "threads") {
        auto hits = (*searcher)->threads(query, opt);
        if (!hits)
            return report(hits.error());
        Pager pager(style->page && format == "text");
        for (const auto& h : *hits) {
            if (format == "json") {
                all.push_back(thread_hit_json(h));
                continue;
            }
            std::cout << thread_line(h, style->width, colours) << "\n";
        }
    } else {
        auto hits = (*searcher)->messages(query, opt);
        if (!hits)
            return report(hits.error());
        Pager pager(style->page && format == "text");
        for (const auto& h : *hits) {
            if (format == "json") {
                all.push_back(message_hit_json(h));
                continue;
            }
            // The id stays whole (it is what `show` takes): the subject gives way.
            const std::string head = short_date(h.date) + "  " + h.from + "  ", id = "  <" + h.id + ">";
            const size_t room = style->width == 0 ? 0 : style->width - std::min(style->width - 1, display_width(head + id));
            std::cout << colours.dim(short_date(h.date)) << "  " << h.from << "  " << fit(h.subject, room)
                      << colours.dim(id) << "\n";
            if (!h.snippet.empty())
                std::cout << fit("    " + h.snippet, style->width) << "\n";
        }
    }
    if (format == "json")
        std::cout << all.dump(2) << "\n";
    return 0;
}

po::options_description count_options()
{
    po::options_description d("Count options");
    d.add_options()("output", po::value<std::string>()->default_value("messages")->value_name("messages|threads"),
                    "count messages or threads")(
        "format", po::value<std::string>()->default_value("text")->value_name("text|json"), "output format")(
        "query", po::value<std::vector<std::string>>()->multitoken(),
        "query (positional; none or '*' counts everything)");
    return d;
}

int cmd_count(const std::vector<std::string>& args)
{
    po::positional_options_description pos;
    pos.add("query", -1);
    po::variables_map vm;
    if (auto rc = parse_args(*find_command("count"), args, pos, vm))
        return *rc;
    const std::string output = vm["output"].as<std::string>(), format = vm["format"].as<std::string>();
    if (auto rc = check_choice(vm, "count", "output", {"messages", "threads"}))
        return *rc;
    if (auto rc = check_choice(vm, "count", "format", {"text", "json"}))
        return *rc;
    auto searcher = open_searcher(vm);
    if (!searcher)
        return report(searcher.error());
    const std::string query = join_query(vm);
    auto n = (*searcher)->count(query, output == "threads");
    if (!n)
        return report(n.error());
    if (format == "json")
        std::cout << count_json(query.empty() ? "*" : query, output, *n).dump(2) << "\n";
    else
        std::cout << *n << "\n";
    return 0;
}

po::options_description lists_options()
{
    po::options_description d("Lists options");
    d.add_options()("format", po::value<std::string>()->default_value("text")->value_name("text|json"),
                    "output format");
    return d;
}

int cmd_lists(const std::vector<std::string>& args)
{
    po::variables_map vm;
    if (auto rc = parse_args(*find_command("lists"), args, {}, vm))
        return *rc;
    const std::string format = vm["format"].as<std::string>();
    if (auto rc = check_choice(vm, "lists", "format", {"text", "json"}))
        return *rc;
    auto searcher = open_searcher(vm);
    if (!searcher)
        return report(searcher.error());
    auto lists = (*searcher)->lists();
    if (!lists)
        return report(lists.error());
    if (format == "json") {
        std::cout << lists_json(*lists).dump(2) << "\n";
        return 0;
    }
    size_t width = 4;
    bool by_list = false; // placed by list: each list's shard is a column
    for (const auto& l : *lists) {
        width = std::max(width, l.id.size());
        by_list = by_list || l.shard;
    }
    auto row = [&](const std::string& id, const std::string& messages, const std::string& threads,
                   const std::string& first, const std::string& last, const std::string& shard) {
        std::string name = id;
        name.resize(width, ' ');
        std::string m = messages, t = threads;
        m.insert(0, m.size() < 10 ? 10 - m.size() : 0, ' ');
        t.insert(0, t.size() < 9 ? 9 - t.size() : 0, ' ');
        std::cout << name << m << t << "  " << first << "  " << last;
        if (by_list)
            std::cout << "  " << shard;
        std::cout << "\n";
    };
    row("list", "messages", "threads", "first     ", by_list ? "last      " : "last", "shard");
    for (const auto& l : *lists)
        row(l.id, thousands(l.messages), thousands(l.threads), short_date(l.oldest), short_date(l.newest),
            l.shard ? std::to_string(*l.shard) : "");
    return 0;
}

} // namespace listdex::cli
