#include "Commands.hpp"
#include "Terminal.hpp"

#include "listdex/base/Time.hpp"
#include "listdex/index/IndexReader.hpp"
#include "listdex/index/Schema.hpp"
#include "listdex/query/Json.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>

namespace listdex::cli {

namespace {

/// An attachment MHonArc saved as a file beside its page: the index holds
/// its name, not its bytes.
bool beside_the_page(const ParsedMessage& pm, const Attachment& a)
{
    return pm.rebuilt_from_html && a.size == 0;
}

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
    // Text attachments (patches, logs) after the body, as lore shows them.
    for (const auto& a : pm.attachments) {
        if (!a.shown_inline())
            continue;
        const auto text = std::ranges::find(pm.attachment_texts, a.part, &AttachmentText::part);
        std::cout << "\n[-- Attachment [" << a.part << "]: " << (a.filename.empty() ? a.mime_type : a.filename)
                  << ", " << a.mime_type << ", " << thousands(a.size) << " bytes --]\n";
        if (beside_the_page(pm, a)) {
            std::cout << "[-- not in the message: a file of the HTML archive beside the page --]\n";
            continue;
        }
        if (text == pm.attachment_texts.end()) {
            std::cout << "[-- not shown: past the first MiB of attachment text; listdex show --part " << a.part
                      << " --]\n";
            continue;
        }
        std::cout << text->text;
        if (!text->text.empty() && !text->text.ends_with('\n'))
            std::cout << "\n";
    }
    if (!pm.attachments.empty()) {
        std::cout << "\nAttachments:\n";
        for (const auto& a : pm.attachments)
            std::cout << "  [" << a.part << "] " << (a.filename.empty() ? "(no name)" : a.filename) << "  "
                      << a.mime_type << "  " << thousands(a.size) << " bytes\n";
    }
}

/// A file name for attachment @p a that cannot leave its folder or hide:
/// the last path component of its own name, control characters replaced,
/// leading dots dropped; "part-N" when nothing is left.
std::string safe_file_name(const Attachment& a)
{
    std::string name = a.filename.substr(a.filename.find_last_of("/\\") + 1);
    for (char& c : name)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
            c = '_';
    name.erase(0, name.find_first_not_of(". "));
    return name.empty() ? "part-" + std::to_string(a.part) : name;
}

/// @p dir / @p name, or with "-2", "-3", ... before the extension when that
/// file exists: saving never overwrites.
std::filesystem::path free_path(const std::filesystem::path& dir, const std::string& name)
{
    namespace fs = std::filesystem;
    fs::path p = dir / name;
    const std::string stem = fs::path(name).stem().string(), ext = fs::path(name).extension().string();
    for (int n = 2; fs::exists(p); ++n)
        p = dir / (stem + "-" + std::to_string(n) + ext);
    return p;
}

Result<void> write_file(const std::filesystem::path& path, const std::string& bytes)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out)
        return fail(ExitCode::failure, path.string() + ": cannot write", "check the folder exists and is writable");
    return {};
}

/// The bytes of a part whose content the message holds; an error for a
/// part MHonArc saved as a file beside its page.
Result<std::string> part_bytes(IndexReader& reader, const StoredMessage& m, const ParsedMessage& pm, unsigned part)
{
    for (const Attachment& a : pm.attachments)
        if (a.part == part && beside_the_page(pm, a))
            return fail(ExitCode::not_found,
                        "part " + std::to_string(part) + " (" + a.filename +
                            ") is not in the message: its bytes are a file of the HTML archive beside the page");
    auto bytes = reader.attachment(m, part);
    if (!bytes)
        return fail(ExitCode::not_found, m.key + ": no MIME part " + std::to_string(part),
                    "the attachment list of `listdex show` gives each part's number in brackets");
    return bytes;
}

/// show --part N [--output FILE] and show --save DIR for one message.
int write_parts(IndexReader& reader, const StoredMessage& m, const po::variables_map& vm)
{
    auto pm = reader.parse(m);
    if (!pm)
        return report(pm.error());
    if (vm.count("part")) {
        auto bytes = part_bytes(reader, m, *pm, vm["part"].as<unsigned>());
        if (!bytes)
            return report(bytes.error());
        if (!vm.count("output")) {
            std::cout.write(bytes->data(), static_cast<std::streamsize>(bytes->size()));
            return 0;
        }
        auto written = write_file(vm["output"].as<std::string>(), *bytes);
        return written ? 0 : report(written.error());
    }
    const std::filesystem::path dir = vm["save"].as<std::string>();
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec)
        return report({ExitCode::failure, dir.string() + ": " + ec.message(), {}});
    int rc = 0;
    for (const Attachment& a : pm->attachments) {
        auto bytes = part_bytes(reader, m, *pm, a.part);
        if (!bytes) {
            rc = report(bytes.error()); // the others are still saved
            continue;
        }
        const auto path = free_path(dir, safe_file_name(a));
        if (auto written = write_file(path, *bytes); !written)
            return report(written.error());
        std::cout << path.string() << "  " << thousands(bytes->size()) << " bytes\n";
    }
    if (pm->attachments.empty())
        std::cerr << "listdex: " << m.key << " has no attachments\n";
    return rc;
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
    if (vm.count("output") && !vm.count("part"))
        return report({ExitCode::usage, "show: --output goes with --part", {}});
    if (vm.count("part") && vm.count("save"))
        return report({ExitCode::usage, "show: --part and --save do not go together", {}});
    auto reader = IndexReader::open(index_paths(vm));
    if (!reader)
        return report(reader.error());
    auto found = (*reader)->find(vm["id"].as<std::string>());
    if (!found)
        return report(found.error());

    if (vm.count("part") || vm.count("save")) {
        if (found->size() > 1) {
            std::string keys;
            for (const auto& m : *found)
                keys += " " + m.key;
            return report({ExitCode::usage, "show: " + std::to_string(found->size()) +
                                                " messages share this Message-ID; name one:" + keys, {}});
        }
        return write_parts(**reader, found->front(), vm);
    }
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
