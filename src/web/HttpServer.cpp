// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "HttpServer.hpp"

#include "listdex/base/Text.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <unordered_map>

namespace listdex::web {

using Clock = std::chrono::steady_clock;

// ------------------------------------------------------------ scan_request

namespace {

/// The value of header @p name in @p head (case-insensitive), if present.
std::optional<std::string_view> header_value(std::string_view head, std::string_view name)
{
    for (std::string_view line : split(head, '\n')) {
        const size_t colon = line.find(':');
        if (colon == std::string_view::npos || !iequals(trim(line.substr(0, colon)), name))
            continue;
        return trim(line.substr(colon + 1));
    }
    return std::nullopt;
}

std::string_view reason_phrase(int status)
{
    switch (status) {
    case 400: return "Bad Request";
    case 408: return "Request Timeout";
    case 411: return "Length Required";
    case 413: return "Content Too Large";
    case 431: return "Request Header Fields Too Large";
    case 503: return "Service Unavailable";
    default: return "Error";
    }
}

} // namespace

RequestScan scan_request(std::string_view buffer, const ConnectionLimits& limits)
{
    RequestScan scan;
    auto bad = [&](int status, std::string reason) {
        scan.state = RequestScan::State::bad;
        scan.status = status;
        scan.reason = std::move(reason);
        return scan;
    };
    // Blank lines before a request line are allowed (RFC 9112 2.2).
    size_t start = 0;
    while (start < buffer.size() && (buffer[start] == '\r' || buffer[start] == '\n'))
        ++start;
    size_t head_end = std::string_view::npos, body_start = 0;
    for (size_t pos = start; pos < buffer.size();) {
        const size_t nl = buffer.find('\n', pos);
        if (nl == std::string_view::npos)
            break;
        const bool empty = nl == pos || (nl == pos + 1 && buffer[pos] == '\r');
        if (empty && pos > start) {
            head_end = pos;
            body_start = nl + 1;
            break;
        }
        pos = nl + 1;
    }
    if (head_end == std::string_view::npos) {
        if (buffer.size() - start > limits.max_header_bytes)
            return bad(431, "request head larger than " + std::to_string(limits.max_header_bytes) + " bytes");
        return scan;
    }
    if (head_end - start > limits.max_header_bytes)
        return bad(431, "request head larger than " + std::to_string(limits.max_header_bytes) + " bytes");
    const std::string_view head = buffer.substr(start, head_end - start);
    if (header_value(head, "Transfer-Encoding"))
        return bad(411, "request bodies need a Content-Length");
    uint64_t length = 0;
    if (auto cl = header_value(head, "Content-Length")) {
        auto n = parse_number<uint64_t>(*cl);
        if (!n)
            return bad(400, "Content-Length is not a number");
        length = *n;
    }
    if (length > limits.max_body_bytes)
        return bad(413, "request body larger than " + std::to_string(limits.max_body_bytes) + " bytes");
    if (buffer.size() - body_start < length) {
        auto expect = header_value(head, "Expect");
        scan.expects_continue = expect && iequals(*expect, "100-continue");
        return scan;
    }
    scan.state = RequestScan::State::complete;
    scan.length = body_start + length;
    return scan;
}

// ------------------------------------------------------------ HttpServer

namespace {

/// One request in memory for Server::process_request: it reads the bytes
/// the event loop collected and writes the response into a string.
class MemoryStream final : public httplib::Stream {
public:
    MemoryStream(std::string_view in, std::string ip, int port) : in_(in), ip_(std::move(ip)), port_(port) {}
    bool is_readable() const override { return pos_ < in_.size(); }
    bool is_writable() const override { return true; }
    ssize_t read(char* ptr, size_t size) override
    {
        const size_t n = std::min(size, in_.size() - pos_);
        std::memcpy(ptr, in_.data() + pos_, n);
        pos_ += n;
        return static_cast<ssize_t>(n);
    }
    ssize_t write(const char* ptr, size_t size) override
    {
        out.append(ptr, size);
        return static_cast<ssize_t>(size);
    }
    void get_remote_ip_and_port(std::string& ip, int& port) const override
    {
        ip = ip_;
        port = port_;
    }
    void get_local_ip_and_port(std::string& ip, int& port) const override
    {
        ip.clear();
        port = 0;
    }
    socket_t socket() const override { return INVALID_SOCKET; }

    std::string out;

private:
    std::string_view in_;
    size_t pos_ = 0;
    std::string ip_;
    int port_;
};

std::string peer_address(const sockaddr_storage& ss, int& port)
{
    char buf[INET6_ADDRSTRLEN] = "";
    if (ss.ss_family == AF_INET) {
        const auto* a = reinterpret_cast<const sockaddr_in*>(&ss);
        inet_ntop(AF_INET, &a->sin_addr, buf, sizeof buf);
        port = ntohs(a->sin_port);
    } else if (ss.ss_family == AF_INET6) {
        const auto* a = reinterpret_cast<const sockaddr_in6*>(&ss);
        inet_ntop(AF_INET6, &a->sin6_addr, buf, sizeof buf);
        port = ntohs(a->sin6_port);
    }
    return buf;
}

std::string canned_response(int status, const std::string& reason)
{
    const std::string body = reason + "\n";
    std::string out = "HTTP/1.1 " + std::to_string(status) + " " + std::string(reason_phrase(status)) +
                      "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: " + std::to_string(body.size()) +
                      "\r\nConnection: close\r\nContent-Security-Policy: default-src 'none'\r\n"
                      "X-Content-Type-Options: nosniff\r\n";
    if (status == 503)
        out += "Retry-After: 2\r\n";
    return out + "\r\n" + body;
}

Clock::duration seconds(double s)
{
    return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
}

constexpr uint64_t kListenId = 0, kWakeId = 1;
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

} // namespace

struct HttpServer::Connection {
    uint64_t id = 0;
    int fd = -1;
    std::string ip;
    int port = 0;
    enum class Phase { reading, working, writing } phase = Phase::reading;
    std::string in;
    std::string out;
    size_t out_pos = 0;
    bool close_after_write = false;
    bool sent_continue = false;
    unsigned requests = 0;
    uint32_t events = 0;        ///< what epoll watches now
    Clock::time_point deadline; ///< when reading or writing must have progressed
    bool started_request = false; ///< reading: some bytes of the next request arrived
    bool gone = false;            ///< hung up while a worker answered it
};

struct HttpServer::Done {
    uint64_t id;
    std::string out;
    bool close;
};

struct HttpServer::State {
    std::unordered_map<uint64_t, std::unique_ptr<Connection>> connections;
    std::unordered_map<std::string, unsigned> per_client;
    uint64_t next_id = 2;
    std::mutex done_mutex;
    std::vector<Done> done;
    std::unique_ptr<LaneScheduler> scheduler;
    Clock::time_point next_sweep;
};

HttpServer::HttpServer(ConnectionLimits limits, Classifier classify, LogLine log)
    : limits_(limits), classify_(std::move(classify)), log_(std::move(log)), state_(std::make_unique<State>())
{
    // Leave room for the index's files (shards, packs) under the fd limit.
    struct rlimit rl {};
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
        if (rl.rlim_cur < rl.rlim_max) {
            rl.rlim_cur = rl.rlim_max;
            setrlimit(RLIMIT_NOFILE, &rl);
            getrlimit(RLIMIT_NOFILE, &rl);
        }
        if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur > 256)
            limits_.max_connections = static_cast<unsigned>(
                std::min<rlim_t>(limits_.max_connections, rl.rlim_cur - 128));
    }
    set_keep_alive_timeout(static_cast<time_t>(std::max(1.0, limits_.idle_seconds)));
    set_keep_alive_max_count(limits_.max_requests_per_connection);
    set_payload_max_length(limits_.max_body_bytes);
}

HttpServer::~HttpServer()
{
    if (state_->scheduler)
        state_->scheduler->stop();
    for (auto& [id, c] : state_->connections)
        ::close(c->fd);
    for (int fd : {listen_fd_, epoll_fd_, wake_fd_})
        if (fd >= 0)
            ::close(fd);
}

std::optional<uint16_t> HttpServer::bind(const std::string& host, uint16_t port)
{
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    addrinfo* found = nullptr;
    if (getaddrinfo(host.empty() ? nullptr : host.c_str(), std::to_string(port).c_str(), &hints, &found) != 0)
        return std::nullopt;
    for (addrinfo* ai = found; ai && listen_fd_ < 0; ai = ai->ai_next) {
        int fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0)
            continue;
        // SO_REUSEADDR for quick restarts; never SO_REUSEPORT, which would
        // let a second server share the port silently.
        int yes = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
        if (::bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && ::listen(fd, 1024) == 0)
            listen_fd_ = fd;
        else
            ::close(fd);
    }
    freeaddrinfo(found);
    if (listen_fd_ < 0)
        return std::nullopt;
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&ss), &len);
    int bound = 0;
    peer_address(ss, bound);
    return static_cast<uint16_t>(bound);
}

void HttpServer::watch(Connection& c, uint32_t events)
{
    if (c.events == events)
        return;
    epoll_event ev{};
    ev.events = events;
    ev.data.u64 = c.id;
    epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, c.fd, &ev);
    c.events = events;
}

void HttpServer::run(const std::atomic<bool>& stop)
{
    State& s = *state_;
    epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
    wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = kListenId;
    epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, listen_fd_, &ev);
    ev.data.u64 = kWakeId;
    epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &ev);
    s.scheduler = std::make_unique<LaneScheduler>(limits_.workers, limits_.search_workers, limits_.max_queued);

    std::vector<epoll_event> events(256);
    while (!stop.load()) {
        const int n = epoll_wait(epoll_fd_, events.data(), static_cast<int>(events.size()), 100);
        for (int i = 0; i < n; ++i) {
            const uint64_t id = events[i].data.u64;
            if (id == kListenId) {
                accept_all();
                continue;
            }
            if (id == kWakeId) {
                uint64_t count;
                while (::read(wake_fd_, &count, sizeof count) > 0) {
                }
                std::vector<Done> done;
                {
                    std::lock_guard lock(s.done_mutex);
                    done.swap(s.done);
                }
                for (auto& d : done)
                    finish(std::move(d));
                continue;
            }
            auto it = s.connections.find(id);
            if (it == s.connections.end())
                continue;
            Connection& c = *it->second;
            if (events[i].events & (EPOLLERR | EPOLLHUP)) {
                if (c.phase != Connection::Phase::working) {
                    close(c);
                } else {
                    // The client is gone while a worker answers it: stop
                    // watching (epoll reports a hang-up whatever is asked,
                    // and would wake this loop until the worker is done);
                    // finish() closes it.
                    epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, c.fd, nullptr);
                    c.gone = true;
                }
                continue;
            }
            if ((events[i].events & EPOLLOUT) && c.phase == Connection::Phase::writing)
                on_writable(c);
            else if ((events[i].events & EPOLLIN) && c.phase == Connection::Phase::reading)
                on_readable(c);
        }
        if (Clock::now() >= s.next_sweep) {
            sweep();
            s.next_sweep = Clock::now() + std::chrono::milliseconds(200);
        }
    }
    // Stop: running handlers finish, queued ones are dropped, every
    // connection is closed.
    ::close(listen_fd_);
    listen_fd_ = -1;
    s.scheduler->stop();
    std::vector<Connection*> all;
    for (auto& [id, c] : s.connections)
        all.push_back(c.get());
    for (Connection* c : all)
        close(*c);
}

void HttpServer::accept_all()
{
    State& s = *state_;
    for (;;) {
        sockaddr_storage ss{};
        socklen_t len = sizeof ss;
        const int fd = accept4(listen_fd_, reinterpret_cast<sockaddr*>(&ss), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            return; // EAGAIN, or out of descriptors: retried at the next event
        }
        int port = 0;
        std::string ip = peer_address(ss, port);
        // TCP_NODELAY: responses leave in one write, but a 40 ms delayed-ACK
        // stall on keep-alive connections is not worth the risk.
        int yes = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
        unsigned& mine = s.per_client[ip];
        std::string refusal;
        if (s.connections.size() >= limits_.max_connections)
            refusal = "server busy: too many open connections";
        else if (limits_.max_per_client && mine >= limits_.max_per_client)
            refusal = "too many open connections from " + ip + " (at most " +
                      std::to_string(limits_.max_per_client) + ")";
        if (!refusal.empty()) {
            const std::string answer = canned_response(503, refusal);
            (void)!::send(fd, answer.data(), answer.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
            ::close(fd);
            if (mine == 0)
                s.per_client.erase(ip);
            if (log_)
                log_(ip + " - - 503 0 0.0ms " + refusal);
            continue;
        }
        ++mine;
        auto c = std::make_unique<Connection>();
        c->id = s.next_id++;
        c->fd = fd;
        c->ip = std::move(ip);
        c->port = port;
        c->deadline = Clock::now() + seconds(limits_.header_seconds);
        c->started_request = true; // a new connection owes a request at once
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.u64 = c->id;
        c->events = EPOLLIN;
        epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev);
        s.connections.emplace(c->id, std::move(c));
        ++open_;
    }
}

void HttpServer::on_readable(Connection& c)
{
    char buf[16 * 1024];
    bool eof = false;
    for (;;) {
        const ssize_t n = ::recv(c.fd, buf, sizeof buf, 0);
        if (n > 0) {
            c.in.append(buf, static_cast<size_t>(n));
            if (c.in.size() > limits_.max_header_bytes + limits_.max_body_bytes + sizeof buf)
                break; // scan_request refuses it below
            continue;
        }
        if (n == 0)
            eof = true;
        else if (errno == EINTR)
            continue;
        else if (errno != EAGAIN && errno != EWOULDBLOCK)
            eof = true;
        break;
    }
    if (!c.in.empty() && !c.started_request) {
        c.started_request = true;
        c.deadline = Clock::now() + seconds(limits_.header_seconds);
    }
    const RequestScan scan = scan_request(c.in, limits_);
    if (scan.state == RequestScan::State::complete)
        return dispatch(c, scan.length);
    if (scan.state == RequestScan::State::bad)
        return answer_and_close(c, scan.status, scan.reason);
    if (eof)
        return close(c);
    if (scan.expects_continue && !c.sent_continue) {
        (void)!::send(c.fd, kContinue.data(), kContinue.size(), MSG_NOSIGNAL);
        c.sent_continue = true;
    }
}

void HttpServer::dispatch(Connection& c, size_t length)
{
    std::string request = c.in.substr(0, length);
    c.in.erase(0, length);
    c.phase = Connection::Phase::working;
    c.started_request = false;
    watch(c, 0);
    ++c.requests;
    const bool last = c.requests >= limits_.max_requests_per_connection;
    const size_t line_end = request.find_first_of("\r\n");
    const std::string_view line(request.data(), line_end == std::string::npos ? request.size() : line_end);
    const size_t sp1 = line.find(' ');
    const size_t sp2 = line.find(' ', sp1 == std::string_view::npos ? line.size() : sp1 + 1);
    const std::string_view method = line.substr(0, sp1);
    const std::string_view target =
        sp1 == std::string_view::npos ? std::string_view() : line.substr(sp1 + 1, sp2 - sp1 - 1);
    const Lane lane = classify_ ? classify_(method, target) : Lane::page;
    auto job = [this, id = c.id, request = std::move(request), ip = c.ip, port = c.port, last]() {
        MemoryStream stream(request, ip, port);
        bool closed = false;
        const bool ok = process_request(stream, last, closed, nullptr);
        Done d{id, std::move(stream.out), closed || last || !ok};
        {
            std::lock_guard lock(state_->done_mutex);
            state_->done.push_back(std::move(d));
        }
        const uint64_t one = 1;
        (void)!::write(wake_fd_, &one, sizeof one);
    };
    if (!state_->scheduler->submit(lane, std::move(job)))
        answer_and_close(c, 503, "server busy: too many requests waiting; try again");
}

void HttpServer::finish(Done done)
{
    auto it = state_->connections.find(done.id);
    if (it == state_->connections.end())
        return;
    Connection& c = *it->second;
    if (c.gone)
        return close(c);
    c.out = std::move(done.out);
    // The event loop said "100 Continue" while the body arrived; drop the
    // second one cpp-httplib writes for the same Expect header.
    if (c.sent_continue && c.out.starts_with(kContinue))
        c.out.erase(0, kContinue.size());
    c.sent_continue = false;
    c.out_pos = 0;
    c.close_after_write = done.close;
    c.phase = Connection::Phase::writing;
    c.deadline = Clock::now() + seconds(limits_.write_seconds);
    on_writable(c);
}

void HttpServer::answer_and_close(Connection& c, int status, const std::string& reason)
{
    if (log_)
        log_(c.ip + " - - " + std::to_string(status) + " 0 0.0ms " + reason);
    c.in.clear();
    c.out = canned_response(status, reason);
    c.out_pos = 0;
    c.close_after_write = true;
    c.phase = Connection::Phase::writing;
    c.deadline = Clock::now() + seconds(limits_.write_seconds);
    on_writable(c);
}

void HttpServer::on_writable(Connection& c)
{
    while (c.out_pos < c.out.size()) {
        const ssize_t n = ::send(c.fd, c.out.data() + c.out_pos, c.out.size() - c.out_pos, MSG_NOSIGNAL);
        if (n > 0) {
            c.out_pos += static_cast<size_t>(n);
            // As nginx's send_timeout: the time allowed between two writes.
            c.deadline = Clock::now() + seconds(limits_.write_seconds);
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return watch(c, EPOLLOUT);
        return close(c);
    }
    if (c.close_after_write)
        return close(c);
    c.out.clear();
    c.out.shrink_to_fit();
    c.out_pos = 0;
    c.phase = Connection::Phase::reading;
    c.started_request = !c.in.empty();
    c.deadline = Clock::now() + seconds(c.started_request ? limits_.header_seconds : limits_.idle_seconds);
    watch(c, EPOLLIN);
    // A pipelined request may be complete already.
    if (!c.in.empty()) {
        const RequestScan scan = scan_request(c.in, limits_);
        if (scan.state == RequestScan::State::complete)
            dispatch(c, scan.length);
        else if (scan.state == RequestScan::State::bad)
            answer_and_close(c, scan.status, scan.reason);
    }
}

void HttpServer::close(Connection& c)
{
    State& s = *state_;
    epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, c.fd, nullptr);
    ::close(c.fd);
    if (auto it = s.per_client.find(c.ip); it != s.per_client.end() && --it->second == 0)
        s.per_client.erase(it);
    --open_;
    s.connections.erase(c.id); // destroys c
}

void HttpServer::sweep()
{
    const auto now = Clock::now();
    std::vector<Connection*> late;
    for (auto& [id, c] : state_->connections)
        if (c->phase != Connection::Phase::working && now >= c->deadline)
            late.push_back(c.get());
    for (Connection* c : late) {
        if (c->phase == Connection::Phase::reading && c->started_request)
            answer_and_close(*c, 408, "request not complete within " +
                                          std::to_string(static_cast<int>(limits_.header_seconds)) + " s");
        else
            close(*c); // idle keep-alive, or a client that stopped reading
    }
}

} // namespace listdex::web
