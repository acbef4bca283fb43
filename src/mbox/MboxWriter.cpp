// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "listdex/mbox/MboxWriter.hpp"

#include <ctime>

namespace listdex {

void append_mboxrd(std::string& out, const std::string& from, int64_t date, std::string_view raw)
{
    std::string sender = "MAILER-DAEMON";
    if (auto lt = from.rfind('<'); lt != std::string::npos && from.back() == '>')
        sender = from.substr(lt + 1, from.size() - lt - 2);
    else if (from.find('@') != std::string::npos && from.find(' ') == std::string::npos)
        sender = from;
    const time_t t = static_cast<time_t>(date);
    struct tm tm{};
    gmtime_r(&t, &tm);
    char when[64];
    std::strftime(when, sizeof when, "%a %b %e %H:%M:%S %Y", &tm);
    append_mboxrd(out, "From " + sender + " " + when, raw);
}

void append_mboxrd(std::string& out, std::string_view from_line, std::string_view raw)
{
    out += from_line;
    out += '\n';
    for (size_t pos = 0; pos < raw.size();) {
        const size_t nl = raw.find('\n', pos);
        const size_t end = nl == std::string_view::npos ? raw.size() : nl + 1;
        size_t q = pos;
        while (q < end && raw[q] == '>')
            ++q;
        if (raw.substr(q, 5) == "From ")
            out += '>';
        out.append(raw.substr(pos, end - pos));
        pos = end;
    }
    if (!raw.empty() && raw.back() != '\n')
        out += '\n';
    out += '\n';
}

} // namespace listdex
