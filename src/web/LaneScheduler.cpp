// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "LaneScheduler.hpp"

#include <algorithm>

namespace listdex::web {

using Clock = std::chrono::steady_clock;

LaneScheduler::LaneScheduler(unsigned workers, unsigned search_workers, size_t max_queued,
                             std::chrono::milliseconds search_patience)
    : search_cap_(std::max(1u, std::min(search_workers, workers))), max_queued_(max_queued), patience_(search_patience)
{
    for (unsigned i = 0; i < std::max(1u, workers); ++i)
        threads_.emplace_back([this] { work(); });
}

LaneScheduler::~LaneScheduler()
{
    stop();
}

bool LaneScheduler::submit(Lane lane, Job job)
{
    {
        std::lock_guard lock(mutex_);
        if (stopping_ || pages_.size() + searches_.size() >= max_queued_)
            return false;
        (lane == Lane::page ? pages_ : searches_).emplace_back(Clock::now(), std::move(job));
    }
    ready_.notify_one();
    return true;
}

void LaneScheduler::stop()
{
    {
        std::lock_guard lock(mutex_);
        if (stopping_ && threads_.empty())
            return;
        stopping_ = true;
        pages_.clear();
        searches_.clear();
    }
    ready_.notify_all();
    for (auto& t : threads_)
        t.join();
    threads_.clear();
}

void LaneScheduler::work()
{
    std::unique_lock lock(mutex_);
    for (;;) {
        // Pages first; a search only while fewer than the cap run, and
        // before pages once it has waited its patience out.
        auto search_may_run = [&] { return !searches_.empty() && running_searches_ < search_cap_; };
        ready_.wait(lock, [&] { return stopping_ || !pages_.empty() || search_may_run(); });
        if (stopping_)
            return;
        const bool search =
            search_may_run() && (pages_.empty() || Clock::now() - searches_.front().first >= patience_);
        Job job = std::move((search ? searches_ : pages_).front().second);
        (search ? searches_ : pages_).pop_front();
        if (search)
            ++running_searches_;
        lock.unlock();
        job();
        lock.lock();
        if (search) {
            --running_searches_;
            ready_.notify_one(); // a waiting search may run now
        }
    }
}

} // namespace listdex::web
