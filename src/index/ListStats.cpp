// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "ListStats.hpp"

#include "listdex/base/Text.hpp"
#include "listdex/index/Schema.hpp"
#include "listdex/thread/Threader.hpp"

#include <algorithm>
#include <charconv>
#include <map>

namespace listdex {

namespace {

/// "v1" then a line per list: id, messages, threads, oldest, newest, and
/// YYYYMM:messages,... .
constexpr std::string_view kFormat = "v1\n";

template <typename T>
bool parse_field(std::string_view text, T& out)
{
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && end == text.data() + text.size();
}

} // namespace

std::vector<ListStat> compute_list_stats(Xapian::Database& db)
{
    struct Counting {
        ListStat stat;
        std::vector<uint64_t> threads; // one per message; distinct at the end
        std::map<int, uint64_t> months;
    };
    std::map<std::string, Counting, std::less<>> lists;
    // The three value streams in document order, as Searcher::summarise reads them.
    auto list = db.valuestream_begin(schema::Slot::list);
    auto date = db.valuestream_begin(schema::Slot::date);
    auto thread = db.valuestream_begin(schema::Slot::thread);
    const auto end = db.valuestream_end(schema::Slot::list);
    for (; list != end; ++list) {
        const Xapian::docid doc = list.get_docid();
        date.skip_to(doc);
        if (date == end || date.get_docid() != doc)
            continue; // only messages have a date (ghosts have no list either)
        const auto when = static_cast<int64_t>(Xapian::sortable_unserialise(*date));
        std::optional<uint64_t> id;
        if (thread.skip_to(doc), thread != end && thread.get_docid() == doc)
            id = parse_thread_id(*thread);
        const std::string names = *list;
        for (std::string_view name : split(names, ' ')) {
            if (name.empty())
                continue;
            auto it = lists.find(name);
            if (it == lists.end()) {
                it = lists.emplace(std::string(name), Counting{}).first;
                it->second.stat = {std::string(name), 0, 0, when, when, {}};
            }
            ListStat& s = it->second.stat;
            ++s.messages;
            s.oldest = std::min(s.oldest, when);
            s.newest = std::max(s.newest, when);
            if (id)
                it->second.threads.push_back(*id);
            ++it->second.months[schema::month_of(when)];
        }
    }
    std::vector<ListStat> out;
    for (auto& [name, c] : lists) {
        std::sort(c.threads.begin(), c.threads.end());
        c.stat.threads = static_cast<uint64_t>(std::unique(c.threads.begin(), c.threads.end()) - c.threads.begin());
        c.stat.months.assign(c.months.begin(), c.months.end());
        out.push_back(std::move(c.stat));
    }
    return out;
}

std::string encode_list_stats(const std::vector<ListStat>& stats)
{
    std::string out(kFormat);
    for (const ListStat& s : stats) {
        out += s.id + ' ' + std::to_string(s.messages) + ' ' + std::to_string(s.threads) + ' ' +
               std::to_string(s.oldest) + ' ' + std::to_string(s.newest) + ' ';
        for (size_t i = 0; i < s.months.size(); ++i)
            out += (i ? "," : "") + std::to_string(s.months[i].first) + ':' + std::to_string(s.months[i].second);
        out += '\n';
    }
    return out;
}

std::optional<std::vector<ListStat>> stored_list_stats(const Xapian::Database& db)
{
    const std::string value = db.get_metadata(std::string(schema::kListStatsKey));
    if (!value.starts_with(kFormat))
        return std::nullopt;
    std::vector<ListStat> out;
    for (std::string_view line : split(std::string_view(value).substr(kFormat.size()), '\n')) {
        if (line.empty())
            continue;
        const auto f = split(line, ' ');
        ListStat s;
        if (f.size() != 6 || f[0].empty() || !parse_field(f[1], s.messages) || !parse_field(f[2], s.threads) ||
            !parse_field(f[3], s.oldest) || !parse_field(f[4], s.newest))
            return std::nullopt;
        for (std::string_view month : split(f[5], ',')) {
            const size_t colon = month.find(':');
            std::pair<int, uint64_t> m;
            if (colon == std::string_view::npos || !parse_field(month.substr(0, colon), m.first) ||
                !parse_field(month.substr(colon + 1), m.second))
                return std::nullopt;
            s.months.push_back(m);
        }
        s.id = std::string(f[0]);
        out.push_back(std::move(s));
    }
    return out;
}

} // namespace listdex
