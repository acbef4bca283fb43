// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "QueryParser.hpp"

#include "FieldProcessors.hpp"
#include "PhraseGrams.hpp"
#include "QueryFilter.hpp"

#include "listdex/base/Text.hpp"
#include "listdex/index/Schema.hpp"

#include <algorithm>
#include <cctype>

namespace listdex {

namespace {

namespace prefix = schema::prefix;

// ------------------------------------------------------------ the text itself

/// Internal field names the rewriting below routes values to; users cannot
/// type them (they are not words: they hold a '_' and no field has one).
std::string exact_address_field(const schema::Field& f)
{
    return "xaddr" + std::string(f.name);
}
constexpr std::string_view kAttachmentGlob = "xglobattachment";

bool token_start(std::string_view q, size_t i)
{
    return i == 0 || q[i - 1] == ' ' || q[i - 1] == '\t' || q[i - 1] == '(' || q[i - 1] == '+' || q[i - 1] == '-';
}

/// Xapian's QueryParser quietly re-reads a malformed query without its
/// operators; an unbalanced parenthesis or quote is reported instead.
std::optional<std::string> unbalanced(std::string_view q)
{
    bool quoted = false;
    int depth = 0;
    for (char c : q) {
        if (c == '"')
            quoted = !quoted;
        else if (!quoted && c == '(')
            ++depth;
        else if (!quoted && c == ')' && --depth < 0)
            return "')' without a matching '('";
    }
    if (quoted)
        return "a '\"' is not closed";
    if (depth > 0)
        return "'(' without a matching ')'";
    return std::nullopt;
}

std::string field_list()
{
    std::string out;
    for (const auto& f : schema::kFields)
        schema::detail::for_each_name(f, [&](std::string_view n) { out += (out.empty() ? "" : " ") + std::string(n) + ":"; });
    return out;
}

/// Reads the query once, outside quotes, and
///  - fails on a word followed by ':' that is no field ("fromm:alice" would
///    otherwise quietly search for two words; http: and friends are URLs);
///  - routes from:/to:/cc:/a:/tc: values that are whole addresses (an '@',
///    no wildcard, not quoted) to the exact-address fields;
///  - routes n:/attachment: values with a '*' to whole-filename globs;
///  - fails on wildcards Xapian would silently read as another query: a
///    '*' that does not end a word, in free text and text fields.
Result<std::string> rewrite(std::string_view q)
{
    std::string out;
    out.reserve(q.size());
    bool quoted = false;
    for (size_t i = 0; i < q.size();) {
        if (q[i] == '"') {
            quoted = !quoted;
            out += q[i++];
            continue;
        }
        if (quoted || !token_start(q, i) || std::isspace(static_cast<unsigned char>(q[i])) || q[i] == '(' ||
            q[i] == ')' || q[i] == '+' || q[i] == '-') {
            out += q[i++];
            continue;
        }
        size_t name_end = i;
        while (name_end < q.size() && (std::isalpha(static_cast<unsigned char>(q[name_end])) || q[name_end] == '_'))
            ++name_end;
        const schema::Field* f = nullptr;
        size_t value_start = i;
        if (name_end > i && name_end < q.size() && q[name_end] == ':') {
            const std::string name = ascii_lower(q.substr(i, name_end - i));
            f = schema::field_named(name);
            if (!f) {
                if (name == "http" || name == "https" || name == "ftp" || name == "mailto") {
                    out += q[i++];
                    continue;
                }
                return fail(ExitCode::usage,
                            "invalid query: unknown field '" + name + ":'; fields are " + field_list());
            }
            value_start = name_end + 1;
        }
        if (value_start < q.size() && q[value_start] == '"') { // field:"phrase": as written
            out.append(q.substr(i, value_start - i));
            i = value_start;
            continue;
        }
        size_t end = value_start;
        while (end < q.size() && !std::isspace(static_cast<unsigned char>(q[end])) && q[end] != ')' && q[end] != '"')
            ++end;
        const std::string_view value = q.substr(value_start, end - value_start);
        const size_t star = value.find('*');
        if (f && !f->address_prefixes.empty() && value.find('@') != std::string_view::npos &&
            star == std::string_view::npos && value.find('(') == std::string_view::npos) {
            out += exact_address_field(*f) + ":" + std::string(value);
        } else if (f && f->id == schema::FieldId::attachment && star != std::string_view::npos) {
            out += std::string(kAttachmentGlob) + ":" + std::string(value);
        } else {
            if (star != std::string_view::npos && (!f || f->kind == schema::FieldKind::text)) {
                const bool trailing = star > 0 && star + 1 == value.size(); // only one '*', ending it
                if (!trailing) {
                    const std::string what = f ? std::string(q.substr(i, end - i)) : std::string(value);
                    return fail(ExitCode::usage,
                                "invalid query: '" + what + "': a wildcard can only end a word (sigaction*), except "
                                "in n: (n:*.patch) and exact fields (list:, id:, mimetype:); '*' alone, as the "
                                "whole query, matches every message");
                }
            }
            out.append(q.substr(i, end - i));
        }
        i = end;
    }
    return out;
}

/// A query that is exactly a Message-ID as people paste it: "<id>", or a
/// bare "local@domain" that the index holds as a Message-ID.
std::optional<std::string> pasted_message_id(const Xapian::Database& db, std::string_view q)
{
    if (q.find_first_of(" \t\"()") != std::string_view::npos)
        return std::nullopt;
    if (q.size() > 2 && q.front() == '<' && q.back() == '>')
        return normalize_message_id(q);
    if (q.find('@') == std::string_view::npos || q.find(':') != std::string_view::npos || q.find('*') != std::string_view::npos)
        return std::nullopt;
    const std::string id = normalize_message_id(q);
    if (db.term_exists(schema::term(prefix::message_id, id)))
        return id;
    return std::nullopt;
}

} // namespace

std::string resolve_thread_alias(const Xapian::Database& db, std::string thread)
{
    for (int hops = 0; hops < 64; ++hops) {
        std::string next = db.get_metadata(std::string(schema::kAliasKeyPrefix) + thread);
        if (next.empty())
            break;
        thread = std::move(next);
    }
    return thread;
}

Result<Xapian::Query> parse_query(const Xapian::Database& db, std::string_view raw, int64_t now,
                                  const ReaderState* reader)
{
    const std::string q(trim(raw));
    const Xapian::Query mail{std::string(schema::kKindMail)};
    if (q.empty() || q == "*")
        return mail;
    if (auto id = pasted_message_id(db, q))
        return Xapian::Query(Xapian::Query::OP_FILTER, Xapian::Query(schema::term(prefix::message_id, *id)), mail);
    if (auto what = unbalanced(q))
        return fail(ExitCode::usage, "invalid query: " + *what);
    auto text = rewrite(q);
    if (!text)
        return std::unexpected(text.error());
    QueryErrors errors;
    try {
        Xapian::QueryParser qp;
        qp.set_database(db);
        qp.set_stemmer(Xapian::Stem("english"));
        qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
        qp.set_default_op(Xapian::Query::OP_AND);
        for (std::string_view p : schema::kDefaultPrefixes)
            qp.add_prefix("", std::string(p));
        // Repeated boolean fields are ANDed like everything else (an empty
        // grouping), except where a field says OR (list:a list:b).
        const std::string and_each;
        for (const auto& f : schema::kFields) {
            const std::string or_group(f.name);
            const std::string* grouping = f.repeats_or ? &or_group : &and_each;
            if (!f.address_prefixes.empty())
                qp.add_boolean_prefix(exact_address_field(f), address_processor(f), &and_each);
            if (f.id == schema::FieldId::attachment)
                qp.add_boolean_prefix(std::string(kAttachmentGlob), attachment_glob_processor(db, errors),
                                      &and_each);
            schema::detail::for_each_name(f, [&](std::string_view n) {
                const std::string name(n);
                switch (f.kind) {
                case schema::FieldKind::text:
                    for (std::string_view p : f.prefixes)
                        qp.add_prefix(name, std::string(p));
                    break;
                case schema::FieldKind::range:
                    qp.add_boolean_prefix(name, date_processor(db, f, now, errors), &and_each);
                    break;
                case schema::FieldKind::boolean:
                    qp.add_boolean_prefix(name, boolean_processor(f, db, errors, reader), grouping);
                    break;
                }
            });
        }
        const unsigned flags = Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_BOOLEAN_ANY_CASE |
                               Xapian::QueryParser::FLAG_WILDCARD | Xapian::QueryParser::FLAG_PURE_NOT |
                               Xapian::QueryParser::FLAG_CJK_NGRAM;
        Xapian::Query parsed = qp.parse_query(*text, flags);
        if (!errors.first.empty())
            return fail(ExitCode::usage, "invalid query: " + errors.first);
        if (parsed.empty() && errors.matched_nothing)
            return Xapian::Query::MatchNothing; // e.g. n:*.dts where no filename ends so
        if (parsed.empty())
            return fail(ExitCode::usage, "invalid query: '" + q + "' has no searchable words");
        // kind:mail matches nearly everything and drives nothing: it stays
        // outside (QueryFilter.hpp).
        return Xapian::Query(Xapian::Query::OP_FILTER, with_filters_inside(with_common_grams(parsed)), mail);
    } catch (const Xapian::QueryParserError& e) {
        return fail(ExitCode::usage, "invalid query: " + e.get_msg());
    }
}

std::vector<std::string> snippet_words(const Xapian::Query& query)
{
    // Own-text terms: unprefixed words (phrases) and their "Z" stems; every
    // other prefix starts with a capital letter. A common gram of own text
    // ("XG" + word + " " + word) stands for its two words.
    std::vector<std::string> out;
    for (auto t = query.get_unique_terms_begin(); t != query.get_unique_terms_end(); ++t) {
        const std::string& term = *t;
        const std::string_view gram = term.starts_with(schema::prefix::gram)
                                          ? std::string_view(term).substr(schema::prefix::gram.size())
                                          : std::string_view();
        if (!gram.empty() && !std::isupper(static_cast<unsigned char>(gram[0]))) {
            const size_t space = gram.find(' ');
            out.emplace_back(gram.substr(0, space));
            if (space != std::string_view::npos)
                out.emplace_back(gram.substr(space + 1));
        } else if (term.size() > 1 && term[0] == 'Z' && !std::isupper(static_cast<unsigned char>(term[1])))
            out.push_back(term.substr(1));
        else if (!term.empty() && !std::isupper(static_cast<unsigned char>(term[0])))
            out.push_back(term);
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

} // namespace listdex
