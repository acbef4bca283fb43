// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "DocumentBuilder.hpp"

#include "listdex/base/Hash.hpp"
#include "listdex/base/Text.hpp"
#include "listdex/index/Schema.hpp"
#include "listdex/mime/Diff.hpp"

#include <algorithm>

namespace listdex {

namespace {

/// Consecutive runs of quoted and of unquoted lines, in order (public-inbox's
/// split_quotes): (text, quoted).
std::vector<std::pair<std::string_view, bool>> quote_sections(std::string_view text)
{
    std::vector<std::pair<std::string_view, bool>> out;
    size_t start = 0;
    bool quoted = false;
    for (size_t pos = 0; pos < text.size();) {
        size_t end = text.find('\n', pos);
        end = end == std::string_view::npos ? text.size() : end + 1;
        const bool q = text[pos] == '>';
        if (q != quoted && pos > start) {
            out.emplace_back(text.substr(start, pos - start), quoted);
            start = pos;
        }
        quoted = q;
        pos = end;
    }
    if (start < text.size())
        out.emplace_back(text.substr(start), quoted);
    return out;
}

std::string_view diff_prefix(DiffPart part)
{
    switch (part) {
    case DiffPart::other: return schema::prefix::own;
    case DiffPart::name: return schema::prefix::diff_name;
    case DiffPart::removed: return schema::prefix::diff_removed;
    case DiffPart::added: return schema::prefix::diff_added;
    case DiffPart::hunk: return schema::prefix::diff_hunk;
    case DiffPart::context: return schema::prefix::diff_context;
    }
    return schema::prefix::own;
}

/// A blob id and every shorter prefix of it down to 7 digits, so that
/// dfpre:ABBREV finds it however abbreviated (public-inbox does the same).
void add_blob_terms(Xapian::Document& doc, std::string_view prefix, std::string_view blob)
{
    for (size_t len = blob.size(); len >= 7; --len)
        doc.add_boolean_term(schema::term(prefix, blob.substr(0, len)));
}

/// Adds the common grams of @p doc's words (schema::gram_term): each two
/// common words at adjacent positions, once per time they are adjacent,
/// weighing as the first word's field does (quoted text not at all). Read
/// back from the document's own positions, so a gram is there exactly when
/// Xapian would match the phrase, whatever the tokenizer did.
void add_common_grams(Xapian::Document& doc)
{
    struct Word {
        Xapian::termpos pos;
        uint32_t term; // index into terms
    };
    std::vector<std::string> terms;
    std::vector<bool> weighs;
    std::vector<Word> words;
    for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
        std::string term = *t; // a copy each time it is read
        if (!schema::in_grams(term) || t.positionlist_count() == 0)
            continue; // no gram, or a stem or boolean term
        const auto index = static_cast<uint32_t>(terms.size());
        terms.push_back(std::move(term));
        weighs.push_back(t.get_wdf() > 0);
        for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p)
            words.push_back({*p, index});
    }
    std::ranges::sort(words, {}, &Word::pos);
    // Several terms can share a position (CJK n-grams): pair each of one
    // position with each of the next.
    for (size_t i = 0, next = 0; i < words.size(); ++i) {
        next = std::max(next, i + 1);
        while (next < words.size() && words[next].pos == words[i].pos)
            ++next;
        for (size_t j = next; j < words.size() && words[j].pos == words[i].pos + 1; ++j) {
            const std::string gram = schema::gram_term(terms[words[i].term], terms[words[j].term]);
            if (!gram.empty())
                doc.add_term(gram, weighs[words[i].term] ? 1 : 0);
        }
    }
}

} // namespace

std::string snippet_text(std::string_view own, std::string_view body)
{
    std::string_view text = own.find_first_not_of(" \t\r\n") == std::string_view::npos ? body : own;
    if (text.size() > schema::kMaxStoredText) {
        size_t cut = text.rfind('\n', schema::kMaxStoredText);
        if (cut == std::string_view::npos || cut < schema::kMaxStoredText / 2) {
            cut = schema::kMaxStoredText; // back to the start of a UTF-8 sequence
            while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
                --cut;
        }
        text = text.substr(0, cut);
    }
    return std::string(text);
}

std::string same_message_key(const ParsedMessage& pm)
{
    if (pm.synthetic_id || pm.message_id.empty() || !pm.date || pm.from.empty() || pm.from.front().email.empty())
        return {};
    return content_hash(pm.message_id + '\n' + std::to_string(*pm.date) + '\n' + ascii_lower(pm.from.front().email));
}

DocumentBuilder::DocumentBuilder()
{
    tg_.set_stemmer(Xapian::Stem("english"));
    tg_.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
    tg_.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
}

void DocumentBuilder::index_text_parts(Xapian::Document& doc, std::string_view text)
{
    if (text.empty())
        return;
    if (looks_like_diff(text))
        if (auto id = patch_id(text))
            doc.add_boolean_term(schema::term(schema::prefix::patch_id, *id));
    for (const auto& [section, quoted] : quote_sections(text)) {
        if (quoted) {
            // Quoted words do not weigh in the ranking (wdf 0), but phrases
            // find them, as in notmuch and public-inbox.
            tg_.index_text(Xapian::Utf8Iterator(section.data(), section.size()), 0, std::string(schema::prefix::quoted));
        } else if (looks_like_diff(section)) {
            const DiffText diff = parse_diff(section);
            for (const DiffPiece& p : diff.pieces) {
                tg_.index_text(p.text, 1, std::string(diff_prefix(p.part)));
                tg_.increase_termpos(); // no phrase across two lines
            }
            for (const auto& b : diff.pre_blobs)
                add_blob_terms(doc, schema::prefix::diff_pre, b);
            for (const auto& b : diff.post_blobs)
                add_blob_terms(doc, schema::prefix::diff_post, b);
        } else {
            tg_.index_text(Xapian::Utf8Iterator(section.data(), section.size()), 1, std::string(schema::prefix::own));
        }
        tg_.increase_termpos(100);
    }
}

BuiltDocument DocumentBuilder::build(const ParsedMessage& pm, const std::string& hash)
{
    namespace prefix = schema::prefix;
    Xapian::Document doc;
    tg_.set_document(doc);

    auto index_addresses = [&](const std::vector<Address>& list, std::string_view text_prefix,
                               std::string_view address_prefix) {
        const std::string p(text_prefix);
        for (const Address& a : list) {
            tg_.index_text(a.name, 1, p);
            tg_.index_text(a.email, 1, p);
            tg_.increase_termpos(); // no phrase across two addresses
            if (!a.email.empty())
                doc.add_boolean_term(schema::term(address_prefix, ascii_lower(a.email)));
        }
        tg_.increase_termpos(100);
    };
    index_addresses(pm.from, prefix::from, prefix::from_address);
    index_addresses(pm.to, prefix::to, prefix::to_address);
    index_addresses(pm.cc, prefix::cc, prefix::cc_address);
    tg_.index_text(pm.subject, 1, std::string(prefix::subject));
    tg_.increase_termpos(100);
    index_text_parts(doc, pm.body_as_sent.empty() ? pm.body : pm.body_as_sent);
    for (const AttachmentText& a : pm.attachment_texts)
        index_text_parts(doc, a.text);
    for (const Attachment& a : pm.attachments) {
        tg_.index_text(a.filename, 1, std::string(prefix::attachment));
        tg_.increase_termpos(100);
        if (a.filename.empty())
            continue;
        std::string name = ascii_lower(a.filename);
        doc.add_boolean_term(schema::term(prefix::attachment_name, name));
        std::reverse(name.begin(), name.end()); // bytes: only matched against reversed bytes
        doc.add_boolean_term(schema::term(prefix::attachment_suffix, name));
    }

    doc.add_boolean_term(schema::term(prefix::hash, hash));
    doc.add_boolean_term(schema::term(prefix::message_id, pm.message_id));
    if (!pm.list_id.empty())
        doc.add_boolean_term(schema::term(prefix::list, pm.list_id));
    for (const std::string& t : pm.mime_types)
        doc.add_boolean_term(schema::term(prefix::mime_type, t));
    for (const std::string& id : pm.in_reply_to)
        doc.add_boolean_term(schema::term(prefix::ref, id));
    for (const std::string& id : pm.references)
        doc.add_boolean_term(schema::term(prefix::ref, id));

    std::string same_key = same_message_key(pm);
    if (!same_key.empty())
        doc.add_boolean_term(schema::term(prefix::same, same_key));
    SubjectKey subject = subject_key(pm.subject);
    if (!subject.key.empty())
        doc.add_boolean_term(schema::term(prefix::subject_key, subject.key));

    doc.add_value(schema::Slot::message_id, pm.message_id);
    doc.add_value(schema::Slot::hash, hash);
    doc.add_value(schema::Slot::subject, pm.subject);
    if (!pm.from.empty())
        doc.add_value(schema::Slot::from, pm.from.front().display());
    doc.add_value(schema::Slot::size, Xapian::sortable_serialise(static_cast<double>(pm.size)));
    if (!pm.list_id.empty())
        doc.add_value(schema::Slot::list, pm.list_id);
    add_common_grams(doc);
    // The TermGenerator keeps a handle on its document, and Xapian's
    // reference counts are not atomic: let go of it here, in this thread,
    // before the document goes to the writer's (a handle dropped later, by
    // the next build, raced with the writer and corrupted terms).
    tg_.set_document(Xapian::Document());
    std::string own; // the snippet text: the body's unquoted lines
    for (const auto& [section, quoted] : quote_sections(pm.body))
        if (!quoted)
            own.append(section);
    return {std::move(doc), snippet_text(own, pm.body), std::move(same_key), std::move(subject)};
}

} // namespace listdex
