// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// A value per key, computed once however many workers ask at the same
/// time: the first computes it, the others wait for its answer and share it.
/// (Every worker computing the same costly value at once is worse than one
/// computing it while the others wait: they compete for the same cores.)

#include "listdex/base/Error.hpp"

#include <exception>
#include <future>
#include <map>
#include <mutex>
#include <string>

namespace listdex::web {

template <class Value>
class OnceByKey {
public:
    /// The value of @p key: the kept one, the one another thread is
    /// computing (waits for it), or else @p compute() (returning
    /// Result<Value>), called on this thread without the lock held. A
    /// failed answer (an error, or an exception, which is rethrown to every
    /// waiter) goes to those already waiting and is then forgotten: the
    /// next call computes again. @p compute must not ask for the same key.
    template <class Compute>
    Result<Value> get(const std::string& key, Compute&& compute)
    {
        std::promise<Result<Value>> computing;
        std::unique_lock lock(mutex_);
        if (auto it = values_.find(key); it != values_.end()) {
            const std::shared_future<Result<Value>> answer = it->second;
            lock.unlock();
            return answer.get();
        }
        values_.emplace(key, computing.get_future().share());
        lock.unlock();
        auto forget = [&] {
            std::lock_guard guard(mutex_);
            values_.erase(key);
        };
        try {
            Result<Value> value = compute();
            if (!value)
                forget();
            computing.set_value(value);
            return value;
        } catch (...) {
            forget();
            computing.set_exception(std::current_exception());
            throw;
        }
    }

private:
    std::mutex mutex_;
    std::map<std::string, std::shared_future<Result<Value>>> values_; ///< kept, or being computed
};

} // namespace listdex::web
