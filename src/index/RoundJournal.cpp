// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "RoundJournal.hpp"

#include "listdex/base/File.hpp"
#include "listdex/base/Text.hpp"

#include <fstream>
#include <sstream>

namespace listdex {

namespace {
// One record per line, fields separated by tabs (Message-IDs hold neither
// tabs nor line breaks: normalize_message_id removes white space). The
// last line is "end": a journal without it was cut short.
constexpr std::string_view kEnd = "end";

Error journal_error(const std::filesystem::path& path, const std::string& what)
{
    return Error{ExitCode::failure, path.string() + ": " + what, {}};
}
} // namespace

Result<void> RoundJournal::write(const std::filesystem::path& path, bool durable) const
{
    std::ostringstream out;
    for (const auto& m : members)
        out << "id\t" << format_thread_id(m.thread) << '\t' << m.id << '\t' << m.parent << '\n';
    for (const auto& [from, into] : merges)
        out << "merge\t" << format_thread_id(from) << '\t' << format_thread_id(into) << '\n';
    for (const auto& [key, value] : metadata)
        out << "meta\t" << key << '\t' << value << '\n';
    // Tag names hold no white space (schema::tag_name_problem).
    for (const auto& t : tags) {
        out << "tag\t" << t.message_id << '\t' << (t.exact ? "exact" : "edit") << '\t';
        std::string ops;
        for (const auto& a : t.add)
            ops += (ops.empty() ? "+" : " +") + a;
        for (const auto& r : t.remove)
            ops += (ops.empty() ? "-" : " -") + r;
        out << ops << '\n';
    }
    out << kEnd << '\n';
    return replace_file(path, out.str(), durable);
}

Result<std::optional<RoundJournal>> RoundJournal::read(const std::filesystem::path& path)
{
    std::ifstream in(path);
    if (!in) {
        if (!std::filesystem::exists(path))
            return std::optional<RoundJournal>();
        return std::unexpected(journal_error(path, "cannot read the journal"));
    }
    RoundJournal j;
    std::string line;
    bool complete = false;
    while (std::getline(in, line)) {
        if (line == kEnd) {
            complete = true;
            break;
        }
        const auto f = split(line, '\t');
        if (f.size() == 4 && f[0] == "id") {
            if (auto t = parse_thread_id(f[1]))
                j.members.push_back({*t, std::string(f[2]), std::string(f[3])});
        } else if (f.size() == 3 && f[0] == "merge") {
            auto from = parse_thread_id(f[1]), into = parse_thread_id(f[2]);
            if (from && into)
                j.merges.emplace_back(*from, *into);
        } else if (f.size() == 3 && f[0] == "meta") {
            j.metadata[std::string(f[1])] = std::string(f[2]);
        } else if (f.size() == 4 && f[0] == "tag") {
            TagEdit t{std::string(f[1]), {}, {}, f[2] == "exact"};
            for (auto op : split(f[3], ' ')) {
                if (op.size() > 1 && op.front() == '+')
                    t.add.emplace_back(op.substr(1));
                else if (op.size() > 1 && op.front() == '-')
                    t.remove.emplace_back(op.substr(1));
            }
            j.tags.push_back(std::move(t));
        } else {
            return std::unexpected(journal_error(path, "damaged journal line: " + line.substr(0, 80)));
        }
    }
    if (!complete)
        return std::optional<RoundJournal>();
    return std::optional<RoundJournal>(std::move(j));
}

} // namespace listdex
