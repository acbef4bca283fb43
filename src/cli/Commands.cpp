// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "Commands.hpp"
#include "UserConfig.hpp"

#include "listdex/index/Schema.hpp"
#include "listdex/query/QueryDate.hpp"

#include <cerrno>
#include <cstring>
#include <algorithm>
#include <filesystem>
#include <iostream>

#include <unistd.h>

// The commands that decode mail (GMime) live in the listdex-mime helper
// binary; `listdex` itself links only what searching needs, so it starts in
// a third of the time, and hands those commands over (see main.cpp).
#ifdef LISTDEX_MIME_COMMANDS
#define MIME_COMMAND(run) run
#else
#define MIME_COMMAND(run) nullptr
#endif

namespace listdex::cli {

const std::vector<Command>& commands()
{
    static const std::vector<Command> list{
        {"import", "import mail archives into the index", "listdex import [options] PATH...",
         "PATH is an mbox file (mboxo, mboxrd, mboxcl, mboxcl2; LF or CRLF), the same compressed with\n"
         "gzip, bzip2, xz or zstd (Mailman's monthly 2013-March.txt.gz, HyperKitty's .mbox.gz), a\n"
         "Maildir folder, a public-inbox git archive (a v2 inbox folder with git/N.git epochs, one\n"
         "epoch, or a v1 repository), a folder of any of these, a single message (.eml), or - for\n"
         "standard input. Formats are detected from content, not from file names.\n"
         "Re-importing adds nothing: a message already indexed is skipped; a git archive is read\n"
         "from the commit the last import reached, removals included. A message already indexed\n"
         "from another list (same Message-ID, Date and sender) is stored once, under both lists.\n"
         "A message's list is --list, else its public-inbox inbox's listid, else its List-Id,\n"
         "X-Mailing-List or Mailing-List header. A damaged message is imported as far as it can\n"
         "be decoded and reported with its byte offset (or commit). Ctrl-C stops cleanly:\n"
         "everything read so far is committed. Guide: docs/importing.md.\n\n"
         "Exit status: 0 ok; 3 an input is missing or not mail (nothing imported); 6 the index is\n"
         "locked by another import; 7 finished, but messages were rejected or an input broke off;\n"
         "130 interrupted.",
         MIME_COMMAND(cmd_import), import_options},
        {"update", "fetch the public-inbox mirrors the index follows and import what is new",
         "listdex update [options]",
         "For every public-inbox git repository the index has imported (listdex import of a mirror),\n"
         "fetches the new commits from the remote it was cloned from (git fetch, with libgit2; a\n"
         "bare mirror as git clone --mirror, public-inbox-clone and grok-pull make), clones the\n"
         "remote's next epoch when it has started one (INBOX/git/N.git), then imports the new\n"
         "messages and removals, with every guarantee of listdex import. A repository without a\n"
         "remote is read again. --dry-run asks each remote and lists what would be fetched.\n"
         "A mirror that cannot be fetched is named on stderr; the others are still updated.\n\n"
         "Exit status: 0 ok (also when nothing is new); 4 no index; 6 locked; 7 finished, but a\n"
         "mirror could not be fetched or messages were rejected; 130 interrupted.",
         MIME_COMMAND(cmd_update), update_options},
        {"show", "print messages, decoded", "listdex show [options] ID...|QUERY",
         "ID is a Message-ID, with or without <>, or id:ID. When several distinct messages share a\n"
         "Message-ID, all are printed, each with a key ID#HASH that names just that message.\n"
         "Several IDs, or a QUERY (anything that is not a list of ids), print the messages\n"
         "grouped by thread in thread order, as `listdex thread` does (--entire-thread: their\n"
         "whole threads). Text attachments follow the body; --part and --save write attachments.\n"
         "Exit status: 0 ok; 4 no index; 5 no such message.",
         cmd_show, show_options},
        {"search", "find messages or threads", "listdex search [options] QUERY...",
         "QUERY uses the query language of listdex-query(7) (listdex help query): words (searching\n"
         "subject, body, quoted text, diffs, filenames and senders), \"phrases\", trailing wildcards\n"
         "(sigaction*), AND/OR/NOT (any case), +word/-word, parentheses, and the fields below.\n"
         "Words and fields are ANDed; repeating list: means any of those lists. A query that is\n"
         "exactly a Message-ID (<id> as pasted) finds that message. '*' matches everything.\n"
         "Threads print the date of their newest matching message (the order of the list, or\n"
         "the oldest with --sort oldest), matched/total messages, authors, subject and thread id;\n"
         "messages print date, sender, subject, id and a snippet. Every count is exact.\n"
         "Exit status: 0 ok (also when nothing matches); 2 invalid query; 4 no index.",
         cmd_search, search_options},
        {"count", "count matching messages or threads", "listdex count [options] [QUERY...]",
         "Prints the exact number of messages (or, with --output threads, threads) matching\n"
         "QUERY; without a query, or with '*', everything in the index. --format json prints\n"
         "{\"query\", \"output\", \"count\", \"exact\": true}.",
         cmd_count, count_options},
        {"lists", "list the mailing lists in the index", "listdex lists [options]",
         "Prints every list with its message count, thread count, and the dates of its first and\n"
         "last message. A message cross-posted to several lists counts under each. Search one\n"
         "list with list:ID, or list:NAME for the lists whose id starts with NAME.\n"
         "Exit status: 0 ok; 4 no index.",
         cmd_lists, lists_options},
        {"thread", "read a whole thread", "listdex thread [options] ID",
         "ID is the Message-ID of any message in the thread, or a thread id (thread:0000002a, as\n"
         "printed by search). Prints every message in thread order, each with a short header\n"
         "(the subject only where it changes), its decoded body, its text attachments and its\n"
         "attachment list, indented by depth (at most 6 levels; deeper messages say their depth).\n"
         "Bodies are never wrapped or cut. --headers-only prints the tree of the thread instead.\n"
         "On a terminal the output goes through a pager ($LISTDEX_PAGER, $PAGER, else less -FRX) and\n"
         "is coloured (--color, NO_COLOR). A thread id merged into another thread keeps working\n"
         "(a note on stderr names the new id). Messages the archive lacks appear as placeholders; a\n"
         "parent found by subject (import --thread-by-subject) is marked \"(linked by subject)\".\n"
         "Exit status: 0 ok; 4 no index; 5 no such message or thread.",
         cmd_thread, thread_options}, // in both: bodies hand over to the helper
        {"tag", "add or remove your tags on messages", "listdex tag +TAG|-TAG... [--] QUERY...",
         "Adds (+TAG) and removes (-TAG) tags on every message matching QUERY (all copies of a\n"
         "Message-ID alike), as notmuch tag does. Search them with tag:NAME and is:NAME. The tag\n"
         "\"read\" marks messages read (is:read; is:unread is its absence, and +unread/-unread\n"
         "remove/add it); \"followed\" on any message follows its thread (is:followed, listed first\n"
         "by listdex new). Tags are yours: imports keep them, the web server never shows them;\n"
         "`listdex tags dump` saves them for a new index. Tags hold no spaces, quotes, parentheses\n"
         "or '*'.\n"
         "Exit status: 0 ok (also when nothing matches); 2 bad tag or query; 4 no index; 6 an\n"
         "import holds the index (try again when it ends).",
         cmd_tag, tag_options},
        {"tags", "list, dump or restore your tags", "listdex tags [list | dump [QUERY] | restore [FILE]]",
         "list (the default): every tag with its message count. dump [QUERY]: the tags of every\n"
         "tagged message in notmuch's batch-tag format (+tag ... -- id:MESSAGE-ID, tags hex-\n"
         "encoded), to stdout or --output FILE. restore [FILE]: sets each listed message's tags to\n"
         "exactly those of the dump (stdin without FILE); a dump made by notmuch marks read every\n"
         "message it lists without \"unread\". Messages the index does not hold are counted on\n"
         "stderr. Dump before building a new index from the same archives; restore after.\n"
         "Exit status: 0 ok; 2 a malformed dump line (nothing restored); 4 no index; 6 locked.",
         cmd_tags, tags_options},
        {"new", "what is new on your lists since you last marked them read", "listdex new [options]",
         "For each list (or each --list), the threads with unread messages: every thread you\n"
         "follow (tagged \"followed\", or holding a message from an address of yours), then the\n"
         "newest --limit threads (default 50) as new threads and new replies in older threads;\n"
         "newest first, with exact totals. --mark marks exactly the messages of the threads\n"
         "listed read, so the next run shows only what arrived since (and what was not shown).\n"
         "Your addresses: \"address = ...\" lines in $XDG_CONFIG_HOME/listdex/config.\n"
         "Exit status: 0 ok; 2 bad options; 4 no index; 5 no such list; 6 locked (--mark during\n"
         "an import).",
         cmd_new, new_options},
        {"check", "verify the index; --repair fixes what it can", "listdex check [options]",
         "Verifies the configuration and schema, every shard, an unfinished commit round, every\n"
         "message's data and raw copy (read and hashed), shard placement, placeholders, parent\n"
         "and thread links, the thread counter and thread aliases, and lists every problem.\n"
         "--decoding also decodes every raw copy again and compares it with the decoding the\n"
         "import stored for reading, and counts messages without one (imported by an older\n"
         "listdex: read from the raw copy, slower); --repair --decoding stores fresh ones.\n"
         "--repair takes the write lock and fixes what can be fixed from the index itself\n"
         "(replays an unfinished round, removes placeholders of messages the index has, joins\n"
         "threads split from their parents', raises the thread counter), then checks again.\n"
         "Damaged raw copies cannot be repaired: re-import their archives.\n"
         "Exit status: 0 sound (or repaired); 1 problems remain; 4 no index; 6 locked (--repair).",
         MIME_COMMAND(cmd_check), check_options},
        {"compact", "merge each shard's databases into one, compactly", "listdex compact [options]",
         "An import adds its messages to a shard's newest database and starts another database\n"
         "when that one holds 50,000 documents (--database-documents), so that imports stay as\n"
         "fast in a large index as in a small one. Every search reads all of them: at a million\n"
         "messages, nine databases per shard made the costlier searches twice as slow as one.\n"
         "This rewrites each shard as one compact database, as an import's --compact does at its\n"
         "end: run it when the index is idle (45 s for 500,000 messages in each of two shards).\n"
         "Searches keep working meanwhile; an import started meanwhile is refused (exit 6). It\n"
         "prints the databases before and the size before and after.\n"
         "Exit status: 0 ok; 4 no index; 6 locked by an import.",
         MIME_COMMAND(cmd_compact), compact_options},
        {"serve", "serve the index over HTTP: archive pages, search, feeds, JSON", "listdex serve [options]",
         "A read-only web server over the index (pages and URLs: docs/web.md): the lists, each list's\n"
         "threads, search with the query language of `listdex search`, threads, decoded messages,\n"
         "raw messages, attachments, Atom feeds and a JSON API. It binds to 127.0.0.1:8080 unless\n"
         "--listen says otherwise, logs one line per request to stderr, and shows messages that\n"
         "an import adds meanwhile without a restart. Ctrl-C stops it.\n"
         "Exit status: 0 stopped; 1 cannot listen; 2 bad options; 4 no index.",
         MIME_COMMAND(cmd_serve), serve_options},
    };
    return list;
}

const Command* find_command(std::string_view name)
{
    for (const auto& c : commands())
        if (c.name == name)
            return &c;
    return nullptr;
}

namespace {

/// Levenshtein distance, for "did you mean".
size_t edit_distance(std::string_view a, std::string_view b)
{
    std::vector<size_t> row(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j)
        row[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        size_t diagonal = row[0];
        row[0] = i;
        for (size_t j = 1; j <= b.size(); ++j) {
            const size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = up;
        }
    }
    return row[b.size()];
}

/// The candidate closest to @p typed when it is close enough to be a typo
/// (at most 2 edits, or a prefix of exactly one candidate); "" otherwise.
std::string closest(std::string_view typed, const std::vector<std::string>& candidates)
{
    std::string best;
    size_t best_distance = 3, prefixed = 0;
    std::string prefix_match;
    for (const auto& c : candidates) {
        const size_t d = edit_distance(typed, c);
        if (d < best_distance) {
            best_distance = d;
            best = c;
        }
        if (!typed.empty() && c.starts_with(typed)) {
            ++prefixed;
            prefix_match = c;
        }
    }
    if (best.empty() && prefixed == 1)
        best = prefix_match;
    return best;
}

} // namespace

std::string did_you_mean_command(std::string_view typed)
{
    std::vector<std::string> names{"help"};
    for (const auto& c : commands())
        names.emplace_back(c.name);
    const std::string best = closest(typed, names);
    return best.empty() ? std::string() : "; did you mean '" + best + "'?";
}

/// What import and update share: everything but the paths.
po::options_description import_settings()
{
    po::options_description d("Import options");
    d.add_options()("quiet,q", "no progress and no summary (errors are still printed)")(
        "format", po::value<std::string>()->default_value("text")->value_name("text|json"),
        "summary format")("verbose,v", "list every damaged message and skipped file")(
        "jobs,j", po::value<unsigned>()->default_value(0)->value_name("N"),
        "parse threads (default: one per core)")(
        "shards", po::value<unsigned>()->default_value(0)->value_name("N"),
        "Xapian shards of a new index, each written by its own thread (default: one per core; an existing index "
        "keeps its own)")(
        "shard-by", po::value<std::string>()->value_name("message|list"),
        "how a new index places messages in shards: by a hash of each message (default), or by list, so that "
        "a shard holds whole lists (to serve lists from different hosts)")(
        "list-shard", po::value<std::vector<std::string>>()->value_name("LIST=N"),
        "with --shard-by list: put LIST's messages in shard N (before its first import; repeatable; recorded in "
        "listdex.conf)")(
        "memory", po::value<unsigned>()->default_value(400)->value_name("MB"),
        "peak memory of the import; a fifth of it is the largest message accepted")(
        "compact", po::value<std::string>()->default_value("auto")->value_name("auto|always|never"),
        "rewrite the index compactly afterwards (auto: when the import added a quarter of it or more, "
        "or left a shard of more than 4 databases)")(
        "database-documents", po::value<unsigned>()->default_value(unsigned{kDatabaseDocuments})->value_name("N"),
        "a shard's newest database takes new messages until it holds N documents, then another "
        "starts (0: never; listdex compact merges them)")(
        "list", po::value<std::string>()->value_name("NAME"),
        "the list every imported message belongs to (wins over headers and inbox configuration)")(
        "thread-by-subject",
        "a reply (\"Re: ...\") without In-Reply-To/References joins the newest earlier message with the "
        "same subject; such links are marked as inferred")(
        "subject-window", po::value<unsigned>()->default_value(30)->value_name("DAYS"),
        "--thread-by-subject links messages at most this many days apart");
    return d;
}

po::options_description import_options()
{
    po::options_description d = import_settings();
    d.add_options()("path", po::value<std::vector<std::string>>()->multitoken(), "mbox, Maildir, .eml or - (positional)");
    return d;
}

po::options_description update_options()
{
    po::options_description d("Update options");
    d.add_options()("dry-run,n", "list what would be fetched and cloned (asks each remote); change nothing");
    d.add(import_settings());
    return d;
}

po::options_description check_options()
{
    po::options_description d("Check options");
    d.add_options()("repair", "fix what can be fixed (takes the write lock)")(
        "decoding", "also decode every message's raw copy again and compare it with its stored decoding (slow)")(
        "format", po::value<std::string>()->default_value("text")->value_name("text|json"), "report format");
    return d;
}

po::options_description compact_options()
{
    po::options_description d("Compact options");
    d.add_options()("format", po::value<std::string>()->default_value("text")->value_name("text|json"), "report format");
    return d;
}

po::options_description serve_options()
{
    po::options_description d("Serve options");
    d.add_options()("listen", po::value<std::string>()->default_value("127.0.0.1:8080")->value_name("HOST:PORT"),
                    "address to listen on (port 0: any free port, printed at start)")(
        "threads", po::value<unsigned>()->default_value(0)->value_name("N"),
        "request threads (default: 4 per core, at least 8)")(
        "page-size", po::value<unsigned>()->default_value(50)->value_name("N"), "results per page")(
        "search-seconds", po::value<double>()->default_value(3)->value_name("S"),
        "a search taking longer is answered with an error page")(
        "mbox-limit", po::value<uint64_t>()->default_value(10000)->value_name("N"),
        "most messages one mbox download of search results may hold (more is an error)")(
        "header-seconds", po::value<double>()->default_value(10)->value_name("S"),
        "a request must arrive whole within S seconds (else 408)")(
        "max-per-client", po::value<unsigned>()->default_value(128)->value_name("N"),
        "open connections per client address (0: no cap; behind a proxy, let the proxy cap)")(
        "quiet,q", "no request log");
    return d;
}

po::options_description reading_options()
{
    po::options_description d("Reading options");
    d.add_options()("no-pager", "print straight to stdout, even on a terminal")(
        "color", po::value<std::string>()->default_value("auto")->value_name("auto|always|never"),
        "colour header names, quote levels and patches (auto: on a terminal, unless NO_COLOR is set)");
    return d;
}

po::options_description show_options()
{
    po::options_description d("Show options");
    d.add_options()("raw", "print the original message bytes exactly")(
        "entire-thread", "with several ids or a query: print the whole threads")(
        "format", po::value<std::string>()->default_value("text")->value_name("text|json"), "output format")(
        "part", po::value<unsigned>()->value_name("N"), "write MIME part N (the [N] of the attachment list), decoded")(
        "output", po::value<std::string>()->value_name("FILE"), "with --part: write to FILE instead of stdout")(
        "save", po::value<std::string>()->value_name("DIR"), "save every attachment into DIR under its own name")(
        "id", po::value<std::vector<std::string>>()->multitoken(), "Message-IDs or a query (positional)");
    d.add(reading_options());
    return d;
}

po::options_description thread_options()
{
    po::options_description d("Thread options");
    d.add_options()("format", po::value<std::string>()->default_value("text")->value_name("text|json|mbox"),
                    "the messages with bodies, nested JSON, or the raw messages as an mboxrd file")(
        "headers-only", "with text: one line per message, as an indented tree")(
        "id", po::value<std::string>(), "Message-ID or thread id (positional)");
    d.add(reading_options());
    return d;
}

po::options_description common_options()
{
    po::options_description d("Common options");
    d.add_options()("index", po::value<std::string>()->value_name("DIR"),
                    "index folder (default: $LISTDEX_INDEX, else $XDG_DATA_HOME/listdex, else "
                    "~/.local/share/listdex)")("help,h", "show this help");
    return d;
}

std::string field_help()
{
    std::string out = "Fields (long and short names):\n";
    for (const auto& f : schema::kFields) {
        std::string names;
        schema::detail::for_each_name(f, [&](std::string_view n) { names += (names.empty() ? "" : " ") + std::string(n) + ":"; });
        names.resize(std::max<size_t>(names.size() + 1, 24), ' ');
        out += "  " + names + std::string(f.what) + (f.personal ? " [yours: not on the web]" : "") + "\n";
    }
    out += "Dates (d: dt: rt:): " + std::string(kDateForms) + ".\n";
    return out;
}

void print_query_help()
{
    // The source of listdex-query(7) (help2man): "Examples:" becomes its
    // EXAMPLES section, and the "  $ " lines are set verbatim there.
    std::cout << "Usage: listdex search|count|show|tag [options] QUERY...\n\n"
                 "The query language of listdex search, count, show, tag and tags dump, and of the web\n"
                 "server's search box. Its vocabulary is public-inbox's (lore.kernel.org, lei, b4), with\n"
                 "notmuch's long field names beside the short ones. The full reference, with what each\n"
                 "field indexes and how listdex differs from public-inbox and notmuch, is docs/query.md.\n\n"
                 "Words: a plain word matches its English stem (running: also runs, run) in the subject,\n"
                 "the body (own lines, quoted lines, diffs, text attachments), senders and attachment\n"
                 "names. \"A phrase\" matches those words adjacent and in order. A trailing * matches\n"
                 "words that start so, as written (sigaction*). '*' alone matches every message. A\n"
                 "query that is exactly a Message-ID (<id> as pasted from a mail client) finds it.\n\n"
                 "Operators: words and fields are ANDed; AND, OR, NOT (any case), +word (must), -word\n"
                 "(must not) and parentheses. Repeating list: means any of those lists.\n\n"
                 "Errors: a query that cannot be answered as written (an unknown field, a date that\n"
                 "cannot be read, unbalanced quotes or parentheses) is an error, exit status 2, never\n"
                 "another query. Every count is exact.\n\n"
              << field_help()
              << "\nExamples:\n"
                 "  $ listdex search 'from:mtk s:patch date:2024..'\n"
                 "  $ listdex search --output messages '\"memory barrier\" -s:re'\n"
                 "  $ listdex search 'list:linux-man AND (mmap OR madvise)'\n"
                 "  $ listdex count --output threads 'date:2.weeks.ago..'\n"
                 "  $ listdex search 'n:*.patch dfn:Makefile dfb:strscpy'\n"
                 "  $ listdex search --output mbox --threads 's:\"PATCH v2\"' | git am\n"
                 "  $ listdex tag +followed -- 'thread:0000002a'\n"
                 "  $ listdex search 'is:unread is:followed'\n";
}

void print_command_help(const Command& c)
{
    // The exit status gets a paragraph of its own (also in the man page).
    std::string details(c.details);
    if (const size_t at = details.find("\nExit status:"); at != std::string::npos && details[at - 1] != '\n')
        details.insert(at, "\n");
    std::cout << "Usage: " << c.usage << "\n\n" << c.summary << ".\n\n" << details << "\n\n";
    if (c.name == "search" || c.name == "count")
        std::cout << field_help() << "\n";
    po::options_description all;
    all.add(c.options()).add(common_options());
    std::cout << all;
}

void print_overview()
{
    std::cout << "Usage: listdex [--version] [--help] COMMAND [ARGS]\n\n"
                 "listdex decodes and indexes mailing-list archives.\n\nCommands:\n";
    for (const auto& c : commands()) {
        std::string name(c.name);
        name.resize(10, ' ');
        std::cout << "  " << name << c.summary << "\n";
    }
    std::cout << "  help      show help for a command (listdex help COMMAND) or a topic\n\n"
                 "Topics:\n"
                 "  query     the query language: words, phrases, operators, fields, dates\n\n"
                 "Run `listdex help COMMAND` or `listdex COMMAND --help` for a command's options. Each\n"
                 "command has a manual page, listdex-COMMAND(1); the query language is listdex-query(7).\n";
}

std::optional<int> parse_args(const Command& command, const std::vector<std::string>& args,
                              const po::positional_options_description& positional, po::variables_map& vm)
{
    po::options_description all;
    all.add(command.options()).add(common_options());
    try {
        po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
        if (vm.count("help")) {
            print_command_help(command);
            return 0;
        }
        po::notify(vm);
    } catch (const po::error& e) {
        std::string hint;
        if (const auto* unknown = dynamic_cast<const po::unknown_option*>(&e)) {
            std::string typed = unknown->get_option_name();
            typed.erase(0, typed.find_first_not_of('-'));
            std::vector<std::string> names;
            for (const auto& o : all.options())
                names.push_back(o->long_name());
            if (std::string best = closest(typed, names); !best.empty())
                hint = "; did you mean --" + best + "?";
        }
        std::cerr << "listdex " << command.name << ": " << e.what() << hint << "\n"
                  << "usage: " << command.usage << "\n"
                  << "  (listdex help " << command.name << " for the options)\n";
        return static_cast<int>(ExitCode::usage);
    }
    return std::nullopt;
}

IndexPaths index_paths(const po::variables_map& vm)
{
    return resolve_index_paths(vm.count("index") ? vm["index"].as<std::string>() : "");
}

Result<std::unique_ptr<Searcher>> open_searcher(const po::variables_map& vm)
{
    auto reader = read_user_config();
    if (!reader)
        return std::unexpected(reader.error());
    auto searcher = Searcher::open(index_paths(vm));
    if (searcher)
        (*searcher)->set_reader(std::move(*reader));
    return searcher;
}

Result<OutputStyle> reading_style(const po::variables_map& vm)
{
    const std::string when = vm["color"].as<std::string>();
    ColourWhen colour = ColourWhen::automatic;
    if (when == "always")
        colour = ColourWhen::always;
    else if (when == "never")
        colour = ColourWhen::never;
    else if (when != "auto")
        return fail(ExitCode::usage, "--color must be auto, always or never");
    return output_style(colour, vm.count("no-pager") == 0);
}

std::filesystem::path mime_helper_path(const std::filesystem::path& self)
{
    // Beside listdex in a build folder; under PREFIX/libexec/listdex/ when
    // installed (GNUInstallDirs: PREFIX/bin/listdex), wherever PREFIX is.
    const auto beside = self.parent_path() / "listdex-mime";
    if (std::filesystem::exists(beside))
        return beside;
    return self.parent_path().parent_path() / LISTDEX_LIBEXEC_RELATIVE / "listdex-mime";
}

namespace {
char** program_arguments = nullptr;
} // namespace

void keep_program_arguments(char** argv)
{
    program_arguments = argv;
}

int run_mime_helper()
{
    char** argv = program_arguments;
    std::error_code ec;
    const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    const auto helper = mime_helper_path(ec ? std::filesystem::absolute(argv[0]) : self);
    ::execv(helper.c_str(), argv);
    return report({ExitCode::failure, "cannot run " + helper.string() + ": " + std::strerror(errno),
                   "listdex-mime is installed with listdex (beside it, or in PREFIX/libexec/listdex); reinstall "
                   "listdex"});
}

std::optional<int> check_choice(const po::variables_map& vm, std::string_view command, const std::string& option,
                                std::initializer_list<std::string_view> values)
{
    const std::string value = vm[option].as<std::string>();
    if (std::find(values.begin(), values.end(), value) != values.end())
        return std::nullopt;
    std::string choices;
    size_t n = 0;
    for (std::string_view v : values) {
        ++n;
        choices += std::string(n == 1 ? "" : n == values.size() ? " or " : ", ") + std::string(v);
    }
    return report({ExitCode::usage, std::string(command) + ": --" + option + " must be " + choices, {}});
}

int report(const Error& e)
{
    std::cerr << "listdex: " << e.describe() << "\n";
    return static_cast<int>(e.code);
}

} // namespace listdex::cli
