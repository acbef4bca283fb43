// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "listdex/mbox/PublicInboxReader.hpp"

#include "listdex/base/Hash.hpp"
#include "listdex/base/Text.hpp"

#include "GitPtr.hpp"

#include <git2.h>

#include <algorithm>
#include <cstdlib>
#include <deque>
#include <map>
#include <mutex>
#include <regex>

namespace fs = std::filesystem;

namespace listdex {

namespace {

/// Serialises object reads when libgit2 was built without thread support
/// (Debian's has it: then reads run in parallel).
std::mutex g_unthreaded_reads;
bool g_threaded = true;

bool same_folder(const fs::path& a, const fs::path& b)
{
    std::error_code ec1, ec2;
    return fs::equivalent(a, b, ec1) && !ec1 && !ec2;
}

/// In a public-inbox configuration file, the list of the inbox whose
/// inboxdir is @p inbox (any inbox when @p inbox is empty).
std::string list_in_config(const fs::path& file, const std::optional<fs::path>& inbox)
{
    std::error_code ec;
    if (!fs::is_regular_file(file, ec))
        return {};
    Config cfg;
    if (git_config_open_ondisk(cfg.out(), file.c_str()) != 0)
        return {};
    ConfigIter it;
    if (git_config_iterator_new(it.out(), cfg.get()) != 0)
        return {};
    // publicinbox.<name>.<key>; names may contain dots.
    std::map<std::string, std::map<std::string, std::string>> inboxes;
    git_config_entry* entry = nullptr;
    while (git_config_next(&entry, it.get()) == 0) {
        const std::string_view name = entry->name;
        if (!name.starts_with("publicinbox."))
            continue;
        const size_t dot = name.rfind('.');
        if (dot <= 12)
            continue;
        const std::string inbox_name(name.substr(12, dot - 12));
        auto& keys = inboxes[inbox_name];
        keys.try_emplace(std::string(name.substr(dot + 1)), entry->value ? entry->value : "");
    }
    for (const auto& [name, keys] : inboxes) {
        if (inbox) {
            auto dir = keys.find("inboxdir");
            if (dir == keys.end())
                dir = keys.find("mainrepo"); // v1 configurations
            if (dir == keys.end() || !same_folder(dir->second, *inbox))
                continue;
        }
        if (auto id = keys.find("listid"); id != keys.end() && !id->second.empty())
            return ascii_lower(id->second);
        return ascii_lower(name);
    }
    return {};
}

} // namespace

void init_libgit2()
{
    static std::once_flag once;
    std::call_once(once, [] {
        git_libgit2_init();
        g_threaded = (git_libgit2_features() & GIT_FEATURE_THREADS) != 0;
        // Each message blob, commit and tree is read once: caching them
        // would only hold memory (every commit of an epoch, else).
        for (const git_object_t type : {GIT_OBJECT_BLOB, GIT_OBJECT_COMMIT, GIT_OBJECT_TREE})
            git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, type, static_cast<size_t>(0));
        // Re-hashing every object read (collision-detecting SHA-1) would
        // cost more than reading it; pack data is checked by zlib's adler32.
        git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
    });
}

std::string git_message()
{
    const git_error* e = git_error_last();
    return e && e->message ? e->message : "unknown libgit2 error";
}

void limit_git_memory(uint64_t budget)
{
    init_libgit2();
    // libgit2's defaults on 64 bits map packs in 1 GB windows up to 8 GB:
    // a whole lore epoch stays mapped, and every page read stays in RSS.
    const size_t mapped = std::max<uint64_t>(budget / 8, 16 << 20);
    git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, mapped);
    git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, std::min<size_t>(mapped / 2, 32 << 20));
    git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, static_cast<ssize_t>(std::max<uint64_t>(budget / 16, 4 << 20)));
}

std::optional<fs::path> git_dir_of(const fs::path& dir)
{
    std::error_code ec;
    if (fs::is_regular_file(dir / "HEAD", ec) && fs::is_directory(dir / "objects", ec) &&
        fs::is_directory(dir / "refs", ec))
        return dir;
    if (fs::is_directory(dir / ".git", ec) && git_dir_of(dir / ".git"))
        return dir / ".git";
    return std::nullopt;
}

std::optional<unsigned long> epoch_number(const fs::path& repo)
{
    static const std::regex epoch_name("([0-9]+)\\.git");
    std::smatch m;
    fs::path normal = repo.lexically_normal();
    if (normal.filename().empty()) // "git/0.git/"
        normal = normal.parent_path();
    const std::string name = normal.filename().string();
    if (!std::regex_match(name, m, epoch_name))
        return std::nullopt;
    return std::stoul(m[1].str());
}

std::vector<fs::path> inbox_epochs(const fs::path& dir)
{
    std::vector<std::pair<unsigned long, fs::path>> epochs;
    std::error_code ec;
    if (!fs::is_directory(dir / "git", ec))
        return {};
    for (fs::directory_iterator it(dir / "git", ec), end; !ec && it != end; it.increment(ec)) {
        if (const auto n = epoch_number(it->path()); n && git_dir_of(it->path()))
            epochs.emplace_back(*n, it->path());
    }
    std::sort(epochs.begin(), epochs.end());
    std::vector<fs::path> out;
    for (auto& [n, p] : epochs)
        out.push_back(std::move(p));
    return out;
}

fs::path inbox_folder(const fs::path& repo)
{
    const fs::path parent = repo.lexically_normal().parent_path();
    if (parent.filename() == "git" && !inbox_epochs(parent.parent_path()).empty())
        return parent.parent_path();
    return repo;
}

std::string inbox_list(const fs::path& inbox)
{
    init_libgit2();
    if (std::string l = list_in_config(inbox / "inbox.config.example", std::nullopt); !l.empty())
        return l;
    fs::path config;
    if (const char* pi = std::getenv("PI_CONFIG"); pi && *pi)
        config = pi;
    else if (const char* home = std::getenv("HOME"); home && *home)
        config = fs::path(home) / ".public-inbox" / "config";
    return config.empty() ? std::string() : list_in_config(config, inbox);
}

/// A commit to read, as the first-parent walk found it.
struct CommitStep {
    git_oid commit;
    git_oid tree;
    int64_t when; ///< author date
};

struct PublicInboxReader::Impl {
    std::string name;
    std::string key;
    Repo repo;
    std::shared_ptr<git_odb> odb; ///< shared with the items' loaders
    /// The commits to read, newest first (read from the back), when the
    /// history is a line: every public-inbox epoch's is.
    std::deque<CommitStep> steps;
    /// Otherwise (a merge somewhere), libgit2's walk in topological order.
    Walk walk;
    std::optional<std::string> head; ///< newest commit, when the repository has any
    std::deque<RawMessage> ready;
    bool finished = false;

    Error broken(const std::string& what) const
    {
        return {ExitCode::bad_input, name + ": " + what + ": " + git_message(), {}};
    }

    /// Walks first parents from @p newest back to the root or to @p stop
    /// (excluded), each commit parsed once, keeping 48 bytes of it. libgit2's
    /// sorted walk keeps about 200 bytes a commit (4 MB for linux-man's
    /// 17,885, 200 MB for a million) and each commit is looked up again for
    /// its tree. False, with no steps, at the first merge.
    Result<bool> walk_line(const git_oid& newest, const git_oid* stop)
    {
        git_oid at = newest;
        for (;;) {
            if (stop && git_oid_equal(&at, stop))
                return true;
            Commit commit;
            if (git_commit_lookup(commit.out(), repo.get(), &at) != 0)
                return std::unexpected(broken("commit " + oid_hex(at)));
            const unsigned parents = git_commit_parentcount(commit.get());
            if (parents > 1) {
                steps.clear();
                return false;
            }
            steps.push_back({at, *git_commit_tree_id(commit.get()), git_commit_author(commit.get())->when.time});
            if (parents == 0)
                return true;
            at = *git_commit_parent_id(commit.get(), 0);
        }
    }

    /// The next commit to read, oldest first, with its tree and author date;
    /// false after the last. @p commit is the commit itself when libgit2's
    /// walk had to look it up, else left empty.
    Result<bool> next_commit(git_oid& oid, Commit& commit, Tree& tree, int64_t& when)
    {
        if (walk) {
            const int rc = git_revwalk_next(&oid, walk.get());
            if (rc == GIT_ITEROVER)
                return false;
            if (rc != 0)
                return std::unexpected(broken("cannot walk its history"));
            if (git_commit_lookup(commit.out(), repo.get(), &oid) != 0 || git_commit_tree(tree.out(), commit.get()) != 0)
                return std::unexpected(broken("commit " + oid_hex(oid)));
            when = git_commit_author(commit.get())->when.time;
            return true;
        }
        if (steps.empty())
            return false;
        const CommitStep step = steps.back();
        steps.pop_back();
        oid = step.commit;
        when = step.when;
        if (git_tree_lookup(tree.out(), repo.get(), &step.tree) != 0)
            return std::unexpected(broken("commit " + oid_hex(oid)));
        return true;
    }
};

PublicInboxReader::PublicInboxReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PublicInboxReader::~PublicInboxReader() = default;

std::string PublicInboxReader::repository_key(const fs::path& repo)
{
    std::error_code ec;
    fs::path abs = fs::weakly_canonical(repo, ec);
    if (ec)
        abs = fs::absolute(repo, ec);
    return content_hash(abs.string());
}

Result<std::unique_ptr<PublicInboxReader>> PublicInboxReader::open(const fs::path& repo, const std::string& after)
{
    init_libgit2();
    auto impl = std::make_unique<Impl>();
    impl->name = repo.string();
    impl->key = repository_key(repo);
    if (git_repository_open_bare(impl->repo.out(), git_dir_of(repo).value_or(repo).c_str()) != 0)
        return fail(ExitCode::bad_input, impl->name + ": not a git repository: " + git_message());

    git_oid head;
    if (git_reference_name_to_id(&head, impl->repo.get(), "HEAD") != 0) {
        // HEAD may name a branch the mirror does not have: take any branch.
        ReferenceIter it;
        Reference ref;
        const bool found = git_reference_iterator_glob_new(it.out(), impl->repo.get(), "refs/heads/*") == 0 &&
                           git_reference_next(ref.out(), it.get()) == 0 &&
                           git_reference_name_to_id(&head, impl->repo.get(), git_reference_name(ref.get())) == 0;
        if (!found) { // an empty repository: nothing to read
            impl->finished = true;
            return std::unique_ptr<PublicInboxReader>(new PublicInboxReader(std::move(impl)));
        }
    }
    Odb odb;
    if (git_repository_odb(odb.out(), impl->repo.get()) != 0)
        return fail(ExitCode::bad_input, impl->name + ": cannot open its objects: " + git_message());
    impl->odb = std::shared_ptr<git_odb>(odb.release(), FreeWith<git_odb_free>());
    impl->head = oid_hex(head);
    git_oid since;
    // Only when `after` is still in the history: after a rewrite
    // (public-inbox-purge) everything is read again; known messages are
    // skipped by content.
    const bool resume = !after.empty() && git_oid_fromstr(&since, after.c_str()) == 0 &&
                        (git_oid_equal(&since, &head) || git_graph_descendant_of(impl->repo.get(), &head, &since) == 1);
    auto line = impl->walk_line(head, resume ? &since : nullptr);
    if (!line)
        return std::unexpected(line.error());
    if (!*line &&
        (git_revwalk_new(impl->walk.out(), impl->repo.get()) != 0 ||
         git_revwalk_sorting(impl->walk.get(), GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE) != 0 ||
         git_revwalk_push(impl->walk.get(), &head) != 0 || (resume && git_revwalk_hide(impl->walk.get(), &since) != 0)))
        return std::unexpected(impl->broken("cannot walk its history"));
    return std::unique_ptr<PublicInboxReader>(new PublicInboxReader(std::move(impl)));
}

Result<void> PublicInboxReader::read_commit()
{
    Impl& s = *impl_;
    git_oid oid;
    while (s.ready.empty()) {
        Commit commit;
        Tree tree;
        int64_t when = 0;
        auto more = s.next_commit(oid, commit, tree, when);
        if (!more)
            return std::unexpected(more.error());
        if (!*more) {
            s.finished = true;
            RawMessage end;
            end.kind = RawMessage::Kind::checkpoint;
            end.source = s.name;
            end.checkpoint.emplace(s.key, *s.head);
            s.ready.push_back(std::move(end));
            return {};
        }
        const std::string hex = oid_hex(oid);

        auto add_blob = [&](const git_oid& blob_id, RawMessage::Kind kind) {
            // A blob that cannot be read fails when loaded: that message is
            // rejected, the commits after it are still read.
            size_t size = 0;
            git_object_t type = GIT_OBJECT_INVALID;
            if (git_odb_read_header(&size, &type, s.odb.get(), &blob_id) != 0)
                size = 0;
            RawMessage msg;
            msg.kind = kind;
            msg.size = size;
            // Inflating the blob is most of the cost of reading git: the
            // parse workers do it, in parallel (libgit2's object database
            // may be read from several threads).
            msg.load = [odb = s.odb, blob_id, where = s.name + ": commit " + hex]() -> Result<std::string> {
                OdbObject object;
                std::unique_lock lock(g_unthreaded_reads, std::defer_lock);
                if (!g_threaded)
                    lock.lock();
                if (git_odb_read(object.out(), odb.get(), &blob_id) != 0)
                    return fail(ExitCode::bad_input, where + ": cannot read message blob " + oid_hex(blob_id) + ": " +
                                                         git_message());
                return std::string(static_cast<const char*>(git_odb_object_data(object.get())),
                                   git_odb_object_size(object.get()));
            };
            msg.source = s.name;
            msg.commit = hex;
            msg.envelope_date = when;
            s.ready.push_back(std::move(msg));
        };
        const git_tree_entry* m = git_tree_entry_byname(tree.get(), "m");
        const git_tree_entry* d = git_tree_entry_byname(tree.get(), "d");
        auto is_blob = [](const git_tree_entry* e) { return e && git_tree_entry_type(e) == GIT_OBJECT_BLOB; };
        if (is_blob(m) || is_blob(d)) { // v2
            if (is_blob(m))
                add_blob(*git_tree_entry_id(m), RawMessage::Kind::message);
            if (is_blob(d))
                add_blob(*git_tree_entry_id(d), RawMessage::Kind::removal);
        } else { // v1: what changed since the first parent
            Commit parent;
            Tree parent_tree;
            if (!commit && git_commit_lookup(commit.out(), s.repo.get(), &oid) != 0)
                return std::unexpected(s.broken("commit " + hex));
            if (git_commit_parentcount(commit.get()) > 0 &&
                (git_commit_parent(parent.out(), commit.get(), 0) != 0 || git_commit_tree(parent_tree.out(), parent.get()) != 0))
                return std::unexpected(s.broken("commit " + hex + ": parent"));
            Diff diff;
            if (git_diff_tree_to_tree(diff.out(), s.repo.get(), parent_tree.get(), tree.get(), nullptr) != 0)
                return std::unexpected(s.broken("commit " + hex + ": changes"));
            const size_t n = git_diff_num_deltas(diff.get());
            for (size_t i = 0; i < n; ++i) {
                const git_diff_delta* delta = git_diff_get_delta(diff.get(), i);
                if (delta->status == GIT_DELTA_DELETED || delta->status == GIT_DELTA_MODIFIED)
                    add_blob(delta->old_file.id, RawMessage::Kind::removal);
                if (delta->status == GIT_DELTA_ADDED || delta->status == GIT_DELTA_MODIFIED)
                    add_blob(delta->new_file.id, RawMessage::Kind::message);
            }
        }
        if (!s.ready.empty())
            s.ready.back().checkpoint.emplace(s.key, hex);
    }
    return {};
}

Result<std::optional<RawMessage>> PublicInboxReader::next()
{
    if (impl_->ready.empty() && !impl_->finished)
        if (auto r = read_commit(); !r)
            return std::unexpected(r.error());
    if (impl_->ready.empty())
        return std::optional<RawMessage>{};
    RawMessage msg = std::move(impl_->ready.front());
    impl_->ready.pop_front();
    return std::optional<RawMessage>(std::move(msg));
}

} // namespace listdex
