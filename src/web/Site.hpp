// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file Site.hpp
/// What every request handler shares (the readers of its worker thread,
/// the index's lists cached per index revision, the options) and
/// Exchange, one request being answered, with the helpers that write
/// pages, errors and redirects. Private to the web layer.

#include "Html.hpp"
#include "OnceByKey.hpp"
#include "listdex/index/IndexReader.hpp"
#include "listdex/query/Searcher.hpp"
#include "listdex/web/Server.hpp"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace listdex::web {

inline constexpr const char* kHtml = "text/html; charset=utf-8";
inline constexpr const char* kJson = "application/json";
inline constexpr const char* kAtom = "application/atom+xml; charset=utf-8";
inline constexpr const char* kText = "text/plain; charset=utf-8";

/// What one worker thread reads the index with.
struct Readers {
    std::unique_ptr<Searcher> searcher;
    std::unique_ptr<IndexReader> reader;
};

/// A list as the web server shows it.
struct SiteList {
    ListSummary summary;             ///< with its messages per month
    std::string short_name;          ///< the id before its first dot, when no other list shares it; else ""
};

/// The newest order of every message by date any catalog read, shared by
/// the catalogs of every revision: the next one extends it with the
/// messages added since (Searcher::date_order) instead of reading a million
/// dates again after every commit of an import.
struct LatestDateOrder {
    std::mutex mutex;
    std::shared_ptr<const DateOrder> order; ///< guarded by mutex
};

/// The index's lists and messages per month, read once per index revision
/// (Searcher::revision) and shared by every worker: the counts an import
/// stored (Searcher::lists, months), so cheap even after every import.
struct Catalog {
    std::string revision;
    std::vector<SiteList> lists;     ///< by id
    std::vector<MonthCount> months;  ///< every message
    uint64_t messages = 0;
    /// The list named @p name in a URL (its id, or its unique short name);
    /// nullptr when there is none.
    [[nodiscard]] const SiteList* find(std::string_view name) const;
    /// The messages of list @p list ("" every list) by date, for a message
    /// page's older/newer links: read with @p searcher on first use (one
    /// pass over the list's dates; every list's extends latest_all) and
    /// kept for this revision. Read once: a worker asking while another
    /// reads it waits for that one. (Every worker reading it at once, 20 MB
    /// each at a million messages, stopped all pages for 150 ms after each
    /// recount during an import.) An error is not kept: the next request
    /// reads again.
    Result<std::shared_ptr<const DateOrder>> date_order(Searcher& searcher, const std::string& list) const;
    /// The home page (it shows only what this catalog holds): made by
    /// @p render on first use, then kept for this revision. @p render must
    /// not throw.
    const std::string& home_page(const std::function<std::string()>& render) const;

    /// The site's; set by the site when it builds the catalog.
    std::shared_ptr<LatestDateOrder> latest_all;

private:
    mutable std::once_flag home_once_;
    mutable std::string home_;
    mutable OnceByKey<std::shared_ptr<const DateOrder>> orders_; ///< by list
};

/// The lists a lore-style URL's first segment names: one list, or "all".
struct Scope {
    const SiteList* list = nullptr; ///< nullptr: every list
    [[nodiscard]] bool all() const { return list == nullptr; }
    /// As it appears in the URLs we write: the list id, or "all".
    [[nodiscard]] std::string name() const { return list ? list->summary.id : "all"; }
    /// "/NAME/", URL-encoded.
    [[nodiscard]] std::string url() const { return "/" + url_encode(name()) + "/"; }
    /// @p query limited to the scope ("*" or "" for everything in it).
    [[nodiscard]] std::string query(std::string_view query) const;
    /// The list id for SearchBox ("" for all).
    [[nodiscard]] std::string list_id() const { return list ? list->summary.id : std::string(); }
};

class Site {
public:
    Site(IndexPaths paths, ServeOptions options) : paths_(std::move(paths)), options_(std::move(options)) {}
    [[nodiscard]] const ServeOptions& options() const { return options_; }
    /// This thread's readers, brought to the index's latest commit.
    Result<Readers*> readers();
    /// The catalog at @p r's revision (recomputed when the index changed).
    /// Unless @p latest (a list name it does not know may be a list the
    /// latest commit added), an older revision's catalog is returned while
    /// it is recomputed: by this request when the index's list counts are
    /// stored (reading them is quick), else (an import runs: a recount is a
    /// pass over every message) by a thread of its own, at most once per
    /// nine times its last duration, so that no visitor waits for it.
    Result<std::shared_ptr<const Catalog>> catalog(Readers& r, bool latest = false);
    /// catalog(r), or the latest one when only that can know @p name (a
    /// list id or short name the index has): a URL naming a list just
    /// added finds it; a name that is no list costs no recount.
    Result<std::shared_ptr<const Catalog>> catalog_knowing(Readers& r, std::string_view name);
    /// @p e as a visitor may see it: the index folder (a server path) is
    /// replaced by "the archive".
    [[nodiscard]] Error public_error(Error e) const;

private:
    /// Reads the catalog with @p s, which is at @p revision, and makes it
    /// the current one; with @p with_date_order, also its order of every
    /// message first (a recount does: message pages then find it ready;
    /// the catalog is published also when that read fails).
    /// Callers hold build_mutex_, except a request that must have the
    /// latest catalog and found another build running.
    Result<std::shared_ptr<const Catalog>> build_catalog(Searcher& s, std::string revision,
                                                         bool with_date_order = false);
    /// Starts a recount on a thread of its own unless one runs.
    void recount_in_background();

    IndexPaths paths_;
    ServeOptions options_;
    std::mutex build_mutex_;   ///< held while a catalog is built
    std::mutex catalog_mutex_; ///< guards catalog_
    std::shared_ptr<const Catalog> catalog_;
    std::shared_ptr<LatestDateOrder> latest_all_ = std::make_shared<LatestDateOrder>();
    /// When the last build ended, and how long it took (catalog_mutex_).
    std::chrono::steady_clock::time_point built_at_{};
    std::chrono::steady_clock::duration build_took_{};
    std::atomic<bool> recounting_{false}; ///< a background recount runs
    std::mutex recount_mutex_;            ///< guards recount_
    std::jthread recount_;                ///< last: joined before the rest goes
};

/// One request being answered: the route's captures and helpers that
/// write the response. A helper that fails writes the error page itself
/// and returns nullptr / nullopt, so handlers just return.
struct Exchange {
    Site& site;
    const httplib::Request& req;
    httplib::Response& res;
    /// What the route's {...} parts matched, percent-decoded, in order.
    std::vector<std::string> args;
    /// The list named by a route's {list}, once resolved.
    Scope scope;
    /// The catalog, once read (dispatch reads it to resolve {list}).
    std::shared_ptr<const Catalog> catalog_;
    /// This thread's readers, once brought to the latest commit for this
    /// request (readers() does it at most once per request).
    Readers* readers_ = nullptr;

    /// A query parameter (or form field of a POST body); "" when absent.
    [[nodiscard]] std::string param(const char* name) const { return req.get_param_value(name); }
    [[nodiscard]] bool has(const char* name) const { return req.has_param(name); }
    /// "http://HOST" as the client addressed us (for Atom ids and links).
    [[nodiscard]] std::string base_url() const;

    /// This thread's readers at the latest commit (brought there once per
    /// request).
    Readers* readers();
    /// The lists of the index at the readers' revision.
    std::shared_ptr<const Catalog> catalog();
    /// The messages with Message-ID (or key) @p id in the scope's lists,
    /// oldest first. None: a 404 page (naming the lists that do hold the
    /// message, if any) and nullopt.
    std::optional<std::vector<StoredMessage>> find(const std::string& id);
    /// The whole thread of @p m.
    std::optional<ThreadView> thread_of(const StoredMessage& m);
    /// The messages named by the route's last capture ({id}) and their thread.
    struct Located {
        std::vector<StoredMessage> messages;
        ThreadView thread;
    };
    std::optional<Located> locate();
    /// The scope named by the ?l= parameter of listdex's own URLs (every
    /// list without one); fails (404) for an unknown list, writing nothing.
    Result<void> scope_from_l();

    void html(int status, std::string body);
    void text(int status, std::string body, const char* type = kText);
    void json(int status, const nlohmann::ordered_json& j);
    /// An HTML error page for @p e (status from its exit code).
    void error(const Error& e, const SearchBox& box = {});
    void json_error(const Error& e);
    void not_found(std::string message, std::string hint = {});
    /// 301 to @p location (a path; sent as an absolute URL), keeping the
    /// query string.
    void redirect(const std::string& location);
};

/// The HTTP status for an error's exit code.
[[nodiscard]] int http_status(ExitCode code);
/// gzip (RFC 1952) output built a piece at a time, with zlib (the search
/// download, streamed message by message); see gzip_whole.
class Gzip {
public:
    Gzip();
    ~Gzip();
    Gzip(const Gzip&) = delete;
    Gzip& operator=(const Gzip&) = delete;
    void add(std::string_view data);
    /// The whole compressed stream; the object is done after this.
    std::string finish();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// @p data as gzip (RFC 1952), compressed in one piece with libdeflate
/// (thread downloads: their text is in memory whole). Throws
/// std::bad_alloc when it cannot allocate.
[[nodiscard]] std::string gzip_whole(std::string_view data);

} // namespace listdex::web
