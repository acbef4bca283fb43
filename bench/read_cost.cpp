// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
//
// What reading the same mail costs listdex's readers alone, before any
// parsing or indexing: for each SOURCE (an mbox, compressed or not, or a
// public-inbox epoch), the CPU time of reading every message the way an
// import does (MboxReader; PublicInboxReader with each blob loaded). For
// an epoch also the same reading in libgit2 calls, step by step, and what
// a faster inflater would change: the message blobs compressed again at
// zlib's default level (what git writes), inflated by zlib (what libgit2
// inflates with) and by libdeflate.
//
//   cmake --build build --target read_cost   (built with the rest)
//   build/read_cost [--rounds N] SOURCE...
//
// Prints the least CPU milliseconds of N rounds (default 3) for each.
#include "listdex/base/CPtr.hpp"
#include "listdex/mbox/ByteSource.hpp"
#include "listdex/mbox/MboxReader.hpp"
#include "listdex/mbox/PublicInboxReader.hpp"
#include "mbox/GitPtr.hpp"

#include <git2.h>
#include <libdeflate.h>
#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace listdex;

using Inflater = CPtr<libdeflate_decompressor, libdeflate_free_decompressor>;

double cpu_ms(const std::function<void()>& f)
{
    timespec a{}, b{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
    f();
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
    return (b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6;
}

void check(int rc, const char* what)
{
    if (rc != 0) {
        std::fprintf(stderr, "%s: %s\n", what, git_message().c_str());
        std::exit(1);
    }
}

template <typename T> T value_or_exit(Result<T> r)
{
    if (!r) {
        std::fprintf(stderr, "%s\n", r.error().message.c_str());
        std::exit(1);
    }
    return std::move(*r);
}

/// Every message of @p path read as an import reads it: messages and bytes.
std::pair<size_t, size_t> read_all(const std::string& path, bool git)
{
    size_t messages = 0, bytes = 0;
    auto count = [&](const RawMessage& m) {
        if (m.kind == RawMessage::Kind::message) {
            ++messages;
            bytes += m.bytes.size();
        }
    };
    if (git) {
        auto reader = value_or_exit(PublicInboxReader::open(path, ""));
        while (auto m = value_or_exit(reader->next())) {
            if (m->load)
                m->bytes = value_or_exit(m->load());
            count(*m);
        }
    } else {
        auto source = value_or_exit(open_byte_source(path));
        MboxReader reader(*source);
        while (auto m = value_or_exit(reader.next()))
            count(*m);
    }
    return {messages, bytes};
}

/// libgit2 alone, step by step, on the epoch @p path.
void git_steps(const char* path, int rounds)
{
    std::vector<git_oid> commits, trees_of, blobs;
    std::vector<std::string> texts;
    double walk = 1e300, trees = 1e300, headers = 1e300, reads = 1e300, zlib_ms = 1e300, deflate_ms = 1e300;
    for (int r = 0; r < rounds; ++r) {
        // Opened again each round, as each import does: no pack mapped,
        // no delta base cached from the round before.
        Repo repo;
        check(git_repository_open_bare(repo.out(), path), path);
        Odb odb;
        check(git_repository_odb(odb.out(), repo.get()), "odb");
        git_oid head;
        check(git_reference_name_to_id(&head, repo.get(), "HEAD"), "HEAD");
        // The first-parent walk from the newest commit, each commit parsed
        // once (PublicInboxReader's walk of a history that is a line).
        walk = std::min(walk, cpu_ms([&] {
            commits.clear();
            trees_of.clear();
            git_oid at = head;
            for (;;) {
                Commit commit;
                check(git_commit_lookup(commit.out(), repo.get(), &at), "commit");
                commits.push_back(at);
                trees_of.push_back(*git_commit_tree_id(commit.get()));
                if (git_commit_parentcount(commit.get()) == 0)
                    break;
                at = *git_commit_parent_id(commit.get(), 0);
            }
        }));
        // Each commit's tree read, oldest first.
        trees = std::min(trees, cpu_ms([&] {
            blobs.clear();
            for (auto t = trees_of.rbegin(); t != trees_of.rend(); ++t) {
                Tree tree;
                check(git_tree_lookup(tree.out(), repo.get(), &*t), "tree");
                if (const git_tree_entry* m = git_tree_entry_byname(tree.get(), "m"))
                    blobs.push_back(*git_tree_entry_id(m));
            }
        }));
        // The size of each blob, before it is read (the import's memory bound).
        headers = std::min(headers, cpu_ms([&] {
            for (const git_oid& b : blobs) {
                size_t size = 0;
                git_object_t type = GIT_OBJECT_INVALID;
                check(git_odb_read_header(&size, &type, odb.get(), &b), "header");
            }
        }));
        // The blobs, inflated (deltas applied) and copied out, as the parse workers do.
        reads = std::min(reads, cpu_ms([&] {
            texts.clear();
            for (const git_oid& b : blobs) {
                OdbObject o;
                check(git_odb_read(o.out(), odb.get(), &b), "blob");
                texts.emplace_back(static_cast<const char*>(git_odb_object_data(o.get())), git_odb_object_size(o.get()));
            }
        }));
        // The same messages compressed as git writes them, inflated by each library.
        std::vector<std::string> packed;
        for (const std::string& t : texts) {
            uLongf n = compressBound(t.size());
            std::string z(n, '\0');
            compress2(reinterpret_cast<Bytef*>(z.data()), &n, reinterpret_cast<const Bytef*>(t.data()), t.size(),
                      Z_DEFAULT_COMPRESSION);
            z.resize(n);
            packed.push_back(std::move(z));
        }
        std::string out;
        zlib_ms = std::min(zlib_ms, cpu_ms([&] {
            for (size_t i = 0; i < packed.size(); ++i) {
                out.resize(texts[i].size());
                uLongf n = out.size();
                uncompress(reinterpret_cast<Bytef*>(out.data()), &n, reinterpret_cast<const Bytef*>(packed[i].data()),
                           packed[i].size());
            }
        }));
        const Inflater d(libdeflate_alloc_decompressor());
        deflate_ms = std::min(deflate_ms, cpu_ms([&] {
            for (size_t i = 0; i < packed.size(); ++i) {
                out.resize(texts[i].size());
                size_t n = 0;
                libdeflate_zlib_decompress(d.get(), packed[i].data(), packed[i].size(), out.data(), out.size(), &n);
            }
        }));
    }
    std::printf("  %s in libgit2 calls: %zu commits\n", path, commits.size());
    std::printf("  first-parent walk      %8.1f\n", walk);
    std::printf("  trees                  %8.1f\n", trees);
    std::printf("  blob headers           %8.1f\n", headers);
    std::printf("  blobs                  %8.1f\n", reads);
    std::printf("  libgit2 in all         %8.1f\n", walk + trees + headers + reads);
    std::printf("  the blobs recompressed at zlib's default level, inflated by:\n");
    std::printf("    zlib %s           %8.1f\n", zlibVersion(), zlib_ms);
    std::printf("    libdeflate           %8.1f\n", deflate_ms);
}

} // namespace

int main(int argc, char** argv)
{
    int rounds = 3;
    std::vector<std::string> sources;
    for (int i = 1; i < argc; ++i) {
        if (std::string_view(argv[i]) == "--rounds" && i + 1 < argc)
            rounds = std::max(1, std::atoi(argv[++i]));
        else
            sources.emplace_back(argv[i]);
    }
    if (sources.empty()) {
        std::fprintf(stderr, "usage: %s [--rounds N] SOURCE...\n", argv[0]);
        return 2;
    }
    // The settings of an import at the default --memory 400.
    limit_git_memory(400ull << 20);
    std::printf("least CPU ms of %d rounds\n", rounds);
    for (const std::string& path : sources) {
        const auto repo = git_dir_of(path);
        std::pair<size_t, size_t> read;
        double ms = 1e300;
        for (int r = 0; r < rounds; ++r)
            ms = std::min(ms, cpu_ms([&] { read = read_all(path, repo.has_value()); }));
        std::printf("%-60s %8.1f  (%zu messages, %.1f MB)\n", path.c_str(), ms, read.first, read.second / 1e6);
        if (repo)
            git_steps(repo->c_str(), rounds);
    }
    return 0;
}
