// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "listdex/thread/Threader.hpp"

#include "listdex/base/Text.hpp"

#include <algorithm>
#include <array>
#include <cctype>
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

SubjectKey subject_key(std::string_view subject)
{
    // Reply prefixes in the languages list archives see most; forwards
    // start threads of their own.
    static constexpr std::array<std::string_view, 10> kReply{"re", "aw", "sv", "antw", "vs", "odp", "rif", "r", "ref", "res"};
    static constexpr std::array<std::string_view, 4> kForward{"fwd", "fw", "wg", "tr"};
    SubjectKey out;
    std::string_view s = trim(subject);
    for (bool more = true; more && !s.empty();) {
        more = false;
        if (s.front() == '[') { // [list-name] and [PATCH v2] tags
            const size_t close = s.find(']');
            if (close != std::string_view::npos && close < 64 && close + 1 < s.size()) {
                s = trim(s.substr(close + 1));
                more = true;
                continue;
            }
        }
        size_t word = 0;
        while (word < s.size() && std::isalpha(static_cast<unsigned char>(s[word])))
            ++word;
        size_t colon = word;
        if (colon < s.size() && (s[colon] == '[' || s[colon] == '^' || s[colon] == '(')) // "Re[2]:", "Re^2:"
            while (colon < s.size() && s[colon] != ':' && colon < word + 6)
                ++colon;
        if (word == 0 || colon >= s.size() || s[colon] != ':')
            break;
        const std::string w = ascii_lower(s.substr(0, word));
        const bool reply = std::find(kReply.begin(), kReply.end(), w) != kReply.end();
        if (!reply && std::find(kForward.begin(), kForward.end(), w) == kForward.end())
            break;
        out.reply = out.reply || reply;
        s = trim(s.substr(colon + 1));
        more = true;
    }
    out.key.reserve(s.size());
    for (char c : s) {
        if (c == ' ' || c == '\t') {
            if (!out.key.empty() && out.key.back() != ' ')
                out.key += ' ';
        } else {
            out.key += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
    }
    while (!out.key.empty() && out.key.back() == ' ')
        out.key.pop_back();
    return out;
}

std::optional<std::string> SubjectDates::latest(const std::string& subject, int64_t from, int64_t to) const
{
    const std::pair<int64_t, std::string>* best = nullptr;
    for (auto [it, end] = dates_.equal_range(subject); it != end; ++it) {
        const int64_t date = it->second.first;
        if (date >= from && date <= to && (!best || date >= best->first))
            best = &it->second;
    }
    return best ? std::optional<std::string>(best->second) : std::nullopt;
}

ThreadAssignment Threader::add(const MessageLinks& message, const SubjectKey& subject, int64_t date)
{
    ThreadAssignment result;
    ThreadRefs refs = thread_refs(message);
    MessageLinks inferred;
    if (refs.ancestors.empty() && subject_window_ > 0 && subject.reply && !subject.key.empty()) {
        auto parent = store_.latest_with_subject(subject.key, date - subject_window_, date);
        if (parent && *parent != message.id) {
            inferred = message;
            inferred.in_reply_to = {*parent};
            refs = thread_refs(inferred);
            result.parent_by_subject = true;
        }
    }
    const MessageLinks& m = result.parent_by_subject ? inferred : message;
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
    if (!subject.key.empty())
        store_.note_subject(subject.key, date, m.id);
    return result;
}

} // namespace listdex
