#include "DocumentBuilder.hpp"

#include "listdex/base/Hash.hpp"
#include "listdex/base/Text.hpp"
#include "listdex/index/Schema.hpp"

namespace listdex {

namespace {
std::string prefix_of(std::string_view field)
{
    return std::string(schema::field(field)->prefix);
}

/// Splits @p body into its own lines and its quoted lines ("> ...").
std::pair<std::string, std::string> split_quoted(std::string_view body)
{
    std::pair<std::string, std::string> out;
    out.first.reserve(body.size());
    for (size_t pos = 0; pos < body.size();) {
        size_t end = body.find('\n', pos);
        end = end == std::string_view::npos ? body.size() : end + 1;
        const std::string_view line = body.substr(pos, end - pos);
        (line.starts_with('>') ? out.second : out.first).append(line);
        pos = end;
    }
    return out;
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
    tg_.set_stemming_strategy(Xapian::TermGenerator::STEM_ALL);
    tg_.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
}

BuiltDocument DocumentBuilder::build(const ParsedMessage& pm, const std::string& hash)
{
    static const std::string kSubject = prefix_of("subject"), kAttachment = prefix_of("attachment"),
                             kList = prefix_of("list"), kId = prefix_of("id"), kMime = prefix_of("mimetype"),
                             kRef = prefix_of("ref");
    Xapian::Document doc;
    tg_.set_document(doc);

    auto index_addresses = [&](const std::vector<Address>& list, std::string_view field) {
        const schema::Field& f = *schema::field(field);
        const std::string prefix(f.prefix);
        for (const Address& a : list) {
            tg_.index_text(a.name, 1, prefix);
            tg_.index_text(a.email, 1, prefix);
            tg_.increase_termpos(); // no phrase across two addresses
            if (!a.email.empty())
                doc.add_boolean_term(schema::term(f.address_prefix, ascii_lower(a.email)));
        }
        tg_.increase_termpos(100);
    };
    index_addresses(pm.from, "from");
    index_addresses(pm.to, "to");
    index_addresses(pm.cc, "cc");
    tg_.index_text(pm.subject, 1, kSubject);
    tg_.increase_termpos(100);
    // Quoted lines repeat earlier messages: their words are indexed, but
    // without positions, so a phrase finds the message that said it rather
    // than every reply quoting it (and positions, the largest part of the
    // index, shrink by a third).
    const auto [own, quoted] = split_quoted(pm.body);
    tg_.index_text(own);
    tg_.index_text_without_positions(quoted);
    tg_.increase_termpos(100);
    tg_.index_text(pm.extra_text);
    for (const Attachment& a : pm.attachments) {
        tg_.increase_termpos(100);
        tg_.index_text(a.filename, 1, kAttachment);
    }

    doc.add_boolean_term(schema::term(schema::kHashPrefix, hash));
    doc.add_boolean_term(schema::term(kId, pm.message_id));
    if (!pm.list_id.empty())
        doc.add_boolean_term(schema::term(kList, pm.list_id));
    for (const std::string& t : pm.mime_types)
        doc.add_boolean_term(schema::term(kMime, t));
    for (const std::string& id : pm.in_reply_to)
        doc.add_boolean_term(schema::term(kRef, id));
    for (const std::string& id : pm.references)
        doc.add_boolean_term(schema::term(kRef, id));

    std::string same_key = same_message_key(pm);
    if (!same_key.empty())
        doc.add_boolean_term(schema::term(schema::kSamePrefix, same_key));
    SubjectKey subject = subject_key(pm.subject);
    if (!subject.key.empty())
        doc.add_boolean_term(schema::term(schema::kSubjectPrefix, subject.key));

    doc.add_value(schema::Slot::message_id, pm.message_id);
    doc.add_value(schema::Slot::hash, hash);
    doc.add_value(schema::Slot::subject, pm.subject);
    if (!pm.from.empty())
        doc.add_value(schema::Slot::from, pm.from.front().display());
    doc.add_value(schema::Slot::size, Xapian::sortable_serialise(static_cast<double>(pm.size)));
    if (!pm.list_id.empty())
        doc.add_value(schema::Slot::list, pm.list_id);
    return {std::move(doc), snippet_text(own, pm.body), std::move(same_key), std::move(subject)};
}

} // namespace listdex
