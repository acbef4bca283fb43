#include "listdex/thread/Threader.hpp"

#include "listdex/base/Text.hpp"

#include <algorithm>
#include <cstdio>
#include <unordered_set>

namespace listdex {

std::string format_thread_id(ThreadId id)
{
    char buf[24];
    std::snprintf(buf, sizeof buf, "%08llx", static_cast<unsigned long long>(id));
    return buf;
}

std::optional<ThreadId> parse_thread_id(std::string_view text)
{
    if (text.empty() || text.size() > 16)
        return std::nullopt;
    return parse_number<ThreadId>(text, 16);
}

ThreadRefs thread_refs(const MessageLinks& m)
{
    ThreadRefs out;
    std::unordered_set<std::string> seen{m.id};
    auto add = [&](const std::string& id) {
        if (!id.empty() && seen.insert(id).second)
            out.ancestors.push_back(id);
    };
    for (const auto& id : m.references)
        add(id);
    for (const auto& id : m.in_reply_to)
        add(id);
    if (out.ancestors.size() > kMaxAncestors) {
        // Keep the root and the nearest ancestors: they decide the thread.
        std::vector<std::string> capped{out.ancestors.front()};
        capped.insert(capped.end(), out.ancestors.end() - (kMaxAncestors - 1), out.ancestors.end());
        out.ancestors = std::move(capped);
    }
    std::vector<std::string> irt;
    for (const auto& id : m.in_reply_to)
        if (!id.empty() && id != m.id)
            irt.push_back(id);
    if (irt.size() == 1) {
        out.parent = irt.front();
    } else {
        for (auto it = m.references.rbegin(); it != m.references.rend(); ++it)
            if (!it->empty() && *it != m.id) {
                out.parent = *it;
                break;
            }
        if (!out.parent && !irt.empty())
            out.parent = irt.front();
    }
    return out;
}

ThreadAssignment Threader::add(const MessageLinks& m)
{
    ThreadAssignment result;
    const ThreadRefs refs = thread_refs(m);
    result.parent = refs.parent;

    std::vector<ThreadId> threads;
    auto note = [&](const std::string& id) {
        if (auto t = store_.thread_of(id); t && std::find(threads.begin(), threads.end(), *t) == threads.end())
            threads.push_back(*t);
    };
    note(m.id);
    for (const auto& a : refs.ancestors)
        note(a);

    if (threads.empty()) {
        result.thread = store_.new_thread();
    } else {
        // The largest thread survives, so merging rewrites as little as possible.
        ThreadId winner = threads.front();
        uint64_t best = store_.thread_size(winner);
        for (size_t i = 1; i < threads.size(); ++i) {
            const uint64_t size = store_.thread_size(threads[i]);
            if (size > best || (size == best && threads[i] < winner)) {
                winner = threads[i];
                best = size;
            }
        }
        for (ThreadId t : threads)
            if (t != winner) {
                store_.merge(t, winner);
                result.merged.push_back(t);
            }
        result.thread = winner;
    }
    for (size_t i = 0; i < refs.ancestors.size(); ++i)
        if (!store_.thread_of(refs.ancestors[i]))
            store_.add_ghost(refs.ancestors[i], result.thread,
                             i > 0 ? std::optional<std::string>(refs.ancestors[i - 1]) : std::nullopt);
    return result;
}

} // namespace listdex
