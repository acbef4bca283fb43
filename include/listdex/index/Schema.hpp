// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file Schema.hpp
/// The one place that declares how messages live in Xapian: every term
/// prefix, value slot and document-data field. The indexer and the
/// query parser (query/QueryParser.cpp) are built from these tables;
/// docs/schema.md mirrors this file. Bump kSchemaVersion on any change that
/// makes an existing index unreadable or wrong.
///
/// Document layout (one Xapian document per distinct message content):
/// Two kinds of documents: messages, and ghosts (placeholders for messages
/// that are referenced but not in the index; they carry only XMID, G,
/// XKINDghost and the thread/parent values, and data "ghost").
///
///   terms   every prefix is declared once in namespace `prefix` below;
///           docs/schema.md describes each (a test checks it names them all).
///           Free text: Xapian's STEM_SOME, as notmuch and public-inbox
///           index: every word as written, with positions (phrases,
///           wildcards), and its English stem as Z<prefix><stem> without
///           positions (plain words). Quoted lines ("> ...") have positions
///           too, under their own prefix (q:, and phrases find them).
///   values  see Slot
///   data    "<schema> <raw block> <raw index> <flags> <text block> <text index>
///           <parsed block> <parsed index>", then on a line each the
///           summary: Message-ID, hash, date, from, subject (see DocData);
///           "ghost" for ghosts

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace listdex::schema {

inline constexpr int kSchemaVersion = 9;
/// Xapian metadata key holding kSchemaVersion in every shard.
inline constexpr std::string_view kSchemaKey = "listdex:schema";
/// Xapian metadata key in every shard: the id of the index it belongs to
/// (listdex.conf `id`), so that readers refuse a shard of another index
/// (IndexDatabase::open): thread ids are per index.
inline constexpr std::string_view kIndexIdKey = "listdex:index";
/// Xapian metadata key: bytes of the raw store covered by the last commit.
inline constexpr std::string_view kRawSizeKey = "listdex:raw-size";
/// Xapian metadata key: bytes of the text store covered by the last commit.
inline constexpr std::string_view kTextSizeKey = "listdex:text-size";
/// Xapian metadata key: bytes of the decoded-message store covered by the last commit.
inline constexpr std::string_view kParsedSizeKey = "listdex:parsed-size";
/// Xapian metadata key: the last thread id handed out.
inline constexpr std::string_view kLastThreadKey = "listdex:last-thread";
/// Xapian metadata key prefix: "listdex:alias:<old thread>" = the thread it
/// was merged into. This key and kLastThreadKey live in shard 0 only.
inline constexpr std::string_view kAliasKeyPrefix = "listdex:alias:";

/// Xapian metadata key prefix: "listdex:git:<hash of a repository's path>" =
/// "<commit> <path>", the newest commit of a public-inbox repository whose
/// messages are all in the index (shard 0).
inline constexpr std::string_view kGitPositionPrefix = "listdex:git:";
/// Xapian metadata key prefix: "listdex:gitlist:<hash of a repository's
/// path>" = the list an import's --list gave that repository's messages, so
/// that listdex update gives its new messages the same (shard 0).
inline constexpr std::string_view kGitListPrefix = "listdex:gitlist:";

/// Xapian metadata key: every list's counts as the last import left them
/// (index/ListStats.hpp), shard 0; cleared by any other change to the
/// documents.
inline constexpr std::string_view kListStatsKey = "listdex:lists";

/// Document data of a ghost.
inline constexpr std::string_view kGhostData = "ghost";
/// Text kept for snippets (a message's own lines) is cut at this size.
inline constexpr size_t kMaxStoredText = 16 * 1024;

/// Value slots.
enum Slot : unsigned {
    date = 0,       ///< sortable_serialise(unix seconds), effective date (see Flag)
    message_id = 1, ///< Message-ID without <>
    thread = 2,     ///< thread id, 8+ hex digits
    subject = 3,    ///< decoded subject
    from = 4,       ///< first From address, "Name <email>"
    size = 5,       ///< sortable_serialise(raw size in bytes)
    list = 6,       ///< list ids, space-separated
    parent = 7,     ///< Message-ID of the parent (In-Reply-To, else last References)
    hash = 8,       ///< content hash of the stored raw copy (the first copy imported)
    received = 9,   ///< sortable_serialise(unix seconds): first Received: date, else the effective date
};

/// Bits of the document-data flags field.
enum Flag : uint32_t {
    date_from_envelope = 1u << 0,   ///< Date header missing/broken; mbox From_ line date used
    date_from_order = 1u << 1,      ///< no usable date at all; previous message's date used
    damaged = 1u << 2,              ///< imported with decoding problems
    synthetic_id = 1u << 3,         ///< no Message-ID; id derived from content
    recovered = 1u << 4,            ///< had lost every line break; rebuilt when decoded
    parent_by_subject = 1u << 5,    ///< no In-Reply-To/References: parent inferred from the subject
    from_html = 1u << 6,            ///< rebuilt from a page of an HTML (MHonArc) archive when decoded
};

/// Every term prefix of the index, each declared once. Free-text prefixes
/// also carry stems as "Z" + prefix + stem.
namespace prefix {
inline constexpr std::string_view own = "";             ///< text: body lines that are neither quoted nor diff
inline constexpr std::string_view quoted = "XQUOT";     ///< text: quoted body lines ("> ...")
inline constexpr std::string_view from = "A";           ///< text: From names and addresses
inline constexpr std::string_view to = "XTO";           ///< text: To names and addresses
inline constexpr std::string_view cc = "XCC";           ///< text: Cc names and addresses
inline constexpr std::string_view from_address = "XFA"; ///< boolean: each From address, lower case
inline constexpr std::string_view to_address = "XTA";   ///< boolean: each To address, lower case
inline constexpr std::string_view cc_address = "XCA";   ///< boolean: each Cc address, lower case
inline constexpr std::string_view subject = "S";        ///< text: decoded subject
inline constexpr std::string_view attachment = "XATT";  ///< text: attachment filenames
inline constexpr std::string_view attachment_name = "XFNAME";  ///< boolean: whole filename, lower case
inline constexpr std::string_view attachment_suffix = "XFNREV"; ///< boolean: the same, reversed (n:*.patch)
inline constexpr std::string_view diff_name = "XDFN";   ///< text: file paths of a diff (old and new)
inline constexpr std::string_view diff_removed = "XDFA"; ///< text: removed (-) lines (the a/ side)
inline constexpr std::string_view diff_added = "XDFB";  ///< text: added (+) lines (the b/ side)
inline constexpr std::string_view diff_hunk = "XDFHH";  ///< text: hunk header context (function names)
inline constexpr std::string_view diff_context = "XDFCTX"; ///< text: context lines
inline constexpr std::string_view diff_pre = "XDFPRE";  ///< boolean: pre-image blob id and its prefixes (7+ digits)
inline constexpr std::string_view diff_post = "XDFPOST"; ///< boolean: post-image blob id and its prefixes
inline constexpr std::string_view patch_id = "XDFID";   ///< boolean: `git patch-id --stable` of the patch
inline constexpr std::string_view list = "XLIST";       ///< boolean: every list id, lower case
inline constexpr std::string_view message_id = "XMID";  ///< boolean: Message-ID
inline constexpr std::string_view mime_type = "XMIME";  ///< boolean: every part's MIME type, lower case
inline constexpr std::string_view thread = "G";         ///< boolean: thread id
inline constexpr std::string_view ref = "XREF";         ///< boolean: ids in In-Reply-To and References
inline constexpr std::string_view hash = "Q";           ///< internal: content hash of every stored copy
inline constexpr std::string_view same = "XSAME";       ///< internal: hash of Message-ID, Date and sender
inline constexpr std::string_view subject_key = "XSUBJ"; ///< internal: normalised subject (subject threading)
inline constexpr std::string_view kind = "XKIND";       ///< internal: "mail" or "ghost"
/// internal: the month of the date value, YYYYMM (month_term): date-sorted
/// listings walk the index a month at a time, newest or oldest first
inline constexpr std::string_view month = "XMONTH";
/// boolean: the reader's tags (notmuch's prefix), as typed; "read" marks read
/// messages. Never written by an import: `listdex tag` and `tags restore` only.
inline constexpr std::string_view tag = "K";
/// internal: common grams, "XG" + word term + " " + next word (gram_term):
/// two adjacent common words of one field, so that such a two-word phrase
/// is one posting list (no word positions to read)
inline constexpr std::string_view gram = "XG";
} // namespace prefix

/// Every prefix above, for the uniqueness check and the docs test.
inline constexpr std::array<std::string_view, 32> kAllPrefixes{
    prefix::own,        prefix::quoted,       prefix::from,         prefix::to,
    prefix::cc,         prefix::from_address, prefix::to_address,   prefix::cc_address,
    prefix::subject,    prefix::attachment,   prefix::attachment_name, prefix::attachment_suffix,
    prefix::diff_name,  prefix::diff_removed, prefix::diff_added,   prefix::diff_hunk,
    prefix::diff_context, prefix::diff_pre,   prefix::diff_post,    prefix::patch_id,
    prefix::list,       prefix::message_id,   prefix::mime_type,    prefix::thread,
    prefix::ref,        prefix::hash,         prefix::same,         prefix::subject_key,
    prefix::kind,       prefix::month,        prefix::tag,          prefix::gram};

/// The tag that marks a message read (is:read); "unread" is its absence
/// (is:unread, and the virtual tag "unread" of `listdex tag` and dumps).
inline constexpr std::string_view kReadTag = "read";
/// The tag that makes a thread followed (is:followed) when any of its
/// messages carries it.
inline constexpr std::string_view kFollowTag = "followed";

/// Document kinds: the terms marking messages and ghosts.
inline constexpr std::string_view kKindMail = "XKINDmail";
inline constexpr std::string_view kKindGhost = "XKINDghost";

enum class FieldKind {
    text,    ///< probabilistic, positional, stemmed (TermGenerator): words and phrases
    boolean, ///< exact terms, filter only
    range,   ///< a value slot queried with a RangeProcessor
};

/// How the query parser reads a boolean field's value.
enum class ValueForm {
    none,     ///< not a boolean field
    id,       ///< a Message-ID, with or without <>
    lower,    ///< compared in lower case (MIME types)
    list,     ///< a list id, or its first labels (list:linux-man)
    thread,   ///< a thread id; merged-away ids are followed
    blob,     ///< a git blob id prefix, 7 hex digits or more
    hex,      ///< a full hex digest (patch ids)
    tag,      ///< a tag name, as typed (case matters, as in notmuch)
    state,    ///< is: read, unread, followed, or a tag name
};

/// The query fields. Their order is kFields' order (checked below).
enum class FieldId : uint8_t {
    from, to, cc, address, to_cc, subject, body, body_subject, unquoted, quoted, attachment,
    list, id, mimetype, thread, ref, date, datetime, received,
    diff_name, diff_removed, diff_added, diff_hunk, diff_context, diff_pre, diff_post, diff_blob, patch_id,
    tag, is,
};

using Prefixes = std::span<const std::string_view>;

namespace detail {
inline constexpr std::string_view kFrom[] = {prefix::from};
inline constexpr std::string_view kTo[] = {prefix::to};
inline constexpr std::string_view kCc[] = {prefix::cc};
inline constexpr std::string_view kAddress[] = {prefix::from, prefix::to, prefix::cc};
inline constexpr std::string_view kToCc[] = {prefix::to, prefix::cc};
inline constexpr std::string_view kFromAddress[] = {prefix::from_address};
inline constexpr std::string_view kToAddress[] = {prefix::to_address};
inline constexpr std::string_view kCcAddress[] = {prefix::cc_address};
inline constexpr std::string_view kAnyAddress[] = {prefix::from_address, prefix::to_address, prefix::cc_address};
inline constexpr std::string_view kToCcAddress[] = {prefix::to_address, prefix::cc_address};
inline constexpr std::string_view kSubject[] = {prefix::subject};
/// Text that is not quoted (public-inbox's nq:): own lines and the diff fields.
inline constexpr std::string_view kUnquoted[] = {prefix::own,       prefix::diff_name,  prefix::diff_removed,
                                                 prefix::diff_added, prefix::diff_hunk, prefix::diff_context};
inline constexpr std::string_view kBody[] = {prefix::own,        prefix::diff_name,  prefix::diff_removed,
                                             prefix::diff_added, prefix::diff_hunk,  prefix::diff_context,
                                             prefix::quoted};
inline constexpr std::string_view kBodySubject[] = {prefix::own,        prefix::diff_name, prefix::diff_removed,
                                                    prefix::diff_added, prefix::diff_hunk, prefix::diff_context,
                                                    prefix::quoted,     prefix::subject};
inline constexpr std::string_view kQuoted[] = {prefix::quoted};
inline constexpr std::string_view kAttachment[] = {prefix::attachment};
inline constexpr std::string_view kList[] = {prefix::list};
inline constexpr std::string_view kId[] = {prefix::message_id};
inline constexpr std::string_view kMime[] = {prefix::mime_type};
inline constexpr std::string_view kThread[] = {prefix::thread};
inline constexpr std::string_view kRef[] = {prefix::ref};
inline constexpr std::string_view kDiffName[] = {prefix::diff_name};
inline constexpr std::string_view kDiffRemoved[] = {prefix::diff_removed};
inline constexpr std::string_view kDiffAdded[] = {prefix::diff_added};
inline constexpr std::string_view kDiffHunk[] = {prefix::diff_hunk};
inline constexpr std::string_view kDiffContext[] = {prefix::diff_context};
inline constexpr std::string_view kDiffPre[] = {prefix::diff_pre};
inline constexpr std::string_view kDiffPost[] = {prefix::diff_post};
inline constexpr std::string_view kDiffBlob[] = {prefix::diff_pre, prefix::diff_post};
inline constexpr std::string_view kPatchId[] = {prefix::patch_id};
inline constexpr std::string_view kTag[] = {prefix::tag};
} // namespace detail

/// Words without a field search these (as public-inbox's default does).
inline constexpr std::string_view kDefaultPrefixes[] = {
    prefix::own,          prefix::quoted,    prefix::subject,   prefix::from,        prefix::attachment,
    prefix::diff_name,    prefix::diff_removed, prefix::diff_added, prefix::diff_hunk, prefix::diff_context};

struct Field {
    FieldId id;
    std::string_view name;    ///< query prefix users type ("from")
    std::string_view aliases; ///< space-separated short names (public-inbox style)
    FieldKind kind;
    /// The term prefixes it searches: text (free-text prefixes, ORed) or
    /// boolean (term prefixes, ORed); empty for range fields.
    Prefixes prefixes;
    /// Repeated boolean values: true joins them with OR (list:a list:b),
    /// false with AND, like everything else.
    bool repeats_or = false;
    ValueForm form = ValueForm::none;
    Slot slot = Slot::date;   ///< for range fields
    /// Address fields: prefixes of the exact-address terms. A query value
    /// that is a whole address (from:ann@example.org) matches these terms
    /// instead of a phrase of address words: exact, and much faster.
    Prefixes address_prefixes = {};
    std::string_view what = {};    ///< one line for docs and `listdex help search`
    std::string_view example = {}; ///< a query using it (tested by tests/cli)
    /// The reader's own state (tags, read, followed): answered by the CLI,
    /// refused by the web server, which shows the public archive only.
    bool personal = false;
};

using K = FieldKind;
using V = ValueForm;
inline constexpr std::array<Field, 30> kFields{{
    {FieldId::from, "from", "f", K::text, detail::kFrom, false, V::none, {}, detail::kFromAddress,
     "sender names and addresses (a whole address matches exactly)", "from:alice@example.org"},
    {FieldId::to, "to", "t", K::text, detail::kTo, false, V::none, {}, detail::kToAddress,
     "To: names and addresses", "to:linux-man"},
    {FieldId::cc, "cc", "c", K::text, detail::kCc, false, V::none, {}, detail::kCcAddress,
     "Cc: names and addresses", "c:alice@example.org"},
    {FieldId::address, "address", "a", K::text, detail::kAddress, false, V::none, {}, detail::kAnyAddress,
     "any of From, To and Cc", "a:alice@example.org"},
    {FieldId::to_cc, "tocc", "tc", K::text, detail::kToCc, false, V::none, {}, detail::kToCcAddress,
     "To or Cc", "tc:alice"},
    {FieldId::subject, "subject", "s", K::text, detail::kSubject, false, V::none, {}, {},
     "decoded subject", "s:\"PATCH v2\""},
    {FieldId::body, "body", "b", K::text, detail::kBody, false, V::none, {}, {},
     "body text, quoted lines, diffs and text attachments", "b:\"undefined behavior\""},
    {FieldId::body_subject, "bodysubject", "bs", K::text, detail::kBodySubject, false, V::none, {}, {},
     "subject or body", "bs:mmap"},
    {FieldId::unquoted, "unquoted", "nq", K::text, detail::kUnquoted, false, V::none, {}, {},
     "body text outside quoted lines (what the message itself says)", "nq:\"undefined behavior\""},
    {FieldId::quoted, "quoted", "q", K::text, detail::kQuoted, false, V::none, {}, {},
     "quoted lines (\"> ...\") only", "q:\"undefined behavior\""},
    {FieldId::attachment, "attachment", "n", K::text, detail::kAttachment, false, V::none, {}, {},
     "attachment filenames; n:*.patch matches a suffix", "n:*.patch"},
    {FieldId::list, "list", "l", K::boolean, detail::kList, true, V::list, {}, {},
     "list id, or its first labels; repeated: any of the lists", "list:linux-man"},
    {FieldId::id, "id", "m mid", K::boolean, detail::kId, false, V::id, {}, {},
     "Message-ID, with or without <>", "id:<20240304.1234@example.org>"},
    {FieldId::mimetype, "mimetype", "", K::boolean, detail::kMime, false, V::lower, {}, {},
     "MIME type of any part", "mimetype:text/x-patch"},
    {FieldId::thread, "thread", "", K::boolean, detail::kThread, false, V::thread, {}, {},
     "thread id (as printed by search)", "thread:0000002a"},
    {FieldId::ref, "ref", "", K::boolean, detail::kRef, false, V::id, {}, {},
     "a Message-ID in In-Reply-To or References", "ref:20240304.1234@example.org"},
    {FieldId::date, "date", "d", K::range, {}, false, V::none, Slot::date, {},
     "date range A..B (the Date header)", "d:2024-01..2024-03"},
    {FieldId::datetime, "datetime", "dt", K::range, {}, false, V::none, Slot::date, {},
     "the same to the second: YYYYMMDDhhmmss", "dt:20240304091500.."},
    {FieldId::received, "received", "rt", K::range, {}, false, V::none, Slot::received, {},
     "date received (first Received: header, else Date)", "rt:2.weeks.ago.."},
    {FieldId::diff_name, "diffname", "dfn", K::text, detail::kDiffName, false, V::none, {}, {},
     "file paths in a diff, old and new, and their components", "dfn:Makefile"},
    {FieldId::diff_removed, "diffremoved", "dfa", K::text, detail::kDiffRemoved, false, V::none, {}, {},
     "removed (-) lines of a diff", "dfa:strcpy"},
    {FieldId::diff_added, "diffadded", "dfb", K::text, detail::kDiffAdded, false, V::none, {}, {},
     "added (+) lines of a diff", "dfb:strscpy"},
    {FieldId::diff_hunk, "diffhunk", "dfhh", K::text, detail::kDiffHunk, false, V::none, {}, {},
     "hunk header context (usually a function name)", "dfhh:main"},
    {FieldId::diff_context, "diffcontext", "dfctx", K::text, detail::kDiffContext, false, V::none, {}, {},
     "context lines of a diff", "dfctx:return"},
    {FieldId::diff_pre, "diffpre", "dfpre", K::boolean, detail::kDiffPre, false, V::blob, {}, {},
     "pre-image git blob id (7 hex digits or more)", "dfpre:d9a2f1e"},
    {FieldId::diff_post, "diffpost", "dfpost", K::boolean, detail::kDiffPost, false, V::blob, {}, {},
     "post-image git blob id", "dfpost:d9a2f1e"},
    {FieldId::diff_blob, "diffblob", "dfblob", K::boolean, detail::kDiffBlob, false, V::blob, {}, {},
     "pre- or post-image git blob id", "dfblob:d9a2f1e"},
    {FieldId::patch_id, "patchid", "", K::boolean, detail::kPatchId, false, V::hex, {}, {},
     "`git patch-id --stable` of the message's patch", "patchid:0123456789abcdef0123456789abcdef01234567"},
    {FieldId::tag, "tag", "", K::boolean, detail::kTag, false, V::tag, {}, {},
     "a tag of yours (listdex tag); repeated: all of them", "tag:todo", true},
    {FieldId::is, "is", "", K::boolean, detail::kTag, false, V::state, {}, {},
     "read, unread, followed (a thread you tagged followed or wrote in), or a tag", "is:unread", true},
}};

/// The field @p id (constant time: kFields is in FieldId order).
[[nodiscard]] constexpr const Field& field(FieldId id)
{
    return kFields[static_cast<size_t>(id)];
}

namespace detail {
constexpr bool fields_in_id_order()
{
    for (size_t i = 0; i < kFields.size(); ++i)
        if (static_cast<size_t>(kFields[i].id) != i)
            return false;
    return true;
}
/// Calls f(name) for a field's name and each alias.
template <class F> constexpr void for_each_name(const Field& field, F f)
{
    f(field.name);
    std::string_view rest = field.aliases;
    while (!rest.empty()) {
        const size_t space = rest.find(' ');
        f(rest.substr(0, space));
        rest = space == std::string_view::npos ? std::string_view{} : rest.substr(space + 1);
    }
}
constexpr bool names_unique()
{
    std::array<std::string_view, 64> seen{};
    size_t n = 0;
    bool ok = true;
    for (const Field& f : kFields)
        for_each_name(f, [&](std::string_view name) {
            for (size_t i = 0; i < n; ++i)
                ok = ok && seen[i] != name;
            ok = ok && !name.empty() && n < seen.size();
            if (n < seen.size())
                seen[n++] = name;
        });
    return ok;
}
constexpr bool prefixes_unique()
{
    for (size_t i = 0; i < kAllPrefixes.size(); ++i)
        for (size_t j = i + 1; j < kAllPrefixes.size(); ++j)
            if (kAllPrefixes[i] == kAllPrefixes[j])
                return false;
    return true;
}
/// Every field is consistent: text and boolean fields name prefixes, range
/// fields none; only boolean fields have a value form.
constexpr bool fields_consistent()
{
    for (const Field& f : kFields) {
        if ((f.kind == FieldKind::range) != f.prefixes.empty())
            return false;
        if ((f.kind == FieldKind::boolean) != (f.form != ValueForm::none))
            return false;
        if (f.what.empty() || f.example.empty())
            return false;
    }
    return true;
}
} // namespace detail

static_assert(detail::fields_in_id_order(), "kFields must list the fields in FieldId order");
static_assert(detail::names_unique(), "every field name and alias must be unique");
static_assert(detail::prefixes_unique(), "every term prefix must be unique");
static_assert(detail::fields_consistent(), "a field's kind, prefixes and value form must agree");

/// Longest tag name, in bytes.
inline constexpr size_t kMaxTagBytes = 200;
/// Why @p tag cannot be a tag name (empty, too long, not UTF-8, white space,
/// control characters, quotes, parentheses, '*', a leading '+' or '-'); nullopt
/// when it can. The rules keep every tag writable in a query and a dump.
[[nodiscard]] std::optional<std::string> tag_name_problem(std::string_view tag);

/// Looks a field up by the name or alias a user typed; nullptr when unknown.
[[nodiscard]] const Field* field_named(std::string_view name);

/// The term for a boolean @p value under @p prefix. Xapian terms are limited
/// to 245 bytes, so over-long values (absurd Message-IDs) are shortened and
/// made unique with a hash of the whole value.
[[nodiscard]] std::string term(std::string_view prefix, std::string_view value);

/// The month term of a message dated @p date (unix seconds, UTC):
/// XMONTH + YYYYMM, the year clamped to 0000..9999 so that the terms sort
/// as their months do (dates beyond share the first or last term; listings
/// sort within a month by the date value itself).
[[nodiscard]] std::string month_term(int64_t date);
/// The month of @p date as month_term has it: YYYYMM as a number.
[[nodiscard]] int month_of(int64_t date);

/// The common words: English function words and the words lists use most
/// (patch, kernel, signed, reviewed, ...). A phrase of two common words
/// matches a large part of an archive, and both words are in most messages,
/// so Xapian would read the positions of most of the index to answer it;
/// the import indexes such pairs as one term instead (gram_term). A phrase
/// with a rarer word is quick as it is: Xapian checks positions only where
/// the rarer word is. Sorted (checked below), lower case as the
/// TermGenerator writes words. Changing it changes the schema.
inline constexpr std::string_view kCommonWords[] = {
    "a", "about", "above", "actually", "after", "again", "against", "all", "already", "also", "always", "am",
    "an", "and", "another", "any", "are", "as", "at", "be", "because", "been", "before", "being", "below",
    "better", "between", "both", "but", "by", "can", "cannot", "case", "change", "changes", "code", "commit",
    "could", "did", "do", "does", "doesn't", "don't", "done", "down", "driver", "each", "either", "else",
    "even", "every", "example", "file", "files", "first", "fix", "following", "for", "from", "function", "get",
    "go", "good", "had", "has", "have", "he", "here", "how", "however", "i", "i'm", "if", "in", "instead",
    "into", "is", "isn't", "issue", "it", "it's", "its", "just", "kernel", "know", "last", "like", "line",
    "list", "look", "looks", "make", "many", "may", "maybe", "me", "memory", "might", "more", "most", "much",
    "must", "my", "need", "new", "next", "no", "not", "now", "of", "off", "on", "one", "only", "or", "other",
    "our", "out", "over", "patch", "patches", "please", "point", "problem", "really", "reported", "reviewed",
    "right", "same", "see", "series", "set", "should", "signed", "since", "so", "some", "something", "still",
    "such", "support", "sure", "test", "tested", "than", "thank", "thanks", "that", "that's", "the", "their",
    "them", "then", "there", "these", "they", "think", "this", "those", "though", "through", "time", "to",
    "too", "two", "under", "up", "us", "use", "used", "using", "value", "version", "very", "want", "was", "way",
    "we", "well", "were", "what", "when", "where", "whether", "which", "while", "who", "why", "will", "with",
    "without", "work", "would", "wrote", "yes", "yet", "you", "your"};
static_assert(std::ranges::is_sorted(kCommonWords), "kCommonWords must be sorted");

/// Whether @p word (without a prefix) is one of kCommonWords.
[[nodiscard]] bool is_common_word(std::string_view word);

/// Whether the positional word term @p term (a field prefix of capital
/// letters, then the word in lower case, as the TermGenerator writes it) can
/// be a half of a common gram: its word is common.
[[nodiscard]] bool in_grams(std::string_view term);

/// The common-gram term of two positional word terms: "XG" + @p first + " "
/// + the second's word, when both are of the same field and in_grams();
/// empty otherwise. The import adds it wherever the two are at adjacent
/// positions (DocumentBuilder), so a document has the gram exactly when the
/// phrase "first second" matches it; the query parser asks for the gram
/// instead of that phrase (query/PhraseGrams.hpp).
[[nodiscard]] std::string gram_term(std::string_view first, std::string_view second);

} // namespace listdex::schema
