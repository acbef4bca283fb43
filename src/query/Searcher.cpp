#include "listdex/query/Searcher.hpp"

#include "index/DocData.hpp"
#include "index/StoredDocument.hpp"
#include "index/XapianGuard.hpp"
#include "listdex/base/Hash.hpp"
#include "listdex/base/Text.hpp"
#include "listdex/base/Time.hpp"
#include "listdex/index/Schema.hpp"
#include "listdex/thread/Threader.hpp"

#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <limits>
#include <unordered_set>

namespace listdex {

// ---------------------------------------------------------------- dates

namespace {

int64_t start_of_day(int64_t t)
{
    return t - ((t % 86400) + 86400) % 86400;
}

/// Seconds per unit for relative dates; months and years are approximate.
std::optional<int64_t> unit_seconds(std::string_view u)
{
    if (u.ends_with('s') && u.size() > 2)
        u.remove_suffix(1); // plural
    if (u == "s" || u == "sec" || u == "second")
        return 1;
    if (u == "min" || u == "minute")
        return 60;
    if (u == "h" || u == "hour")
        return 3600;
    if (u == "d" || u == "day")
        return 86400;
    if (u == "w" || u == "week")
        return 7 * 86400;
    if (u == "m" || u == "mo" || u == "month")
        return 30 * 86400;
    if (u == "y" || u == "year")
        return 365 * 86400;
    return std::nullopt;
}

} // namespace

std::optional<DateSpan> parse_query_date(std::string_view s, int64_t now)
{
    s = trim(s);
    if (s.empty())
        return std::nullopt;
    if (s.front() == '@') {
        auto v = parse_number<int64_t>(s.substr(1));
        if (!v)
            return std::nullopt;
        return DateSpan{*v, *v, false};
    }
    if (s == "today")
        return DateSpan{start_of_day(now), start_of_day(now) + 86399, false};
    if (s == "yesterday")
        return DateSpan{start_of_day(now) - 86400, start_of_day(now) - 1, false};
    // YYYY, YYYY-MM, YYYY-MM-DD
    if (s.size() >= 4 && std::all_of(s.begin(), s.begin() + 4, [](char c) { return c >= '0' && c <= '9'; }) &&
        (s.size() == 4 || s[4] == '-')) {
        auto parts = split(s, '-');
        if (parts.size() > 3)
            return std::nullopt;
        auto y = parse_number<int64_t>(parts[0]);
        auto m = parts.size() > 1 ? parse_number<int64_t>(parts[1]) : std::optional<int64_t>(1);
        auto d = parts.size() > 2 ? parse_number<int64_t>(parts[2]) : std::optional<int64_t>(1);
        if (!y || !m || !d)
            return std::nullopt;
        auto start = civil_to_unix(static_cast<int>(*y), static_cast<int>(*m), static_cast<int>(*d), 0, 0, 0);
        if (!start)
            return std::nullopt;
        std::optional<int64_t> end;
        if (parts.size() == 1)
            end = civil_to_unix(static_cast<int>(*y) + 1, 1, 1, 0, 0, 0);
        else if (parts.size() == 2)
            end = *m == 12 ? civil_to_unix(static_cast<int>(*y) + 1, 1, 1, 0, 0, 0)
                           : civil_to_unix(static_cast<int>(*y), static_cast<int>(*m) + 1, 1, 0, 0, 0);
        else
            end = *start + 86400;
        if (!end)
            return std::nullopt;
        return DateSpan{*start, *end - 1, false};
    }
    // Relative: "2.weeks.ago", "2.weeks", "3d", "3days", "1 year ago" is not one token.
    std::string_view r = s;
    if (r.ends_with(".ago"))
        r.remove_suffix(4);
    else if (r.ends_with("ago"))
        r.remove_suffix(3);
    size_t digits = 0;
    while (digits < r.size() && r[digits] >= '0' && r[digits] <= '9')
        ++digits;
    if (digits == 0)
        return std::nullopt;
    auto n = parse_number<int64_t>(r.substr(0, digits));
    std::string_view unit = r.substr(digits);
    if (unit.starts_with('.') || unit.starts_with('_'))
        unit.remove_prefix(1);
    auto secs = unit_seconds(ascii_lower(unit));
    if (!n || !secs || *n > std::numeric_limits<int64_t>::max() / *secs) // 446744073709551615d (fuzz_query)
        return std::nullopt;
    const int64_t t = now - *n * *secs;
    return DateSpan{t, t, true};
}

// ---------------------------------------------------------------- query parsing

namespace {

const char* kDateHelp = "use YYYY, YYYY-MM, YYYY-MM-DD, @unixtime, today, yesterday, or relative like "
                        "2.weeks.ago or 3d, and A..B for ranges (either end may be left open)";

/// What our field and range processors found wrong in a query. They must
/// not throw: Xapian 1.4's parser frees memory it does not own when a
/// FieldProcessor throws under a +/- prefix ("-date:x y", found by
/// fuzz_query). They note the error and match nothing; Impl::parse reports
/// it once the parser has returned.
struct QueryErrors {
    std::string first;
    Xapian::Query note(std::string what)
    {
        if (first.empty())
            first = std::move(what);
        return Xapian::Query::MatchNothing;
    }
};

Xapian::Query bad_date(QueryErrors& errors, std::string_view what)
{
    return errors.note("date: cannot read '" + std::string(what) + "'; " + kDateHelp);
}

/// The query for dates from @p a to @p b (either may be empty: open end).
Xapian::Query date_range(const std::string& a, const std::string& b, QueryErrors& errors)
{
    const int64_t now = static_cast<int64_t>(std::time(nullptr));
    std::optional<int64_t> lo, hi;
    if (a.empty() && b.empty())
        return bad_date(errors, "..");
    if (!a.empty()) {
        auto d = parse_query_date(a, now);
        if (!d)
            return bad_date(errors, a);
        lo = d->first;
    }
    if (!b.empty()) {
        auto d = parse_query_date(b, now);
        if (!d)
            return bad_date(errors, b);
        hi = d->last;
    }
    const auto slot = schema::Slot::date;
    auto ser = [](int64_t t) { return Xapian::sortable_serialise(static_cast<double>(t)); };
    if (lo && hi)
        return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot, ser(*lo), ser(*hi));
    if (lo)
        return Xapian::Query(Xapian::Query::OP_VALUE_GE, slot, ser(*lo));
    return Xapian::Query(Xapian::Query::OP_VALUE_LE, slot, ser(*hi));
}

/// date:A..B (QueryParser hands ranges to RangeProcessors).
class DateRangeProcessor : public Xapian::RangeProcessor {
public:
    DateRangeProcessor(const std::string& field, QueryErrors& errors)
        : Xapian::RangeProcessor(schema::Slot::date, field + ":"), errors_(errors) {}
    Xapian::Query operator()(const std::string& begin, const std::string& end) override
    {
        return date_range(begin, end, errors_);
    }

private:
    QueryErrors& errors_;
};

/// date:A (a single value; QueryParser gives A..B to DateRangeProcessor).
/// An absolute date means the whole period it names; a relative one means
/// "since then".
class DateProcessor : public Xapian::FieldProcessor {
public:
    explicit DateProcessor(QueryErrors& errors) : errors_(errors) {}
    Xapian::Query operator()(const std::string& text) override
    {
        auto d = parse_query_date(text, static_cast<int64_t>(std::time(nullptr)));
        if (!d)
            return bad_date(errors_, text);
        return d->relative ? date_range(text, "today", errors_) : date_range(text, text, errors_);
    }

private:
    QueryErrors& errors_;
};

/// Follows "listdex:alias:" records from a merged-away thread id to the
/// thread it lives on in now.
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

/// Boolean fields whose values users type loosely.
class BooleanProcessor : public Xapian::FieldProcessor {
public:
    enum class Kind { id, lower, address, thread, list };
    BooleanProcessor(std::string prefix, Kind kind, const Xapian::Database& db, QueryErrors& errors)
        : prefix_(std::move(prefix)), kind_(kind), db_(db), errors_(errors) {}
    Xapian::Query operator()(const std::string& text) override
    {
        std::string value;
        switch (kind_) {
        case Kind::id: value = normalize_message_id(text); break;
        case Kind::lower: value = ascii_lower(text); break;
        case Kind::list: {
            // A list id, or its first labels: list:linux-man finds
            // linux-man.vger.kernel.org (and any other list so named).
            value = ascii_lower(text);
            const std::string exact = schema::term(prefix_, value);
            if (db_.term_exists(exact))
                return Xapian::Query(exact);
            const std::string start = prefix_ + value + ".";
            std::vector<std::string> lists(db_.allterms_begin(start), db_.allterms_end(start));
            if (!lists.empty())
                return Xapian::Query(Xapian::Query::OP_OR, lists.begin(), lists.end());
            break;
        }
        case Kind::address: {
            std::string_view a = text;
            if (a.size() > 2 && a.front() == '<' && a.back() == '>')
                a = a.substr(1, a.size() - 2);
            value = ascii_lower(a);
            break;
        }
        case Kind::thread: {
            auto t = parse_thread_id(text);
            if (!t)
                return errors_.note("thread: '" + text + "' is not a thread id (8 or more hex digits)");
            value = resolve_thread_alias(db_, format_thread_id(*t)); // merged-away ids keep working
            break;
        }
        }
        return Xapian::Query(schema::term(prefix_, value));
    }

private:
    std::string prefix_;
    Kind kind_;
    const Xapian::Database& db_;
    QueryErrors& errors_;
};

/// The field called @p name (or by that alias); nullptr when none is.
const schema::Field* named_field(std::string_view name)
{
    for (const auto& f : schema::kFields) {
        if (f.name == name)
            return &f;
        for (auto alias : split(f.aliases, ' '))
            if (!alias.empty() && alias == name)
                return &f;
    }
    return nullptr;
}

/// "fromm:alice" would silently search for the words "fromm" and "alice";
/// say so instead. URLs (http: ...) are left alone.
std::optional<std::string> unknown_field(std::string_view q)
{
    bool quoted = false;
    for (size_t i = 0; i < q.size(); ++i) {
        if (q[i] == '"') {
            quoted = !quoted;
            continue;
        }
        if (quoted || !(i == 0 || q[i - 1] == ' ' || q[i - 1] == '(' || q[i - 1] == '+' || q[i - 1] == '-'))
            continue;
        size_t j = i;
        while (j < q.size() && (std::isalpha(static_cast<unsigned char>(q[j])) || q[j] == '_'))
            ++j;
        if (j > i && j < q.size() && q[j] == ':') {
            const std::string name = ascii_lower(q.substr(i, j - i));
            if (!named_field(name) && name != "http" && name != "https" && name != "ftp" && name != "mailto")
                return name;
        }
    }
    return std::nullopt;
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

/// The internal boolean field that matches a whole address of @p f.
std::string exact_address_field(const schema::Field& f)
{
    return std::string(f.name) + "addr";
}

/// Rewrites from:/to:/cc: (and f: t: c:) whose value is a whole address
/// (has an @, no wildcard, not quoted or grouped) to the field's exact-address
/// boolean field. A value ends at white space or ')'.
std::string route_exact_addresses(std::string_view q)
{
    std::string out;
    bool quoted = false;
    for (size_t i = 0; i < q.size(); ++i) {
        if (q[i] == '"')
            quoted = !quoted;
        const bool starts = i == 0 || q[i - 1] == ' ' || q[i - 1] == '(' || q[i - 1] == '+' || q[i - 1] == '-';
        if (quoted || !starts) {
            out += q[i];
            continue;
        }
        size_t colon = i;
        while (colon < q.size() && std::isalpha(static_cast<unsigned char>(q[colon])))
            ++colon;
        const schema::Field* f = nullptr;
        if (colon > i && colon < q.size() && q[colon] == ':')
            f = named_field(ascii_lower(q.substr(i, colon - i)));
        if (f && f->address_prefix.empty())
            f = nullptr;
        const size_t end = f ? q.find_first_of(" \t)", colon + 1) : 0;
        const std::string_view value = f ? q.substr(colon + 1, end - colon - 1) : std::string_view{};
        if (f && value.find('@') != std::string_view::npos && value.find_first_of("*\"(") == std::string_view::npos) {
            out += exact_address_field(*f) + ":";
            out += value;
            i = (end == std::string_view::npos ? q.size() : end) - 1;
        } else {
            out += q[i];
        }
    }
    return out;
}

std::string field_list()
{
    std::string out;
    for (const auto& f : schema::kFields)
        out += (out.empty() ? "" : ", ") + std::string(f.name) + ":";
    return out;
}

std::string author_name(const std::string& from)
{
    const size_t lt = from.rfind(" <");
    return lt == std::string::npos ? from : from.substr(0, lt);
}

} // namespace

namespace {

/// Word starts in @p lower (ASCII lower case) that begin like one of @p
/// stems: (offset, which stem), in text order.
std::vector<std::pair<size_t, size_t>> stem_hits(std::string_view lower, const std::vector<std::string>& stems)
{
    std::vector<std::pair<size_t, size_t>> hits;
    for (size_t k = 0; k < stems.size(); ++k) {
        std::string_view stem = stems[k];
        if (stem.size() > 3 && stem.back() == 'i')
            stem.remove_suffix(1); // "happi" stems "happy"
        if (stem.empty())
            continue;
        for (size_t p = lower.find(stem); p != std::string::npos && hits.size() < 4096; p = lower.find(stem, p + 1))
            if (p == 0 || !std::isalnum(static_cast<unsigned char>(lower[p - 1])))
                hits.emplace_back(p, k);
    }
    std::sort(hits.begin(), hits.end());
    return hits;
}

/// About @p size bytes of @p text around the first place where the most
/// different @p stems start words close together, else its beginning; on
/// UTF-8 boundaries.
std::string_view snippet_window(std::string_view text, const std::vector<std::string>& stems, size_t size)
{
    const std::string lower = ascii_lower(text);
    const auto hits = stem_hits(lower, stems);
    // The first place where the most different terms occur close together
    // (a phrase, or words of the query near each other).
    size_t first = std::string::npos, best = 0;
    for (size_t i = 0; i < hits.size(); ++i) {
        std::vector<bool> seen(stems.size());
        size_t distinct = 0;
        for (size_t j = i; j < hits.size() && hits[j].first < hits[i].first + 200; ++j)
            if (!seen[hits[j].second]) {
                seen[hits[j].second] = true;
                ++distinct;
            }
        if (distinct > best) {
            best = distinct;
            first = hits[i].first;
        }
        if (best == stems.size())
            break;
    }
    size_t start = 0;
    if (first != std::string::npos && first > size / 4) {
        start = first - size / 4; // some context before the word, from a word start
        const size_t space = text.find_first_of(" \n", start);
        start = space < first ? space + 1 : start;
    }
    size_t end = std::min(text.size(), start + size);
    auto continuation = [&](size_t i) { return (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80; };
    while (start < end && continuation(start))
        ++start;
    while (end < text.size() && end > start && continuation(end))
        --end;
    return text.substr(start, end - start);
}

} // namespace

std::vector<std::pair<size_t, size_t>> highlight_ranges(std::string_view text, const std::vector<std::string>& stems)
{
    std::vector<std::pair<size_t, size_t>> out;
    for (auto [start, stem] : stem_hits(ascii_lower(text), stems)) {
        if (!out.empty() && start < out.back().first + out.back().second)
            continue; // inside the previous word
        size_t end = start;
        while (end < text.size() && (std::isalnum(static_cast<unsigned char>(text[end])) ||
                                     static_cast<unsigned char>(text[end]) >= 0x80))
            ++end;
        out.emplace_back(start, end - start);
    }
    return out;
}

std::string cut_snippet(std::string_view text, const std::vector<std::string>& stems, size_t length)
{
    std::string_view w = snippet_window(text, stems, length);
    const bool cut_end = w.data() + w.size() < text.data() + text.size();
    if (cut_end) { // end on a word boundary
        const size_t space = w.find_last_of(" \t\n");
        if (space != std::string_view::npos && space > w.size() / 2)
            w = w.substr(0, space);
    }
    std::string out = one_line(w);
    if (w.data() != text.data())
        out.insert(0, "...");
    if (cut_end)
        out += "...";
    return out;
}

// ---------------------------------------------------------------- Searcher

/// Thrown by Impl::run when a search exceeds SearchOptions::time_limit.
struct TooSlow {};

Error too_slow(double seconds)
{
    return Error{ExitCode::too_slow, "the search took longer than " + std::to_string(static_cast<int>(seconds)) + " s",
                 "narrow it: more words, a list: or a date: range"};
}

struct Searcher::Impl {
    explicit Impl(IndexDatabase i)
        : index(std::move(i)), db(index.db()), texts(index.paths(), PackReaders::Kind::text),
          raw_messages(index.paths(), PackReaders::Kind::raw)
    {
    }
    IndexDatabase index;
    Xapian::Database& db; ///< index.db()
    PackReaders texts;        ///< body texts, for snippets
    PackReaders raw_messages; ///< for mbox export
    Xapian::Stem stemmer{"english"};

    Result<Xapian::Query> parse(std::string_view raw)
    {
        const std::string q(trim(raw));
        const Xapian::Query mail{std::string(schema::kKindMail)};
        if (q.empty() || q == "*")
            return mail;
        if (auto what = unbalanced(q))
            return fail(ExitCode::usage, "invalid query: " + *what);
        if (auto name = unknown_field(q))
            return fail(ExitCode::usage, "invalid query: unknown field '" + *name + ":'; fields are " + field_list());
        QueryErrors errors;
        try {
            Xapian::QueryParser qp;
            qp.set_database(db);
            qp.set_stemmer(stemmer);
            qp.set_stemming_strategy(Xapian::QueryParser::STEM_ALL);
            qp.set_default_op(Xapian::Query::OP_AND);
            qp.add_prefix("", "");
            qp.add_prefix("", std::string(schema::field("subject")->prefix));
            qp.add_prefix("", std::string(schema::field("from")->prefix));
            for (const auto& f : schema::kFields) {
                if (!f.address_prefix.empty())
                    qp.add_boolean_prefix(exact_address_field(f),
                                          (new BooleanProcessor(std::string(f.address_prefix),
                                                                BooleanProcessor::Kind::address, db, errors))
                                              ->release());
                std::vector<std::string> names{std::string(f.name)};
                for (auto a : split(f.aliases, ' '))
                    if (!a.empty())
                        names.emplace_back(a);
                for (const auto& name : names) {
                    switch (f.kind) {
                    case schema::FieldKind::text: qp.add_prefix(name, std::string(f.prefix)); break;
                    case schema::FieldKind::range:
                        qp.add_boolean_prefix(name, (new DateProcessor(errors))->release());
                        qp.add_rangeprocessor((new DateRangeProcessor(name, errors))->release());
                        break;
                    case schema::FieldKind::boolean: {
                        auto kind = f.name == "id"       ? BooleanProcessor::Kind::id
                                    : f.name == "thread" ? BooleanProcessor::Kind::thread
                                    : f.name == "ref"    ? BooleanProcessor::Kind::id
                                    : f.name == "list"   ? BooleanProcessor::Kind::list
                                                         : BooleanProcessor::Kind::lower;
                        qp.add_boolean_prefix(name,
                                              (new BooleanProcessor(std::string(f.prefix), kind, db, errors))->release());
                        break;
                    }
                    }
                }
            }
            const unsigned flags = Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_BOOLEAN_ANY_CASE |
                                   Xapian::QueryParser::FLAG_WILDCARD | Xapian::QueryParser::FLAG_PURE_NOT |
                                   Xapian::QueryParser::FLAG_CJK_NGRAM;
            Xapian::Query parsed = qp.parse_query(route_exact_addresses(q), flags);
            if (!errors.first.empty())
                return fail(ExitCode::usage, "invalid query: " + errors.first);
            if (parsed.empty())
                return fail(ExitCode::usage, "invalid query: '" + q + "' has no searchable words");
            return Xapian::Query(Xapian::Query::OP_FILTER, parsed, mail);
        } catch (const Xapian::QueryParserError& e) {
            return fail(ExitCode::usage, "invalid query: " + e.get_msg());
        }
    }

    void sort(Xapian::Enquire& e, SortOrder order)
    {
        switch (order) {
        case SortOrder::newest: e.set_sort_by_value_then_relevance(schema::Slot::date, true); break;
        case SortOrder::oldest: e.set_sort_by_value_then_relevance(schema::Slot::date, false); break;
        case SortOrder::relevance: e.set_sort_by_relevance_then_value(schema::Slot::date, true); break;
        }
    }

    Xapian::MSet run(const Xapian::Query& q, const SearchOptions& opt, bool collapse)
    {
        Xapian::Enquire e(db);
        e.set_query(q);
        sort(e, opt.sort);
        if (collapse)
            e.set_collapse_key(schema::Slot::thread);
        const Xapian::doccount total = db.get_doccount();
        const Xapian::doccount limit = opt.limit ? static_cast<Xapian::doccount>(opt.limit) : total;
        if (opt.time_limit > 0)
            e.set_time_limit(opt.time_limit);
        const auto started = std::chrono::steady_clock::now();
        // Checking every document keeps counts (and collapse counts) exact.
        Xapian::MSet mset = e.get_mset(static_cast<Xapian::doccount>(opt.offset), limit, total);
        if (opt.time_limit > 0 &&
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count() > opt.time_limit)
            throw TooSlow{};
        return mset;
    }

    std::string key_of(const Xapian::Document& doc, const std::string& mid)
    {
        if (db.get_termfreq(schema::term(schema::field("id")->prefix, mid)) <= 1)
            return mid;
        return shared_id_key(mid, document_hash(doc));
    }

    std::string snippet(Xapian::docid id, const Xapian::Document& doc, const std::vector<std::string>& stems)
    {
        auto data = DocData::decode(doc.get_data());
        if (!data)
            return {};
        auto body = texts.get(index.shard_of(id), data->text);
        return body ? cut_snippet(*body, stems) : std::string();
    }

    /// Fills in every thread of @p hits (thread and matched set) from its
    /// members' values. One pass over the value streams in document order
    /// for all threads at once: far cheaper than reading each member's
    /// document (a thread listing touches hundreds of them).
    void summarise(std::vector<ThreadHit>& hits)
    {
        std::vector<std::pair<Xapian::docid, size_t>> members; // (document, hit)
        const std::string thread_prefix(schema::field("thread")->prefix);
        for (size_t i = 0; i < hits.size(); ++i) {
            const std::string term = thread_prefix + hits[i].thread;
            for (auto p = db.postlist_begin(term); p != db.postlist_end(term); ++p)
                members.emplace_back(*p, i);
        }
        std::sort(members.begin(), members.end());
        struct Row {
            int64_t date;
            std::string from, subject;
        };
        std::vector<std::vector<Row>> rows(hits.size());
        auto date = db.valuestream_begin(schema::Slot::date);
        auto from = db.valuestream_begin(schema::Slot::from);
        auto subject = db.valuestream_begin(schema::Slot::subject);
        auto value_of = [](Xapian::ValueIterator& v, const Xapian::ValueIterator& end, Xapian::docid d) {
            if (v == end)
                return std::string();
            v.skip_to(d);
            return v != end && v.get_docid() == d ? *v : std::string();
        };
        const auto end = db.valuestream_end(0);
        for (const auto& [d, i] : members) {
            const std::string when = value_of(date, end, d);
            if (when.empty())
                continue; // a ghost: it has no date
            rows[i].push_back({static_cast<int64_t>(Xapian::sortable_unserialise(when)), value_of(from, end, d),
                               value_of(subject, end, d)});
        }
        for (size_t i = 0; i < hits.size(); ++i) {
            ThreadHit& h = hits[i];
            std::vector<Row>& r = rows[i];
            std::stable_sort(r.begin(), r.end(), [](const Row& a, const Row& b) { return a.date < b.date; });
            h.messages = r.size();
            if (!r.empty()) {
                h.oldest = r.front().date;
                h.newest = r.back().date;
                h.subject = r.front().subject;
            }
            std::unordered_set<std::string> seen;
            for (const Row& row : r) {
                std::string name = author_name(row.from);
                if (!name.empty() && seen.insert(name).second)
                    h.authors.push_back(std::move(name));
            }
        }
    }
};

Searcher::Searcher() = default;
Searcher::~Searcher() = default;

Result<std::unique_ptr<Searcher>> Searcher::open(const IndexPaths& paths)
{
    auto index = IndexDatabase::open(paths);
    if (!index)
        return std::unexpected(index.error());
    std::unique_ptr<Searcher> s(new Searcher());
    s->impl_ = std::make_unique<Impl>(std::move(*index));
    return s;
}

Result<uint64_t> Searcher::count(std::string_view query, bool threads)
{
    auto q = impl_->parse(query);
    if (!q)
        return std::unexpected(q.error());
    return guarded_read(impl_->index, "searching", [&]() -> Result<uint64_t> {
        SearchOptions opt;
        opt.limit = 1;
        return impl_->run(*q, opt, threads).get_matches_estimated();
    });
}

Result<std::vector<MessageHit>> Searcher::messages(std::string_view query, const SearchOptions& opt)
{
    auto q = impl_->parse(query);
    if (!q)
        return std::unexpected(q.error());
    return guarded_read(impl_->index, "searching", [&]() -> Result<std::vector<MessageHit>> {
        Xapian::MSet mset;
        try {
            mset = impl_->run(*q, opt, false);
        } catch (const TooSlow&) {
            return std::unexpected(too_slow(opt.time_limit));
        }
        std::vector<std::string> stems; // body words of the query (prefixed terms start upper case)
        for (auto t = q->get_unique_terms_begin(); t != q->get_unique_terms_end(); ++t)
            if (!(*t).empty() && !std::isupper(static_cast<unsigned char>((*t)[0])))
                stems.push_back(*t);
        std::vector<MessageHit> out;
        out.reserve(mset.size());
        for (auto it = mset.begin(); it != mset.end(); ++it) {
            Xapian::Document doc = it.get_document();
            MessageHit h;
            h.message_id = doc.get_value(schema::Slot::message_id);
            h.id = impl_->key_of(doc, h.message_id);
            h.thread = doc.get_value(schema::Slot::thread);
            h.date = document_date(doc);
            h.from = doc.get_value(schema::Slot::from);
            h.subject = doc.get_value(schema::Slot::subject);
            h.lists = document_lists(doc);
            h.snippet = impl_->snippet(*it, doc, stems);
            h.highlights = highlight_ranges(h.snippet, stems);
            out.push_back(std::move(h));
        }
        return out;
    });
}

Result<std::vector<ThreadHit>> Searcher::threads(std::string_view query, const SearchOptions& opt)
{
    auto q = impl_->parse(query);
    if (!q)
        return std::unexpected(q.error());
    return guarded_read(impl_->index, "searching", [&]() -> Result<std::vector<ThreadHit>> {
        Xapian::MSet mset;
        try {
            mset = impl_->run(*q, opt, true);
        } catch (const TooSlow&) {
            return std::unexpected(too_slow(opt.time_limit));
        }
        std::vector<ThreadHit> out;
        out.reserve(mset.size());
        for (auto it = mset.begin(); it != mset.end(); ++it) {
            ThreadHit h;
            h.thread = it.get_document().get_value(schema::Slot::thread);
            h.matched = it.get_collapse_count() + 1;
            out.push_back(std::move(h));
        }
        impl_->summarise(out);
        return out;
    });
}

Result<ThreadView> Searcher::thread(std::string_view raw_id)
{
    return guarded_read(impl_->index, "searching", [&]() -> Result<ThreadView> {
        ThreadView view;
        Xapian::Database& db = impl_->db;
        const std::string thread_prefix(schema::field("thread")->prefix);
        std::string_view id = trim(raw_id);
        std::optional<std::string> thread;
        if (id.starts_with("thread:")) {
            auto t = parse_thread_id(id.substr(7));
            if (!t)
                return fail(ExitCode::usage, "'" + std::string(id.substr(7)) + "' is not a thread id");
            thread = format_thread_id(*t);
        } else if (auto t = parse_thread_id(id); t && id.size() >= 8 &&
                                                 (db.term_exists(thread_prefix + format_thread_id(*t)) ||
                                                  !db.get_metadata(std::string(schema::kAliasKeyPrefix) +
                                                                   format_thread_id(*t)).empty())) {
            thread = format_thread_id(*t);
        }
        if (thread) {
            const std::string asked = *thread;
            thread = resolve_thread_alias(db, asked);
            if (*thread != asked)
                view.requested_alias = asked;
            if (!db.term_exists(thread_prefix + *thread))
                return fail(ExitCode::not_found, "no thread " + asked + " in " + impl_->index.paths().root.string());
        } else {
            const std::string mid = normalize_message_id(id);
            const std::string term = schema::term(schema::field("id")->prefix, mid);
            auto p = db.postlist_begin(term);
            if (p == db.postlist_end(term))
                return fail(ExitCode::not_found, "no message with Message-ID <" + mid + "> in " +
                                                     impl_->index.paths().root.string());
            thread = db.get_document(*p).get_value(schema::Slot::thread);
        }
        view.thread = *thread;

        std::vector<ThreadMember> members;
        const std::string term = thread_prefix + *thread;
        for (auto p = db.postlist_begin(term); p != db.postlist_end(term); ++p) {
            Xapian::Document doc = db.get_document(*p);
            ThreadEntry e;
            e.message_id = doc.get_value(schema::Slot::message_id);
            e.missing = doc.get_data() == schema::kGhostData;
            if (!e.missing) {
                auto stored = stored_message(impl_->index, *p, doc);
                if (!stored)
                    return std::unexpected(unreadable_document(*p));
                e.stored = std::move(*stored);
                e.stored.key = impl_->key_of(doc, e.message_id);
                e.date = e.stored.date;
                e.from = doc.get_value(schema::Slot::from);
                e.subject = doc.get_value(schema::Slot::subject);
                e.parent_by_subject = (e.stored.flags & schema::Flag::parent_by_subject) != 0;
            }
            std::string parent = doc.get_value(schema::Slot::parent);
            members.push_back({e.message_id, parent.empty() ? std::nullopt : std::optional<std::string>(parent), e.date,
                               e.missing});
            view.entries.push_back(std::move(e));
        }
        view.forest = build_thread_tree(members);
        return view;
    });
}

Result<std::string> Searcher::raw(const StoredMessage& m)
{
    return impl_->raw_messages.get(m.shard, m.ref);
}

Result<std::string> Searcher::thread_mboxrd(const ThreadView& v)
{
    std::string out;
    std::optional<Error> failed;
    auto each = [&](auto&& self, const ThreadTreeNode& n) -> void {
        const ThreadEntry& e = v.entries[n.member];
        if (!e.missing && !failed) {
            if (auto bytes = raw(e.stored))
                append_mboxrd(out, e.from, e.date, *bytes);
            else
                failed = bytes.error();
        }
        for (const auto& c : n.children)
            self(self, c);
    };
    for (const auto& r : v.forest)
        each(each, r);
    if (failed)
        return std::unexpected(*failed);
    return out;
}

Result<std::vector<ListSummary>> Searcher::lists()
{
    return guarded_read(impl_->index, "reading lists", [&]() -> Result<std::vector<ListSummary>> {
        Xapian::Database& db = impl_->db;
        const std::string prefix(schema::field("list")->prefix);
        std::vector<ListSummary> out;
        for (auto t = db.allterms_begin(prefix); t != db.allterms_end(prefix); ++t) {
            ListSummary l;
            l.id = (*t).substr(prefix.size());
            l.messages = t.get_termfreq(); // only message documents carry list terms
            Xapian::Enquire e(db);
            e.set_query(Xapian::Query(*t));
            e.set_weighting_scheme(Xapian::BoolWeight());
            e.set_sort_by_value(schema::Slot::date, true);
            if (Xapian::MSet newest = e.get_mset(0, 1); !newest.empty())
                l.newest = document_date(newest.begin().get_document());
            e.set_sort_by_value(schema::Slot::date, false);
            if (Xapian::MSet oldest = e.get_mset(0, 1); !oldest.empty())
                l.oldest = document_date(oldest.begin().get_document());
            // Exact when every match is checked: one per thread after collapsing.
            e.set_sort_by_relevance();
            e.set_collapse_key(schema::Slot::thread);
            l.threads = e.get_mset(0, 0, db.get_doccount()).get_matches_estimated();
            out.push_back(std::move(l));
        }
        return out;
    });
}

void Searcher::refresh()
{
    // A failure shows again, and is reported, at the next search.
    (void)guarded("reading index", [&]() -> Result<void> {
        impl_->index.refresh();
        return {};
    });
}

void append_mboxrd(std::string& out, const std::string& from, int64_t date, std::string_view raw)
{
    std::string sender = "MAILER-DAEMON";
    if (auto lt = from.rfind('<'); lt != std::string::npos && from.back() == '>')
        sender = from.substr(lt + 1, from.size() - lt - 2);
    else if (from.find('@') != std::string::npos && from.find(' ') == std::string::npos)
        sender = from;
    const time_t t = static_cast<time_t>(date);
    struct tm tm{};
    gmtime_r(&t, &tm);
    char when[64];
    std::strftime(when, sizeof when, "%a %b %e %H:%M:%S %Y", &tm);
    out += "From " + sender + " " + when + "\n";
    for (size_t pos = 0; pos < raw.size();) {
        const size_t nl = raw.find('\n', pos);
        const size_t end = nl == std::string_view::npos ? raw.size() : nl + 1;
        size_t q = pos;
        while (q < end && raw[q] == '>')
            ++q;
        if (raw.substr(q, 5) == "From ")
            out += '>';
        out.append(raw.substr(pos, end - pos));
        pos = end;
    }
    if (!raw.empty() && raw.back() != '\n')
        out += '\n';
    out += '\n';
}

} // namespace listdex
