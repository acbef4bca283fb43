// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "listdex/web/Server.hpp"

#include "HttpServer.hpp"
#include "Routes.hpp"
#include "Site.hpp"
#include "listdex/base/Text.hpp"

#include <algorithm>
#include <chrono>
#include <mutex>
#include <thread>

namespace listdex::web {

namespace {

using Clock = std::chrono::steady_clock;

/// The request as the log shows it: path and parameters, re-encoded.
std::string logged_target(const httplib::Request& req)
{
    std::string target = req.path;
    if (!req.params.empty()) {
        target += '?';
        for (const auto& [k, v] : req.params)
            target += (target.back() == '?' ? "" : "&") + url_encode(k) + "=" + url_encode(v);
    }
    return one_line(target);
}

} // namespace

Result<void> serve(const IndexPaths& paths, const ServeOptions& options)
{
    // Fail before listening when there is no index.
    if (auto probe = Searcher::open(paths); !probe)
        return std::unexpected(probe.error());

    Site site(paths, options);
    ConnectionLimits limits;
    limits.workers = options.threads ? options.threads
                                     : std::max(8u, 4 * std::max(1u, std::thread::hardware_concurrency()));
    // A quarter of the workers (at least one) never run searches, so page
    // views go on during a flood of them.
    limits.search_workers = std::max(1u, limits.workers - std::max(1u, limits.workers / 4));
    limits.header_seconds = options.header_seconds;
    limits.max_per_client = options.max_per_client;
    limits.max_body_bytes = 64 * 1024; // the one POST form carries at most a short form body

    std::mutex log_mutex;
    auto log = [&](const std::string& line) {
        if (!options.log)
            return;
        std::lock_guard lock(log_mutex);
        options.log(line);
    };
    HttpServer svr(limits, lane_of, log);
    auto handler = [&site](const httplib::Request& req, httplib::Response& res) { dispatch(site, req, res); };
    // One pattern for every path: Routes.cpp matches the raw target, so a
    // %2F inside a Message-ID stays inside its segment.
    svr.Get(R"([\s\S]*)", handler);
    svr.Post(R"([\s\S]*)", handler);

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
        if (req.method != "GET" && req.method != "HEAD" && req.method != "POST") {
            res.status = 405;
            res.set_header("Allow", "GET, HEAD, POST");
            res.set_content("read-only server: GET, HEAD and POST searches only\n", "text/plain; charset=utf-8");
            return httplib::Server::HandlerResponse::Handled;
        }
        return httplib::Server::HandlerResponse::Unhandled;
    });
    svr.set_logger([&](const httplib::Request& req, const httplib::Response& res) {
        const double ms = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
        char tail[64];
        std::snprintf(tail, sizeof tail, " %d %zu %.1fms", res.status, res.body.size(), ms);
        log(req.remote_addr + " " + req.method + " " + logged_target(req) + tail);
    });
    svr.set_exception_handler([&site](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "internal error";
        try {
            std::rethrow_exception(ep);
        } catch (const std::exception& e) {
            what += std::string(": ") + e.what();
        } catch (...) {
        }
        res.status = 500;
        res.set_content(site.public_error({ExitCode::failure, what, {}}).message + "\n", "text/plain; charset=utf-8");
    });

    const auto port = svr.bind(options.host, options.port);
    if (!port)
        return fail(ExitCode::failure, "cannot listen on " + options.host + ":" + std::to_string(options.port),
                    "is another server using that port? choose one with --listen HOST:PORT");
    if (options.ready)
        options.ready(*port);
    static const std::atomic<bool> never{false};
    svr.run(options.stop ? *options.stop : never);
    return {};
}

} // namespace listdex::web
