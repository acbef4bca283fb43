// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "listdex/mbox/MboxReader.hpp"

#include "RepairFields.hpp"
#include "listdex/base/Text.hpp"
#include "listdex/mbox/FromLine.hpp"
#include "listdex/mbox/InputScanner.hpp"
#include "listdex/mbox/MessageRepair.hpp"

#include <algorithm>
#include <cstring>

namespace listdex {

namespace {
constexpr size_t kChunk = 1 << 18;

bool is_blank(std::string_view line)
{
    return line == "\n" || line == "\r\n" || line == "\r";
}

/// ">From ", ">>From " ... as written by mboxrd (and mboxo) writers.
bool is_quoted_from(std::string_view line)
{
    size_t i = 0;
    while (i < line.size() && line[i] == '>')
        ++i;
    return i > 0 && line.substr(i).starts_with("From ");
}

/// In the text of a flattened message, where the next flattened message
/// starts (its From_ line, when a whole archive lost its line breaks), or
/// the end of @p text.
size_t flattened_end(std::string_view text)
{
    for (size_t p = text.find(" From "); p != std::string_view::npos; p = text.find(" From ", p + 1)) {
        std::string_view candidate = text.substr(p + 1);
        if (auto fl = parse_from_line(candidate); fl && starts_with_known_field(candidate.substr(fl->rest)))
            return p + 1;
    }
    return text.size();
}

/// Pipermail's From_ line sender: "user at example.com".
bool pipermail_sender(std::string_view sender)
{
    const size_t at = sender.find(" at ");
    return at != std::string_view::npos && at > 0 && sender.find(' ', at + 4) == std::string_view::npos &&
           sender.find('@') == std::string_view::npos;
}

std::optional<uint64_t> content_length(std::string_view line)
{
    constexpr std::string_view name = "content-length:";
    if (line.size() <= name.size() || !iequals(line.substr(0, name.size()), name))
        return std::nullopt;
    return parse_number<uint64_t>(trim(line.substr(name.size())));
}
} // namespace

MboxReader::MboxReader(ByteSource& source) : source_(source) {}

Result<void> MboxReader::fill(size_t n)
{
    while (!eof_ && buf_.size() - pos_ < n) {
        if (pos_ > 0 && pos_ >= buf_.size() / 2) {
            buf_.erase(0, pos_);
            base_ += pos_;
            scan_ = scan_ > pos_ ? scan_ - pos_ : 0;
            pos_ = 0;
        }
        const size_t old = buf_.size();
        buf_.resize(old + kChunk);
        auto got = source_.read(buf_.data() + old, kChunk);
        if (!got) {
            buf_.resize(old);
            return std::unexpected(got.error());
        }
        buf_.resize(old + *got);
        if (*got == 0)
            eof_ = true;
    }
    return {};
}

Result<std::string_view> MboxReader::peek_line()
{
    for (;;) {
        // Resume where the last search stopped: flattened messages consume
        // a long line piece by piece, and rescanning it each time would be
        // quadratic.
        scan_ = std::max(scan_, pos_);
        const char* start = buf_.data() + pos_;
        const void* nl = std::memchr(buf_.data() + scan_, '\n', buf_.size() - scan_);
        if (nl) {
            scan_ = static_cast<size_t>(static_cast<const char*>(nl) - buf_.data());
            return std::string_view(start, scan_ - pos_ + 1);
        }
        scan_ = buf_.size();
        if (eof_)
            return std::string_view(start, buf_.size() - pos_);
        // Grow geometrically so a huge line costs O(n), not O(n^2).
        if (auto r = fill(std::max(kChunk, 2 * (buf_.size() - pos_))); !r)
            return std::unexpected(r.error());
    }
}

Result<bool> MboxReader::separator(size_t len)
{
    if (auto r = fill(len + 128); !r)
        return std::unexpected(r.error());
    const std::string_view line(buf_.data() + pos_, len);
    const auto from = parse_from_line(line);
    if (!from)
        return false;
    if (starts_with_known_field(line.substr(from->rest)))
        return true; // a flattened message
    if (pipermail_ && !pipermail_sender(from->sender))
        return false; // pipermail writes every separator with its "user at host" sender
    const std::string_view next(buf_.data() + pos_ + len, std::min<size_t>(buf_.size() - pos_ - len, 128));
    return next.empty() || next.starts_with("From ") || next.starts_with("\n") || next.starts_with("\r\n") ||
           header_field_name(next).has_value();
}

Result<bool> MboxReader::boundary_ahead(const std::string& boundary)
{
    if (auto r = fill(kBoundaryLookahead); !r)
        return std::unexpected(r.error());
    const std::string_view ahead(buf_.data() + pos_, std::min(buf_.size() - pos_, kBoundaryLookahead));
    return ahead.find("\n--" + boundary) != std::string_view::npos;
}

bool MboxReader::content_length_fits(size_t body_start, uint64_t length)
{
    // body_start is relative to pos_. Look at what follows the claimed body.
    if (!fill(body_start + length + 2048))
        return false;
    const size_t avail = buf_.size() - pos_;
    if (body_start + length > avail)
        return false;
    std::string_view rest(buf_.data() + pos_ + body_start + length, avail - body_start - length);
    while (!rest.empty()) {
        const size_t nl = rest.find('\n');
        std::string_view line = rest.substr(0, nl == std::string_view::npos ? rest.size() : nl + 1);
        if (is_blank(line)) {
            rest.remove_prefix(line.size());
            continue;
        }
        return parse_from_line(line).has_value();
    }
    return eof_; // nothing but blank lines follow: the end of the mbox
}

Result<std::optional<RawMessage>> MboxReader::next()
{
    // Skip blank lines between messages and find the From_ line.
    std::optional<FromLine> from;
    uint64_t start = 0;
    for (;;) {
        auto line = peek_line();
        if (!line)
            return std::unexpected(line.error());
        if (line->empty())
            return std::optional<RawMessage>{};
        if (is_blank(*line)) {
            consume(line->size());
            continue;
        }
        start = offset();
        from = parse_from_line(*line);
        if (from && !separators_seen_++)
            pipermail_ = pipermail_sender(from->sender);
        if (from && starts_with_known_field(line->substr(from->rest))) {
            // A flattened message: the whole message follows its From_ line
            // on the same line (MimeParser rebuilds it).
            RawMessage msg;
            msg.source = source_.name();
            msg.offset = start;
            msg.envelope_date = from->date;
            std::string_view text = line->substr(from->rest);
            const size_t end = flattened_end(text);
            msg.bytes.assign(text.substr(0, end));
            while (!msg.bytes.empty() && (msg.bytes.back() == ' ' || msg.bytes.back() == '\t'))
                msg.bytes.pop_back();
            consume(from->rest + end);
            return std::optional<RawMessage>(std::move(msg));
        }
        if (from)
            consume(line->size());
        // Otherwise the input does not start with a separator (a truncated
        // mbox, or text before the first From_ line): keep it as a message
        // of its own rather than lose it.
        break;
    }

    RawMessage msg;
    msg.source = source_.name();
    msg.offset = start;
    if (from)
        msg.envelope_date = from->date;

    // Header block.
    std::optional<uint64_t> clen;
    std::string content_type; // the top-level Content-Type field, unfolded
    bool in_content_type = false;
    bool in_headers = true;
    while (in_headers) {
        auto line = peek_line();
        if (!line)
            return std::unexpected(line.error());
        if (line->empty())
            break;
        if (is_blank(*line)) {
            in_headers = false;
        } else if (parse_from_line(*line)) {
            auto sep = separator(line->size());
            if (!sep)
                return std::unexpected(sep.error());
            if (*sep)
                break; // a header-only (or empty) message directly followed by the next one
            if (line = peek_line(); !line) // fill() may have moved the buffer
                return std::unexpected(line.error());
        } else if (auto n = content_length(*line)) {
            clen = n;
        }
        if (!is_blank(*line)) {
            if (line->starts_with(' ') || line->starts_with('\t')) {
                if (in_content_type)
                    content_type += *line;
            } else {
                in_content_type = iequals(line->substr(0, std::min<size_t>(line->size(), 13)), "content-type:");
                if (in_content_type)
                    content_type = line->substr(13);
            }
        }
        msg.bytes.append(*line);
        consume(line->size());
    }
    // A multipart's boundary: until its closing line, a From_ line may be
    // the first line of an attached mbox or patch (see the file comment).
    std::string boundary;
    if (ascii_lower(trim(content_type)).starts_with("multipart/"))
        boundary = repair::param(content_type, "boundary");
    bool multipart_open = !boundary.empty();

    if (!in_headers && clen && content_length_fits(0, *clen)) {
        msg.bytes.append(buf_, pos_, *clen);
        consume(*clen);
    } else if (!in_headers) {
        for (;;) {
            auto line = peek_line();
            if (!line)
                return std::unexpected(line.error());
            if (line->empty())
                break;
            if (parse_from_line(*line)) {
                auto sep = separator(line->size());
                if (!sep)
                    return std::unexpected(sep.error());
                if (*sep && multipart_open) {
                    auto inside = boundary_ahead(boundary);
                    if (!inside)
                        return std::unexpected(inside.error());
                    *sep = !*inside;
                }
                if (*sep)
                    break;
                if (line = peek_line(); !line) // fill() may have moved the buffer
                    return std::unexpected(line.error());
            } else if (multipart_open && line->starts_with("--") &&
                       trim(line->substr(2)) == boundary + "--") {
                multipart_open = false; // the closing boundary
            }
            if (is_quoted_from(*line))
                msg.bytes.append(line->substr(1));
            else
                msg.bytes.append(*line);
            consume(line->size());
        }
        // The blank line before the next From_ line is the separator.
        if (msg.bytes.ends_with("\r\n\r\n"))
            msg.bytes.resize(msg.bytes.size() - 2);
        else if (msg.bytes.ends_with("\n\n"))
            msg.bytes.resize(msg.bytes.size() - 1);
    }
    return std::optional<RawMessage>(std::move(msg));
}

} // namespace listdex
