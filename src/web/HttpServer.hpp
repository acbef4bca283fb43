// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file HttpServer.hpp
/// The connection side of `listdex serve`: an event loop that owns every
/// socket and a pool of workers that only ever see whole requests.
///
/// Why not cpp-httplib's own loop: it gives each connection a pool thread
/// for as long as the connection lives, so ten clients that send a request
/// line and never finish their headers stall every visitor (measured: 8.5 s
/// with 10 such connections, no answer at all with 64). Here one thread
/// (epoll) reads requests until they are complete, within a deadline, and
/// writes responses as clients take them; a worker is busy only while a
/// handler runs. cpp-httplib still parses each request, routes it and
/// writes the response (Server::process_request, reading from and writing
/// to memory), so the HTTP grammar stays the library's.
/// Complete requests go to a LaneScheduler (LaneScheduler.hpp); requests
/// beyond `max_queued` get an immediate 503.

#include "LaneScheduler.hpp"

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace listdex::web {

/// What a client may hold and for how long (docs/web.md, "Limits").
struct ConnectionLimits {
    double header_seconds = 10;       ///< a request (head and body) must arrive within this
    double idle_seconds = 5;          ///< a kept-alive connection may wait this long for its next request
    double write_seconds = 30;        ///< the most a client may go without taking response bytes
    size_t max_header_bytes = 16 * 1024;
    size_t max_body_bytes = 64 * 1024;
    unsigned max_per_client = 128;    ///< open connections per client address; 0: no cap
    unsigned max_connections = 4096;  ///< in all (lowered to what RLIMIT_NOFILE allows)
    unsigned max_requests_per_connection = 1000;
    unsigned workers = 8;
    unsigned search_workers = 6;      ///< of the workers, at most this many run searches at once
    size_t max_queued = 512;          ///< requests waiting for a worker, both lanes together
};

/// Where a buffered request ends, or why it cannot be served.
struct RequestScan {
    enum class State { incomplete, complete, bad } state = State::incomplete;
    size_t length = 0;          ///< complete: bytes of head and body
    bool expects_continue = false; ///< incomplete: the client waits for "100 Continue" before its body
    int status = 0;             ///< bad: the status to answer with
    std::string reason;         ///< bad: one line for the client and the log
};

/// Looks at the start of @p buffer (one or more pipelined requests): the
/// first request's length once its head and its Content-Length body are
/// there. Chunked request bodies are refused (411): no route takes a body
/// that large, and a length keeps the read bounded.
[[nodiscard]] RequestScan scan_request(std::string_view buffer, const ConnectionLimits& limits);

/// cpp-httplib's routing and HTTP grammar behind the event loop above.
/// Register handlers with Get/Post/... as usual, then bind() and run().
class HttpServer : public httplib::Server {
public:
    /// Which lane a request goes to, from its method and raw target.
    using Classifier = std::function<Lane(std::string_view method, std::string_view target)>;
    /// A line for the request log, for answers given without a handler
    /// (timeouts, limits, overload); handlers' answers go to set_logger.
    using LogLine = std::function<void(const std::string&)>;

    HttpServer(ConnectionLimits limits, Classifier classify, LogLine log);
    ~HttpServer() override;

    /// Listens on @p host:@p port (0: any free port); the port, or nullopt
    /// when the address cannot be bound (a second server cannot share it).
    std::optional<uint16_t> bind(const std::string& host, uint16_t port);
    /// Serves until @p stop is set; then closes every connection.
    void run(const std::atomic<bool>& stop);

    /// Open connections now (for tests and the log).
    [[nodiscard]] size_t connections() const { return open_.load(); }

private:
    struct Connection;
    struct Done;
    void accept_all();
    void on_readable(Connection& c);
    void on_writable(Connection& c);
    void dispatch(Connection& c, size_t length);
    void finish(Done done);
    void answer_and_close(Connection& c, int status, const std::string& reason);
    void close(Connection& c);
    void sweep();
    void watch(Connection& c, uint32_t events);

    ConnectionLimits limits_;
    Classifier classify_;
    LogLine log_;
    int listen_fd_ = -1;
    int epoll_fd_ = -1;
    int wake_fd_ = -1; ///< eventfd: a worker finished
    std::atomic<size_t> open_{0};
    struct State;
    std::unique_ptr<State> state_;
};

} // namespace listdex::web
