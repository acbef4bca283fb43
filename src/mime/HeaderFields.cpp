// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "HeaderFields.hpp"

#include "GObjectPtr.hpp"

#include "listdex/base/Text.hpp"
#include "listdex/base/Time.hpp"
#include "listdex/mime/MailDate.hpp"

#include <cstring>
#include <ctime>

namespace listdex {

std::string header(GMimeObject* obj, const char* name)
{
    const char* v = g_mime_object_get_header(obj, name);
    return v ? one_line(v) : std::string();
}

std::optional<Address> name_alone(const std::string& value)
{
    std::string text = value;
    if (const GChars decoded{g_mime_utils_header_decode_text(nullptr, value.c_str())})
        text = decoded.get();
    for (size_t at; (at = text.find("<>")) != std::string::npos;)
        text.erase(at, 2);
    std::string name(trim(text));
    if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
        // A quoted string: without its quotes and its backslash escapes.
        std::string unquoted;
        for (size_t i = 1; i + 1 < name.size(); ++i)
            unquoted += name[i] == '\\' && i + 2 < name.size() ? name[++i] : name[i];
        name = trim(unquoted);
    }
    if (name.empty())
        return std::nullopt;
    return Address{one_line(name), {}};
}

void append_addresses(InternetAddressList* list, std::vector<Address>& out, int depth)
{
    if (!list || depth > 8)
        return;
    const int n = internet_address_list_length(list);
    for (int i = 0; i < n; ++i) {
        InternetAddress* ia = internet_address_list_get_address(list, i);
        if (INTERNET_ADDRESS_IS_GROUP(ia)) {
            append_addresses(internet_address_group_get_members(INTERNET_ADDRESS_GROUP(ia)), out, depth + 1);
            continue;
        }
        Address a;
        if (const char* name = internet_address_get_name(ia))
            a.name = one_line(name);
        if (INTERNET_ADDRESS_IS_MAILBOX(ia))
            if (const char* addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia)))
                a.email = make_valid_utf8(trim(addr));
        // GMime takes a word, quoted string or encoded word with nothing
        // else for an address without a domain; when it is more than one
        // word or quoted it is a name (a lone "root" stays an address).
        if (a.name.empty() && a.email.find('@') == std::string::npos &&
            (a.email.find_first_of(" \"") != std::string::npos || a.email.starts_with("=?")))
            if (auto alone = name_alone(a.email))
                a = std::move(*alone);
        if (!a.name.empty() || !a.email.empty())
            out.push_back(std::move(a));
    }
}

std::vector<std::string> parse_ids(GMimeParserOptions* opt, const std::string& value)
{
    std::vector<std::string> ids;
    if (value.empty())
        return ids;
    const CPtr<GMimeReferences, g_mime_references_free> refs(g_mime_references_parse(opt, value.c_str()));
    if (!refs)
        return ids;
    const int n = g_mime_references_length(refs.get());
    ids.reserve(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) {
        std::string id = make_valid_utf8(trim(g_mime_references_get_message_id(refs.get(), i)));
        if (!id.empty() && id.size() <= kMaxIdLength)
            ids.push_back(std::move(id));
    }
    return ids;
}

std::optional<int64_t> received_date(GMimeObject* obj)
{
    GMimeHeaderList* list = g_mime_object_get_header_list(obj);
    if (!list)
        return std::nullopt;
    const int n = g_mime_header_list_get_count(list);
    for (int i = 0; i < n; ++i) {
        GMimeHeader* h = g_mime_header_list_get_header_at(list, i);
        const char* name = g_mime_header_get_name(h);
        if (!name || g_ascii_strcasecmp(name, "Received") != 0)
            continue;
        const char* value = g_mime_header_get_value(h);
        const char* semi = value ? std::strrchr(value, ';') : nullptr;
        if (!semi)
            continue;
        auto d = parse_mail_date(semi + 1);
        if (!d)
            continue;
        const int64_t t = d->unix_time;
        if (plausible_message_date(t, static_cast<int64_t>(std::time(nullptr))))
            return t;
    }
    return std::nullopt;
}

std::string list_from_headers(GMimeObject* obj)
{
    if (std::string v = header(obj, "List-Id"); !v.empty())
        return normalize_list_id(v);
    if (std::string v = header(obj, "X-Mailing-List"); !v.empty()) {
        // "<linux-man@vger.kernel.org> archive/latest/1": the first word.
        std::string_view id = trim(v);
        return normalize_list_id(id.substr(0, id.find_first_of(" \t;")));
    }
    if (std::string v = header(obj, "Mailing-List"); !v.empty()) {
        std::string_view s = trim(v);
        if (s.starts_with("list "))
            s.remove_prefix(5);
        return normalize_list_id(s.substr(0, s.find(';')));
    }
    return {};
}

} // namespace listdex
