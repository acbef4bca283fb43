#pragma once
/// @file Schema.hpp
/// The one place that declares how messages live in Xapian: every term
/// prefix, value slot and document-data field. The indexer and the
/// QueryParser (query/Searcher.cpp) are built from these tables;
/// docs/schema.md mirrors this file. Bump kSchemaVersion on any change that
/// makes an existing index unreadable or wrong.
///
/// Document layout (one Xapian document per distinct message content):
/// Two kinds of documents: messages, and ghosts (placeholders for messages
/// that are referenced but not in the index; they carry only XMID, G,
/// XKINDghost and the thread/parent values, and data "ghost").
///
///   terms   Q<hash>            128-bit content hash of every copy stored as this
///                              message (de-duplication; one per copy)
///           XSAME<key>         unique: hash of Message-ID, Date and sender: copies
///                              of one message (cross-posts) share it
///           XSUBJ<subject>     normalised subject (subject threading)
///           XKINDmail|ghost    document kind; searches are filtered to mail
///           G<thread>          thread id (8+ hex digits)
///           XMID<message-id>   exact Message-ID (several documents may share one)
///           XREF<message-id>   every id in In-Reply-To and References
///           XLIST<list-id>     every mailing list it came from, lower case
///           XMIME<type>        every MIME type in the message, lower case
///           A, XTO, XCC, S     free text of From, To, Cc, Subject
///           XFA, XTA, XCA      exact From, To, Cc addresses, lower case
///           XATT               free text of attachment filenames
///           (no prefix)        body text, forwarded messages, text attachments
///           (free text: English stems only, with positions: STEM_ALL;
///           quoted body lines "> ..." without positions)
///   values  see Slot
///   data    "<schema> <raw block> <raw index> <flags> <text block> <text index>"
///           (see DocData); "ghost" for ghosts

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace listdex::schema {

inline constexpr int kSchemaVersion = 6;
/// Xapian metadata key holding kSchemaVersion in every shard.
inline constexpr std::string_view kSchemaKey = "listdex:schema";
/// Xapian metadata key: bytes of the raw store covered by the last commit.
inline constexpr std::string_view kRawSizeKey = "listdex:raw-size";
/// Xapian metadata key: bytes of the text store covered by the last commit.
inline constexpr std::string_view kTextSizeKey = "listdex:text-size";
/// Xapian metadata key: the last thread id handed out.
inline constexpr std::string_view kLastThreadKey = "listdex:last-thread";
/// Xapian metadata key prefix: "listdex:alias:<old thread>" = the thread it
/// was merged into. This key and kLastThreadKey live in shard 0 only.
inline constexpr std::string_view kAliasKeyPrefix = "listdex:alias:";

/// Xapian metadata key prefix: "listdex:git:<hash of a repository's path>" =
/// "<commit> <path>", the newest commit of a public-inbox repository whose
/// messages are all in the index (shard 0).
inline constexpr std::string_view kGitPositionPrefix = "listdex:git:";

/// Document kinds: the terms marking messages and ghosts.
inline constexpr std::string_view kKindMail = "XKINDmail";
inline constexpr std::string_view kKindGhost = "XKINDghost";
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
};

/// Bits of the document-data flags field.
enum Flag : uint32_t {
    date_from_envelope = 1u << 0,   ///< Date header missing/broken; mbox From_ line date used
    date_from_order = 1u << 1,      ///< no usable date at all; previous message's date used
    damaged = 1u << 2,              ///< imported with decoding problems
    synthetic_id = 1u << 3,         ///< no Message-ID; id derived from content
    recovered = 1u << 4,            ///< had lost every line break; rebuilt when decoded
    parent_by_subject = 1u << 5,    ///< no In-Reply-To/References: parent inferred from the subject
};

enum class FieldKind {
    text,    ///< probabilistic, positional, stemmed (TermGenerator)
    boolean, ///< exact terms, filter only
    range,   ///< a value slot queried with a RangeProcessor
};

struct Field {
    std::string_view name;    ///< query prefix users type ("from")
    std::string_view prefix;  ///< Xapian term prefix ("A"); "" for body text
    FieldKind kind;
    std::string_view aliases; ///< space-separated short names (public-inbox style)
    std::optional<Slot> slot; ///< for range fields
    std::string_view what;    ///< one line for docs and `listdex help search`
    /// Address fields: prefix of the exact-address terms. A query value
    /// that is a whole address (from:ann@example.org) matches this one term
    /// instead of a phrase of address words: exact, and much faster.
    std::string_view address_prefix = {};
};

inline constexpr std::array<Field, 12> kFields{{
    {"from", "A", FieldKind::text, "f", {}, "sender name and address", "XFA"},
    {"to", "XTO", FieldKind::text, "t", {}, "To: names and addresses", "XTA"},
    {"cc", "XCC", FieldKind::text, "c", {}, "Cc: names and addresses", "XCA"},
    {"subject", "S", FieldKind::text, "s", {}, "decoded subject"},
    {"body", "", FieldKind::text, "b", {}, "decoded body text"},
    {"attachment", "XATT", FieldKind::text, "n", {}, "attachment filenames"},
    {"list", "XLIST", FieldKind::boolean, "l", {}, "list id (List-Id, X-Mailing-List, Mailing-List)"},
    {"id", "XMID", FieldKind::boolean, "m mid", {}, "Message-ID"},
    {"mimetype", "XMIME", FieldKind::boolean, "", {}, "MIME type of any part"},
    {"thread", "G", FieldKind::boolean, "", {}, "thread id (as printed by search)"},
    {"ref", "XREF", FieldKind::boolean, "", {}, "a Message-ID in In-Reply-To or References"},
    {"date", "", FieldKind::range, "d", Slot::date, "date range A..B"},
}};

/// Content-hash term prefix (internal, not a query field).
inline constexpr std::string_view kHashPrefix = "Q";
/// Same-message term prefix (internal): see the layout above.
inline constexpr std::string_view kSamePrefix = "XSAME";
/// Normalised-subject term prefix (internal): see the layout above.
inline constexpr std::string_view kSubjectPrefix = "XSUBJ";

/// Looks a field up by name; nullptr when unknown.
[[nodiscard]] const Field* field(std::string_view name);

/// The term for a boolean @p value under @p prefix. Xapian terms are limited
/// to 245 bytes, so over-long values (absurd Message-IDs) are shortened and
/// made unique with a hash of the whole value.
[[nodiscard]] std::string term(std::string_view prefix, std::string_view value);

} // namespace listdex::schema
