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

} // namespace

std::vector<std::string_view> header_block_names(std::string_view head)
{
    std::vector<std::string_view> names;
    if (head.starts_with("\xEF\xBB\xBF"))
        head.remove_prefix(3);
    for (size_t pos = 0; pos < head.size();) {
        const size_t nl = head.find('\n', pos);
        const size_t end = nl == std::string_view::npos ? head.size() : nl + 1;
        std::string_view line = head.substr(pos, end - pos);
        if (pos == 0 && (line.starts_with(' ') || line.starts_with('\t')))
            line = line.substr(std::min(line.size(), line.find_first_not_of(" \t")));
        size_t name_end = 0;
        const LineKind kind = classify(line, name_end);
        if (kind == LineKind::blank || kind == LineKind::other || (pos == 0 && kind == LineKind::continuation))
            break;
        if (kind == LineKind::field || kind == LineKind::spaced_field)
            names.push_back(line.substr(0, name_end));
        pos = end;
    }
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
    size_t pos = copied;
    bool first = true;
    while (pos < raw.size()) {
        const size_t nl = raw.find('\n', pos);
        const size_t end = nl == std::string_view::npos ? raw.size() : nl + 1;
        std::string_view line = raw.substr(pos, end - pos);
        size_t name_end = 0;
        LineKind kind = classify(line, name_end);
        if (first && kind == LineKind::continuation) {
            // " From: ..." as the very first line: a field with white space
            // in front (Python's email drops it as a continuation of nothing).
            const std::string_view stripped = line.substr(line.find_first_not_of(" \t"));
            size_t n = 0;
            if (const LineKind k = classify(stripped, n); k == LineKind::field || k == LineKind::spaced_field) {
                change(pos);
                out.problems.push_back("white space before the first header field; removed");
                line = stripped;
                kind = classify(line, name_end);
            }
        }
        first = false;
        if (kind == LineKind::blank)
            break; // the header ends where it should
        if (kind == LineKind::other) {
            change(pos);
            out.problems.push_back(
                "no blank line after the header; the body starts at the first line that is not a header field");
            out.bytes.append(line.ends_with("\r\n") ? "\r\n" : "\n");
            break;
        }
        if (kind == LineKind::spaced_field) {
            // Legal but obsolete ("Subject : x"); written the modern way so
            // every parser reads the field.
            change(pos);
            out.bytes.append(line.substr(0, name_end));
            out.bytes.append(line.substr(line.find(':', name_end)));
        } else if (changed) {
            out.bytes.append(line);
        }
        pos = end;
    }
    if (!changed)
        return std::nullopt;
    out.bytes.append(raw.substr(pos));
    return out;
}

} // namespace listdex
