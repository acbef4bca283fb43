// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "listdex/mbox/GitFetch.hpp"

#include "listdex/mbox/PublicInboxReader.hpp"

#include "GitPtr.hpp"

#include <regex>

namespace fs = std::filesystem;

namespace listdex {

namespace {

Result<void> open_repo(Repo& repo, const fs::path& path)
{
    init_libgit2();
    if (git_repository_open(repo.out(), path.c_str()) != 0)
        return fail(ExitCode::bad_input, path.string() + ": not a git repository: " + git_message());
    return {};
}

/// Opens @p m's repository and its remote.
Result<void> open_remote(Repo& repo, Remote& remote, const Mirror& m)
{
    if (auto r = open_repo(repo, m.repo); !r)
        return r;
    if (git_remote_lookup(remote.out(), repo.get(), m.remote.c_str()) != 0)
        return fail(ExitCode::failure, m.repo.string() + ": no remote '" + m.remote + "': " + git_message());
    return {};
}

/// The name HEAD points at ("refs/heads/master"); empty when detached.
std::string head_branch(git_repository* repo)
{
    Reference head;
    if (git_reference_lookup(head.out(), repo, "HEAD") != 0 || git_reference_type(head.get()) != GIT_REFERENCE_SYMBOLIC)
        return {};
    return git_reference_symbolic_target(head.get());
}

/// Connects @p remote for fetching and returns the commit of @p branch there
/// (else of the remote's HEAD); empty when the remote has neither.
Result<std::string> listed_tip(git_remote* remote, const std::string& branch, const std::string& url)
{
    // (libgit2's *_init functions rather than its INIT macros, which leave
    // fields out of the braces: clang warns.)
    git_remote_callbacks callbacks;
    git_remote_init_callbacks(&callbacks, GIT_REMOTE_CALLBACKS_VERSION);
    if (git_remote_connect(remote, GIT_DIRECTION_FETCH, &callbacks, nullptr, nullptr) != 0)
        return fail(ExitCode::failure, url + ": cannot reach the remote: " + git_message());
    const git_remote_head** heads = nullptr;
    size_t count = 0;
    if (git_remote_ls(&heads, &count, remote) != 0)
        return fail(ExitCode::failure, url + ": cannot list its branches: " + git_message());
    std::string head;
    for (size_t i = 0; i < count; ++i) {
        const std::string_view name = heads[i]->name;
        if (!branch.empty() && name == branch)
            return oid_hex(heads[i]->oid);
        if (name == "HEAD")
            head = oid_hex(heads[i]->oid);
    }
    return head;
}

} // namespace

Result<Mirror> read_mirror(const fs::path& path)
{
    Repo repo;
    if (auto r = open_repo(repo, path); !r)
        return std::unexpected(r.error());
    Mirror m;
    m.repo = path;
    m.bare = git_repository_is_bare(repo.get()) != 0;
    git_strarray names{};
    if (git_remote_list(&names, repo.get()) == 0) {
        for (size_t i = 0; i < names.count; ++i)
            if (std::string_view(names.strings[i]) == "origin" || names.count == 1)
                m.remote = names.strings[i];
        git_strarray_dispose(&names);
    }
    if (!m.remote.empty()) {
        Remote remote;
        if (git_remote_lookup(remote.out(), repo.get(), m.remote.c_str()) == 0 && git_remote_url(remote.get()))
            m.url = git_remote_url(remote.get());
    }
    git_oid tip;
    if (git_reference_name_to_id(&tip, repo.get(), "HEAD") == 0)
        m.tip = oid_hex(tip);
    return m;
}

Result<std::string> remote_tip(const Mirror& m)
{
    Repo repo;
    Remote remote;
    if (auto r = open_remote(repo, remote, m); !r)
        return std::unexpected(r.error());
    return listed_tip(remote.get(), head_branch(repo.get()), m.url);
}

Result<std::string> fetch_mirror(const Mirror& m)
{
    if (!m.bare)
        return fail(ExitCode::failure, m.repo.string() + ": a clone with a work tree; its branch moves with git pull",
                    "listdex update fetches bare mirrors (git clone --mirror, public-inbox-clone, grok-pull)");
    Repo repo;
    Remote remote;
    if (auto r = open_remote(repo, remote, m); !r)
        return std::unexpected(r.error());
    git_fetch_options options;
    git_fetch_options_init(&options, GIT_FETCH_OPTIONS_VERSION);
    // A `git clone --bare` has no fetch refspec: its branches are updated
    // as a mirror's are. Forced, as public-inbox-purge rewrites history.
    git_strarray configured{};
    git_remote_get_fetch_refspecs(&configured, remote.get());
    char branches[] = "+refs/heads/*:refs/heads/*";
    char* mirror_spec[] = {branches};
    const git_strarray fallback{mirror_spec, 1};
    const bool none = configured.count == 0;
    git_strarray_dispose(&configured);
    if (git_remote_fetch(remote.get(), none ? &fallback : nullptr, &options, "listdex update") != 0)
        return fail(ExitCode::failure, m.repo.string() + ": fetching " + m.url + " failed: " + git_message());
    git_oid tip;
    if (git_reference_name_to_id(&tip, repo.get(), "HEAD") != 0)
        return std::string();
    return oid_hex(tip);
}

std::optional<NextEpoch> next_epoch(const Mirror& newest)
{
    // public-inbox epochs: INBOX/git/N.git here, URL/git/N.git (or URL/N,
    // as lore.kernel.org lists them) there.
    static const std::regex epoch_url("(.*/)([0-9]+)(\\.git)?/?");
    const auto n = epoch_number(newest.repo);
    std::smatch there;
    if (!n || newest.url.empty() || !std::regex_match(newest.url, there, epoch_url) ||
        there[2].str() != std::to_string(*n))
        return std::nullopt;
    const std::string next = std::to_string(*n + 1);
    fs::path repo = newest.repo.lexically_normal();
    if (repo.filename().empty()) // "git/0.git/"
        repo = repo.parent_path();
    NextEpoch out{there[1].str() + next + there[3].str(), repo.parent_path() / (next + ".git")};
    if (fs::exists(out.dest))
        return std::nullopt;
    init_libgit2();
    Remote remote;
    if (git_remote_create_detached(remote.out(), out.url.c_str()) != 0)
        return std::nullopt;
    auto tip = listed_tip(remote.get(), "", out.url);
    if (!tip || tip->empty())
        return std::nullopt;
    return out;
}

namespace {

int create_mirror_remote(git_remote** out, git_repository* repo, const char* name, const char* url, void*)
{
    if (git_remote_create_with_fetchspec(out, repo, name, url, "+refs/*:refs/*") != 0)
        return -1;
    Config config;
    if (git_repository_config(config.out(), repo) != 0)
        return -1;
    return git_config_set_bool(config.get(), (std::string("remote.") + name + ".mirror").c_str(), 1);
}

} // namespace

Result<void> clone_mirror(const std::string& url, const fs::path& dest)
{
    init_libgit2();
    // Cloned beside its place and renamed into it: an import never sees
    // half an epoch.
    const fs::path partial = dest.string() + ".partial";
    std::error_code ec;
    fs::remove_all(partial, ec);
    git_clone_options options;
    git_clone_options_init(&options, GIT_CLONE_OPTIONS_VERSION);
    options.bare = 1;
    options.remote_cb = create_mirror_remote;
    Repo repo;
    if (git_clone(repo.out(), url.c_str(), partial.c_str(), &options) != 0) {
        const std::string why = git_message();
        fs::remove_all(partial, ec);
        return fail(ExitCode::failure, "cloning " + url + " into " + dest.string() + " failed: " + why);
    }
    fs::rename(partial, dest, ec);
    if (ec)
        return fail(ExitCode::failure, "cannot move " + partial.string() + " to " + dest.string() + ": " + ec.message());
    return {};
}

} // namespace listdex
