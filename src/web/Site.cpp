// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "Site.hpp"

#include "listdex/base/CPtr.hpp"
#include "listdex/base/Text.hpp"

#include <libdeflate.h>
#include <new>
#include <zlib.h>

#include <algorithm>
#include <map>

namespace listdex::web {

int http_status(ExitCode code)
{
    switch (code) {
    case ExitCode::usage: return 400;
    case ExitCode::not_found: return 404;
    case ExitCode::too_slow:
    case ExitCode::no_index: return 503;
    default: return 500;
    }
}

// ------------------------------------------------------------ Catalog

const SiteList* Catalog::find(std::string_view name) const
{
    const std::string lower = ascii_lower(name);
    for (const auto& l : lists)
        if (l.summary.id == lower || (!l.short_name.empty() && l.short_name == lower))
            return &l;
    return nullptr;
}

std::string Scope::query(std::string_view q) const
{
    q = trim(q);
    if (!list)
        return q.empty() ? std::string("*") : std::string(q);
    const std::string filter = "list:" + list->summary.id;
    return q.empty() || q == "*" ? filter : filter + " (" + std::string(q) + ")";
}

// ------------------------------------------------------------ Site

Result<Readers*> Site::readers()
{
    // Worker threads live as long as the server, so their readers do too.
    thread_local std::unique_ptr<Readers> mine;
    thread_local const Site* owner = nullptr;
    if (!mine || owner != this) {
        auto s = Searcher::open(paths_);
        if (!s)
            return std::unexpected(s.error());
        auto r = IndexReader::open(paths_);
        if (!r)
            return std::unexpected(r.error());
        mine = std::make_unique<Readers>(Readers{std::move(*s), std::move(*r)});
        owner = this;
    } else {
        mine->searcher->refresh();
        mine->reader->refresh();
    }
    return mine.get();
}

Result<std::shared_ptr<const Catalog>> Site::catalog(Readers& r, bool latest)
{
    auto revision = r.searcher->revision();
    if (!revision)
        return std::unexpected(revision.error());
    bool stale = false, recent = false;
    std::shared_ptr<const Catalog> previous; // what a request answers from while a recount runs beside it
    {
        std::lock_guard lock(catalog_mutex_);
        if (catalog_ && catalog_->revision == *revision)
            return catalog_;
        previous = catalog_;
        stale = catalog_ && !latest;
        recent = std::chrono::steady_clock::now() - built_at_ < 9 * build_took_;
    }
    if (stale) {
        // With the list counts stored, recounting reads them (milliseconds):
        // done here, so that a page after a change shows it. While an import
        // runs they are not stored, and a recount is a pass over every
        // message (a second at a million messages): with every request
        // waiting for it, back to back, p99 went to 1.7 s. So that recount
        // runs beside the requests, which answer from the previous catalog,
        // and follows the last one only after nine times its duration; the
        // counts shown lag the import by that much.
        auto stored = r.searcher->lists_stored();
        if (!stored)
            return std::unexpected(stored.error());
        if (!*stored) {
            // `previous` was taken before the recount starts: on a small
            // index the recount can publish before this request would look
            // again.
            if (!recent)
                recount_in_background();
            return previous;
        }
    }
    std::unique_lock building(build_mutex_, std::try_to_lock);
    if (!building.owns_lock() && !latest) {
        {
            std::lock_guard lock(catalog_mutex_);
            if (catalog_)
                return catalog_;
        }
        building.lock(); // no catalog yet: wait for the first one
    }
    {
        std::lock_guard lock(catalog_mutex_);
        if (catalog_ && catalog_->revision == *revision)
            return catalog_;
    }
    return build_catalog(*r.searcher, *revision);
}

void Site::recount_in_background()
{
    bool idle = false;
    if (!recounting_.compare_exchange_strong(idle, true))
        return;
    // The previous recount cleared the flag as its last step: joining it
    // waits for nothing more than its return. (recount_mutex_: that step
    // may come before the worker that started it has stored the thread.)
    std::lock_guard lock(recount_mutex_);
    if (recount_.joinable())
        recount_.join();
    recount_ = std::jthread([this] {
        {
            std::lock_guard building(build_mutex_);
            // Its own readers (a worker's are not thread-safe), at the
            // latest commit. A failure leaves the previous catalog; the
            // next request tries again, and requests that must know the
            // latest (catalog(r, true)) report it.
            if (auto s = Searcher::open(paths_))
                if (auto revision = (*s)->revision())
                    (void)build_catalog(**s, *revision, true);
        }
        recounting_ = false;
    });
}

Result<std::shared_ptr<const Catalog>> Site::build_catalog(Searcher& s, std::string revision, bool with_date_order)
{
    const auto began = std::chrono::steady_clock::now();
    auto c = std::make_shared<Catalog>();
    c->revision = std::move(revision);
    c->latest_all = latest_all_;
    auto lists = s.lists();
    if (!lists)
        return std::unexpected(lists.error());
    std::map<std::string, unsigned> short_uses;
    for (auto& summary : *lists) {
        SiteList sl;
        sl.short_name = summary.id.substr(0, summary.id.find('.'));
        sl.summary = std::move(summary);
        ++short_uses[sl.short_name];
        c->lists.push_back(std::move(sl));
    }
    for (auto& l : c->lists)
        if (short_uses[l.short_name] > 1 || l.short_name == l.summary.id || l.short_name == "all")
            l.short_name.clear();
    auto months = s.months();
    if (!months)
        return std::unexpected(months.error());
    c->months = std::move(*months);
    for (const auto& m : c->months)
        c->messages += m.messages;
    if (with_date_order) // a failure is not kept: the first message page reads it again and reports it
        (void)c->date_order(s, "");
    std::lock_guard lock(catalog_mutex_);
    catalog_ = c;
    built_at_ = std::chrono::steady_clock::now();
    build_took_ = built_at_ - began;
    return std::shared_ptr<const Catalog>(c);
}

Result<std::shared_ptr<const Catalog>> Site::catalog_knowing(Readers& r, std::string_view name)
{
    auto c = catalog(r);
    if (!c || (*c)->find(name))
        return c;
    // Not in this catalog: a list the latest commit added waits for the
    // latest one; a name that is no list (a Message-ID in /ID) makes nobody
    // recount.
    auto a_list = r.searcher->names_a_list(name);
    if (!a_list)
        return std::unexpected(a_list.error());
    return *a_list ? catalog(r, true) : c;
}

const std::string& Catalog::home_page(const std::function<std::string()>& render) const
{
    std::call_once(home_once_, [&] { home_ = render(); });
    return home_;
}

Result<std::shared_ptr<const DateOrder>> Catalog::date_order(Searcher& searcher, const std::string& list) const
{
    return orders_.get(list, [&]() -> Result<std::shared_ptr<const DateOrder>> {
        std::shared_ptr<const DateOrder> previous;
        if (list.empty() && latest_all) {
            std::lock_guard lock(latest_all->mutex);
            previous = latest_all->order;
        }
        auto order = searcher.date_order(list, previous.get());
        if (order && list.empty() && latest_all) {
            std::lock_guard lock(latest_all->mutex);
            latest_all->order = *order;
        }
        return order;
    });
}

Error Site::public_error(Error e) const
{
    const std::string root = paths_.root.string();
    for (std::string* s : {&e.message, &e.hint}) {
        for (size_t at; !root.empty() && (at = s->find(root)) != std::string::npos;)
            s->replace(at, root.size(), "the archive");
    }
    return e;
}

// ------------------------------------------------------------ Exchange

std::string Exchange::base_url() const
{
    const std::string host = req.get_header_value("Host");
    // A Host header is the client's word: keep only what a host name holds.
    std::string safe;
    for (char c : host)
        if (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' || c == '[' || c == ']')
            safe += c;
    return "http://" + (safe.empty() ? std::string("localhost") : safe);
}

Readers* Exchange::readers()
{
    if (readers_)
        return readers_;
    auto r = site.readers();
    if (!r) {
        if (req.path.starts_with("/api/"))
            json_error(r.error());
        else
            error(r.error());
        return nullptr;
    }
    return readers_ = *r;
}

std::shared_ptr<const Catalog> Exchange::catalog()
{
    if (catalog_)
        return catalog_;
    Readers* r = readers();
    if (!r)
        return nullptr;
    auto c = site.catalog(*r);
    if (!c) {
        error(c.error());
        return nullptr;
    }
    catalog_ = *c;
    return catalog_;
}

std::optional<std::vector<StoredMessage>> Exchange::find(const std::string& id)
{
    Readers* r = readers();
    if (!r)
        return std::nullopt;
    auto found = r->reader->find(id);
    if (!found) {
        error(found.error());
        return std::nullopt;
    }
    if (scope.all())
        return std::move(*found);
    std::vector<StoredMessage> in_scope, elsewhere;
    for (auto& m : *found)
        (std::find(m.lists.begin(), m.lists.end(), scope.list->summary.id) != m.lists.end() ? in_scope : elsewhere)
            .push_back(std::move(m));
    if (!in_scope.empty())
        return in_scope;
    std::string where;
    for (const auto& m : elsewhere)
        for (const auto& l : m.lists)
            if (where.find(" " + l + ",") == std::string::npos)
                where += " " + l + ",";
    if (!where.empty())
        where.pop_back();
    not_found("message <" + id + "> is not in " + scope.list->summary.id,
              where.empty() ? "it is in the archive without a list: /all/" + url_encode(id) + "/"
                            : "it is in" + where + ": /LIST/" + url_encode(id) + "/ or /all/" + url_encode(id) + "/");
    return std::nullopt;
}

std::optional<ThreadView> Exchange::thread_of(const StoredMessage& m)
{
    auto view = readers()->searcher->thread(m.message_id);
    if (!view) {
        error(view.error(), {{}, scope.list_id()});
        return std::nullopt;
    }
    return std::move(*view);
}

std::optional<Exchange::Located> Exchange::locate()
{
    auto found = find(args.back());
    if (!found)
        return std::nullopt;
    auto view = thread_of(found->front());
    if (!view)
        return std::nullopt;
    return Located{std::move(*found), std::move(*view)};
}

Result<void> Exchange::scope_from_l()
{
    if (!has("l"))
        return {};
    auto r = site.readers();
    if (!r)
        return std::unexpected(r.error());
    auto c = site.catalog_knowing(**r, param("l"));
    if (!c)
        return std::unexpected(c.error());
    catalog_ = *c; // kept with the request: scope.list points into it
    scope.list = catalog_->find(param("l"));
    if (!scope.list)
        return fail(ExitCode::not_found, "no list " + param("l") + " in this archive", "the lists: /");
    return {};
}

void Exchange::html(int status, std::string body)
{
    res.status = status;
    res.set_content(std::move(body), kHtml);
}

void Exchange::text(int status, std::string body, const char* type)
{
    res.status = status;
    res.set_content(std::move(body), type);
}

void Exchange::json(int status, const nlohmann::ordered_json& j)
{
    res.status = status;
    res.set_content(j.dump(2) + "\n", kJson);
}

void Exchange::error(const Error& raw, const SearchBox& box)
{
    const Error e = site.public_error(raw);
    const int status = http_status(e.code);
    std::string main = "<h1>" + std::string(status == 404 ? "Not found" : "Error") + "</h1>\n"
                       "<p class=\"error\">" + escape(e.message) + "</p>\n";
    if (!e.hint.empty())
        main += "<p class=\"dim\">" + escape(e.hint) + "</p>\n";
    html(status, page(status == 404 ? "not found" : "error", main, box));
}

void Exchange::json_error(const Error& raw)
{
    const Error e = site.public_error(raw);
    json(http_status(e.code), {{"error", e.message}, {"hint", e.hint}});
}

void Exchange::not_found(std::string message, std::string hint)
{
    error({ExitCode::not_found, std::move(message), std::move(hint)});
}

void Exchange::redirect(const std::string& location)
{
    // Absolute, as public-inbox sends it: b4 builds its next URLs from it.
    const size_t q = req.target.find('?');
    const std::string url = base_url() + location + (q == std::string::npos ? std::string() : req.target.substr(q));
    res.status = 301;
    res.set_header("Location", url);
    res.set_content("Redirecting to " + url + "\n", kText);
}

// ------------------------------------------------------------ Gzip

struct Gzip::Impl {
    z_stream z{};
    std::string out;
    bool done = false;
    void run(int flush)
    {
        char buf[64 * 1024];
        do {
            z.next_out = reinterpret_cast<Bytef*>(buf);
            z.avail_out = sizeof buf;
            deflate(&z, flush);
            out.append(buf, sizeof buf - z.avail_out);
        } while (z.avail_out == 0);
    }
};

// Level 3, not zlib's default 6: on mail, 1.9 times as fast for 12% more
// bytes (linux-man: 80 against 41 MB/s).
constexpr int kGzipLevel = 3;

Gzip::Gzip() : impl_(std::make_unique<Impl>())
{
    deflateInit2(&impl_->z, kGzipLevel, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
}

Gzip::~Gzip()
{
    deflateEnd(&impl_->z);
}

void Gzip::add(std::string_view data)
{
    impl_->z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    impl_->z.avail_in = static_cast<uInt>(data.size());
    impl_->run(Z_NO_FLUSH);
}

std::string Gzip::finish()
{
    impl_->z.next_in = nullptr;
    impl_->z.avail_in = 0;
    impl_->run(Z_FINISH);
    return std::move(impl_->out);
}

// libdeflate at level 1: on mail faster than zlib at any level and smaller
// than zlib at 3 (a 4-message thread of 88 KB: 0.50 ms and 34.5 KB
// against 1.36 ms and 36.0 KB; linux-man: 162 against 80 MB/s, 5.75
// against 6.05 MB; zlib at 6, public-inbox's: 41 MB/s, 5.41 MB). Deflate
// was 47% of t.mbox.gz's CPU, the costliest page of a reader's.
std::string gzip_whole(std::string_view data)
{
    thread_local const CPtr<libdeflate_compressor, libdeflate_free_compressor> compressor(
        libdeflate_alloc_compressor(1));
    if (!compressor)
        throw std::bad_alloc();
    std::string out(libdeflate_gzip_compress_bound(compressor.get(), data.size()), '\0');
    const size_t n = libdeflate_gzip_compress(compressor.get(), data.data(), data.size(), out.data(), out.size());
    out.resize(n); // never 0: the bound is enough for any input
    return out;
}

} // namespace listdex::web
