// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file LaneScheduler.hpp
/// The web server's workers, in two lanes: pages and searches. Searches may
/// occupy at most `search_workers` of the workers, so a flood of searches
/// leaves workers for page views; pages go first, but a search that has
/// waited `search_patience` goes before them, so a flood of page views does
/// not starve searches either.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace listdex::web {

enum class Lane { page, search };

/// The pool. Thread-safe.
class LaneScheduler {
public:
    using Job = std::function<void()>;
    /// Starts @p workers threads; at most @p search_workers run search jobs.
    LaneScheduler(unsigned workers, unsigned search_workers, size_t max_queued,
                  std::chrono::milliseconds search_patience = std::chrono::milliseconds(1000));
    ~LaneScheduler();
    LaneScheduler(const LaneScheduler&) = delete;
    LaneScheduler& operator=(const LaneScheduler&) = delete;

    /// Queues @p job; false (and the job dropped) when max_queued jobs wait.
    bool submit(Lane lane, Job job);
    /// Lets running jobs finish, drops queued ones, joins the workers.
    void stop();

private:
    void work();
    std::mutex mutex_;
    std::condition_variable ready_;
    std::deque<std::pair<std::chrono::steady_clock::time_point, Job>> pages_, searches_; ///< (arrival, job)
    unsigned running_searches_ = 0;
    const unsigned search_cap_;
    const size_t max_queued_;
    const std::chrono::milliseconds patience_;
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

} // namespace listdex::web
