#include "Commands.hpp"

#include "listdex/index/IndexReader.hpp"

#include <iostream>

namespace listdex::cli {

po::options_description count_options()
{
    po::options_description d("Count options");
    d.add_options()("query", po::value<std::vector<std::string>>()->multitoken(), "query (positional)");
    return d;
}

int cmd_count(const std::vector<std::string>& args)
{
    po::positional_options_description pos;
    pos.add("query", -1);
    po::variables_map vm;
    const Command& self = *find_command("count");
    if (auto rc = parse_args(self, args, pos, vm))
        return *rc;
    if (vm.count("query")) {
        const auto& q = vm["query"].as<std::vector<std::string>>();
        if (!(q.size() == 1 && q.front() == "*"))
            return report({ExitCode::usage, "count: only '*' (every message) is understood so far", {}});
    }
    auto reader = IndexReader::open(index_paths(vm));
    if (!reader)
        return report(reader.error());
    auto n = (*reader)->message_count();
    if (!n)
        return report(n.error());
    std::cout << *n << "\n";
    return 0;
}

} // namespace listdex::cli
