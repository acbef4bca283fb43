// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "listdex/mime/MimeParser.hpp"

#include "Charset.hpp"
#include "Flowed.hpp"
#include "GObjectPtr.hpp"
#include "HeaderFields.hpp"
#include "HtmlToText.hpp"
#include "PartBytes.hpp"
#include "listdex/base/Hash.hpp"
#include "listdex/base/Text.hpp"
#include "listdex/base/Time.hpp"
#include "listdex/mbox/MessageRepair.hpp"
#include "listdex/mbox/MhonarcPage.hpp"
#include "listdex/mime/MailDate.hpp"

#include <gmime/gmime.h>

#include <algorithm>
#include <ctime>
#include <memory>

namespace listdex {

namespace {

constexpr int kMaxDepth = 100;                  // our walk; GMime has its own parser limit
constexpr size_t kMaxExtraText = 1 << 20;       // indexed text from attachments

std::string lower_mime_type(GMimeObject* obj)
{
    GMimeContentType* ct = g_mime_object_get_content_type(obj);
    if (!ct)
        return "application/octet-stream";
    GChars t(g_mime_content_type_get_mime_type(ct));
    return t ? ascii_lower(t.get()) : "application/octet-stream";
}

std::string serialized(GMimeObject* obj)
{
    auto mem = GObjectPtr<GMimeStream>::adopt(g_mime_stream_mem_new());
    g_mime_object_write_to_stream(obj, nullptr, mem.get());
    GByteArray* arr = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem.get()));
    return std::string(reinterpret_cast<const char*>(arr->data), arr->len);
}

std::string crlf_to_lf(std::string s)
{
    if (s.find('\r') == std::string::npos)
        return s;
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size(); ++i)
        if (!(s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n'))
            out += s[i];
    return out;
}

const char* warning_text(GMimeParserWarning code)
{
    switch (code) {
    case GMIME_WARN_INVALID_CONTENT_TYPE: return "invalid Content-Type";
    case GMIME_WARN_INVALID_RFC2047_HEADER_VALUE: return "invalid RFC 2047 encoded header";
    case GMIME_WARN_MALFORMED_MULTIPART: return "multipart without parts";
    case GMIME_WARN_TRUNCATED_MESSAGE: return "truncated message";
    case GMIME_WARN_MALFORMED_MESSAGE: return "malformed message";
    case GMIME_CRIT_INVALID_HEADER_NAME: return "invalid header name";
    case GMIME_CRIT_CONFLICTING_HEADER: return "conflicting headers";
    case GMIME_CRIT_CONFLICTING_PARAMETER: return "conflicting header parameters";
    case GMIME_CRIT_MULTIPART_WITHOUT_BOUNDARY: return "multipart without boundary";
    case GMIME_CRIT_NESTING_OVERFLOW: return "MIME nesting too deep";
    case GMIME_CRIT_PART_WITHOUT_HEADERS_OR_CONTENT: return "MIME part without headers or content";
    default: return nullptr; // duplicated headers, 8-bit headers...: common and harmless
    }
}

bool is_inline_text_subtype(std::string_view mime_type)
{
    if (!mime_type.starts_with("text/"))
        return false;
    std::string_view sub = mime_type.substr(5);
    return sub != "calendar" && sub != "vcard" && sub != "x-vcard" && sub != "csv" && sub != "rtf" &&
           sub != "directory";
}

/// Extracts "begin 644 name" ... "end" blocks from plain text with GMime's
/// uudecoder; returns the text with each block replaced by a note.
std::string extract_uuencoded(const std::string& text, unsigned part, std::vector<Attachment>& out)
{
    if (text.find("begin ") == std::string::npos)
        return text;
    std::string result;
    size_t pos = 0;
    while (pos < text.size()) {
        size_t nl = text.find('\n', pos);
        std::string_view line(text.data() + pos, (nl == std::string::npos ? text.size() : nl) - pos);
        const size_t next = nl == std::string::npos ? text.size() : nl + 1;
        bool block = false;
        if (line.starts_with("begin ") && line.size() > 10) {
            std::string_view mode = line.substr(6, line.find(' ', 6) == std::string_view::npos ? 0 : line.find(' ', 6) - 6);
            block = (mode.size() == 3 || mode.size() == 4) &&
                    std::all_of(mode.begin(), mode.end(), [](char c) { return c >= '0' && c <= '7'; });
            if (block) {
                const size_t end_pos = text.find("\nend", next - 1);
                if (end_pos == std::string::npos) {
                    block = false;
                } else {
                    std::string filename(trim(line.substr(6 + mode.size())));
                    std::string_view encoded(text.data() + next, end_pos + 1 - next);
                    std::string decoded(encoded.size(), '\0');
                    int state = GMIME_UUDECODE_STATE_BEGIN;
                    guint32 save = 0;
                    const size_t n = g_mime_encoding_uudecode_step(
                        reinterpret_cast<const unsigned char*>(encoded.data()), encoded.size(),
                        reinterpret_cast<unsigned char*>(decoded.data()), &state, &save);
                    out.push_back({make_valid_utf8(filename), "application/octet-stream", n, part});
                    result += "[uuencoded attachment: " + out.back().filename + ", " + std::to_string(n) + " bytes]\n";
                    const size_t after = text.find('\n', end_pos + 1);
                    pos = after == std::string::npos ? text.size() : after + 1;
                    continue;
                }
            }
        }
        result.append(text, pos, next - pos);
        pos = next;
    }
    return result;
}

class Walker {
public:
    explicit Walker(ParsedMessage& pm) : pm_(pm) {}

    /// @p index: public-inbox's number for @p obj ("" for the message's top
    /// part; see ParsedMessage::part_indexes).
    void walk(GMimeObject* obj, int depth, bool body_context, const std::string& index)
    {
        if (!obj)
            return;
        const unsigned number = ++part_;
        default_invalid_content_type(obj);
        // A single-part message's only part is "1"; a top multipart or
        // message/rfc822 has no number of its own (its first child is "1").
        pm_.part_indexes.push_back(index.empty() && GMIME_IS_PART(obj) ? "1" : index);
        if (depth > kMaxDepth) {
            note("MIME nesting deeper than " + std::to_string(kMaxDepth) + " levels; inner parts skipped");
            return;
        }
        const std::string type = lower_mime_type(obj);
        add_mime_type(type);

        if (GMIME_IS_MULTIPART(obj)) {
            GMimeMultipart* mp = GMIME_MULTIPART(obj);
            const int n = g_mime_multipart_get_count(mp);
            const int chosen = type == "multipart/alternative" ? choose_alternative(mp) : -1;
            for (int i = 0; i < n; ++i)
                walk(g_mime_multipart_get_part(mp, i), depth + 1, body_context && (chosen < 0 || i == chosen),
                     child_index(index, i));
            return;
        }
        if (GMIME_IS_MESSAGE_PART(obj)) {
            GMimeMessage* inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
            if (!inner)
                return;
            std::string filename;
            if (const char* fn = g_mime_object_get_content_disposition_parameter(obj, "filename"))
                filename = make_valid_utf8(fn);
            const std::string subject = inner_subject(inner);
            if (filename.empty())
                filename = (subject.empty() ? std::string("message") : subject) + ".eml";
            pm_.attachments.push_back({filename, type, serialized(GMIME_OBJECT(inner)).size(), number});
            if (body_context)
                append_body(forwarded_header(inner));
            walk(g_mime_message_get_mime_part(inner), depth + 1, body_context, child_index(index, 0));
            return;
        }
        if (!GMIME_IS_PART(obj))
            return;
        GMimePart* part = GMIME_PART(obj);
        const char* disposition = g_mime_object_get_disposition(obj);
        const bool attachment_disposition = disposition && iequals(disposition, "attachment");
        std::string filename;
        if (const char* fn = g_mime_part_get_filename(part))
            filename = one_line(fn);
        const bool inline_text = is_inline_text_subtype(type) && !attachment_disposition;

        if (inline_text) {
            if (!body_context)
                return; // an alternative we did not choose
            std::string as_sent;
            std::string text = decode_text(obj, part, number, &as_sent);
            if (type == "text/html") {
                text = html_to_text(text);
                pm_.body_from_html = !pm_.rebuilt_from_html; // an MHonArc page says so itself
            }
            if (!filename.empty())
                pm_.attachments.push_back({filename, type, decoded_size(part), number});
            append_body(text, as_sent.empty() ? nullptr : &as_sent);
            return;
        }
        pm_.attachments.push_back({filename, type, decoded_size(part), number});
        if (type.starts_with("text/") && extra_text_size_ < kMaxExtraText) {
            std::string text = decode_text(obj, part, number);
            if (type == "text/html")
                text = html_to_text(text);
            text.resize(std::min(text.size(), kMaxExtraText - extra_text_size_));
            extra_text_size_ += text.size();
            pm_.attachment_texts.push_back({number, std::move(text)});
        }
    }

    void note(std::string problem)
    {
        if (std::find(pm_.problems.begin(), pm_.problems.end(), problem) == pm_.problems.end())
            pm_.problems.push_back(std::move(problem));
    }

private:
    /// RFC 2045 5.2: a Content-Type that is not type/subtype ("text",
    /// "text/", garbage) means text/plain; charset=us-ascii. GMime reads it
    /// as application/octet-stream, which showed such bodies as unnamed
    /// attachments and an empty message. A charset written after the bad
    /// type is kept.
    void default_invalid_content_type(GMimeObject* obj)
    {
        if (!GMIME_IS_PART(obj))
            return;
        const char* raw = g_mime_object_get_header(obj, "Content-Type");
        if (!raw)
            return;
        {
            const std::string_view value = trim(raw);
            const std::string_view type = trim(value.substr(0, value.find(';')));
            const size_t slash = type.find('/');
            if (slash != std::string_view::npos && slash > 0 && slash + 1 < type.size())
                return;
        }
        // A copy: setting the content type below frees GMime's header value.
        const std::string field(trim(raw));
        const std::string_view value = field;
        const std::string type(trim(value.substr(0, value.find(';'))));
        std::string charset = "us-ascii";
        const std::string lower = ascii_lower(value);
        if (const size_t at = lower.find("charset="); at != std::string::npos) {
            std::string_view cs = value.substr(at + 8);
            cs = trim(cs.substr(0, cs.find(';')));
            if (cs.size() >= 2 && cs.front() == '"' && cs.back() == '"')
                cs = cs.substr(1, cs.size() - 2);
            if (!cs.empty())
                charset = cs;
        }
        const auto ct = GObjectPtr<GMimeContentType>::adopt(g_mime_content_type_new("text", "plain"));
        g_mime_content_type_set_parameter(ct.get(), "charset", charset.c_str());
        g_mime_object_set_content_type(obj, ct.get()); // takes its own reference
        note("Content-Type \"" + one_line(type) + "\" is not type/subtype; read as text/plain (RFC 2045 5.2)");
    }

    /// public-inbox's number of child @p i (from 0) of the part numbered @p parent.
    static std::string child_index(const std::string& parent, int i)
    {
        return (parent.empty() ? "" : parent + ".") + std::to_string(i + 1);
    }

    void add_mime_type(const std::string& type)
    {
        if (std::find(pm_.mime_types.begin(), pm_.mime_types.end(), type) == pm_.mime_types.end())
            pm_.mime_types.push_back(type);
    }

    /// Appends @p text to the body, and @p as_sent (or the same text) to
    /// the body as sent, which stays empty unless a part was format=flowed.
    void append_body(const std::string& text, const std::string* as_sent = nullptr)
    {
        if (text.empty())
            return;
        auto append = [](std::string& to, const std::string& t) {
            if (!to.empty() && !to.ends_with("\n\n"))
                to += to.ends_with('\n') ? "\n" : "\n\n";
            to += t;
        };
        if (as_sent && pm_.body_as_sent.empty())
            pm_.body_as_sent = pm_.body; // the parts before this one, as they were
        if (!pm_.body_as_sent.empty() || as_sent)
            append(pm_.body_as_sent, as_sent ? *as_sent : text);
        append(pm_.body, text);
    }

    /// Prefers text/plain with content, then text/html, then anything else.
    static int choose_alternative(GMimeMultipart* mp)
    {
        const int n = g_mime_multipart_get_count(mp);
        int html = -1, other = -1;
        for (int i = 0; i < n; ++i) {
            GMimeObject* child = g_mime_multipart_get_part(mp, i);
            const std::string t = lower_mime_type(child);
            if (t == "text/plain" && GMIME_IS_PART(child) && decoded_size(GMIME_PART(child)) > 0)
                return i;
            if (t == "text/html" && html < 0)
                html = i;
            else if (other < 0 && t != "text/plain")
                other = i;
        }
        if (html >= 0)
            return html;
        return other >= 0 ? other : 0;
    }

    /// The part's text; format=flowed soft breaks undone (and, when
    /// @p as_sent is given, the text before that in *as_sent).
    std::string decode_text(GMimeObject* obj, GMimePart* part, unsigned number, std::string* as_sent = nullptr)
    {
        const std::string bytes = decoded_bytes(part);
        const char* charset = g_mime_object_get_content_type_parameter(obj, "charset");
        bool changed = false;
        std::string text = crlf_to_lf(to_utf8(bytes, charset ? charset : "", &changed));
        if (changed)
            note(std::string("text not valid in its declared charset \"") + make_valid_utf8(charset ? charset : "") +
                 "\"; decoded by detection");
        const char* format = g_mime_object_get_content_type_parameter(obj, "format");
        if (format && iequals(trim(format), "flowed")) {
            const char* delsp = g_mime_object_get_content_type_parameter(obj, "delsp");
            if (as_sent)
                *as_sent = text;
            text = unflow(text, delsp && iequals(trim(delsp), "yes"));
        }
        if (lower_mime_type(obj) == "text/plain")
            text = extract_uuencoded(text, number, pm_.attachments);
        return text;
    }

    static std::string inner_subject(GMimeMessage* m)
    {
        const char* s = g_mime_message_get_subject(m);
        return s ? one_line(s) : std::string();
    }

    static std::string addresses(InternetAddressList* list)
    {
        std::vector<Address> v;
        append_addresses(list, v);
        return display_list(v);
    }

    static std::string forwarded_header(GMimeMessage* m)
    {
        std::string h = "---------- Forwarded message ----------\n";
        if (auto from = addresses(g_mime_message_get_from(m)); !from.empty())
            h += "From: " + from + "\n";
        if (auto date = header(GMIME_OBJECT(m), "Date"); !date.empty())
            h += "Date: " + date + "\n";
        h += "Subject: " + inner_subject(m) + "\n";
        if (auto to = addresses(g_mime_message_get_to(m)); !to.empty())
            h += "To: " + to + "\n";
        return h + "\n";
    }

    ParsedMessage& pm_;
    unsigned part_ = 0;
    size_t extra_text_size_ = 0; ///< bytes in pm_.attachment_texts
};

void on_parser_warning(gint64, GMimeParserWarning code, const gchar*, gpointer user)
{
    if (const char* text = warning_text(code)) {
        auto* problems = static_cast<std::vector<std::string>*>(user);
        if (std::find(problems->begin(), problems->end(), text) == problems->end())
            problems->push_back(text);
    }
}

/// The text GMime parses and what it took to get it.
struct Repaired {
    std::string_view text;
    bool recovered = false; ///< rebuilt from a flattened message
    bool guessed = false;   ///< ... with a guess where its header ends
    bool from_html = false; ///< rebuilt from an MHonArc page
    std::vector<std::string> problems;
};

/// @p raw with the repairs of MessageRepair.hpp applied, or the message of
/// an MHonArc page (MhonarcPage.hpp), kept in @p storage; the same for
/// import, show and downloads, so part numbers agree.
Repaired repaired(std::string_view raw, std::string& storage)
{
    Repaired r;
    if (auto page = rebuild_mhonarc_message(raw)) {
        storage = std::move(page->message);
        r.text = storage;
        r.from_html = true;
        r.problems = std::move(page->notes);
        return r;
    }
    if (auto h = repair_header_block(raw)) {
        storage = std::move(h->bytes);
        raw = storage;
        r.problems = std::move(h->problems);
    }
    if (auto u = unflatten(raw)) {
        storage = std::move(u->bytes);
        raw = storage;
        r.recovered = true;
        r.guessed = u->header_end_guessed;
        if (r.guessed)
            r.problems.push_back("line breaks lost; where the header ends is a guess");
    }
    if (auto fixed = restore_at_addresses(raw)) {
        storage = std::move(*fixed);
        raw = storage;
    }
    r.text = raw;
    return r;
}

GObjectPtr<GMimeMessage> construct(std::string_view raw, GMimeParserOptions* opt)
{
    auto stream = GObjectPtr<GMimeStream>::adopt(g_mime_stream_mem_new_with_buffer(raw.data(), raw.size()));
    auto parser = GObjectPtr<GMimeParser>::adopt(g_mime_parser_new_with_stream(stream.get()));
    g_mime_parser_set_format(parser.get(), GMIME_FORMAT_MESSAGE);
    return GObjectPtr<GMimeMessage>::adopt(g_mime_parser_construct_message(parser.get(), opt));
}

} // namespace

struct MimeParser::Impl {
    CPtr<GMimeParserOptions, g_mime_parser_options_free> options;
    std::vector<std::string> warnings;
};

MimeParser::MimeParser() : impl_(std::make_unique<Impl>())
{
    init_gmime();
    impl_->options.reset(g_mime_parser_options_new());
    GMimeParserOptions* opt = impl_->options.get();
    g_mime_parser_options_set_rfc2047_compliance_mode(opt, GMIME_RFC_COMPLIANCE_LOOSE);
    g_mime_parser_options_set_address_compliance_mode(opt, GMIME_RFC_COMPLIANCE_LOOSE);
    g_mime_parser_options_set_parameter_compliance_mode(opt, GMIME_RFC_COMPLIANCE_LOOSE);
    g_mime_parser_options_set_allow_addresses_without_domain(opt, TRUE);
    const char* fallback[] = {"UTF-8", "windows-1252", nullptr};
    g_mime_parser_options_set_fallback_charsets(opt, fallback);
    g_mime_parser_options_set_warning_callback(opt, on_parser_warning, &impl_->warnings);
}

MimeParser::~MimeParser() = default;

Result<ParsedMessage> MimeParser::parse(std::string_view raw)
{
    if (trim(raw).empty())
        return fail(ExitCode::bad_input, "empty message");
    impl_->warnings.clear();
    ParsedMessage pm;
    pm.size = raw.size();
    GMimeParserOptions* opt = impl_->options.get();
    std::string storage;
    Repaired fixed = repaired(raw, storage);
    pm.recovered = fixed.recovered;
    pm.rebuilt_from_html = fixed.from_html;
    pm.problems = std::move(fixed.problems);
    const std::string_view text = fixed.text;
    auto message = construct(text, opt);
    if (!message) {
        pm.problems.push_back("not a MIME message; kept as plain text");
        pm.body = crlf_to_lf(to_utf8(text, ""));
    } else {
        GMimeObject* obj = GMIME_OBJECT(message.get());
        if (const char* id = g_mime_message_get_message_id(message.get()))
            pm.message_id = make_valid_utf8(trim(id));
        append_addresses(g_mime_message_get_from(message.get()), pm.from);
        if (pm.from.empty()) {
            if (auto a = name_alone(header(obj, "From")))
                pm.from.push_back(std::move(*a));
        } else if (pm.from.size() == 1 && pm.from[0].name.empty() &&
                   pm.from[0].email.find('@') == std::string::npos) {
            // A sender's lone word is a name too: senders are people.
            if (auto a = name_alone(pm.from[0].email))
                pm.from[0] = std::move(*a);
        }
        append_addresses(g_mime_message_get_to(message.get()), pm.to);
        append_addresses(g_mime_message_get_cc(message.get()), pm.cc);
        if (const char* s = g_mime_message_get_subject(message.get()))
            pm.subject = one_line(s);
        pm.date_header = header(obj, "Date");
        const auto now = static_cast<int64_t>(std::time(nullptr));
        if (auto d = parse_mail_date(pm.date_header)) {
            if (plausible_message_date(d->unix_time, now)) {
                pm.date = d->unix_time;
                for (auto& g : d->guesses)
                    pm.problems.push_back("Date: " + g);
            }
        } else if (GDateTime* dt = g_mime_message_get_date(message.get())) {
            // Forms parse_mail_date does not take; GMime's reading.
            const int64_t t = g_date_time_to_unix(dt);
            if (plausible_message_date(t, now))
                pm.date = t;
        }
        pm.list_id = list_from_headers(obj);
        pm.received = received_date(obj);
        pm.in_reply_to = parse_ids(opt, header(obj, "In-Reply-To"));
        pm.references = parse_ids(opt, header(obj, "References"));

        Walker walker(pm);
        walker.walk(g_mime_message_get_mime_part(message.get()), 0, true, "");
        if (g_mime_object_get_header_list(obj) == nullptr ||
            g_mime_header_list_get_count(g_mime_object_get_header_list(obj)) == 0)
            walker.note("no message headers");
        else if (pm.from.empty() && pm.date_header.empty() && pm.subject.empty() && pm.message_id.empty())
            walker.note("none of From, Date, Subject, Message-ID");
    }
    for (auto& w : impl_->warnings)
        if (std::find(pm.problems.begin(), pm.problems.end(), w) == pm.problems.end())
            pm.problems.push_back(w);
    if (pm.message_id.size() > kMaxIdLength)
        pm.message_id.clear();
    if (pm.message_id.empty()) {
        pm.message_id = "synthetic." + message_hash(raw) + "@listdex.invalid";
        pm.synthetic_id = true;
    }
    // Mail uses CRLF on the wire; display and index LF only.
    pm.body = crlf_to_lf(std::move(pm.body));
    pm.body_as_sent = crlf_to_lf(std::move(pm.body_as_sent));
    return pm;
}

Result<std::string> MimeParser::attachment_bytes(std::string_view raw, unsigned part)
{
    std::string storage;
    auto message = construct(repaired(raw, storage).text, impl_->options.get());
    if (!message)
        return fail(ExitCode::not_found, "message has no MIME structure");
    // Same pre-order numbering as Walker::walk.
    unsigned counter = 0;
    std::optional<std::string> found;
    auto visit = [&](auto&& self, GMimeObject* obj, int depth) -> void {
        if (!obj || found || depth > kMaxDepth + 1)
            return;
        if (++counter == part) {
            if (GMIME_IS_PART(obj))
                found = decoded_bytes(GMIME_PART(obj));
            else if (GMIME_IS_MESSAGE_PART(obj) && g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj)))
                found = serialized(GMIME_OBJECT(g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj))));
            else
                found = std::string();
            return;
        }
        if (GMIME_IS_MULTIPART(obj)) {
            for (int i = 0; i < g_mime_multipart_get_count(GMIME_MULTIPART(obj)); ++i)
                self(self, g_mime_multipart_get_part(GMIME_MULTIPART(obj), i), depth + 1);
        } else if (GMIME_IS_MESSAGE_PART(obj)) {
            if (GMimeMessage* inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj)))
                self(self, g_mime_message_get_mime_part(inner), depth + 1);
        }
    };
    visit(visit, g_mime_message_get_mime_part(message.get()), 0);
    if (!found)
        return fail(ExitCode::not_found, "no MIME part " + std::to_string(part));
    return *found;
}

} // namespace listdex
