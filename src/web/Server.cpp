#include "listdex/web/Server.hpp"

#include "Html.hpp"
#include "listdex/base/Text.hpp"
#include "listdex/base/Time.hpp"
#include "listdex/index/IndexReader.hpp"
#include "listdex/query/Json.hpp"
#include "listdex/query/Searcher.hpp"

#include <httplib.h>
#include <zlib.h>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <regex>
#include <thread>

namespace listdex::web {

namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kHtml = "text/html; charset=utf-8";
constexpr const char* kJson = "application/json";
constexpr const char* kAtom = "application/atom+xml; charset=utf-8";

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

/// gzip (RFC 1952) of @p data, for the thread mbox download.
std::string gzip(std::string_view data)
{
    z_stream z{};
    if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return {};
    std::string out(deflateBound(&z, data.size()), '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = static_cast<uInt>(data.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    deflate(&z, Z_FINISH);
    out.resize(z.total_out);
    deflateEnd(&z);
    return out;
}

/// What one request thread reads the index with.
struct Readers {
    std::unique_ptr<Searcher> searcher;
    std::unique_ptr<IndexReader> reader;
};

class App {
public:
    App(IndexPaths paths, ServeOptions opt) : paths_(std::move(paths)), opt_(std::move(opt)) {}

    /// This thread's readers, at the index's latest commit.
    Result<Readers*> readers()
    {
        thread_local std::unique_ptr<Readers> mine;
        thread_local const App* owner = nullptr;
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

    void routes(httplib::Server& svr);

private:
    // ------------------------------------------------------------ helpers
    static void html(httplib::Response& res, int status, std::string body)
    {
        res.status = status;
        res.set_content(std::move(body), kHtml);
    }

    static void error_page(httplib::Response& res, const Error& e, std::string_view query = {})
    {
        std::string main = "<h1>" + escape(http_status(e.code) == 404 ? "Not found" : "Error") + "</h1>\n"
                           "<p class=\"error\">" + escape(e.message) + "</p>\n";
        if (!e.hint.empty())
            main += "<p class=\"dim\">" + escape(e.hint) + "</p>\n";
        html(res, http_status(e.code), page("error", main, query));
    }

    static void json_reply(httplib::Response& res, int status, const nlohmann::ordered_json& j)
    {
        res.status = status;
        res.set_content(j.dump(2) + "\n", kJson);
    }

    static void json_error(httplib::Response& res, const Error& e)
    {
        json_reply(res, http_status(e.code), {{"error", e.message}, {"hint", e.hint}});
    }

    /// Page size and offset from ?n= and ?page= (1-based).
    SearchOptions paging(const httplib::Request& req) const
    {
        SearchOptions o;
        o.limit = opt_.page_size;
        if (req.has_param("n"))
            o.limit = std::clamp<uint64_t>(parse_number<uint64_t>(req.get_param_value("n")).value_or(opt_.page_size), 1,
                                           opt_.max_page_size);
        const uint64_t page_no =
            std::clamp<uint64_t>(parse_number<uint64_t>(req.get_param_value("page")).value_or(1), 1, 1000000);
        o.offset = (page_no - 1) * o.limit;
        o.time_limit = opt_.search_seconds;
        if (req.get_param_value("sort") == "oldest")
            o.sort = SortOrder::oldest;
        else if (req.get_param_value("sort") == "relevance")
            o.sort = SortOrder::relevance;
        return o;
    }

    /// The query of a /search request: q, scoped to list l when given.
    static Result<std::string> query_of(const httplib::Request& req)
    {
        std::string q(trim(req.get_param_value("q")));
        const std::string list = req.get_param_value("l");
        if (list.empty())
            return q;
        static const std::regex list_id("[A-Za-z0-9._+-]+");
        if (!std::regex_match(list, list_id))
            return fail(ExitCode::usage, "l: '" + list + "' is not a list id");
        return "list:" + list + (q.empty() || q == "*" ? "" : " (" + q + ")");
    }

    static std::string base_url(const httplib::Request& req)
    {
        const std::string host = req.get_header_value("Host");
        return "http://" + (host.empty() ? std::string("localhost") : host);
    }

    static std::string pages_nav(const httplib::Request& req, const SearchOptions& o, size_t shown)
    {
        const uint64_t page_no = o.offset / o.limit + 1;
        auto link = [&](uint64_t p, const char* label) {
            std::string url = req.path + "?";
            for (const auto& [k, v] : req.params)
                if (k != "page")
                    url += url_encode(k) + "=" + url_encode(v) + "&";
            return "<a href=\"" + escape(url + "page=" + std::to_string(p)) + "\">" + label + "</a>";
        };
        std::string out = "<nav class=\"pages\">";
        if (page_no > 1)
            out += link(page_no - 1, "← newer");
        if (shown == o.limit)
            out += link(page_no + 1, "older →");
        return out + "</nav>\n";
    }

    static std::string thread_list_html(const std::vector<ThreadHit>& hits)
    {
        std::string out = "<ol class=\"results\">\n";
        for (const auto& t : hits) {
            std::string authors;
            for (size_t i = 0; i < t.authors.size() && i < 4; ++i)
                authors += (i ? ", " : "") + t.authors[i];
            if (t.authors.size() > 4)
                authors += ", …";
            out += "<li><a class=\"subject\" href=\"/t/thread:" + url_encode(t.thread) + "\">" +
                   escape(t.subject.empty() ? "(no subject)" : t.subject) + "</a><div class=\"meta\">" +
                   escape(short_date(t.date)) + " · " + std::to_string(t.matched) + "/" +
                   std::to_string(t.messages) + " messages · " + escape(authors) + "</div></li>\n";
        }
        return out + "</ol>\n";
    }

    static std::string message_list_html(const std::vector<MessageHit>& hits)
    {
        std::string out = "<ol class=\"results\">\n";
        for (const auto& m : hits)
            out += "<li><a class=\"subject\" href=\"/m/" + url_encode(m.id) + "\">" +
                   escape(m.subject.empty() ? "(no subject)" : m.subject) + "</a><div class=\"meta\">" +
                   escape(short_date(m.date)) + " · " + escape(m.from) + "</div><p class=\"snippet\">" +
                   highlighted(m.snippet, m.highlights) + "</p></li>\n";
        return out + "</ol>\n";
    }

    static std::string message_html(const StoredMessage& m, const ParsedMessage& pm, bool heading)
    {
        auto join = [](const std::vector<Address>& list) {
            std::string out;
            for (const auto& a : list)
                out += (out.empty() ? "" : ", ") + a.display();
            return out;
        };
        const std::string key = url_encode(m.key);
        std::string out = "<article class=\"message\" id=\"m-" + escape(m.key) + "\">\n";
        if (heading)
            out += "<h1>" + escape(pm.subject.empty() ? "(no subject)" : pm.subject) + "</h1>\n";
        else
            out += "<h2><a href=\"/m/" + key + "\">" + escape(pm.subject.empty() ? "(no subject)" : pm.subject) +
                   "</a></h2>\n";
        out += "<table class=\"headers\">\n";
        auto row = [&](const char* name, const std::string& value) {
            if (!value.empty())
                out += std::string("<tr><th>") + name + "</th><td>" + escape(value) + "</td></tr>\n";
        };
        row("From", join(pm.from));
        row("To", join(pm.to));
        row("Cc", join(pm.cc));
        row("Date", format_iso8601(m.date));
        row("Subject", pm.subject);
        std::string lists;
        for (const auto& l : m.lists)
            lists += (lists.empty() ? "" : ", ") + l;
        row(m.lists.size() > 1 ? "Lists" : "List", lists);
        row("Message-ID", "<" + m.message_id + ">");
        if (pm.recovered)
            row("Recovered", "line breaks were lost; header fields and body rebuilt (raw shows the original)");
        for (const auto& p : pm.problems)
            row("Problem", p);
        out += "</table>\n<nav class=\"links\"><a href=\"/t/" + key + "\">thread</a>";
        std::string parent = !pm.in_reply_to.empty() ? pm.in_reply_to.front()
                             : !pm.references.empty() ? pm.references.back()
                                                      : std::string();
        if (!parent.empty())
            out += "<a href=\"/m/" + url_encode(parent) + "\" rel=\"prev\">parent</a>";
        out += "<a href=\"/m/" + key + "/raw\">raw</a></nav>\n<pre class=\"body\">" + body_html(pm.body) + "</pre>\n";
        if (!pm.attachments.empty()) {
            out += "<ul class=\"attachments\">\n";
            for (const auto& a : pm.attachments) {
                const std::string name = a.filename.empty() ? "part-" + std::to_string(a.part) : a.filename;
                std::string url_name = name; // cosmetic in the URL; a '/' would end the route's last segment
                std::replace(url_name.begin(), url_name.end(), '/', '_');
                out += "<li><a href=\"/m/" + key + "/" + std::to_string(a.part) + "/" + url_encode(url_name) + "\">" +
                       escape(name) + "</a> <span class=\"dim\">" + escape(a.mime_type) + ", " +
                       std::to_string(a.size) + " bytes</span></li>\n";
            }
            out += "</ul>\n";
        }
        return out + "</article>\n";
    }

    static std::string tree_html(const ThreadView& v, const ThreadTreeNode& n)
    {
        const ThreadEntry& e = v.entries[n.member];
        std::string out;
        if (e.missing)
            out = "<li class=\"missing\"><span>[not in the archive] &lt;" + escape(e.message_id) + "&gt;</span>";
        else
            out = "<li><a href=\"/m/" + url_encode(e.stored.key) + "\">" +
                  escape(e.subject.empty() ? "(no subject)" : e.subject) + "</a> <span class=\"meta\">" +
                  escape(e.from) + " · " + escape(short_date(e.date)) +
                  (e.parent_by_subject ? " · <i title=\"no In-Reply-To or References: placed by its subject\">"
                                         "linked by subject</i>"
                                       : "") +
                  "</span>";
        if (!n.children.empty()) {
            out += "\n<ul>\n";
            for (const auto& c : n.children)
                out += tree_html(v, c);
            out += "</ul>";
        }
        return out + "</li>\n";
    }

    // ------------------------------------------------------------ pages
    void home(const httplib::Request&, httplib::Response& res)
    {
        auto r = readers();
        if (!r)
            return error_page(res, r.error());
        auto lists = (*r)->searcher->lists();
        if (!lists)
            return error_page(res, lists.error());
        auto total = (*r)->reader->message_count();
        std::string main = "<h1>Lists</h1>\n<p class=\"dim\">" + std::to_string(total ? *total : 0) +
                           " messages in this archive · <a href=\"/search?q=*\">all, newest first</a></p>\n";
        main += "<table class=\"lists\">\n<tr><th>list</th><th>messages</th><th>threads</th><th>first</th>"
                "<th>latest</th></tr>\n";
        for (const auto& l : *lists)
            main += "<tr><td><a href=\"/" + url_encode(l.id) + "/\">" + escape(l.id) + "</a></td><td>" +
                    std::to_string(l.messages) + "</td><td>" + std::to_string(l.threads) + "</td><td>" +
                    escape(short_date(l.oldest)) + "</td><td>" + escape(short_date(l.newest)) + "</td></tr>\n";
        html(res, 200, page("lists", main + "</table>\n"));
    }

    void list_page(const httplib::Request& req, httplib::Response& res, const std::string& list)
    {
        auto r = readers();
        if (!r)
            return error_page(res, r.error());
        const SearchOptions o = paging(req);
        auto hits = (*r)->searcher->threads("list:" + list, o);
        if (!hits)
            return error_page(res, hits.error());
        if (hits->empty() && o.offset == 0)
            return error_page(res, {ExitCode::not_found, "no list " + list + " in this archive", {}});
        std::string main = "<h1>" + escape(list) + "</h1>\n<p class=\"dim\"><a href=\"/search?l=" + url_encode(list) +
                           "&amp;q=*&amp;o=messages\">messages</a> · <a href=\"/" + url_encode(list) +
                           "/new.atom\">Atom feed</a></p>\n" + thread_list_html(*hits) +
                           pages_nav(req, o, hits->size());
        html(res, 200, page(list, main));
    }

    void search(const httplib::Request& req, httplib::Response& res)
    {
        const std::string shown_q = req.get_param_value("q");
        if (trim(shown_q).empty())
            return html(res, 200, page("search", "<h1>Search</h1>\n<p>Words, \"phrases\", from:, to:, subject:, "
                                                 "list:, date:2024-01..2024-03, AND, OR, NOT: see the query "
                                                 "language in docs/query.md.</p>\n"));
        auto q = query_of(req);
        if (!q)
            return error_page(res, q.error(), shown_q);
        auto r = readers();
        if (!r)
            return error_page(res, r.error(), shown_q);
        const SearchOptions o = paging(req);
        const bool messages = req.get_param_value("o") == "messages";
        std::string list_html;
        size_t shown = 0;
        if (messages) {
            auto hits = (*r)->searcher->messages(*q, o);
            if (!hits)
                return error_page(res, hits.error(), shown_q);
            list_html = message_list_html(*hits);
            shown = hits->size();
        } else {
            auto hits = (*r)->searcher->threads(*q, o);
            if (!hits)
                return error_page(res, hits.error(), shown_q);
            list_html = thread_list_html(*hits);
            shown = hits->size();
        }
        auto count = (*r)->searcher->count(*q, !messages);
        if (!count)
            return error_page(res, count.error(), shown_q);
        std::string other = "/search?q=" + url_encode(shown_q) +
                            (req.has_param("l") ? "&l=" + url_encode(req.get_param_value("l")) : "") +
                            (messages ? "" : "&o=messages");
        std::string main = "<h1>" + escape(shown_q) + "</h1>\n<p class=\"dim\">" +
                           std::to_string(*count) + (messages ? " messages" : " threads") +
                           " · <a href=\"" + escape(other) + "\">" + (messages ? "as threads" : "as messages") +
                           "</a> · <a href=\"/search.atom?q=" + url_encode(*q) + "\">Atom feed</a></p>\n";
        if (shown == 0)
            main += "<p>Nothing matches.</p>\n";
        html(res, 200, page(shown_q, main + list_html + pages_nav(req, o, shown), shown_q));
    }

    void atom(const httplib::Request& req, httplib::Response& res, const std::string& query, const std::string& title)
    {
        auto r = readers();
        if (!r)
            return error_page(res, r.error());
        SearchOptions o;
        o.limit = opt_.page_size;
        o.time_limit = opt_.search_seconds;
        auto hits = (*r)->searcher->messages(query, o);
        if (!hits)
            return error_page(res, hits.error());
        const std::string base = base_url(req);
        std::vector<AtomEntry> entries;
        for (const auto& m : *hits)
            entries.push_back({base + "/m/" + url_encode(m.id), m.subject, m.from, m.date, m.snippet});
        res.set_content(atom_feed(base + req.path + (req.params.empty() ? "" : "?q=" + url_encode(query)), title,
                                  hits->empty() ? 0 : hits->front().date, entries),
                        kAtom);
    }

    /// The messages named by a /m/ key, or an error page.
    std::optional<std::vector<StoredMessage>> find(Readers& r, const std::string& id, httplib::Response& res)
    {
        auto found = r.reader->find(id);
        if (!found) {
            error_page(res, found.error());
            return std::nullopt;
        }
        return std::move(*found);
    }

    void message(httplib::Response& res, Readers& r, const std::string& id)
    {
        auto found = find(r, id, res);
        if (!found)
            return;
        std::string main;
        std::string title;
        for (const auto& m : *found) {
            auto pm = r.reader->parse(m);
            if (!pm)
                return error_page(res, pm.error());
            if (title.empty())
                title = pm->subject.empty() ? "(no subject)" : pm->subject;
            main += message_html(m, *pm, found->size() == 1);
        }
        if (found->size() > 1)
            main = "<h1>" + escape(title) + "</h1>\n<p class=\"dim\">" + std::to_string(found->size()) +
                   " different messages share this Message-ID.</p>\n" + main;
        html(res, 200, page(title, main));
    }

    void raw(httplib::Response& res, Readers& r, const std::string& id)
    {
        auto found = find(r, id, res);
        if (!found)
            return;
        auto bytes = r.reader->raw(found->front());
        if (!bytes)
            return error_page(res, bytes.error());
        res.set_content(std::move(*bytes), "text/plain; charset=utf-8");
    }

    void attachment(httplib::Response& res, Readers& r, const std::string& id, unsigned part)
    {
        auto found = find(r, id, res);
        if (!found)
            return;
        auto pm = r.reader->parse(found->front());
        if (!pm)
            return error_page(res, pm.error());
        auto a = std::find_if(pm->attachments.begin(), pm->attachments.end(),
                              [&](const Attachment& x) { return x.part == part; });
        if (a == pm->attachments.end())
            return error_page(res, {ExitCode::not_found, "message <" + id + "> has no attachment " +
                                                             std::to_string(part), {}});
        auto bytes = r.reader->attachment(found->front(), part);
        if (!bytes)
            return error_page(res, bytes.error());
        // Never a type a browser would run or render as a page.
        static const std::vector<std::string> safe{"image/png", "image/jpeg", "image/gif", "application/pdf",
                                                   "text/plain"};
        std::string type = std::find(safe.begin(), safe.end(), a->mime_type) != safe.end() ? a->mime_type
                                                                                            : "application/octet-stream";
        if (type == "text/plain")
            type += "; charset=utf-8";
        std::string ascii;
        for (char c : a->filename)
            ascii += std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_' || c == ' ' ? c : '_';
        if (ascii.empty())
            ascii = "part-" + std::to_string(part);
        res.set_header("Content-Disposition",
                       "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + url_encode(a->filename));
        res.set_content(std::move(*bytes), type.c_str());
    }

    void thread(const httplib::Request& req, httplib::Response& res, std::string id)
    {
        auto r = readers();
        if (!r)
            return error_page(res, r.error());
        const bool mbox = id.ends_with(".mbox.gz");
        if (mbox)
            id.resize(id.size() - 8);
        auto view = (*r)->searcher->thread(id);
        if (!view)
            return error_page(res, view.error());
        if (mbox) {
            auto text = (*r)->searcher->thread_mboxrd(*view);
            if (!text)
                return error_page(res, text.error());
            res.set_header("Content-Disposition", "attachment; filename=\"thread-" + view->thread + ".mbox.gz\"");
            return res.set_content(gzip(*text), "application/gzip");
        }
        size_t count = 0;
        for (const auto& e : view->entries)
            count += e.missing ? 0 : 1;
        // The subject of the thread's start: the first root that is a message
        // (or, under a placeholder root, its first reply).
        std::string title = "(no subject)";
        for (const auto& root : view->forest) {
            const ThreadTreeNode* n = &root;
            while (view->entries[n->member].missing && !n->children.empty())
                n = &n->children.front();
            if (!view->entries[n->member].missing && !view->entries[n->member].subject.empty()) {
                title = view->entries[n->member].subject;
                break;
            }
        }
        const bool flat = req.get_param_value("view") == "flat";
        const std::string self = "/t/" + url_encode(id);
        std::string main = "<h1>" + escape(title) + "</h1>\n<p class=\"dim\">thread " + escape(view->thread) + " · " +
                           std::to_string(count) + (count == 1 ? " message" : " messages") + "</p>\n" +
                           "<nav class=\"links\">" +
                           (flat ? "<a href=\"" + self + "\">nested</a>" : "<a href=\"" + self + "?view=flat\">flat</a>") +
                           "<a href=\"" + self + ".mbox.gz\">mbox.gz</a></nav>\n";
        if (!flat) {
            main += "<ul class=\"tree\">\n";
            for (const auto& root : view->forest)
                main += tree_html(*view, root);
            main += "</ul>\n";
        } else {
            std::vector<const ThreadEntry*> entries;
            for (const auto& e : view->entries)
                if (!e.missing)
                    entries.push_back(&e);
            std::stable_sort(entries.begin(), entries.end(),
                             [](const ThreadEntry* a, const ThreadEntry* b) { return a->date < b->date; });
            for (const ThreadEntry* e : entries) {
                auto pm = (*r)->reader->parse(e->stored);
                if (!pm)
                    return error_page(res, pm.error());
                main += message_html(e->stored, *pm, false);
            }
        }
        html(res, 200, page(title, main));
    }

    // ------------------------------------------------------------ JSON API
    void api_search(const httplib::Request& req, httplib::Response& res)
    {
        auto q = query_of(req);
        if (!q)
            return json_error(res, q.error());
        if (q->empty())
            return json_error(res, {ExitCode::usage, "q: a query is needed", "q=* matches everything"});
        auto r = readers();
        if (!r)
            return json_error(res, r.error());
        const SearchOptions o = paging(req);
        nlohmann::ordered_json out = nlohmann::ordered_json::array();
        if (req.get_param_value("output") == "messages") {
            auto hits = (*r)->searcher->messages(*q, o);
            if (!hits)
                return json_error(res, hits.error());
            for (const auto& h : *hits)
                out.push_back(message_hit_json(h));
        } else {
            auto hits = (*r)->searcher->threads(*q, o);
            if (!hits)
                return json_error(res, hits.error());
            for (const auto& h : *hits)
                out.push_back(thread_hit_json(h));
        }
        json_reply(res, 200, out);
    }

    void api_thread(httplib::Response& res, const std::string& id)
    {
        auto r = readers();
        if (!r)
            return json_error(res, r.error());
        auto view = (*r)->searcher->thread(id);
        if (!view)
            return json_error(res, view.error());
        json_reply(res, 200, thread_view_json(*view));
    }

    void api_message(httplib::Response& res, const std::string& id)
    {
        auto r = readers();
        if (!r)
            return json_error(res, r.error());
        auto found = (*r)->reader->find(id);
        if (!found)
            return json_error(res, found.error());
        nlohmann::ordered_json all = nlohmann::ordered_json::array();
        for (const auto& m : *found) {
            auto pm = (*r)->reader->parse(m);
            if (!pm)
                return json_error(res, pm.error());
            all.push_back(message_json(m, *pm));
        }
        json_reply(res, 200, all.size() == 1 ? all.front() : all);
    }

    IndexPaths paths_;
    ServeOptions opt_;
};

void App::routes(httplib::Server& svr)
{
    svr.Get("/style.css", [](const httplib::Request&, httplib::Response& res) {
        res.set_header("Cache-Control", "max-age=3600");
        res.set_content(std::string(stylesheet()), "text/css; charset=utf-8");
    });
    svr.Get("/", [this](const httplib::Request& req, httplib::Response& res) { home(req, res); });
    svr.Get("/search", [this](const httplib::Request& req, httplib::Response& res) { search(req, res); });
    svr.Get("/search.atom", [this](const httplib::Request& req, httplib::Response& res) {
        auto q = query_of(req);
        if (!q || q->empty())
            return error_page(res, q ? Error{ExitCode::usage, "q: a query is needed", {}} : q.error());
        atom(req, res, *q, "listdex: " + *q);
    });
    svr.Get("/api/search", [this](const httplib::Request& req, httplib::Response& res) { api_search(req, res); });
    svr.Get(R"(/api/thread/(.+))",
            [this](const httplib::Request& req, httplib::Response& res) { api_thread(res, req.matches[1]); });
    svr.Get(R"(/api/message/(.+))",
            [this](const httplib::Request& req, httplib::Response& res) { api_message(res, req.matches[1]); });
    svr.Get(R"(/m/(.+))", [this](const httplib::Request& req, httplib::Response& res) {
        auto r = readers();
        if (!r)
            return error_page(res, r.error());
        // Message-IDs end in "@domain", so these suffixes cannot be part of one.
        const std::string tail = req.matches[1];
        static const std::regex attachment_url(R"((.+)/([0-9]+)/[^/]*)");
        std::smatch m;
        if (tail.ends_with("/raw"))
            raw(res, **r, tail.substr(0, tail.size() - 4));
        else if (std::regex_match(tail, m, attachment_url))
            attachment(res, **r, m[1], static_cast<unsigned>(parse_number<uint32_t>(m[2].str()).value_or(0)));
        else
            message(res, **r, tail);
    });
    svr.Get(R"(/t/(.+))", [this](const httplib::Request& req, httplib::Response& res) {
        thread(req, res, req.matches[1]);
    });
    svr.Get(R"(/([^/]+)/new\.atom)", [this](const httplib::Request& req, httplib::Response& res) {
        atom(req, res, "list:" + std::string(req.matches[1]), std::string(req.matches[1]));
    });
    svr.Get(R"(/([^/]+)/)", [this](const httplib::Request& req, httplib::Response& res) {
        list_page(req, res, req.matches[1]);
    });
    svr.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
        if (res.status == 404 && res.body.empty())
            error_page(res, {ExitCode::not_found, "no page " + req.path, "start from the list of lists: /"});
    });
    svr.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "internal error";
        try {
            std::rethrow_exception(ep);
        } catch (const std::exception& e) {
            what += std::string(": ") + e.what();
        } catch (...) {
        }
        error_page(res, {ExitCode::failure, what, {}});
    });
}

} // namespace

Result<void> serve(const IndexPaths& paths, const ServeOptions& options)
{
    // Fail before listening when there is no index.
    if (auto probe = Searcher::open(paths); !probe)
        return std::unexpected(probe.error());

    App app(paths, options);
    httplib::Server svr;
    const unsigned threads =
        options.threads ? options.threads : std::max(8u, 4 * std::max(1u, std::thread::hardware_concurrency()));
    svr.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    svr.set_payload_max_length(64 * 1024); // read-only: no request needs a body
    // httplib's default also sets SO_REUSEPORT, which lets a second server
    // share the port silently; only SO_REUSEADDR (quick restarts).
    // TCP_NODELAY (inherited by accepted sockets): httplib writes headers
    // and body separately, and Nagle plus delayed ACKs held every
    // keep-alive response back 40 ms.
    svr.set_socket_options([](socket_t sock) {
        int yes = 1;
        setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
        setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
    });

    thread_local Clock::time_point started;
    svr.set_pre_routing_handler([](const httplib::Request& req, httplib::Response& res) {
        started = Clock::now();
        // Message content is written by strangers: no script runs, nothing
        // is sniffed into another type, no page can frame us.
        res.set_header("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; "
                                                  "form-action 'self'; base-uri 'none'; frame-ancestors 'none'");
        res.set_header("X-Content-Type-Options", "nosniff");
        res.set_header("Referrer-Policy", "no-referrer");
        res.set_header("X-Frame-Options", "DENY");
        if (req.method != "GET" && req.method != "HEAD") {
            res.status = 405;
            res.set_content("read-only server: GET only\n", "text/plain; charset=utf-8");
            return httplib::Server::HandlerResponse::Handled;
        }
        return httplib::Server::HandlerResponse::Unhandled;
    });
    std::mutex log_mutex;
    svr.set_logger([&](const httplib::Request& req, const httplib::Response& res) {
        if (!options.log)
            return;
        const double ms = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
        char line[64];
        std::snprintf(line, sizeof line, " %d %zu %.1fms", res.status, res.body.size(), ms);
        std::string target = req.path;
        if (!req.params.empty()) {
            target += '?';
            for (const auto& [k, v] : req.params)
                target += (target.back() == '?' ? "" : "&") + url_encode(k) + "=" + url_encode(v);
        }
        std::lock_guard lock(log_mutex);
        options.log(req.remote_addr + " " + req.method + " " + one_line(target) + line);
    });
    app.routes(svr);

    int port = options.port;
    if (port == 0)
        port = svr.bind_to_any_port(options.host);
    else if (!svr.bind_to_port(options.host, port))
        port = -1;
    if (port < 0)
        return fail(ExitCode::failure, "cannot listen on " + options.host + ":" + std::to_string(options.port),
                    "is another server using that port? choose one with --listen HOST:PORT");
    if (options.ready)
        options.ready(static_cast<uint16_t>(port));

    std::atomic<bool> done{false};
    std::thread watcher([&] {
        while (!done) {
            if (options.stop && options.stop->load()) {
                svr.stop();
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    });
    svr.listen_after_bind();
    done = true;
    watcher.join();
    return {};
}

} // namespace listdex::web
