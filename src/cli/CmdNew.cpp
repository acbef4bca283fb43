// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
// listdex new: per list, the threads with unread messages, followed threads
// first; --mark marks what was listed read.
#include "Commands.hpp"

#include "listdex/index/Schema.hpp"
#include "listdex/index/Tags.hpp"
#include "listdex/query/Json.hpp"

#include <algorithm>
#include <iostream>
#include <set>

namespace listdex::cli {

po::options_description new_options()
{
    po::options_description d("New options");
    d.add_options()("list", po::value<std::vector<std::string>>()->value_name("LIST"),
                    "only this list (repeatable; an id or its first labels, as list:)")(
        "mark", "mark the messages of the threads listed read")(
        "limit", po::value<uint64_t>()->default_value(50)->value_name("N"),
        "per list, the newest N threads besides the followed ones (0: all)")(
        "format", po::value<std::string>()->default_value("text")->value_name("text|json"), "output format");
    d.add(reading_options());
    return d;
}

namespace {

/// What is new on one list.
struct ListNews {
    std::string list;
    uint64_t messages = 0, threads = 0; ///< unread messages, threads holding one (exact, all of them)
    std::vector<ThreadHit> followed, new_threads, new_replies; ///< the threads shown
    std::vector<std::string> ids; ///< Message-IDs of the unread messages shown (for --mark)

    [[nodiscard]] size_t shown() const { return followed.size() + new_threads.size() + new_replies.size(); }
};

/// Followed threads all (when @p follows: the reader follows any thread);
/// of the others the newest @p limit (0: all).
Result<ListNews> news_of(Searcher& searcher, const std::string& list, bool follows, uint64_t limit, bool with_ids)
{
    ListNews news;
    news.list = list;
    const std::string unread = "list:" + list + " is:unread";
    auto counts = searcher.match_counts(unread);
    if (!counts)
        return std::unexpected(counts.error());
    news.messages = counts->messages;
    news.threads = counts->threads;
    if (news.messages == 0)
        return news;
    SearchOptions opt; // newest first
    if (follows) {
        auto followed = searcher.threads(unread + " is:followed", opt);
        if (!followed)
            return std::unexpected(followed.error());
        news.followed = std::move(*followed);
    }
    opt.limit = limit;
    auto others = searcher.threads(follows ? unread + " NOT is:followed" : unread, opt);
    if (!others)
        return std::unexpected(others.error());
    for (auto& h : *others) // a thread is new when none of its messages was read yet
        (h.matched == h.messages ? news.new_threads : news.new_replies).push_back(std::move(h));
    if (with_ids) {
        // Exactly the messages of the threads shown.
        std::string query = unread;
        if (news.shown() < news.threads) {
            query += " (";
            for (const auto* group : {&news.followed, &news.new_threads, &news.new_replies})
                for (const auto& h : *group)
                    query += (query.ends_with("(") ? "thread:" : " OR thread:") + h.thread;
            query += ")";
        }
        auto done = searcher.export_matches(query, {}, false, [&](const ExportedMessage& m) -> Result<void> {
            news.ids.push_back(m.stored.message_id);
            return {};
        });
        if (!done)
            return std::unexpected(done.error());
    }
    return news;
}

nlohmann::ordered_json group_json(const std::vector<ThreadHit>& hits)
{
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const auto& h : hits) {
        auto j = thread_hit_json(h);
        j["unread"] = h.matched;
        out.push_back(std::move(j));
    }
    return out;
}

} // namespace

int cmd_new(const std::vector<std::string>& args)
{
    po::variables_map vm;
    if (auto rc = parse_args(*find_command("new"), args, {}, vm))
        return *rc;
    const std::string format = vm["format"].as<std::string>();
    if (auto rc = check_choice(vm, "new", "format", {"text", "json"}))
        return *rc;
    auto style = reading_style(vm);
    if (!style)
        return report(style.error());
    auto searcher = open_searcher(vm);
    if (!searcher)
        return report(searcher.error());
    auto all_lists = (*searcher)->list_ids();
    if (!all_lists)
        return report(all_lists.error());
    std::vector<std::string> lists;
    if (vm.count("list")) {
        // As list: reads them: a whole id, or its first labels.
        for (const auto& wanted : vm["list"].as<std::vector<std::string>>()) {
            const std::string id = normalize_list_id(wanted);
            const size_t before = lists.size();
            for (const auto& l : *all_lists)
                if ((l == id || l.starts_with(id + ".")) && std::ranges::find(lists, l) == lists.end())
                    lists.push_back(l);
            if (lists.size() == before)
                return report({ExitCode::not_found, "new: no list '" + wanted + "' in the index",
                               "listdex lists prints the lists"});
        }
    } else {
        lists = std::move(*all_lists);
    }
    const bool mark = vm.count("mark") > 0;
    auto followed = (*searcher)->count("is:followed", false); // none: one query a list less
    if (!followed)
        return report(followed.error());
    std::vector<ListNews> all;
    for (const auto& l : lists) {
        auto news = news_of(**searcher, l, *followed > 0, vm["limit"].as<uint64_t>(), mark);
        if (!news)
            return report(news.error());
        all.push_back(std::move(*news));
    }

    // Mark before printing, so that the listing can say what was marked;
    // exactly the messages found above, not mail that arrived since.
    uint64_t marked = 0;
    if (mark) {
        std::set<std::string> ids;
        for (const auto& n : all)
            ids.insert(n.ids.begin(), n.ids.end());
        std::vector<TagEdit> edits;
        edits.reserve(ids.size());
        for (const auto& id : ids)
            edits.push_back({id, {std::string(schema::kReadTag)}, {}, false});
        if (!edits.empty()) {
            auto done = apply_tags(index_paths(vm), edits);
            if (!done)
                return report(done.error());
            marked = done->messages;
        }
    }
    if (format == "json") {
        nlohmann::ordered_json out = nlohmann::ordered_json::array();
        for (const auto& n : all)
            out.push_back({{"list", n.list},
                           {"unread", n.messages},
                           {"threads", n.threads},
                           {"shown_threads", n.shown()},
                           {"followed", group_json(n.followed)},
                           {"new_threads", group_json(n.new_threads)},
                           {"new_replies", group_json(n.new_replies)}});
        std::cout << nlohmann::ordered_json{{"lists", out}, {"marked_read", marked}}.dump(2) << "\n";
    } else {
        const Colours colours(style->colour);
        Pager pager(style->page);
        const size_t width = style->width > 4 ? style->width - 4 : style->width;
        bool any = false;
        for (const auto& n : all) {
            if (n.messages == 0)
                continue;
            any = true;
            std::cout << colours.paint("1", n.list) << "  " << counted(n.messages, "new message", "new messages")
                      << " in " << counted(n.threads, "thread", "threads") << "\n";
            auto group = [&](const char* title, const std::vector<ThreadHit>& hits) {
                if (hits.empty())
                    return;
                std::cout << "  " << colours.paint("1;34", title) << " (" << hits.size() << ")\n";
                for (const auto& h : hits)
                    std::cout << "    " << thread_line(h, width, colours) << "\n";
            };
            group("followed", n.followed);
            group("new threads", n.new_threads);
            group("new replies", n.new_replies);
            if (n.shown() < n.threads)
                std::cout << "  " << colours.dim("(" + thousands(n.threads - n.shown()) +
                                                 " older threads not shown" + (mark ? ", still unread" : "") +
                                                 ": --limit 0 lists them all)")
                          << "\n";
        }
        if (!any)
            std::cout << "nothing new" << (vm.count("list") ? " on these lists" : "") << "\n";
    }
    if (mark)
        std::cerr << "listdex: marked " << counted(marked, "message", "messages") << " read\n";
    return 0;
}

} // namespace listdex::cli
