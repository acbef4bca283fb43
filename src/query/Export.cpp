// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
// Messages out of the index as they were sent: raw bytes, mboxrd, and the
// export of every match (`search --output mbox|ids`, the web server's
// downloads and lore-style POST searches).
#include "SearcherImpl.hpp"

#include "listdex/mbox/MboxWriter.hpp"

namespace listdex {

Result<std::vector<StoredMessage>> Searcher::find(std::string_view id)
{
    return find_messages(impl_->index, id);
}

Result<std::string> Searcher::raw(const StoredMessage& m)
{
    return read_raw_copy(impl_->raw_messages, m);
}

std::optional<ParsedMessage> Searcher::stored_parse(const StoredMessage& m)
{
    return listdex::stored_parse(impl_->parsed, m);
}

std::vector<const ThreadEntry*> tree_order(const ThreadView& v)
{
    std::vector<const ThreadEntry*> out;
    auto walk = [&](auto&& self, const ThreadTreeNode& n) -> void {
        out.push_back(&v.entries[n.member]);
        for (const auto& c : n.children)
            self(self, c);
    };
    for (const auto& r : v.forest)
        walk(walk, r);
    return out;
}

Result<std::string> Searcher::thread_mboxrd(const ThreadView& v, std::string_view from_line)
{
    std::string out;
    for (const ThreadEntry* e : tree_order(v)) {
        if (e->missing)
            continue;
        auto bytes = raw(e->stored);
        if (!bytes)
            return std::unexpected(bytes.error());
        if (from_line.empty())
            append_mboxrd(out, e->from, e->date, *bytes);
        else
            append_mboxrd(out, from_line, *bytes);
    }
    return out;
}

Result<uint64_t> Searcher::export_matches(std::string_view query, SearchOptions opt, bool whole_threads,
                                          const std::function<Result<void>(const ExportedMessage&)>& each)
{
    opt.with_raw = !whole_threads;
    auto hits = messages(query, opt);
    if (!hits)
        return std::unexpected(hits.error());
    uint64_t handed = 0;
    if (!whole_threads) {
        for (auto& h : *hits) {
            if (auto r = each({h.id, h.from, h.date, std::move(h.stored)}); !r)
                return std::unexpected(r.error());
            ++handed;
        }
        return handed;
    }
    std::unordered_set<std::string> seen;
    for (const auto& h : *hits) {
        if (!seen.insert(h.thread).second)
            continue;
        auto view = thread("thread:" + h.thread);
        if (!view)
            return std::unexpected(view.error());
        for (const ThreadEntry* e : tree_order(*view)) {
            if (e->missing)
                continue;
            if (auto r = each({e->stored.key, e->from, e->date, e->stored}); !r)
                return std::unexpected(r.error());
            ++handed;
        }
    }
    return handed;
}

} // namespace listdex
