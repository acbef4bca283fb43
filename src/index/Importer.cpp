// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "listdex/index/Importer.hpp"

#include "DocumentBuilder.hpp"
#include "ImportPipeline.hpp"
#include "StoredDocument.hpp"
#include "IndexWriter.hpp"
#include "XapianGuard.hpp"
#include "listdex/base/Hash.hpp"
#include "listdex/base/Text.hpp"
#include "listdex/base/Time.hpp"
#include "listdex/index/Schema.hpp"
#include "listdex/mbox/InputScanner.hpp"
#include "listdex/mbox/MboxReader.hpp"
#include "listdex/mbox/PublicInboxReader.hpp"
#include "listdex/mbox/TarReader.hpp"
#include "listdex/mime/MimeParser.hpp"
#include "listdex/mime/ParsedRecord.hpp"

#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <map>
#include <optional>
#include <set>
#include <thread>

namespace listdex {

ExitCode ImportReport::exit_code() const
{
    if (interrupted)
        return ExitCode::interrupted;
    if (rejected > 0 || !failed_files.empty())
        return ExitCode::partial;
    return ExitCode::ok;
}

namespace {

using Clock = std::chrono::steady_clock;

/// Progress counters the reader updates and the writer reports.
struct InputProgress {
    std::atomic<uint64_t> finished_bytes{0}; ///< sizes of inputs fully read
    std::atomic<uint64_t> current_bytes{0};  ///< consumed of the current input
    std::atomic<uint64_t> messages{0};
};

class Reader {
public:
    /// @p positions: where each git repository (by repository_key) was
    /// read up to by earlier imports.
    Reader(const std::vector<InputFile>& files, std::unique_ptr<ByteSource> stdin_source, Pipeline& pipe,
           InputProgress& progress, const ImportOptions& opt, std::map<std::string, std::string> positions)
        : files_(files), stdin_(std::move(stdin_source)), pipe_(pipe), progress_(progress), opt_(opt),
          positions_(std::move(positions)) {}

    void run()
    {
        for (const InputFile& f : files_) {
            if (stopping())
                break;
            read_file(f);
            progress_.finished_bytes += f.size;
            progress_.current_bytes = 0;
        }
        pipe_.finish_reading();
    }

    std::vector<std::string> failed_files; ///< read by the writer after join()
    std::vector<std::string> skipped_files; ///< members of tar archives that are not mail; the same

private:
    bool stopping() const { return opt_.stop && opt_.stop->load(); }
    /// The list of every message of @p f: --list, else its inbox's (git).
    const std::string& list_of(const InputFile& f) const { return opt_.list.empty() ? f.list : opt_.list; }

    void read_git(const InputFile& f)
    {
        const auto known = positions_.find(PublicInboxReader::repository_key(f.path));
        auto reader = PublicInboxReader::open(f.path, known == positions_.end() ? "" : known->second);
        if (!reader) {
            failed_files.push_back(reader.error().message);
            return;
        }
        for (;;) {
            if (stopping())
                return;
            auto item = (*reader)->next();
            if (!item) {
                failed_files.push_back(item.error().message + " (the commits before it were imported)");
                return;
            }
            if (!*item)
                return;
            if ((*item)->kind == RawMessage::Kind::message)
                ++progress_.messages;
            (*item)->list = list_of(f);
            if (!pipe_.push(std::move(**item)))
                return;
        }
    }

    /// Each file of a tar archive, sniffed as a file of a folder is.
    void read_tar(const InputFile& f)
    {
        auto tar = TarReader::open(f.path);
        if (!tar) {
            failed_files.push_back(tar.error().message);
            return;
        }
        for (;;) {
            if (stopping())
                return;
            auto member = (*tar)->next();
            if (!member) {
                failed_files.push_back(member.error().message + " (the files before it were imported)");
                return;
            }
            if (!*member)
                return;
            TarMember& m = **member;
            const std::string source = f.path + ":" + m.name;
            const std::string_view head = std::string_view(m.bytes).substr(0, 64 * 1024);
            switch (classify_content(head)) {
            case ContentKind::message:
                if (!push_message(std::move(m.bytes), source, f))
                    return;
                break;
            case ContentKind::mbox: {
                auto src = memory_byte_source(source, std::move(m.bytes));
                if (!read_mbox(*src, f))
                    return;
                break;
            }
            case ContentKind::empty: break;
            case ContentKind::tar:
            case ContentKind::not_mail: skipped_files.push_back(source + ": " + why_not_mail(head)); break;
            }
        }
    }

    /// One whole message (a file, a tar member); false when the import stops.
    bool push_message(std::string bytes, const std::string& source, const InputFile& f)
    {
        ++progress_.messages;
        RawMessage msg;
        msg.bytes = std::move(bytes);
        msg.source = source;
        msg.list = list_of(f);
        return pipe_.push(std::move(msg));
    }

    /// The messages of one mbox stream; false when the import stops.
    bool read_mbox(ByteSource& src, const InputFile& f)
    {
        MboxReader reader(src);
        for (;;) {
            if (stopping())
                return false;
            auto msg = reader.next();
            progress_.current_bytes = src.input_consumed();
            if (!msg) {
                failed_files.push_back(msg.error().message + " (at byte offset " + std::to_string(reader.offset()) +
                                       "; messages before it were imported)");
                return true;
            }
            if (!*msg)
                return true;
            ++progress_.messages;
            (*msg)->list = list_of(f);
            if (!pipe_.push(std::move(**msg)))
                return false;
        }
    }

    void read_file(const InputFile& f)
    {
        if (f.kind == InputKind::git) {
            read_git(f);
            return;
        }
        if (f.kind == InputKind::tar) {
            read_tar(f);
            return;
        }
        std::unique_ptr<ByteSource> src;
        if (f.path == "-") {
            src = std::move(stdin_);
        } else {
            auto opened = open_byte_source(f.path);
            if (!opened) {
                failed_files.push_back(opened.error().message);
                return;
            }
            src = std::move(*opened);
        }
        if (!src)
            return;
        if (f.kind == InputKind::empty)
            return;
        if (f.kind == InputKind::message) {
            auto bytes = src->read_all();
            if (!bytes) {
                failed_files.push_back(bytes.error().message);
                return;
            }
            push_message(std::move(*bytes), f.path, f);
            return;
        }
        read_mbox(*src, f);
    }

    const std::vector<InputFile>& files_;
    std::unique_ptr<ByteSource> stdin_;
    Pipeline& pipe_;
    InputProgress& progress_;
    const ImportOptions& opt_;
    std::map<std::string, std::string> positions_;
};

/// The workers' fast path for re-imports. Only an optimisation: the
/// writer's check is authoritative, so any failure here just means "parse it".
bool already_indexed(std::optional<IndexDatabase>& index, const std::string& hash)
{
    if (!index)
        return false;
    const std::string term = schema::term(schema::prefix::hash, hash);
    // guarded_read catches up with the shards' commits.
    auto known = guarded_read(*index, "looking up a message", [&]() -> Result<bool> { return index->db().term_exists(term); });
    return known && *known;
}

void work(Pipeline& pipe, const IndexPaths& paths, bool index_existed, const Limits& limits)
{
    MimeParser parser;
    DocumentBuilder builder;
    // A read-only view of what was committed before this import lets
    // re-imports skip known messages without parsing them.
    std::optional<IndexDatabase> existing;
    if (index_existed)
        if (auto opened = IndexDatabase::open(paths))
            existing.emplace(std::move(*opened)); // on failure the writer reports real problems
    while (auto job = pipe.take()) {
        Done d;
        d.raw = std::move(job->raw);
        d.footprint = footprint(d.raw);
        try {
            if (d.raw.kind == RawMessage::Kind::checkpoint) {
                // the writer's
            } else if (d.footprint > limits.max_message) {
                d.reject_reason = "message of " + std::to_string(d.footprint) +
                                  " bytes is larger than the import's memory setting allows (" +
                                  std::to_string(limits.max_message) + " bytes, a fifth of it); import it again "
                                  "with more memory (listdex import --memory MB)";
            } else if (auto loaded = d.raw.load ? d.raw.load() : Result<std::string>(std::move(d.raw.bytes)); !loaded) {
                d.reject_reason = loaded.error().message;
            } else {
                d.raw.load = nullptr;
                d.raw.bytes = std::move(*loaded);
                d.hash = message_hash(d.raw.bytes);
                if (d.raw.kind == RawMessage::Kind::removal) {
                    // the writer's
                } else if ((d.known = already_indexed(existing, d.hash))) {
                    // skipped without parsing
                } else if (auto pm = parser.parse(d.raw.bytes)) {
                    // Before the list override: what reading the raw copy gives.
                    d.parsed_record = encode_parsed_record(*pm);
                    if (!d.raw.list.empty()) // --list, or the inbox's configuration
                        pm->list_id = normalize_list_id(d.raw.list);
                    auto built = builder.build(*pm, d.hash);
                    d.doc = std::move(built.doc);
                    d.snippet_text = std::move(built.snippet_text);
                    d.same_key = std::move(built.same_key);
                    d.subject = std::move(built.subject);
                    d.parsed = std::move(*pm);
                } else {
                    d.reject_reason = pm.error().message;
                }
            }
        } catch (const Xapian::Error& e) {
            d.reject_reason = xapian_error("indexing", e).message;
        } catch (const std::exception& e) {
            d.reject_reason = std::string("cannot decode: ") + e.what();
        }
        pipe.complete(job->seq, std::move(d));
    }
}

} // namespace

Result<ImportReport> import_archives(const IndexPaths& index, const std::vector<std::string>& paths,
                                     const ImportOptions& opt)
{
    const auto started = Clock::now();
    // 1. Check every input before touching the index.
    auto scan = scan_inputs(paths);
    if (!scan)
        return std::unexpected(scan.error());
    std::unique_ptr<ByteSource> stdin_source;
    for (auto& f : scan->files) {
        if (f.path != "-")
            continue;
        auto src = open_byte_source("-");
        if (!src)
            return std::unexpected(src.error());
        auto head = (*src)->peek(64 * 1024);
        if (!head)
            return std::unexpected(head.error());
        switch (classify_content(*head)) {
        case ContentKind::mbox: f.kind = InputKind::mbox; break;
        case ContentKind::message: f.kind = InputKind::message; break;
        case ContentKind::empty: f.kind = InputKind::empty; break;
        case ContentKind::tar:
            return fail(ExitCode::bad_input, "-: a tar archive on standard input", "give its path instead");
        case ContentKind::not_mail:
            return fail(ExitCode::bad_input, "-: standard input is not a mailbox or a message");
        }
        stdin_source = std::move(*src);
    }

    // 2. Open (or create) the index; this takes the writer lock.
    const bool existed = index.exists();
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    auto writer = IndexWriter::open(index, opt.shards ? opt.shards : cores, opt.placement);
    if (!writer)
        return std::unexpected(writer.error());

    (*writer)->thread_by_subject(opt.subject_window);
    (*writer)->database_documents(opt.database_documents);
    // Where earlier imports left each git repository.
    std::map<std::string, std::string> positions;
    for (const auto& f : scan->files) {
        if (f.kind != InputKind::git)
            continue;
        const std::string key = PublicInboxReader::repository_key(f.path);
        auto value = (*writer)->metadata(std::string(schema::kGitPositionPrefix) + key);
        if (!value)
            return std::unexpected(value.error());
        if (!value->empty())
            positions[key] = value->substr(0, value->find(' '));
    }

    ImportReport report;
    report.skipped_files = scan->skipped;
    report.input_files = scan->files.size();
    uint64_t input_total = 0;
    for (const auto& f : scan->files)
        input_total += f.size;

    // 3. Run the pipeline.
    const Limits limits(opt.memory);
    limit_git_memory(opt.memory);
    Pipeline pipe(limits);
    InputProgress progress;
    Reader reader(scan->files, std::move(stdin_source), pipe, progress, opt, std::move(positions));
    const unsigned nworkers = opt.workers ? opt.workers : cores;
    std::thread reader_thread([&] { reader.run(); });
    std::vector<std::thread> workers;
    for (unsigned i = 0; i < nworkers; ++i)
        workers.emplace_back([&] { work(pipe, index, existed, limits); });

    auto report_progress = [&] {
        if (!opt.progress)
            return;
        ImportProgress p;
        p.messages = progress.messages;
        p.input_done = progress.finished_bytes + progress.current_bytes;
        p.input_total = input_total;
        p.seconds = std::chrono::duration<double>(Clock::now() - started).count();
        opt.progress(p);
    };

    const int64_t now = static_cast<int64_t>(std::time(nullptr));
    std::optional<int64_t> last_date;
    uint64_t batch_bytes = 0, batch_messages = 0, batch_terms = 0;
    auto last_tick = Clock::now();
    std::optional<Error> failure;

    auto record = [](std::vector<ImportIssue>& list, ImportIssue issue) {
        if (list.size() < ImportReport::kMaxListed)
            list.push_back(std::move(issue));
    };

    // One item, in input order. An error stops the import.
    auto handle = [&](Done& d) -> Result<void> {
        if (d.raw.kind == RawMessage::Kind::checkpoint)
            return {};
        if (d.raw.kind == RawMessage::Kind::message)
            ++report.messages_read;
        if (!d.reject_reason.empty()) { // unreadable, too large, or not a message at all
            ++report.rejected;
            record(report.rejected_messages, {d.raw.source, d.raw.offset, d.raw.commit, {}, {d.reject_reason}});
            return {};
        }
        if (d.raw.kind == RawMessage::Kind::removal) {
            auto removed = (*writer)->remove(d.hash);
            if (!removed)
                return std::unexpected(removed.error());
            ++(*removed ? report.removed : report.removals_unknown);
            return {};
        }
        if (d.known) {
            ++report.duplicates;
            return {};
        }
        auto dup = (*writer)->contains(d.hash);
        if (!dup)
            return std::unexpected(dup.error());
        if (*dup) {
            ++report.duplicates;
            return {};
        }
        const ParsedMessage& pm = *d.parsed;
        if (!d.same_key.empty()) {
            auto copy = (*writer)->add_copy(d.same_key, d.hash, pm.list_id);
            if (!copy)
                return std::unexpected(copy.error());
            if (*copy) {
                ++report.copies;
                ++batch_messages;
                return {};
            }
        }
        uint32_t flags = 0;
        int64_t date;
        if (pm.date) {
            date = *pm.date;
        } else if (d.raw.envelope_date && plausible_message_date(*d.raw.envelope_date, now)) {
            date = *d.raw.envelope_date;
            flags |= schema::Flag::date_from_envelope;
            ++report.dates_from_envelope;
        } else {
            date = last_date.value_or(now);
            flags |= schema::Flag::date_from_order;
            ++report.dates_from_order;
        }
        last_date = date;
        if (pm.damaged()) {
            flags |= schema::Flag::damaged;
            ++report.damaged;
            record(report.damaged_messages, {d.raw.source, d.raw.offset, d.raw.commit, pm.message_id, pm.problems});
        }
        if (pm.synthetic_id)
            flags |= schema::Flag::synthetic_id;
        if (pm.rebuilt_from_html) {
            flags |= schema::Flag::from_html;
            ++report.from_html;
        }
        if (pm.recovered) {
            flags |= schema::Flag::recovered;
            ++report.recovered;
            record(report.recovered_messages,
                   {d.raw.source, d.raw.offset, d.raw.commit, pm.message_id, {"line breaks restored"}});
        }
        d.doc.add_value(schema::Slot::date, Xapian::sortable_serialise(static_cast<double>(date)));
        d.doc.add_boolean_term(schema::month_term(date));
        d.doc.add_value(schema::Slot::received,
                        Xapian::sortable_serialise(static_cast<double>(pm.received.value_or(date))));
        batch_bytes += d.raw.bytes.size();
        batch_terms += d.doc.termlist_count();
        auto threaded = (*writer)->add(std::move(d.doc), std::move(d.raw.bytes), std::move(d.snippet_text),
                                       std::move(d.parsed_record), flags,
                                       d.hash, pm.list_id, d.same_key, {pm.message_id, pm.references, pm.in_reply_to},
                                       d.subject, date);
        if (!threaded)
            return std::unexpected(threaded.error());
        if (threaded->parent_by_subject)
            ++report.parents_by_subject;
        ++report.imported;
        ++batch_messages;
        return {};
    };

    std::set<std::string> unread_sources;
    std::map<std::string, std::string> absolute_sources; // as typed -> absolute
    while (auto d = pipe.next(std::chrono::milliseconds(200), report_progress)) {
        if (Clock::now() - last_tick > std::chrono::milliseconds(200)) {
            report_progress();
            last_tick = Clock::now();
        }
        if (auto r = handle(*d); !r) {
            failure = r.error();
            break;
        }
        // A git message that could not be read (a missing object, or larger
        // than --memory allows) holds its repository's position back, so
        // the next import reads it again.
        if (d->raw.load)
            unread_sources.insert(d->raw.source);
        if (d->raw.checkpoint && !unread_sources.contains(d->raw.source)) {
            // The path stored absolute: listdex update finds the repository
            // again from anywhere.
            auto [at, added] = absolute_sources.try_emplace(d->raw.source);
            if (added) {
                std::error_code ec;
                at->second = std::filesystem::weakly_canonical(d->raw.source, ec).string();
                if (ec)
                    at->second = std::filesystem::absolute(d->raw.source, ec).string();
            }
            (*writer)->reached(std::string(schema::kGitPositionPrefix) + d->raw.checkpoint->first,
                               d->raw.checkpoint->second + " " + at->second);
            if (!opt.list.empty())
                (*writer)->reached(std::string(schema::kGitListPrefix) + d->raw.checkpoint->first, opt.list);
        }
        if (batch_messages >= opt.batch_messages || batch_bytes >= limits.batch_bytes ||
            batch_terms >= limits.batch_terms) {
            if (auto r = (*writer)->commit(false); !r) {
                failure = r.error();
                break;
            }
            batch_bytes = batch_messages = batch_terms = 0;
        }
    }
    if (failure)
        pipe.abort();
    reader_thread.join();
    for (auto& t : workers)
        t.join();
    if (failure)
        return std::unexpected(*failure); // the writer's destructor drops the unfinished batch

    if (auto r = (*writer)->commit(true); !r)
        return std::unexpected(r.error());
    if (auto r = (*writer)->store_list_stats(); !r)
        return std::unexpected(r.error());
    report_progress();
    report.failed_files = std::move(reader.failed_files);
    report.skipped_files.insert(report.skipped_files.end(), reader.skipped_files.begin(), reader.skipped_files.end());
    report.interrupted = opt.stop && opt.stop->load();
    report.input_bytes = input_total;
    if (auto n = (*writer)->message_count())
        report.index_messages = *n;
    const bool bulk = report.imported > 0 && report.imported * 4 >= report.index_messages;
    const unsigned databases = std::ranges::max((*writer)->shard_databases());
    if (!report.interrupted) {
        if (opt.compact == ImportOptions::Compact::always)
            report.compacted_because = "--compact always";
        else if (opt.compact == ImportOptions::Compact::automatic && bulk)
            report.compacted_because = "the import added a quarter of the index or more";
        else if (opt.compact == ImportOptions::Compact::automatic && databases > kMostShardDatabases)
            report.compacted_because = "a shard held " + std::to_string(databases) + " databases";
    }
    if (!report.compacted_because.empty())
        if (auto r = (*writer)->compact(); !r)
            return std::unexpected(r.error());
    report.seconds = std::chrono::duration<double>(Clock::now() - started).count();
    return report;
}

} // namespace listdex
