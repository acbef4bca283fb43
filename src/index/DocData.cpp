// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "DocData.hpp"

#include "listdex/index/Schema.hpp"

#include <array>
#include <charconv>
#include <cstdio>

namespace listdex {

namespace {

void append_line(std::string& out, std::string_view field)
{
    out += '\n';
    for (char c : field) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
}

/// @p line with append_line's escapes undone; nullopt for an escape it
/// does not write.
std::optional<std::string> unescape(std::string_view line)
{
    std::string out;
    out.reserve(line.size());
    for (size_t i = 0; i < line.size(); ++i) {
        if (line[i] != '\\') {
            out += line[i];
            continue;
        }
        if (++i == line.size() || (line[i] != '\\' && line[i] != 'n'))
            return std::nullopt;
        out += line[i] == 'n' ? '\n' : '\\';
    }
    return out;
}

std::optional<DocSummary> decode_summary(std::string_view lines)
{
    std::array<std::string_view, 5> field;
    for (size_t i = 0; i < field.size(); ++i) {
        const size_t end = i + 1 < field.size() ? lines.find('\n') : lines.size();
        if (end == std::string_view::npos)
            return std::nullopt;
        field[i] = lines.substr(0, end);
        lines.remove_prefix(std::min(end + 1, lines.size()));
    }
    if (field[4].find('\n') != std::string_view::npos)
        return std::nullopt; // more than five lines
    DocSummary s;
    const auto [end, ec] = std::from_chars(field[2].data(), field[2].data() + field[2].size(), s.date);
    auto id = unescape(field[0]), hash = unescape(field[1]), from = unescape(field[3]), subject = unescape(field[4]);
    if (ec != std::errc() || end != field[2].data() + field[2].size() || !id || !hash || !from || !subject)
        return std::nullopt;
    s.message_id = std::move(*id);
    s.hash = std::move(*hash);
    s.from = std::move(*from);
    s.subject = std::move(*subject);
    return s;
}

} // namespace

std::string DocData::encode() const
{
    char buf[160];
    int n = std::snprintf(buf, sizeof buf, "%d %llu %u %u %llu %u", schema::kSchemaVersion,
                          static_cast<unsigned long long>(ref.block), ref.index, flags,
                          static_cast<unsigned long long>(text.block), text.index);
    if (parsed) // two more numbers: readers of records that lack them parse the raw copy
        std::snprintf(buf + n, sizeof buf - static_cast<size_t>(n), " %llu %u",
                      static_cast<unsigned long long>(parsed->block), parsed->index);
    std::string out = buf;
    // Only after eight numbers: a reader that knows six or eight numbers
    // and no summary would take a Message-ID's leading digits for the
    // seventh.
    if (parsed && summary) {
        append_line(out, summary->message_id);
        append_line(out, summary->hash);
        append_line(out, std::to_string(summary->date));
        append_line(out, summary->from);
        append_line(out, summary->subject);
    }
    return out;
}

std::optional<DocData> DocData::decode(std::string_view data)
{
    const size_t line_end = data.find('\n');
    std::string s(data.substr(0, line_end));
    int version = 0;
    unsigned long long block = 0, text_block = 0, parsed_block = 0;
    unsigned index = 0, flags = 0, text_index = 0, parsed_index = 0;
    int consumed = 0;
    const int fields = std::sscanf(s.c_str(), "%d %llu %u %u %llu %u %llu %u%n", &version, &block, &index, &flags,
                                   &text_block, &text_index, &parsed_block, &parsed_index, &consumed);
    if ((fields != 6 && fields != 8) || version != schema::kSchemaVersion)
        return std::nullopt;
    DocData d{{block, index}, flags, {text_block, text_index}, std::nullopt, std::nullopt};
    if (fields == 8)
        d.parsed = RawRef{parsed_block, parsed_index};
    if (line_end != std::string_view::npos) {
        if (fields != 8 || static_cast<size_t>(consumed) != s.size())
            return std::nullopt;
        d.summary = decode_summary(data.substr(line_end + 1));
        if (!d.summary)
            return std::nullopt;
    }
    return d;
}

} // namespace listdex
