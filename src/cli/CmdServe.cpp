// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "Commands.hpp"

#include "listdex/base/Text.hpp"
#include "listdex/web/Server.hpp"

#include <atomic>
#include <csignal>
#include <iostream>

namespace listdex::cli {

namespace {
std::atomic<bool> g_stop{false};

extern "C" void on_stop_signal(int)
{
    g_stop.store(true);
}
} // namespace

int cmd_serve(const std::vector<std::string>& args)
{
    po::positional_options_description pos;
    po::variables_map vm;
    if (auto rc = parse_args(*find_command("serve"), args, pos, vm))
        return *rc;
    web::ServeOptions opt;
    const std::string listen = vm["listen"].as<std::string>();
    const size_t colon = listen.rfind(':');
    const auto port = colon == std::string::npos ? std::nullopt : parse_number<uint16_t>(listen.substr(colon + 1));
    if (!port || colon == 0)
        return report({ExitCode::usage, "serve: --listen must be HOST:PORT, not '" + listen + "'",
                       "listdex serve --listen 127.0.0.1:8080"});
    opt.host = listen.substr(0, colon);
    if (opt.host.size() > 2 && opt.host.front() == '[' && opt.host.back() == ']')
        opt.host = opt.host.substr(1, opt.host.size() - 2); // [::1]:8080
    opt.port = *port;
    opt.threads = vm["threads"].as<unsigned>();
    opt.page_size = std::max(1u, vm["page-size"].as<unsigned>());
    opt.max_page_size = std::max<uint64_t>(opt.max_page_size, opt.page_size);
    opt.search_seconds = vm["search-seconds"].as<double>();
    opt.mbox_limit = vm["mbox-limit"].as<uint64_t>();
    opt.header_seconds = vm["header-seconds"].as<double>();
    opt.max_per_client = vm["max-per-client"].as<unsigned>();
    if (!(opt.header_seconds > 0))
        return report({ExitCode::usage, "serve: --header-seconds must be positive", {}});
    if (!vm.count("quiet"))
        opt.log = [](const std::string& line) { std::cerr << line << std::endl; };
    const IndexPaths paths = index_paths(vm);
    opt.ready = [&](uint16_t p) {
        std::cout << "listdex: serving " << paths.root.string() << " at http://"
                  << (opt.host.find(':') != std::string::npos ? "[" + opt.host + "]" : opt.host) << ":" << p
                  << "/  (Ctrl-C stops)" << std::endl;
    };
    opt.stop = &g_stop;
    std::signal(SIGINT, on_stop_signal);
    std::signal(SIGTERM, on_stop_signal);
    if (auto r = web::serve(paths, opt); !r)
        return report(r.error());
    return 0;
}

} // namespace listdex::cli
