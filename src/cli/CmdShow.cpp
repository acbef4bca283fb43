#include "Commands.hpp"
#include "Terminal.hpp"

#include "listdex/base/Time.hpp"
#include "listdex/index/IndexReader.hpp"
#include "listdex/index/Schema.hpp"
#include "listdex/query/Json.hpp"

#include <iostream>

namespace listdex::cli {

namespace {

void print_text(const StoredMessage& m, const ParsedMessage& pm)
{
    auto line = [](const char* name, const std::string& value) {
        if (!value.empty())
            std::cout << name << value << "\n";
    };
    auto join = [](const std::vector<Address>& list) {
        std::string out;
        for (const auto& a : list)
            out += (out.empty() ? "" : ", ") + a.display();
        return out;
    };
    line("From:        ", join(pm.from));
    line("To:          ", join(pm.to));
    line("Cc:          ", join(pm.cc));
    std::string date = pm.date_header.empty() ? std::string("(none)") : pm.date_header;
    date += "  [" + format_iso8601(m.date);
    if (m.flags & schema::Flag::date_from_envelope)
        date += ", from the mbox From_ line";
    else if (m.flags & schema::Flag::date_from_order)
        date += ", assumed from import order";
    date += "]";
    line("Date:        ", date);
    line("Subject:     ", pm.subject);
    std::string lists;
    for (const auto& l : m.lists)
        lists += (lists.empty() ? "" : ", ") + l;
    line("Lists:       ", lists);
    line("Message-ID:  ", "<" + m.message_id + ">" + (m.flags & schema::Flag::synthetic_id ? "  (synthetic: the message has none)" : ""));
    if (m.key != m.message_id)
        line("Key:         ", m.key);
    if (!pm.in_reply_to.empty())
        line("In-Reply-To: ", "<" + pm.in_reply_to.front() + ">");
    if (pm.recovered)
        line("Recovered:   ", "line breaks were lost; header fields and body rebuilt by listdex (--raw shows the original)");
    if (pm.rebuilt_from_html)
        line("Rebuilt:     ", "from a page of an HTML (MHonArc) archive; --raw shows the page");
    for (const auto& p : pm.problems)
        line("Problem:     ", p);
    std::cout << "\n" << pm.body;
    if (!pm.body.empty() && !pm.body.ends_with('\n'))
        std::cout << "\n";
    if (!pm.attachments.empty()) {
        std::cout << "\nAttachments:\n";
        for (const auto& a : pm.attachments)
            std::cout << "  [" << a.part << "] " << (a.filename.empty() ? "(no name)" : a.filename) << "  "
                      << a.mime_type << "  " << thousands(a.size) << " bytes\n";
    }
}

} // namespace

int cmd_show(const std::vector<std::string>& args)
{
    po::positional_options_description pos;
    pos.add("id", 1);
    po::variables_map vm;
    const Command& self = *find_command("show");
    if (auto rc = parse_args(self, args, pos, vm))
        return *rc;
    if (!vm.count("id"))
        return report({ExitCode::usage, "show: name a Message-ID", "listdex show '<20240101.123@example.org>'"});
    const std::string format = vm["format"].as<std::string>();
    if (format != "text" && format != "json")
        return report({ExitCode::usage, "show: --format must be text or json", {}});
    auto reader = IndexReader::open(index_paths(vm));
    if (!reader)
        return report(reader.error());
    auto found = (*reader)->find(vm["id"].as<std::string>());
    if (!found)
        return report(found.error());

    if (vm.count("raw")) {
        for (const auto& m : *found) {
            auto bytes = (*reader)->raw(m);
            if (!bytes)
                return report(bytes.error());
            std::cout.write(bytes->data(), static_cast<std::streamsize>(bytes->size()));
        }
        return 0;
    }
    nlohmann::ordered_json all = nlohmann::ordered_json::array();
    for (size_t i = 0; i < found->size(); ++i) {
        const StoredMessage& m = (*found)[i];
        auto pm = (*reader)->parse(m);
        if (!pm)
            return report(pm.error());
        if (format == "json") {
            all.push_back(message_json(m, *pm));
            continue;
        }
        if (found->size() > 1)
            std::cout << (i ? "\n" : "") << "===== message " << i + 1 << " of " << found->size() << ": " << m.key
                      << " =====\n";
        print_text(m, *pm);
    }
    if (format == "json")
        std::cout << (all.size() == 1 ? all.front() : all).dump(2) << "\n";
    return 0;
}

} // namespace listdex::cli
