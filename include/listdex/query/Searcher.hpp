// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file Searcher.hpp
/// Queries over an index: the query language (QueryParser.hpp, built from
/// schema::kFields; see docs/query.md), message and thread listings,
/// counts and whole threads. Listings use stored values and stored body
/// text only: no raw message is parsed to print a result.
/// Not thread-safe: one Searcher per thread. Reopens the database when a
/// writer's commit invalidates what it reads.

#include "listdex/base/Error.hpp"
#include "listdex/index/IndexPaths.hpp"
#include "listdex/index/IndexReader.hpp"
#include "listdex/thread/ThreadTree.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace listdex {

enum class SortOrder { newest, oldest, relevance };

/// Who is reading: queries may then use the reader's own state (tag:,
/// is:read, is:unread, is:followed). A Searcher without one (the web
/// server) refuses those fields: the public archive has no reader.
struct ReaderState {
    /// The reader's own addresses (lower case): threads with a message from
    /// one of them are followed.
    std::vector<std::string> addresses;
};

struct SearchOptions {
    SortOrder sort = SortOrder::newest;
    uint64_t offset = 0;
    uint64_t limit = 0; ///< 0: no limit
    /// Seconds a search may take (0: no limit); a slower one fails with
    /// ExitCode::too_slow. Xapian stops counting exactly at the limit.
    double time_limit = 0;
    /// messages(): also fill MessageHit::stored (for raw bytes and mbox).
    bool with_raw = false;
    /// A date-sorted listing whose query Xapian expects to match at most
    /// this many messages is sorted in one Xapian run; a broader one walks
    /// the index by months (docs/architecture.md, Listings). The order is
    /// the same either way; tests set 0 to walk small indexes too.
    uint64_t sort_at_once_up_to = 20'000;
    /// A window of that walk takes months until it holds at least this many
    /// messages: a Xapian run's fixed cost is about what sorting 2,000
    /// matches costs (docs/architecture.md, Listings). Tests set 1 to walk
    /// a month at a time.
    uint64_t window_at_least = 2'000;
};

struct MessageHit {
    std::string id;         ///< key: Message-ID, or ID#HASH when shared
    std::string message_id;
    std::string thread;
    int64_t date = 0;
    std::string from;       ///< "Name <email>"
    std::string subject;
    std::vector<std::string> lists; ///< every list it came from
    std::string snippet;    ///< plain text around the matches
    /// Byte ranges (offset, length) of the query's words in the snippet.
    std::vector<std::pair<size_t, size_t>> highlights;
    /// Where its raw copy is; only with SearchOptions::with_raw.
    StoredMessage stored;
};

struct ThreadHit {
    std::string thread;
    /// The date the listing is ordered by: of its newest matching message
    /// (SortOrder::newest), oldest matching (oldest), or best match (relevance).
    int64_t date = 0;
    int64_t newest = 0, oldest = 0;   ///< of the whole thread
    uint64_t messages = 0;            ///< messages in the whole thread
    uint64_t matched = 0;             ///< messages of it that match (exact)
    std::vector<std::string> authors; ///< names (or addresses), oldest first, no repeats
    std::string subject;              ///< of the oldest message
    std::string first;                ///< Message-ID of the oldest message
};

/// How many messages match, and in how many threads.
struct MatchCounts {
    uint64_t messages = 0;
    uint64_t threads = 0;
};

/// One member of a thread as shown by `listdex thread`.
struct ThreadEntry {
    StoredMessage stored; ///< empty key for placeholders
    std::string message_id;
    std::string from, subject;
    int64_t date = 0;
    bool missing = false; ///< a placeholder: referenced, not in the index
    bool parent_by_subject = false; ///< its parent link was inferred from the subject
};

/// Messages of one month (UTC).
struct MonthCount {
    int year = 0;
    int month = 0; ///< 1..12
    uint64_t messages = 0;
};

/// A mailing list in the index.
struct ListSummary {
    std::string id;      ///< list id, lower case
    uint64_t messages = 0;
    uint64_t threads = 0; ///< threads with at least one message of the list
    int64_t oldest = 0;  ///< date of its oldest message
    int64_t newest = 0;  ///< date of its newest message
    std::vector<MonthCount> months; ///< its messages per month, oldest first (months without any left out)
    std::optional<unsigned> shard;  ///< the shard its messages go to, when the index places them by list
};

/// A message as a link to it shows it: the message page's older and newer links.
struct MessageLink {
    std::string id; ///< key: Message-ID, or ID#HASH when shared (as MessageHit::id)
    int64_t date = 0;
    std::string subject;
};

/// The messages right before and after one message in date order.
struct Neighbours {
    std::optional<MessageLink> before, after;
};

/// The messages of one list (or of the whole index) in date order, read
/// from the date values in one pass, so that a message's neighbours by date
/// are a binary search instead of a sort of the list. Holds document
/// numbers: valid for the index revision it was built at (a web server
/// keeps one per list and revision). Messages of the same second keep
/// document order. Immutable, so threads may share it.
class DateOrder {
    friend class Searcher;
    std::vector<std::pair<int64_t, uint32_t>> entries_; ///< (date, document), sorted
    std::string list_;                                  ///< "" every message
    /// Each shard's UUID and last document when it was built (empty with
    /// remote shards): what a later order of every message extends.
    std::vector<std::pair<std::string, uint32_t>> ends_;
};

/// One message handed over by Searcher::export_matches.
struct ExportedMessage {
    std::string key;  ///< as StoredMessage::key
    std::string from; ///< "Name <email>"
    int64_t date = 0;
    StoredMessage stored; ///< for Searcher::raw
};

struct ThreadView {
    std::string thread;
    std::string requested_alias; ///< the old id asked for, when it was merged into `thread`
    std::vector<ThreadEntry> entries;
    std::vector<ThreadTreeNode> forest; ///< indexes into entries
};

/// @p v's entries in tree order (each message before its replies),
/// placeholders included. The pointers point into @p v.
[[nodiscard]] std::vector<const ThreadEntry*> tree_order(const ThreadView& v);

class Searcher {
public:
    static Result<std::unique_ptr<Searcher>> open(const IndexPaths& paths);
    ~Searcher();
    Searcher(const Searcher&) = delete;
    Searcher& operator=(const Searcher&) = delete;

    /// The exact number of messages (or threads) matching @p query. Invalid
    /// queries fail with ExitCode::usage and a one-line message saying what
    /// is wrong.
    Result<uint64_t> count(std::string_view query, bool threads);
    /// Both exact counts of @p query in one pass over its matches.
    Result<MatchCounts> match_counts(std::string_view query);
    Result<std::vector<MessageHit>> messages(std::string_view query, const SearchOptions& opt);
    /// Threads with a matching message, ordered by their newest (or oldest)
    /// matching message, or by best relevance.
    Result<std::vector<ThreadHit>> threads(std::string_view query, const SearchOptions& opt);
    /// A whole thread, named by a thread id ("thread:0000002a", or a
    /// merged-away old id) or by the Message-ID of any message in it.
    Result<ThreadView> thread(std::string_view id);
    /// Every message with Message-ID @p id ("<a@b>", "a@b", "id:a@b"), or
    /// the one message named by a "a@b#hash" key; sorted by date, with
    /// their tags. Fails with ExitCode::not_found when there is none.
    Result<std::vector<StoredMessage>> find(std::string_view id);
    /// The raw bytes of a message (for mbox export, show --raw).
    Result<std::string> raw(const StoredMessage& m);
    /// @p m as the import decoded it (its stored record, ParsedRecord.hpp),
    /// without GMime; nullopt when it has no record of this version (then
    /// only IndexReader::parse, which parses the raw copy, can decode it).
    std::optional<ParsedMessage> stored_parse(const StoredMessage& m);
    /// @p v's messages, tree order, as an mboxrd file (placeholders
    /// skipped); each after @p from_line when given (public-inbox's fixed
    /// one), else after a From_ line with its sender and date.
    Result<std::string> thread_mboxrd(const ThreadView& v, std::string_view from_line = {});
    /// Every list in the index, by id: the counts the last import stored,
    /// or, when a change since cleared them, counted now (one pass over the
    /// list, date and thread values of every message).
    Result<std::vector<ListSummary>> lists();
    /// Whether lists() reads stored counts (cheap) rather than counting:
    /// false while an import runs.
    Result<bool> lists_stored();
    /// Every message of the index per month, oldest first: cheap (the
    /// month terms' frequencies; a cross-posted message counts once).
    Result<std::vector<MonthCount>> months();
    /// The ids of the lists in the index, sorted: one walk over the list
    /// terms, which passes every chunk of their posting lists (milliseconds
    /// at a million messages).
    Result<std::vector<std::string>> list_ids();
    /// Whether @p name (any case) is the id of a list in the index or its
    /// first labels (a short name: linux-man for linux-man.vger.kernel.org),
    /// as the web's catalog finds lists. Two term lookups.
    Result<bool> names_a_list(std::string_view name);
    /// The messages of list @p list ("" for every message) in date order:
    /// one pass over the list's date values, no document read. With
    /// @p previous, an order of every message built at an earlier revision
    /// of the same shards (no compaction since), the order of every message
    /// is that one with the messages added since merged in: at a million
    /// messages a few milliseconds instead of half a second after every
    /// commit of an import. Messages are only ever added with new document
    /// numbers; one removed since stays in it, and neighbours steps over it.
    /// A list's order is always read afresh (a cross-post adds a list to a
    /// message already there).
    Result<std::shared_ptr<const DateOrder>> date_order(std::string_view list, const DateOrder* previous = nullptr);
    /// The messages before and after @p m in @p order (built by
    /// date_order at this index's revision; a message removed since is
    /// stepped over). Both empty when @p m is not in @p order.
    Result<Neighbours> neighbours(const DateOrder& order, const StoredMessage& m);
    /// Every message matching @p query in @p opt's order (limit and offset
    /// apply to the matches), or with @p whole_threads every message of the
    /// threads holding a match, each thread once, in tree order. Calls
    /// @p each for every message and stops at its first error, which it
    /// returns; else the number of messages handed over.
    Result<uint64_t> export_matches(std::string_view query, SearchOptions opt, bool whole_threads,
                                    const std::function<Result<void>(const ExportedMessage&)>& each);
    /// A token that changes whenever a commit changes which messages the
    /// index holds or their lists (for caches of lists and months).
    Result<std::string> revision();
    /// Brings the index to its latest commit. Long-lived readers (the web
    /// server) call it before each request to see new messages.
    void refresh();
    /// Lets queries use @p reader's state (see ReaderState).
    void set_reader(ReaderState reader);

private:
    Searcher();
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace listdex
