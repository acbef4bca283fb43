// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "Flowed.hpp"

#include <vector>

namespace listdex {

std::string unflow(std::string_view text, bool delsp)
{
    std::string out;
    out.reserve(text.size());
    bool joining = false; // previous line was soft-broken
    size_t joining_depth = 0;
    size_t pos = 0;
    while (pos < text.size()) {
        size_t nl = text.find('\n', pos);
        const bool last = nl == std::string_view::npos;
        std::string_view line = text.substr(pos, last ? std::string_view::npos : nl - pos);
        pos = last ? text.size() : nl + 1;
        if (line.ends_with('\r'))
            line.remove_suffix(1);

        size_t depth = 0;
        while (depth < line.size() && line[depth] == '>')
            ++depth;
        std::string_view content = line.substr(depth);
        if (content.starts_with(' '))
            content.remove_prefix(1); // space-stuffing (or the space after '>')

        const bool signature = content == "-- ";
        const bool soft = !signature && content.ends_with(' ');
        if (joining && depth == joining_depth) {
            // continuation: append without the quote prefix
        } else {
            if (joining)
                out += '\n'; // quote depth changed: the soft break was wrong
            if (depth > 0) {
                out.append(depth, '>');
                out += ' ';
            }
        }
        if (soft && delsp)
            content.remove_suffix(1);
        out.append(content);
        if (soft) {
            joining = true;
            joining_depth = depth;
        } else {
            joining = false;
            if (!last)
                out += '\n';
        }
    }
    return out;
}

} // namespace listdex
