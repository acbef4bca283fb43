// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file ImportPipeline.hpp
/// The queue between an import's reader, its parse workers and its writer:
/// raw messages in input order, parsed in parallel, handed to the writer in
/// input order again, with the bytes in flight bounded. Private to
/// Importer.cpp.

#include "listdex/mbox/RawMessage.hpp"
#include "listdex/mime/ParsedMessage.hpp"
#include "listdex/thread/Threader.hpp"

#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace listdex {

/// What ImportOptions::memory allows (see there).
struct Limits {
    explicit Limits(uint64_t memory)
        : in_flight(std::max<uint64_t>(memory / 64, 1)), batch_bytes(std::max<uint64_t>(memory / 16, 1)),
          batch_terms(std::max<uint64_t>(memory / 1024, 1)), max_message(memory / 5)
    {
    }
    uint64_t in_flight, batch_bytes, batch_terms, max_message;
};

/// Bytes an item holds in the pipeline (a git item's once loaded).
uint64_t footprint(const RawMessage& raw)
{
    return raw.load ? raw.size : raw.bytes.size();
}

struct Job {
    uint64_t seq = 0;
    RawMessage raw;
};

struct Done {
    RawMessage raw;
    uint64_t footprint = 0; ///< as counted when it entered the pipeline
    std::string hash;
    bool known = false;                 ///< already in the index before this import
    std::optional<ParsedMessage> parsed;
    std::string reject_reason;
    Xapian::Document doc;
    std::string snippet_text;
    std::string parsed_record; ///< encode_parsed_record of parsed, as the raw copy decodes
    std::string same_key;
    SubjectKey subject;
};

/// State shared by the reader, the workers and the writer.
class Pipeline {
public:
    explicit Pipeline(const Limits& l) : limits_(l) {}

    // Reader side.
    /// Blocks while too many bytes are in flight; false when stopping.
    bool push(RawMessage raw)
    {
        std::unique_lock lk(m_);
        space_.wait(lk, [&] { return in_flight_ == 0 || in_flight_ < limits_.in_flight || aborted_; });
        if (aborted_)
            return false;
        in_flight_ += footprint(raw);
        jobs_.push_back({next_seq_++, std::move(raw)});
        work_.notify_one();
        return true;
    }
    void finish_reading()
    {
        std::lock_guard lk(m_);
        reading_done_ = true;
        work_.notify_all();
        done_cv_.notify_all();
    }

    // Worker side.
    std::optional<Job> take()
    {
        std::unique_lock lk(m_);
        work_.wait(lk, [&] { return !jobs_.empty() || reading_done_ || aborted_; });
        if (jobs_.empty() || aborted_)
            return std::nullopt;
        Job j = std::move(jobs_.front());
        jobs_.pop_front();
        return j;
    }
    void complete(uint64_t seq, Done d)
    {
        std::lock_guard lk(m_);
        done_.emplace(seq, std::move(d));
        done_cv_.notify_all();
    }

    // Writer side: the next item in input order, or nullopt at the end.
    std::optional<Done> next(std::chrono::milliseconds tick, const std::function<void()>& on_tick)
    {
        std::unique_lock lk(m_);
        for (;;) {
            auto it = done_.find(written_);
            if (it != done_.end()) {
                Done d = std::move(it->second);
                done_.erase(it);
                ++written_;
                in_flight_ -= d.footprint;
                space_.notify_all();
                return d;
            }
            if ((reading_done_ && written_ == next_seq_) || aborted_)
                return std::nullopt;
            if (!done_cv_.wait_for(lk, tick, [&] { return done_.count(written_) || (reading_done_ && written_ == next_seq_) || aborted_; })) {
                lk.unlock();
                on_tick();
                lk.lock();
            }
        }
    }
    void abort()
    {
        std::lock_guard lk(m_);
        aborted_ = true;
        work_.notify_all();
        space_.notify_all();
        done_cv_.notify_all();
    }

private:
    const Limits& limits_;
    std::mutex m_;
    std::condition_variable work_, space_, done_cv_;
    std::deque<Job> jobs_;
    std::map<uint64_t, Done> done_;
    uint64_t next_seq_ = 0, written_ = 0, in_flight_ = 0;
    bool reading_done_ = false, aborted_ = false;
};

} // namespace listdex
