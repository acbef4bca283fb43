// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "QueryParser.hpp"

#include "listdex/base/Text.hpp"
#include "listdex/index/Schema.hpp"
#include "listdex/query/QueryDate.hpp"
#include "listdex/thread/Threader.hpp"

#include <algorithm>
#include <cctype>

namespace listdex {

namespace {

namespace prefix = schema::prefix;

/// What our field and range processors found wrong in a query. They must
/// not throw: Xapian 1.4's parser frees memory it does not own when a
/// FieldProcessor throws under a +/- prefix ("-date:x y", found by
/// fuzz_query). They note the error and match nothing; parse_query reports
/// it once the parser has returned.
struct QueryErrors {
    std::string first;
    /// A processor found nothing to match (a glob matching no term): the
    /// parser then drops that part, and an empty query means "nothing".
    bool matched_nothing = false;
    Xapian::Query note(std::string what)
    {
        if (first.empty())
            first = std::move(what);
        return Xapian::Query::MatchNothing;
    }
    Xapian::Query nothing()
    {
        matched_nothing = true;
        return Xapian::Query::MatchNothing;
    }
};

// ------------------------------------------------------------ dates

Xapian::Query bad_date(QueryErrors& errors, std::string_view field, std::string_view what)
{
    return errors.note(std::string(field) + ": cannot read '" + std::string(what) + "'; " + std::string(kDateForms));
}

/// The query for dates from @p a to @p b in @p slot (either may be empty: open end).
Xapian::Query date_range(const schema::Field& f, const std::string& a, const std::string& b, int64_t now,
                         QueryErrors& errors)
{
    std::optional<int64_t> lo, hi;
    if (a.empty() && b.empty())
        return bad_date(errors, f.name, "..");
    if (!a.empty()) {
        auto d = parse_query_date(a, now);
        if (!d)
            return bad_date(errors, f.name, a);
        lo = d->first;
    }
    if (!b.empty()) {
        auto d = parse_query_date(b, now);
        if (!d)
            return bad_date(errors, f.name, b);
        hi = d->last;
    }
    auto ser = [](int64_t t) { return Xapian::sortable_serialise(static_cast<double>(t)); };
    if (lo && hi)
        return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, f.slot, ser(*lo), ser(*hi));
    if (lo)
        return Xapian::Query(Xapian::Query::OP_VALUE_GE, f.slot, ser(*lo));
    return Xapian::Query(Xapian::Query::OP_VALUE_LE, f.slot, ser(*hi));
}

/// d:A..B, d:A.., d:..B and d:A (a single value). An absolute date alone
/// means the whole period it names; a relative one means "since then".
/// Ranges are read here, not by a Xapian RangeProcessor: Xapian 1.4 ORs a
/// range with a boolean filter that comes before it in the same grouping
/// ("thread:X d:2024.." matched every message since 2024), so every filter
/// goes through field processors of one grouping and is ANDed.
class DateProcessor : public Xapian::FieldProcessor {
public:
    DateProcessor(const schema::Field& f, int64_t now, QueryErrors& errors) : field_(f), now_(now), errors_(errors) {}
    Xapian::Query operator()(const std::string& text) override
    {
        if (const size_t dots = text.find(".."); dots != std::string::npos)
            return date_range(field_, text.substr(0, dots), text.substr(dots + 2), now_, errors_);
        auto d = parse_query_date(text, now_);
        if (!d)
            return bad_date(errors_, field_.name, text);
        return d->relative ? date_range(field_, text, "now", now_, errors_) : date_range(field_, text, text, now_, errors_);
    }

private:
    const schema::Field& field_;
    int64_t now_;
    QueryErrors& errors_;
};

// ------------------------------------------------------------ globs

/// Shell-style match where only '*' is special (any run of bytes).
bool glob_match(std::string_view pattern, std::string_view text)
{
    size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
    while (t < text.size()) {
        if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            mark = t;
        } else if (p < pattern.size() && pattern[p] == text[t]) {
            ++p;
            ++t;
        } else if (star != std::string_view::npos) {
            p = star + 1;
            t = ++mark;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*')
        ++p;
    return p == pattern.size();
}

/// The terms under @p pfx whose value matches @p pattern, ORed. Only the
/// terms starting with the pattern's literal beginning are read.
Xapian::Query glob_terms(const Xapian::Database& db, std::string_view pfx, std::string_view pattern,
                         QueryErrors& errors)
{
    const std::string start = std::string(pfx) + std::string(pattern.substr(0, pattern.find('*')));
    std::vector<std::string> terms;
    for (auto t = db.allterms_begin(start); t != db.allterms_end(start); ++t)
        if (glob_match(pattern, std::string_view(*t).substr(pfx.size())))
            terms.push_back(*t);
    return terms.empty() ? errors.nothing() : Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
}

/// n:PATTERN with a '*': whole attachment filenames, any case. A pattern
/// that starts with '*' is matched on the reversed names, so its literal
/// end narrows the terms read (n:*.patch reads only names ending ".patch").
class AttachmentGlobProcessor : public Xapian::FieldProcessor {
public:
    AttachmentGlobProcessor(const Xapian::Database& db, QueryErrors& errors) : db_(db), errors_(errors) {}
    Xapian::Query operator()(const std::string& text) override
    {
        std::string pattern = ascii_lower(text);
        if (!pattern.starts_with('*'))
            return glob_terms(db_, prefix::attachment_name, pattern, errors_);
        std::reverse(pattern.begin(), pattern.end());
        return glob_terms(db_, prefix::attachment_suffix, pattern, errors_);
    }

private:
    const Xapian::Database& db_;
    QueryErrors& errors_;
};

// ------------------------------------------------------------ boolean fields

/// Every message of the threads @p reader follows: those holding a message
/// tagged schema::kFollowTag or sent from one of the reader's addresses
/// (MatchNothing when none).
Xapian::Query followed_threads(const Xapian::Database& db, const ReaderState& reader)
{
    std::vector<Xapian::Query> mine{Xapian::Query(schema::term(prefix::tag, schema::kFollowTag))};
    for (const auto& a : reader.addresses)
        mine.emplace_back(schema::term(prefix::from_address, ascii_lower(a)));
    Xapian::Enquire enquire(db);
    enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER,
                                    Xapian::Query(Xapian::Query::OP_OR, mine.begin(), mine.end()),
                                    Xapian::Query(std::string(schema::kKindMail))));
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    enquire.set_collapse_key(schema::Slot::thread);
    enquire.set_docid_order(Xapian::Enquire::DONT_CARE);
    std::vector<std::string> threads;
    const Xapian::MSet m = enquire.get_mset(0, db.get_doccount());
    for (auto it = m.begin(); it != m.end(); ++it)
        threads.push_back(schema::term(prefix::thread, it.get_document().get_value(schema::Slot::thread)));
    if (threads.empty())
        return Xapian::Query::MatchNothing;
    return Xapian::Query(Xapian::Query::OP_OR, threads.begin(), threads.end());
}

/// Boolean fields whose values users type loosely; '*' in a value is a glob
/// over that field's terms (list:linux-*, mimetype:image/*).
class BooleanProcessor : public Xapian::FieldProcessor {
public:
    BooleanProcessor(const schema::Field& f, const Xapian::Database& db, QueryErrors& errors,
                     const ReaderState* reader)
        : field_(f), db_(db), errors_(errors), reader_(reader) {}
    Xapian::Query operator()(const std::string& text) override
    {
        if (field_.personal && !reader_)
            return errors_.note(std::string(field_.name) +
                                ": is a reader's own state (listdex tag, listdex new); the public archive has none");
        if (field_.form == schema::ValueForm::state)
            return state(text);
        std::vector<Xapian::Query> each;
        for (std::string_view pfx : field_.prefixes)
            each.push_back(one(pfx, text));
        return each.size() == 1 ? each.front() : Xapian::Query(Xapian::Query::OP_OR, each.begin(), each.end());
    }

private:
    const schema::Field& field_;
    const Xapian::Database& db_;
    QueryErrors& errors_;
    const ReaderState* reader_;

    std::string value_of(const std::string& text) const
    {
        switch (field_.form) {
        case schema::ValueForm::id: return normalize_message_id(text);
        case schema::ValueForm::tag: return text;
        default: return ascii_lower(text);
        }
    }

    /// is:read, is:unread, is:followed; any other value is a tag, as in notmuch.
    Xapian::Query state(const std::string& text)
    {
        const Xapian::Query read(schema::term(prefix::tag, schema::kReadTag));
        if (text == "read")
            return read;
        if (text == "unread")
            return Xapian::Query(Xapian::Query::OP_AND_NOT, Xapian::Query::MatchAll, read);
        if (text == "followed") {
            Xapian::Query q = followed_threads(db_, *reader_);
            return q.empty() ? errors_.nothing() : q; // no thread followed: nothing, not an error
        }
        if (auto bad = schema::tag_name_problem(text))
            return errors_.note("is:" + text + ": " + *bad);
        return Xapian::Query(schema::term(prefix::tag, text));
    }

    Xapian::Query one(std::string_view pfx, const std::string& text)
    {
        if (text.find('*') != std::string::npos) {
            if (field_.form == schema::ValueForm::thread)
                return errors_.note("thread: takes a thread id, not a pattern");
            if (field_.form == schema::ValueForm::tag) // a glob over tags, as typed
                return glob_terms(db_, pfx, text, errors_);
            return glob_terms(db_, pfx, value_of(text), errors_);
        }
        std::string value = value_of(text);
        switch (field_.form) {
        case schema::ValueForm::list: {
            // A list id, or its first labels: list:linux-man finds
            // linux-man.vger.kernel.org (and any other list so named). An
            // id typed as name@host is the same list (normalize_list_id);
            // indexes built before that rule may hold the @ form itself.
            for (const std::string& form : {normalize_list_id(value), value})
                if (const std::string exact = schema::term(pfx, form); db_.term_exists(exact))
                    return Xapian::Query(exact);
            const std::string start = std::string(pfx) + value + ".";
            std::vector<std::string> lists(db_.allterms_begin(start), db_.allterms_end(start));
            if (!lists.empty())
                return Xapian::Query(Xapian::Query::OP_OR, lists.begin(), lists.end());
            break;
        }
        case schema::ValueForm::thread: {
            auto t = parse_thread_id(text);
            if (!t)
                return errors_.note("thread: '" + text + "' is not a thread id (8 or more hex digits)");
            value = resolve_thread_alias(db_, format_thread_id(*t)); // merged-away ids keep working
            break;
        }
        case schema::ValueForm::tag:
            if (value == "unread") // notmuch's tag: the absence of "read" here
                return state(value);
            if (auto bad = schema::tag_name_problem(value))
                return errors_.note("tag:" + text + ": " + *bad);
            break;
        case schema::ValueForm::blob:
        case schema::ValueForm::hex: {
            const bool hex = !value.empty() && std::all_of(value.begin(), value.end(), [](char c) {
                return std::isxdigit(static_cast<unsigned char>(c));
            });
            if (!hex || (field_.form == schema::ValueForm::blob && value.size() < 7) ||
                (field_.form == schema::ValueForm::hex && value.size() != 40))
                return errors_.note(std::string(field_.name) + ": '" + text + "' is not " +
                                    (field_.form == schema::ValueForm::blob ? "a git blob id (7 or more hex digits)"
                                                                            : "a patch id (40 hex digits)"));
            break;
        }
        default: break;
        }
        return Xapian::Query(schema::term(pfx, value));
    }
};

/// from:ADDRESS (a whole address): the exact-address terms.
class AddressProcessor : public Xapian::FieldProcessor {
public:
    explicit AddressProcessor(const schema::Field& f) : field_(f) {}
    Xapian::Query operator()(const std::string& text) override
    {
        std::string_view a = text;
        if (a.size() > 2 && a.front() == '<' && a.back() == '>')
            a = a.substr(1, a.size() - 2);
        const std::string value = ascii_lower(a);
        std::vector<Xapian::Query> each;
        for (std::string_view pfx : field_.address_prefixes)
            each.emplace_back(schema::term(pfx, value));
        return each.size() == 1 ? each.front() : Xapian::Query(Xapian::Query::OP_OR, each.begin(), each.end());
    }

private:
    const schema::Field& field_;
};

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
                qp.add_boolean_prefix(exact_address_field(f), (new AddressProcessor(f))->release(), &and_each);
            if (f.id == schema::FieldId::attachment)
                qp.add_boolean_prefix(std::string(kAttachmentGlob), (new AttachmentGlobProcessor(db, errors))->release(),
                                      &and_each);
            schema::detail::for_each_name(f, [&](std::string_view n) {
                const std::string name(n);
                switch (f.kind) {
                case schema::FieldKind::text:
                    for (std::string_view p : f.prefixes)
                        qp.add_prefix(name, std::string(p));
                    break;
                case schema::FieldKind::range:
                    qp.add_boolean_prefix(name, (new DateProcessor(f, now, errors))->release(), &and_each);
                    break;
                case schema::FieldKind::boolean:
                    qp.add_boolean_prefix(name, (new BooleanProcessor(f, db, errors, reader))->release(), grouping);
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
        return Xapian::Query(Xapian::Query::OP_FILTER, parsed, mail);
    } catch (const Xapian::QueryParserError& e) {
        return fail(ExitCode::usage, "invalid query: " + e.get_msg());
    }
}

std::vector<std::string> snippet_words(const Xapian::Query& query)
{
    // Own-text terms: unprefixed words (phrases) and their "Z" stems; every
    // other prefix starts with a capital letter.
    std::vector<std::string> out;
    for (auto t = query.get_unique_terms_begin(); t != query.get_unique_terms_end(); ++t) {
        const std::string& term = *t;
        if (term.size() > 1 && term[0] == 'Z' && !std::isupper(static_cast<unsigned char>(term[1])))
            out.push_back(term.substr(1));
        else if (!term.empty() && !std::isupper(static_cast<unsigned char>(term[0])))
            out.push_back(term);
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

} // namespace listdex
