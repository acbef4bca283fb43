// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
// The table of header fields the repairs know, and shared scanning.
#include "RepairFields.hpp"

#include "listdex/base/Text.hpp"
#include "listdex/mbox/MessageRepair.hpp"

#include <algorithm>
#include <string>

namespace listdex {

namespace repair {

bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

size_t skip_space(std::string_view s, size_t i)
{
    while (i < s.size() && is_space(s[i]))
        ++i;
    return i;
}

size_t token_end(std::string_view s, size_t i)
{
    while (i < s.size() && !is_space(s[i]))
        ++i;
    return i;
}

std::optional<Grammar> field_at(std::string_view s, size_t i)
{
    const size_t end = token_end(s, i);
    if (end - i < 2 || end - i > 64 || s[end - 1] != ':')
        return std::nullopt;
    const std::string name = ascii_lower(s.substr(i, end - i - 1));
    auto it = std::ranges::lower_bound(kKnownFields, name, {}, &KnownField::name);
    if (it != kKnownFields.end() && it->name == name)
        return it->grammar;
    // Families of fields that keep growing (X-Spam-*, ARC-*, DKIM-Filter, ...).
    static constexpr std::array<std::string_view, 8> kFamilies{"x-",      "arc-",    "dkim-",    "list-",
                                                               "content-", "resent-", "original-", "thread-"};
    const bool name_chars =
        std::ranges::all_of(name, [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
    if (name_chars && std::ranges::any_of(kFamilies, [&](std::string_view f) {
            return name.size() > f.size() && name.starts_with(f);
        }))
        return Grammar::unstructured;
    return std::nullopt;
}

size_t next_field(std::string_view s, size_t i)
{
    for (i = skip_space(s, i); i < s.size(); i = skip_space(s, token_end(s, i)))
        if (field_at(s, i))
            return i;
    return s.size();
}

bool has_dot_word(std::string_view w)
{
    const size_t dot = w.find('.');
    return dot != npos && dot > 0 && dot + 1 < w.size();
}

std::string param(std::string_view value, std::string_view name)
{
    const std::string lower = ascii_lower(value);
    for (size_t p = lower.find(name); p != npos; p = lower.find(name, p + 1)) {
        if (p > 0 && lower[p - 1] != ';' && !is_space(lower[p - 1]))
            continue;
        size_t v = skip_space(value, p + name.size());
        if (v >= value.size() || value[v] != '=')
            continue;
        v = skip_space(value, v + 1);
        if (v < value.size() && value[v] == '"') {
            const size_t q = value.find('"', v + 1);
            return std::string(value.substr(v + 1, (q == npos ? value.size() : q) - v - 1));
        }
        size_t e = v;
        while (e < value.size() && value[e] != ';' && !is_space(value[e]))
            ++e;
        return std::string(value.substr(v, e - v));
    }
    return {};
}

} // namespace repair

using namespace repair;

bool starts_with_known_field(std::string_view text)
{
    return !text.empty() && !is_space(text[0]) && field_at(text, 0).has_value() && token_end(text, 0) < text.size();
}

} // namespace listdex
