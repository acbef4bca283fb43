// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
// Pipermail's address obfuscation undone (MessageRepair.hpp):
// "user at example.com" back to "user@example.com".
#include "RepairFields.hpp"

#include "listdex/base/Text.hpp"
#include "listdex/mbox/MessageRepair.hpp"

#include <string>

namespace listdex {

using namespace repair;

namespace {

bool is_address_field(std::string_view line)
{
    for (std::string_view name : {"from:", "to:", "cc:", "reply-to:", "sender:"})
        if (line.size() > name.size() && iequals(line.substr(0, name.size()), name))
            return true;
    return false;
}

bool address_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
           c == '_' || c == '+' || c == '%' || c == '=';
}

/// "user at example.com" -> "user@example.com" in one header value; false
/// when there is nothing to restore.
bool restore_value(std::string& v)
{
    if (v.find('@') != npos)
        return false;
    bool changed = false;
    for (size_t p = v.find(" at "); p != npos; p = v.find(" at ", p + 1)) {
        const bool local = p > 0 && address_char(v[p - 1]);
        size_t e = p + 4;
        while (e < v.size() && address_char(v[e]))
            ++e;
        if (local && has_dot_word(std::string_view(v).substr(p + 4, e - p - 4))) {
            // " at " -> "@" as an erase and a store: GCC 12 mistakes
            // replace() with a shorter string for an overlapping copy
            // (-Wrestrict) once this is inlined.
            v[p] = '@';
            v.erase(p + 1, 3);
            changed = true;
        }
    }
    return changed;
}

} // namespace

std::optional<std::string> restore_at_addresses(std::string_view raw)
{
    // Cheap test first: nearly every message has no " at " in its header.
    const size_t header_end = std::min(raw.find("\n\n"), raw.find("\n\r\n"));
    if (raw.substr(0, header_end).find(" at ") == npos)
        return std::nullopt;
    std::optional<std::string> out;
    size_t pos = 0;
    while (pos < raw.size()) {
        size_t nl = raw.find('\n', pos);
        const size_t end = nl == npos ? raw.size() : nl + 1;
        std::string_view line = raw.substr(pos, end - pos);
        if (trim(line).empty())
            break; // end of the header
        if (is_address_field(line)) {
            // The field with its continuation lines.
            size_t fend = end;
            while (fend < raw.size() && (raw[fend] == ' ' || raw[fend] == '\t')) {
                const size_t n2 = raw.find('\n', fend);
                fend = n2 == npos ? raw.size() : n2 + 1;
            }
            std::string field(raw.substr(pos, fend - pos));
            if (field.find(" at ") != npos && restore_value(field)) {
                if (!out)
                    out = std::string(raw.substr(0, pos));
                *out += field;
            } else if (out) {
                *out += field;
            }
            pos = fend;
            continue;
        }
        if (out)
            *out += line;
        pos = end;
    }
    if (out)
        out->append(raw.substr(pos));
    return out;
}

} // namespace listdex
