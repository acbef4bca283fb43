// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
// listdex tag, listdex tags: the reader's own tags (include/listdex/index/Tags.hpp).
#include "Commands.hpp"

#include "listdex/index/Schema.hpp"
#include "listdex/index/Tags.hpp"
#include "listdex/query/Json.hpp"

#include <algorithm>
#include <fstream>
#include <iostream>
#include <map>
#include <set>

namespace listdex::cli {

namespace {

const std::string kReadTag(schema::kReadTag);

/// notmuch's hex escaping of tags in dumps: these bytes stay, every other
/// byte is %XX. (Message-IDs are written as notmuch's query terms instead:
/// see id_term.)
constexpr std::string_view kDumpSafe = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-_@=.,";

std::string hex_encode(std::string_view s)
{
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (unsigned char c : s) {
        if (kDumpSafe.find(static_cast<char>(c)) != std::string_view::npos) {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out;
}

std::optional<std::string> hex_decode(std::string_view s)
{
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '%') {
            out += s[i];
            continue;
        }
        if (i + 3 > s.size())
            return std::nullopt;
        auto byte = parse_number<unsigned>(s.substr(i + 1, 2), 16);
        if (!byte)
            return std::nullopt;
        out += static_cast<char>(*byte);
        i += 2;
    }
    return out;
}

/// "id:ID" as notmuch's make_boolean_term writes it: quoted (inner quotes
/// doubled) when the id holds a space, a quote or a parenthesis.
std::string id_term(std::string_view id)
{
    if (!id.empty() && id.find_first_of(" \t\"()") == std::string_view::npos)
        return "id:" + std::string(id);
    std::string out = "id:\"";
    for (char c : id)
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

/// The id of the "id:ID" or "id:\"I D\"" term at the start of @p term.
std::optional<std::string> read_id_term(std::string_view term)
{
    if (!term.starts_with("id:"))
        return std::nullopt;
    term.remove_prefix(3);
    if (!term.starts_with('"'))
        return term.empty() ? std::nullopt : std::optional<std::string>(std::string(trim(term)));
    std::string id;
    for (size_t i = 1; i < term.size(); ++i) {
        if (term[i] != '"') {
            id += term[i];
        } else if (i + 1 < term.size() && term[i + 1] == '"') {
            id += '"';
            ++i;
        } else {
            return trim(term.substr(i + 1)).empty() && !id.empty() ? std::optional<std::string>(id) : std::nullopt;
        }
    }
    return std::nullopt; // no closing quote
}

/// The Message-IDs of the messages matching @p query, each once; @p matches
/// (when given) counts the messages.
Result<std::vector<std::string>> matching_ids(Searcher& searcher, const std::string& query,
                                              uint64_t* matches = nullptr)
{
    std::set<std::string> ids;
    auto done = searcher.export_matches(query, {}, false, [&](const ExportedMessage& m) -> Result<void> {
        ids.insert(m.stored.message_id);
        return {};
    });
    if (!done)
        return std::unexpected(done.error());
    if (matches)
        *matches = *done;
    return std::vector<std::string>(ids.begin(), ids.end());
}

/// Pulls --index DIR / --index=DIR and --help out of @p args (commands whose
/// other arguments Program_options cannot read: -TAG looks like an option).
struct LooseArgs {
    std::vector<std::string> rest;
    po::variables_map vm;
    bool help = false;
};
LooseArgs loose_args(const std::vector<std::string>& args)
{
    LooseArgs out;
    std::vector<std::string> index;
    for (size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--index" && i + 1 < args.size()) {
            index = {args[i], args[i + 1]};
            ++i;
        } else if (args[i].starts_with("--index=")) {
            index = {args[i]};
        } else if (args[i] == "--help" || args[i] == "-h") {
            out.help = true;
        } else {
            out.rest.push_back(args[i]);
        }
    }
    po::store(po::command_line_parser(index).options(common_options()).run(), out.vm);
    return out;
}

} // namespace

po::options_description tag_options()
{
    // +TAG and -TAG are read by cmd_tag itself (Program_options would take
    // -TAG for an option); the command's details describe them.
    return po::options_description();
}

int cmd_tag(const std::vector<std::string>& args)
{
    LooseArgs a = loose_args(args);
    if (a.help) {
        print_command_help(*find_command("tag"));
        return 0;
    }
    TagEdit edit;
    std::string query;
    bool in_query = false;
    for (const auto& arg : a.rest) {
        if (!in_query && arg == "--") {
            in_query = true;
            continue;
        }
        if (!in_query && arg.size() > 1 && (arg.front() == '+' || arg.front() == '-')) {
            std::string name = arg.substr(1);
            bool add = arg.front() == '+';
            if (name == "unread") { // the absence of "read"
                name = kReadTag;
                add = !add;
            }
            if (auto bad = schema::tag_name_problem(name))
                return report({ExitCode::usage, "tag: '" + arg + "': " + *bad, {}});
            (add ? edit.add : edit.remove).push_back(name);
            continue;
        }
        in_query = true;
        query += (query.empty() ? "" : " ") + arg;
    }
    if (edit.add.empty() && edit.remove.empty())
        return report({ExitCode::usage, "tag: name a tag to add (+TAG) or remove (-TAG)",
                       "listdex tag +followed -- thread:0000002a"});
    if (query.empty())
        return report({ExitCode::usage, "tag: give a query ('*' means every message)",
                       "listdex tag +read -- list:linux-man d:..2024-01-01"});
    auto searcher = open_searcher(a.vm);
    if (!searcher)
        return report(searcher.error());
    uint64_t matches = 0;
    auto ids = matching_ids(**searcher, query, &matches);
    if (!ids)
        return report(ids.error());
    std::vector<TagEdit> edits;
    edits.reserve(ids->size());
    for (const auto& id : *ids) {
        edit.message_id = id;
        edits.push_back(edit);
    }
    if (edits.empty()) {
        std::cerr << "listdex: no message matches " << query << "\n";
        return 0;
    }
    auto done = apply_tags(index_paths(a.vm), edits);
    if (!done)
        return report(done.error());
    // Copies of a Message-ID beyond the matches change too: tags go by Message-ID.
    std::cerr << "listdex: " << counted(matches, "message", "messages") << " matched; "
              << thousands(done->messages) << " changed\n";
    return 0;
}

po::options_description tags_options()
{
    po::options_description d("Tags options");
    d.add_options()("output", po::value<std::string>()->value_name("FILE"), "dump: write to FILE, not stdout")(
        "format", po::value<std::string>()->default_value("text")->value_name("text|json"), "list: output format")(
        "action", po::value<std::vector<std::string>>()->multitoken(),
        "list, dump [QUERY] or restore [FILE] (positional)");
    return d;
}

namespace {

int tags_list(const po::variables_map& vm)
{
    auto counts = tag_counts(index_paths(vm));
    if (!counts)
        return report(counts.error());
    if (vm["format"].as<std::string>() == "json") {
        nlohmann::ordered_json all = nlohmann::ordered_json::array();
        for (const auto& [tag, n] : *counts)
            all.push_back({{"tag", tag}, {"messages", n}});
        std::cout << all.dump(2) << "\n";
        return 0;
    }
    for (const auto& [tag, n] : *counts)
        std::cout << tag << "  " << thousands(n) << "\n";
    return 0;
}

int tags_dump(const po::variables_map& vm, const std::string& query)
{
    auto tagged = read_tags(index_paths(vm));
    if (!tagged)
        return report(tagged.error());
    std::optional<std::set<std::string>> wanted;
    if (!query.empty()) {
        auto searcher = open_searcher(vm);
        if (!searcher)
            return report(searcher.error());
        auto ids = matching_ids(**searcher, query);
        if (!ids)
            return report(ids.error());
        wanted.emplace(ids->begin(), ids->end());
    }
    std::string out = "#notmuch-dump batch-tag:3 tags\n"
                      "#listdex: \"read\" marks read messages (notmuch's dumps mark unread ones \"unread\")\n";
    for (const auto& m : *tagged) {
        if (wanted && !wanted->contains(m.message_id))
            continue;
        for (const auto& t : m.tags)
            out += "+" + hex_encode(t) + " ";
        out += "-- " + id_term(m.message_id) + "\n";
    }
    if (!vm.count("output")) {
        std::cout << out;
        return 0;
    }
    const std::string path = vm["output"].as<std::string>();
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    file << out;
    file.close();
    if (!file)
        return report({ExitCode::failure, path + ": cannot write", {}});
    return 0;
}

int tags_restore(const po::variables_map& vm, const std::string& path)
{
    std::ifstream file;
    if (!path.empty() && path != "-") {
        file.open(path, std::ios::binary);
        if (!file)
            return report({ExitCode::bad_input, path + ": cannot read", {}});
    }
    std::istream& in = path.empty() || path == "-" ? std::cin : file;
    const std::string name = path.empty() || path == "-" ? std::string("stdin") : path;
    std::vector<TagEdit> edits;
    std::vector<bool> unread; // the line had notmuch's "unread"
    bool ours = false;        // a dump of listdex's: "read" is listed
    std::string line;
    for (size_t n = 1; std::getline(in, line); ++n) {
        if (line.starts_with("#listdex"))
            ours = true;
        if (line.empty() || line.front() == '#')
            continue;
        auto bad = [&](const std::string& why) {
            return report({ExitCode::usage, name + ":" + std::to_string(n) + ": " + why + "; nothing restored",
                           "lines read: +TAG ... -- id:MESSAGE-ID (notmuch dump --format=batch-tag)"});
        };
        const size_t sep = line.find(" -- id:") != std::string::npos ? line.find(" -- id:") : line.find("-- id:");
        if (sep == std::string::npos)
            return bad("no \"-- id:\"");
        TagEdit e;
        e.exact = true;
        auto id = read_id_term(std::string_view(line).substr(line.find("id:", sep)));
        if (!id || id->empty())
            return bad("a bad Message-ID");
        e.message_id = normalize_message_id(*id);
        bool has_unread = false;
        for (auto word : split(std::string_view(line).substr(0, sep), ' ')) {
            if (word.empty())
                continue;
            auto tag = word.size() > 1 && (word.front() == '+' || word.front() == '-') ? hex_decode(word.substr(1))
                                                                                        : std::nullopt;
            if (!tag)
                return bad("'" + std::string(word) + "' is not +TAG");
            if (word.front() == '-')
                continue; // a removal: exact sets leave it out anyway
            if (*tag == "unread") { // not a tag here: the absence of "read"
                has_unread = true;
                continue;
            }
            if (auto why = schema::tag_name_problem(*tag))
                return bad("'" + *tag + "': " + *why);
            e.add.push_back(*tag);
        }
        edits.push_back(std::move(e));
        unread.push_back(has_unread);
    }
    // notmuch lists unread messages with "unread" and read ones without;
    // listdex's own dumps list "read".
    for (size_t i = 0; i < edits.size(); ++i) {
        auto& add = edits[i].add;
        if (unread[i])
            std::erase(add, kReadTag);
        else if (!ours && std::ranges::find(add, kReadTag) == add.end())
            add.push_back(kReadTag);
    }
    auto done = apply_tags(index_paths(vm), edits);
    if (!done)
        return report(done.error());
    std::cerr << "listdex: restored the tags of " << thousands(edits.size() - done->missing) << " Message-IDs ("
              << thousands(done->messages) << " messages changed)";
    if (done->missing > 0)
        std::cerr << "; " << thousands(done->missing)
                  << " Message-IDs of the dump are not in the index: import their archives, then restore again";
    std::cerr << "\n";
    return 0;
}

} // namespace

int cmd_tags(const std::vector<std::string>& args)
{
    po::positional_options_description pos;
    pos.add("action", -1);
    po::variables_map vm;
    if (auto rc = parse_args(*find_command("tags"), args, pos, vm))
        return *rc;
    std::vector<std::string> words;
    if (vm.count("action"))
        words = vm["action"].as<std::vector<std::string>>();
    const std::string action = words.empty() ? "list" : words.front();
    const std::string rest = words.size() > 1 ? join({words.begin() + 1, words.end()}, " ") : std::string();
    if (action == "list" && rest.empty())
        return tags_list(vm);
    if (action == "dump")
        return tags_dump(vm, rest);
    if (action == "restore" && words.size() <= 2)
        return tags_restore(vm, rest);
    return report({ExitCode::usage, "tags: expected list, dump [QUERY] or restore [FILE]",
                   "listdex tags dump > tags.txt; listdex tags restore tags.txt"});
}

} // namespace listdex::cli
