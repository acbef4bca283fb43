// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file Server.hpp
/// `listdex serve`: a read-only HTTP server over an index (cpp-httplib):
/// HTML pages, Atom feeds and a JSON API, documented in docs/web.md.
/// It uses the query layer for searching and threads and the index reader
/// for messages; no GMime or Xapian type appears here.

#include "listdex/base/Error.hpp"
#include "listdex/index/IndexPaths.hpp"

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

namespace listdex::web {

struct ServeOptions {
    std::string host = "127.0.0.1"; ///< loopback unless asked otherwise
    uint16_t port = 8080;           ///< 0: any free port (see ready)
    unsigned threads = 0;           ///< request threads; 0: 4 per core, at least 8
    uint64_t page_size = 50;        ///< results per page unless the request asks for fewer
    uint64_t max_page_size = 200;   ///< the most results one page may ask for
    double search_seconds = 3;      ///< a slower search is answered with an error page (503)
    /// The most messages one mbox download of search results (POST
    /// /LIST/?x=m) may hold; more is an error that says so, never a cut.
    uint64_t mbox_limit = 10000;
    double header_seconds = 10;     ///< a request must arrive whole within this (else 408, closed)
    unsigned max_per_client = 128;  ///< open connections per client address (0: no cap)
    /// One line per request (remote address, method, path, status, bytes,
    /// milliseconds); called from request threads, serialised.
    std::function<void(const std::string&)> log;
    /// Called once the server listens, with the port it listens on.
    std::function<void(uint16_t)> ready;
    const std::atomic<bool>* stop = nullptr; ///< set (e.g. by SIGINT) to stop
};

/// Serves the index at @p paths until @p options.stop is set. Fails with
/// ExitCode::no_index when there is no index and ExitCode::failure when it
/// cannot listen (naming the address). Each request thread keeps its own
/// readers and brings them to the latest commit before every request, so
/// messages an import adds appear without a restart.
Result<void> serve(const IndexPaths& paths, const ServeOptions& options);

} // namespace listdex::web
