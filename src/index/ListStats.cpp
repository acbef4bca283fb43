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

/// "v2 MESSAGES THREADS" (the whole index), then a line per list: id,
/// messages, threads, oldest, newest, and YYYYMM:messages,... . (v1 had
/// no totals: read as absent.)
constexpr std::string_view kFormat = "v2 ";

template <typename T>
bool parse_field(std::string_view text, T& out)
{
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && end == text.data() + text.size();
}

} // namespace

IndexStats compute_index_stats(Xapian::Database& db)
{
    struct Counting {
        ListStat stat;
        std::vector<uint64_t> threads; // one per message; distinct at the end
        std::map<int, uint64_t> months;
    };
    auto distinct = [](std::vector<uint64_t>& ids) {
        std::sort(ids.begin(), ids.end());
        return static_cast<uint64_t>(std::unique(ids.begin(), ids.end()) - ids.begin());
    };
    IndexStats out;
    std::vector<uint64_t> all_threads;
    std::map<std::string, Counting, std::less<>> lists;
    // The three value streams in document order, as Searcher::summarise
    // reads them; only messages have a date (ghosts have no list either).
    auto date = db.valuestream_begin(schema::Slot::date);
    auto list = db.valuestream_begin(schema::Slot::list);
    auto thread = db.valuestream_begin(schema::Slot::thread);
    const auto end = db.valuestream_end(schema::Slot::date);
    for (; date != end; ++date) {
        const Xapian::docid doc = date.get_docid();
        const auto when = static_cast<int64_t>(Xapian::sortable_unserialise(*date));
        ++out.messages;
        std::optional<uint64_t> id;
        if (thread.skip_to(doc), thread != end && thread.get_docid() == doc)
            id = parse_thread_id(*thread);
        if (id)
            all_threads.push_back(*id);
        if (list.skip_to(doc), list == end || list.get_docid() != doc)
            continue;
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
    out.threads = distinct(all_threads);
    for (auto& [name, c] : lists) {
        c.stat.threads = distinct(c.threads);
        c.stat.months.assign(c.months.begin(), c.months.end());
        out.lists.push_back(std::move(c.stat));
    }
    return out;
}

std::string encode_index_stats(const IndexStats& stats)
{
    std::string out = std::string(kFormat) + std::to_string(stats.messages) + ' ' + std::to_string(stats.threads) + '\n';
    for (const ListStat& s : stats.lists) {
        out += s.id + ' ' + std::to_string(s.messages) + ' ' + std::to_string(s.threads) + ' ' +
               std::to_string(s.oldest) + ' ' + std::to_string(s.newest) + ' ';
        for (size_t i = 0; i < s.months.size(); ++i)
            out += (i ? "," : "") + std::to_string(s.months[i].first) + ':' + std::to_string(s.months[i].second);
        out += '\n';
    }
    return out;
}

std::optional<IndexStats> stored_index_stats(const Xapian::Database& db)
{
    const std::string value = db.get_metadata(std::string(schema::kListStatsKey));
    if (!value.starts_with(kFormat))
        return std::nullopt;
    IndexStats out;
    const auto lines = split(std::string_view(value).substr(kFormat.size()), '\n');
    const auto totals = lines.empty() ? std::vector<std::string_view>{} : split(lines.front(), ' ');
    if (totals.size() != 2 || !parse_field(totals[0], out.messages) || !parse_field(totals[1], out.threads))
        return std::nullopt;
    for (size_t i = 1; i < lines.size(); ++i) {
        const std::string_view line = lines[i];
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
        out.lists.push_back(std::move(s));
    }
    return out;
}

} // namespace listdex
