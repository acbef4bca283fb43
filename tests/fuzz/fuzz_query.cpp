// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
// libFuzzer target: the query language (Xapian's QueryParser built from
// the schema, our range and field processors) against a small index built
// once at start-up. Build and run: scripts/fuzz.sh (docs/reliability.md).
#include "listdex/index/Importer.hpp"
#include "listdex/query/QueryDate.hpp"
#include "listdex/index/Tags.hpp"
#include "listdex/query/Searcher.hpp"

#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <unistd.h>

using namespace listdex;
namespace fs = std::filesystem;

namespace {
std::unique_ptr<Searcher> searcher;
}

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    const fs::path dir = fs::temp_directory_path() / ("listdex-fuzz-query-" + std::to_string(getpid()));
    fs::create_directories(dir);
    std::ofstream(dir / "a.mbox")
        << "From a@example.org Mon Mar  4 09:00:00 2024\nFrom: Ann <ann@example.org>\nTo: list@example.org\n"
           "Subject: first patch\nMessage-ID: <1@example.org>\nList-Id: <demo.example.org>\n"
           "Date: Mon, 04 Mar 2024 09:00:00 +0000\n\nhello world patch review\n\n"
           "From b@example.org Tue Mar  5 09:00:00 2024\nFrom: Bob <bob@example.org>\nSubject: Re: first patch\n"
           "Message-ID: <2@example.org>\nIn-Reply-To: <1@example.org>\nDate: Tue, 05 Mar 2024 09:00:00 +0000\n"
           "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nlooks good\n--b\n"
           "Content-Type: application/pdf; name=r.pdf\n\nx\n--b--\n";
    auto r = import_archives({dir / "index"}, {(dir / "a.mbox").string()}, {});
    auto s = Searcher::open({dir / "index"});
    if (!r || !s)
        std::abort();
    searcher = std::move(*s);
    searcher->set_reader({{"bob@example.org"}}); // tag:, is:read, is:followed too
    if (!apply_tags({dir / "index"}, {{"1@example.org", {"read", "todo"}, {}, false}}))
        std::abort();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::string query(reinterpret_cast<const char*>(data), size);
    (void)parse_query_date(query, static_cast<int64_t>(std::time(nullptr)));
    SearchOptions opt;
    opt.limit = 5;
    auto n = searcher->count(query, false);
    auto hits = searcher->messages(query, opt);
    (void)searcher->threads(query, opt);
    // A query is valid or not whatever is asked of it.
    if (n.has_value() != hits.has_value())
        std::abort();
    return 0;
}
