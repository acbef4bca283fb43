// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "listdex/index/Schema.hpp"

#include "listdex/base/Hash.hpp"
#include "listdex/base/Text.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace listdex::schema {

const Field* field_named(std::string_view name)
{
    for (const Field& f : kFields) {
        bool found = false;
        detail::for_each_name(f, [&](std::string_view n) { found = found || n == name; });
        if (found)
            return &f;
    }
    return nullptr;
}

int month_of(int64_t date)
{
    // Floor division: a date before 1970 falls in its own month, not the next.
    const int64_t days = date / 86400 - (date % 86400 < 0 ? 1 : 0);
    const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{
        std::clamp<int64_t>(days, -719528, 2932896)}}}; // 0000-01-01 .. 9999-12-31
    return static_cast<int>(ymd.year()) * 100 + static_cast<int>(static_cast<unsigned>(ymd.month()));
}

std::string month_term(int64_t date)
{
    char buf[16]; // the compiler cannot see that a month has 6 digits
    std::snprintf(buf, sizeof buf, "%06d", month_of(date));
    return std::string(prefix::month) + buf;
}

std::string term(std::string_view prefix, std::string_view value)
{
    constexpr size_t kMaxTerm = 240;
    std::string t(prefix);
    if (prefix.size() + value.size() <= kMaxTerm) {
        t.append(value);
        return t;
    }
    t.append(value.substr(0, kMaxTerm - prefix.size() - 34));
    t += '#';
    t += content_hash(value);
    return t;
}

bool is_common_word(std::string_view word)
{
    return std::ranges::binary_search(kCommonWords, word);
}

namespace {

/// The field prefix of a positional word term: capital letters (the
/// TermGenerator writes words in lower case, so the first other byte
/// starts the word).
std::string_view field_of(std::string_view term)
{
    size_t n = 0;
    while (n < term.size() && term[n] >= 'A' && term[n] <= 'Z')
        ++n;
    return term.substr(0, n);
}

} // namespace

bool in_grams(std::string_view term)
{
    return is_common_word(term.substr(field_of(term).size()));
}

std::string gram_term(std::string_view first, std::string_view second)
{
    const std::string_view field = field_of(first);
    if (field != field_of(second) || !in_grams(first) || !in_grams(second))
        return {};
    std::string t(prefix::gram);
    t.append(first);
    t += ' ';
    t.append(second.substr(field.size()));
    return t;
}

std::optional<std::string> tag_name_problem(std::string_view tag)
{
    if (tag.empty())
        return "a tag needs a name";
    if (tag.size() > kMaxTagBytes)
        return "a tag is at most " + std::to_string(kMaxTagBytes) + " bytes";
    if (!is_valid_utf8(tag))
        return "a tag is UTF-8 text";
    if (tag.front() == '+' || tag.front() == '-')
        return "a tag cannot start with '+' or '-'";
    for (unsigned char c : tag)
        if (c <= 0x20 || c == 0x7f || c == '"' || c == '(' || c == ')' || c == '*')
            return "a tag has no spaces, control characters, quotes, parentheses or '*'";
    return std::nullopt;
}

} // namespace listdex::schema
