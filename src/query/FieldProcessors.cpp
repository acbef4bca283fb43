// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "FieldProcessors.hpp"

#include "QueryFilter.hpp"
#include "QueryParser.hpp"

#include "listdex/base/Text.hpp"
#include "listdex/query/QueryDate.hpp"
#include "listdex/thread/Threader.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <vector>

namespace listdex {

namespace {

namespace prefix = schema::prefix;

// ------------------------------------------------------------ dates

Xapian::Query bad_date(QueryErrors& errors, std::string_view field, std::string_view what)
{
    return errors.note(std::string(field) + ": cannot read '" + std::string(what) + "'; " + std::string(kDateForms));
}

/// The month terms of @p db from @p lo's month to @p hi's (either may be
/// absent: open end), ORed (MatchNothing when there are none); nullopt when
/// they hold more than half of the index, where reading every date value is
/// cheaper than merging them.
std::optional<Xapian::Query> months_between(const Xapian::Database& db, std::optional<int64_t> lo,
                                            std::optional<int64_t> hi)
{
    const std::optional<std::string> first = lo ? std::optional(schema::month_term(*lo)) : std::nullopt;
    const std::optional<std::string> last = hi ? std::optional(schema::month_term(*hi)) : std::nullopt;
    std::vector<Xapian::Query> months;
    Xapian::doccount messages = 0;
    for (const MonthTerm& m : month_terms(db)) {
        if ((first && m.term < *first) || (last && m.term > *last))
            continue;
        months.emplace_back(m.term);
        messages += m.messages;
    }
    if (messages > db.get_doccount() / 2)
        return std::nullopt;
    if (months.empty())
        return Xapian::Query::MatchNothing;
    return Xapian::Query(Xapian::Query::OP_OR, months.begin(), months.end());
}

/// The query for dates from @p a to @p b in @p f's slot (either may be
/// empty: open end). On the date slot, the months of the range come first:
/// every dated message has its month term (Importer), so the filter reads
/// the dates of those months' messages only, not every message's (a half
/// year of a million messages: 66 ms before).
Xapian::Query date_range(const Xapian::Database& db, const schema::Field& f, const std::string& a,
                         const std::string& b, int64_t now, QueryErrors& errors)
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
    const Xapian::Query dates = lo && hi ? Xapian::Query(Xapian::Query::OP_VALUE_RANGE, f.slot, ser(*lo), ser(*hi))
                                : lo     ? Xapian::Query(Xapian::Query::OP_VALUE_GE, f.slot, ser(*lo))
                                         : Xapian::Query(Xapian::Query::OP_VALUE_LE, f.slot, ser(*hi));
    if (f.slot != schema::Slot::date)
        return dates;
    auto months = months_between(db, lo, hi);
    if (!months)
        return dates;
    if (months->empty())
        return errors.nothing(); // no message is dated then
    return Xapian::Query(Xapian::Query::OP_FILTER, *months, dates);
}

/// d:A..B, d:A.., d:..B and d:A (a single value). An absolute date alone
/// means the whole period it names; a relative one means "since then".
/// Ranges are read here, not by a Xapian RangeProcessor: Xapian 1.4 ORs a
/// range with a boolean filter that comes before it in the same grouping
/// ("thread:X d:2024.." matched every message since 2024), so every filter
/// goes through field processors of one grouping and is ANDed.
class DateProcessor : public Xapian::FieldProcessor {
public:
    DateProcessor(const Xapian::Database& db, const schema::Field& f, int64_t now, QueryErrors& errors)
        : db_(db), field_(f), now_(now), errors_(errors)
    {
    }
    Xapian::Query operator()(const std::string& text) override
    {
        if (const size_t dots = text.find(".."); dots != std::string::npos)
            return date_range(db_, field_, text.substr(0, dots), text.substr(dots + 2), now_, errors_);
        auto d = parse_query_date(text, now_);
        if (!d)
            return bad_date(errors_, field_.name, text);
        return date_range(db_, field_, text, d->relative ? "now" : text, now_, errors_);
    }

private:
    const Xapian::Database& db_;
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

} // namespace

Xapian::FieldProcessor* date_processor(const Xapian::Database& db, const schema::Field& f, int64_t now,
                                       QueryErrors& errors)
{
    return (new DateProcessor(db, f, now, errors))->release();
}

Xapian::FieldProcessor* attachment_glob_processor(const Xapian::Database& db, QueryErrors& errors)
{
    return (new AttachmentGlobProcessor(db, errors))->release();
}

Xapian::FieldProcessor* boolean_processor(const schema::Field& f, const Xapian::Database& db, QueryErrors& errors,
                                          const ReaderState* reader)
{
    return (new BooleanProcessor(f, db, errors, reader))->release();
}

Xapian::FieldProcessor* address_processor(const schema::Field& f)
{
    return (new AddressProcessor(f))->release();
}

} // namespace listdex
