// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "listdex/query/Json.hpp"

#include "listdex/base/Time.hpp"
#include "listdex/index/Schema.hpp"

namespace listdex {

using json = nlohmann::ordered_json;

const char* date_source(uint32_t flags)
{
    if (flags & schema::Flag::date_from_order)
        return "import-order";
    if (flags & schema::Flag::date_from_envelope)
        return "mbox-from-line";
    return "header";
}

namespace {
json address_list(const std::vector<Address>& list)
{
    json out = json::array();
    for (const auto& a : list)
        out.push_back(a.display());
    return out;
}

json address_objects(const std::vector<Address>& list)
{
    json out = json::array();
    for (const auto& a : list)
        out.push_back({{"name", a.name}, {"email", a.email}});
    return out;
}

json issues_json(const std::vector<ImportIssue>& list)
{
    json out = json::array();
    for (const auto& i : list) {
        json o = {{"source", i.source}, {"offset", i.offset}, {"problems", i.problems}};
        if (!i.commit.empty())
            o["commit"] = i.commit;
        if (!i.message_id.empty())
            o["id"] = i.message_id;
        out.push_back(std::move(o));
    }
    return out;
}
} // namespace

json message_json(const StoredMessage& stored, const ParsedMessage& pm, bool with_tags)
{
    json attachments = json::array();
    for (const auto& a : pm.attachments)
        attachments.push_back({{"filename", a.filename}, {"mime_type", a.mime_type}, {"size", a.size}, {"part", a.part}});
    json out = {
        {"id", stored.key},
        {"message_id", stored.message_id},
        {"from", pm.from.empty() ? json(nullptr) : json(pm.from.front().display())},
        {"to", address_list(pm.to)},
        {"cc", address_list(pm.cc)},
        {"addresses", {{"from", address_objects(pm.from)}, {"to", address_objects(pm.to)}, {"cc", address_objects(pm.cc)}}},
        {"date", format_iso8601(stored.date)},
        {"date_header", pm.date_header},
        {"date_source", date_source(stored.flags)},
        {"subject", pm.subject},
        {"list", stored.lists.empty() ? json(nullptr) : json(stored.lists.front())},
        {"lists", stored.lists},
        {"in_reply_to", pm.in_reply_to.empty() ? json(nullptr) : json(pm.in_reply_to.front())},
        {"references", pm.references},
        {"body", pm.body},
        {"attachments", std::move(attachments)},
        {"size", pm.size},
        {"synthetic_id", (stored.flags & schema::Flag::synthetic_id) != 0},
        {"recovered", pm.recovered},
        {"rebuilt_from_html", pm.rebuilt_from_html},
        {"body_from_html", pm.body_from_html},
        {"problems", pm.problems},
    };
    if (with_tags)
        out["tags"] = stored.tags;
    return out;
}

json message_hit_json(const MessageHit& h)
{
    return {{"id", h.id},
            {"message_id", h.message_id},
            {"thread", h.thread},
            {"date", format_iso8601(h.date)},
            {"from", h.from},
            {"subject", h.subject},
            {"list", h.lists.empty() ? json(nullptr) : json(h.lists.front())},
            {"lists", h.lists},
            {"snippet", h.snippet}};
}

json count_json(const std::string& query, const std::string& output, uint64_t count)
{
    // Every count listdex prints is exact (docs/query.md); the key says so
    // for scripts that also read estimating tools.
    return {{"query", query}, {"output", output}, {"count", count}, {"exact", true}};
}

json thread_hit_json(const ThreadHit& h)
{
    return {{"thread", h.thread},
            {"date", format_iso8601(h.date)},
            {"newest", format_iso8601(h.newest)},
            {"oldest", format_iso8601(h.oldest)},
            {"messages", h.messages},
            {"matched", h.matched},
            {"authors", h.authors},
            {"subject", h.subject}};
}

json thread_view_json(const ThreadView& v)
{
    auto node = [&](auto&& self, const ThreadTreeNode& n) -> json {
        const ThreadEntry& e = v.entries[n.member];
        json children = json::array();
        for (const auto& c : n.children)
            children.push_back(self(self, c));
        if (e.missing)
            return {{"id", e.message_id}, {"missing", true}, {"children", std::move(children)}};
        json out = {{"id", e.stored.key},   {"from", e.from},         {"date", format_iso8601(e.date)},
                    {"subject", e.subject}, {"children", std::move(children)}};
        if (e.parent_by_subject)
            out["parent_by_subject"] = true;
        return out;
    };
    json roots = json::array();
    uint64_t messages = 0;
    for (const auto& e : v.entries)
        messages += e.missing ? 0 : 1;
    for (const auto& r : v.forest)
        roots.push_back(node(node, r));
    json out = {{"thread", v.thread}, {"messages", messages}, {"tree", std::move(roots)}};
    if (!v.requested_alias.empty())
        out["merged_from"] = v.requested_alias;
    return out;
}

json lists_json(const std::vector<ListSummary>& lists)
{
    json out = json::array();
    for (const auto& l : lists) {
        out.push_back({{"id", l.id},
                       {"messages", l.messages},
                       {"threads", l.threads},
                       {"first", format_iso8601(l.oldest)},
                       {"last", format_iso8601(l.newest)}});
        if (l.shard)
            out.back()["shard"] = *l.shard;
    }
    return out;
}

json import_report_json(const ImportReport& r, const std::string& index_dir)
{
    return {
        {"index", index_dir},
        {"input_files", r.input_files},
        {"input_bytes", r.input_bytes},
        {"messages_read", r.messages_read},
        {"imported", r.imported},
        {"duplicates", r.duplicates},
        {"copies", r.copies},
        {"removed", r.removed},
        {"removals_unknown", r.removals_unknown},
        {"parents_by_subject", r.parents_by_subject},
        {"damaged", r.damaged},
        {"recovered", r.recovered},
        {"from_html", r.from_html},
        {"rejected", r.rejected},
        {"dates_from_mbox_from_line", r.dates_from_envelope},
        {"dates_from_import_order", r.dates_from_order},
        {"damaged_messages", issues_json(r.damaged_messages)},
        {"rejected_messages", issues_json(r.rejected_messages)},
        {"recovered_messages", issues_json(r.recovered_messages)},
        {"skipped_files", r.skipped_files},
        {"failed_files", r.failed_files},
        {"index_messages", r.index_messages},
        {"seconds", r.seconds},
        {"compacted", !r.compacted_because.empty()},
        {"compacted_because", r.compacted_because},
        {"interrupted", r.interrupted},
    };
}

} // namespace listdex
