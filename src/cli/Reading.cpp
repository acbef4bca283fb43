// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "Reading.hpp"

#include "listdex/base/Time.hpp"
#include "listdex/index/Schema.hpp"

#include <algorithm>
#include <map>
#include <memory>

namespace listdex::cli {

Result<std::optional<DecodeMessage>> reading_decoder(const IndexPaths& paths, Searcher& searcher,
                                                     const std::vector<StoredMessage>& wanted)
{
#ifdef LISTDEX_MIME_COMMANDS
    (void)searcher, (void)wanted;
    auto opened = IndexReader::open(paths);
    if (!opened)
        return std::unexpected(opened.error());
    return DecodeMessage([reader = std::shared_ptr<IndexReader>(std::move(*opened))](const StoredMessage& m) {
        return reader->parse(m);
    });
#else
    (void)paths;
    auto decoded = std::make_shared<std::map<std::string, ParsedMessage>>(); // by key
    for (const StoredMessage& m : wanted) {
        auto pm = searcher.stored_parse(m);
        if (!pm)
            return std::nullopt;
        decoded->emplace(m.key, std::move(*pm));
    }
    return DecodeMessage([decoded](const StoredMessage& m) -> Result<ParsedMessage> {
        if (auto it = decoded->find(m.key); it != decoded->end())
            return it->second;
        return fail(ExitCode::failure, "<" + m.key + "> was not decoded");
    });
#endif
}

bool beside_the_page(const ParsedMessage& pm, const Attachment& a)
{
    return pm.rebuilt_from_html && a.size == 0;
}

namespace {

/// Writes @p text line by line after @p indent, painted; blank lines get no
/// trailing indentation.
void print_lines(std::ostream& out, std::string_view text, std::string_view indent, BodyPainter& painter)
{
    while (!text.empty()) {
        const size_t nl = text.find('\n');
        const std::string_view line = text.substr(0, nl);
        out << (line.empty() ? std::string_view() : indent) << painter.line(line) << "\n";
        text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    }
}

/// The body, text attachments after it (as lore shows patches and logs),
/// and the list of attachments.
void print_body(std::ostream& out, const ParsedMessage& pm, std::string_view indent, const Colours& colours)
{
    BodyPainter painter(colours);
    print_lines(out, pm.body, indent, painter);
    for (const auto& a : pm.attachments) {
        if (!a.shown_inline())
            continue;
        const auto text = std::ranges::find(pm.attachment_texts, a.part, &AttachmentText::part);
        out << "\n"
            << indent
            << colours.dim("[-- Attachment [" + std::to_string(a.part) + "]: " +
                           (a.filename.empty() ? a.mime_type : a.filename) + ", " + a.mime_type + ", " +
                           thousands(a.size) + " bytes --]")
            << "\n";
        if (beside_the_page(pm, a)) {
            out << indent << "[-- not in the message: a file of the HTML archive beside the page --]\n";
            continue;
        }
        if (text == pm.attachment_texts.end()) {
            out << indent << "[-- not shown: past the first MiB of attachment text; listdex show --part " << a.part
                << " --]\n";
            continue;
        }
        BodyPainter attachment_painter(colours);
        print_lines(out, text->text, indent, attachment_painter);
    }
    if (!pm.attachments.empty()) {
        out << "\n" << indent << colours.paint("1;34", "Attachments:") << "\n";
        for (const auto& a : pm.attachments)
            out << indent << "  [" << a.part << "] " << (a.filename.empty() ? "(no name)" : a.filename) << "  "
                << a.mime_type << "  " << thousands(a.size) << " bytes\n";
    }
}


/// A note when the body the reader sees is not the text the sender wrote.
void print_notes(std::ostream& out, const ParsedMessage& pm, std::string_view indent, const Colours& colours)
{
    if (pm.body_from_html)
        out << indent
            << colours.header("Note", "the body is text converted from HTML (listdex show --raw has the HTML)")
            << "\n";
    if (pm.recovered)
        out << indent
            << colours.header("Note", "line breaks were lost; header fields and body rebuilt (--raw shows the original)")
            << "\n";
    if (pm.rebuilt_from_html)
        out << indent << colours.header("Note", "rebuilt from a page of an HTML (MHonArc) archive") << "\n";
}

} // namespace

void print_message(std::ostream& out, const StoredMessage& m, const ParsedMessage& pm, const Colours& colours)
{
    auto line = [&](const char* name, const std::string& value) {
        if (!value.empty())
            out << colours.paint("1;34", name) << value << "\n";
    };
    line("From:        ", display_list(pm.from));
    line("To:          ", display_list(pm.to));
    line("Cc:          ", display_list(pm.cc));
    std::string date = pm.date_header.empty() ? std::string("(none)") : pm.date_header;
    date += "  [" + format_iso8601(m.date);
    if (m.flags & schema::Flag::date_from_envelope)
        date += ", from the mbox From_ line";
    else if (m.flags & schema::Flag::date_from_order)
        date += ", assumed from import order";
    date += "]";
    line("Date:        ", date);
    line("Subject:     ", pm.subject);
    line("Lists:       ", join(m.lists, ", "));
    line("Tags:        ", join(m.tags, " "));
    line("Message-ID:  ", "<" + m.message_id + ">" +
                              (m.flags & schema::Flag::synthetic_id ? "  (synthetic: the message has none)" : ""));
    if (m.key != m.message_id)
        line("Key:         ", m.key);
    if (!pm.in_reply_to.empty())
        line("In-Reply-To: ", "<" + pm.in_reply_to.front() + ">");
    if (pm.recovered)
        line("Recovered:   ",
             "line breaks were lost; header fields and body rebuilt by listdex (--raw shows the original)");
    if (pm.rebuilt_from_html)
        line("Rebuilt:     ", "from a page of an HTML (MHonArc) archive; --raw shows the page");
    if (pm.body_from_html)
        line("Converted:   ", "the body is text converted from HTML (--raw has the HTML)");
    for (const auto& p : pm.problems)
        line("Problem:     ", p);
    out << "\n";
    print_body(out, pm, "", colours);
}

Result<void> print_thread_bodies(std::ostream& out, const DecodeMessage& decode, const ThreadView& view,
                                 const std::set<std::string>& only, const Colours& colours)
{
    size_t total = 0;
    for (const auto& e : view.entries)
        total += e.missing ? 0 : 1;
    size_t shown = 0, position = 0;
    Result<void> result;
    auto walk = [&](auto&& self, const ThreadTreeNode& n, size_t depth, const std::string& parent_subject) -> void {
        if (!result)
            return;
        const ThreadEntry& e = view.entries[n.member];
        const std::string indent(2 * std::min(depth, kMaxIndentDepth), ' ');
        std::string subject = parent_subject;
        if (!e.missing) {
            ++position;
            subject = without_reply_prefixes(e.subject);
        }
        if (e.missing && only.empty()) {
            out << "\n" << indent << colours.dim("[not in the archive: <" + e.message_id + ">]") << "\n";
        } else if (!e.missing && (only.empty() || only.contains(e.stored.key))) {
            auto pm = decode(e.stored);
            if (!pm) {
                result = std::unexpected(pm.error());
                return;
            }
            std::string where = "(" + std::to_string(position) + "/" + std::to_string(total);
            if (depth > kMaxIndentDepth)
                where += ", depth " + std::to_string(depth);
            where += ")";
            if (e.parent_by_subject)
                where += "  (linked by subject)";
            out << "\n" << indent << colours.header("From", display_list(pm->from)) << "\n";
            out << indent << colours.header("Date", short_date(e.stored.date) + " UTC  " + colours.dim(where)) << "\n";
            if (shown == 0 || subject != parent_subject || !only.empty())
                out << indent << colours.header("Subject", pm->subject) << "\n";
            out << indent << colours.header("Message-ID", "<" + e.stored.key + ">") << "\n";
            if (!e.stored.tags.empty())
                out << indent << colours.header("Tags", join(e.stored.tags, " ")) << "\n";
            print_notes(out, *pm, indent, colours);
            out << "\n";
            print_body(out, *pm, indent, colours);
            ++shown;
        }
        for (const auto& c : n.children)
            self(self, c, depth + 1, subject);
    };
    for (const auto& root : view.forest)
        walk(walk, root, 0, std::string("\x01")); // no subject before the first message
    return result;
}

} // namespace listdex::cli
