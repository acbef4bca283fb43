// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
// Header blocks as loose mail writes them (MessageRepair.hpp): a byte-order
// mark in front, white space before the first field or before a colon, no
// blank line between header and body.
#include "listdex/mbox/MessageRepair.hpp"

#include "listdex/base/Text.hpp"

namespace listdex {

namespace {

/// RFC 5322 ftext: printable ASCII except ':'.
bool field_char(char c)
{
    const auto u = static_cast<unsigned char>(c);
    return u > 32 && u < 127 && c != ':';
}

enum class LineKind { field, spaced_field, continuation, blank, envelope, other };

/// What header line @p line is; for spaced_field, @p name_end is where the
/// name ends (the white space before the colon starts).
LineKind classify(std::string_view line, size_t& name_end)
{
    if (line == "\n" || line == "\r\n" || line.empty())
        return LineKind::blank;
    if (line[0] == ' ' || line[0] == '\t')
        return trim(line).empty() ? LineKind::blank : LineKind::continuation;
    // Stray From_ lines (quoted or not) that some MTAs leave in headers:
    // neither a field nor the start of the body (mutt skips them too).
    if (line.starts_with("From ") || line.starts_with(">From "))
        return LineKind::envelope;
    size_t i = 0;
    while (i < line.size() && field_char(line[i]))
        ++i;
    if (i == 0 || i > 76)
        return LineKind::other;
    name_end = i;
    if (i < line.size() && line[i] == ':')
        return LineKind::field;
    // RFC 5322 4.5.3 (obsolete syntax): white space before the colon.
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t'))
        ++i;
    return i < line.size() && line[i] == ':' ? LineKind::spaced_field : LineKind::other;
}

/// One line of a header block as the walk reads it.
struct HeaderLine {
    size_t pos = 0;              ///< where the line starts in the text walked
    std::string_view line;       ///< the line (a first line's white space in front removed when it is a field)
    LineKind kind = LineKind::other;
    size_t name_end = 0;         ///< field, spaced_field: where the name ends
    bool indented_first = false; ///< the first line was a field with white space in front
};

/// Passes each line of the header block of @p text, from @p pos, to
/// @p visit, up to and including the first blank line or line that is
/// not a header line. A first line " From: ..." is a field with white
/// space in front (Python's email drops it as a continuation of nothing).
/// Returns where that last line starts (text.size() when the text ends
/// first): where the body starts. One walk for the sniffer and the repair,
/// so that what is sniffed as mail is what is repaired.
template <class Visit>
size_t walk_header(std::string_view text, size_t pos, Visit&& visit)
{
    for (bool first = true; pos < text.size(); first = false) {
        const size_t nl = text.find('\n', pos);
        const size_t end = nl == std::string_view::npos ? text.size() : nl + 1;
        HeaderLine h{pos, text.substr(pos, end - pos)};
        h.kind = classify(h.line, h.name_end);
        if (first && h.kind == LineKind::continuation) {
            const std::string_view stripped = h.line.substr(h.line.find_first_not_of(" \t"));
            size_t name_end = 0;
            if (const LineKind k = classify(stripped, name_end); k == LineKind::field || k == LineKind::spaced_field)
                h = {pos, stripped, k, name_end, true};
        }
        visit(h);
        if (h.kind == LineKind::blank || h.kind == LineKind::other)
            return pos;
        pos = end;
    }
    return pos;
}

} // namespace

std::vector<std::string_view> header_block_names(std::string_view head)
{
    std::vector<std::string_view> names;
    const size_t start = head.starts_with("\xEF\xBB\xBF") ? 3 : 0;
    bool ended = false;
    walk_header(head, start, [&](const HeaderLine& h) {
        // A first line that is a continuation of nothing: no header at all.
        ended = ended || (h.pos == start && h.kind == LineKind::continuation);
        if (!ended && (h.kind == LineKind::field || h.kind == LineKind::spaced_field))
            names.push_back(h.line.substr(0, h.name_end));
    });
    return names;
}

std::optional<HeaderRepair> repair_header_block(std::string_view raw)
{
    // Nearly every message needs nothing: nothing is copied until a line
    // does (then the lines before it are copied as they are).
    HeaderRepair out;
    bool changed = false;
    size_t copied = 0; // raw bytes before this are in out.bytes (once changed)
    auto change = [&](size_t upto) {
        if (!changed)
            out.bytes.assign(raw.substr(copied, upto - copied));
        changed = true;
    };
    if (raw.starts_with("\xEF\xBB\xBF")) {
        copied = 3;
        change(3);
        out.problems.push_back("a byte-order mark before the header; dropped");
    }
    const size_t body = walk_header(raw, copied, [&](const HeaderLine& h) {
        if (h.indented_first) {
            change(h.pos);
            out.problems.push_back("white space before the first header field; removed");
        }
        switch (h.kind) {
        case LineKind::blank: break; // the header ends where it should
        case LineKind::other:
            change(h.pos);
            out.problems.push_back(
                "no blank line after the header; the body starts at the first line that is not a header field");
            out.bytes.append(h.line.ends_with("\r\n") ? "\r\n" : "\n");
            break;
        case LineKind::spaced_field:
            // Legal but obsolete ("Subject : x"); written the modern way so
            // every parser reads the field.
            change(h.pos);
            out.bytes.append(h.line.substr(0, h.name_end));
            out.bytes.append(h.line.substr(h.line.find(':', h.name_end)));
            break;
        default:
            if (changed)
                out.bytes.append(h.line);
        }
    });
    if (!changed)
        return std::nullopt;
    out.bytes.append(raw.substr(body));
    return out;
}

} // namespace listdex
