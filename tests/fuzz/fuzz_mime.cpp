// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
// libFuzzer target: MIME decoding of one raw message with GMime (headers,
// charsets, parts, attachments, repairs). Every decoded string must be
// valid UTF-8, and its stored record (ParsedRecord) must read back the
// same; the input read as a record must not crash. Build and run: scripts/fuzz.sh (docs/reliability.md).
#include "listdex/base/Text.hpp"
#include "listdex/mime/MimeParser.hpp"
#include "listdex/mime/ParsedRecord.hpp"

#include <cstdint>
#include <cstdlib>
#include <string_view>

using namespace listdex;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    static MimeParser parser;
    const std::string_view raw(reinterpret_cast<const char*>(data), size);
    (void)decode_parsed_record(raw);
    auto pm = parser.parse(raw);
    if (!pm)
        return 0;
    if (auto back = decode_parsed_record(encode_parsed_record(*pm)); !back || !first_record_difference(*back, *pm).empty())
        std::abort();
    bool ok = is_valid_utf8(pm->body) && is_valid_utf8(pm->subject) && is_valid_utf8(pm->message_id) &&
              pm->subject.find('\n') == std::string_view::npos;
    for (const auto& a : pm->from)
        ok = ok && is_valid_utf8(a.name) && is_valid_utf8(a.email);
    for (const auto& a : pm->attachments) {
        ok = ok && is_valid_utf8(a.filename);
        (void)parser.attachment_bytes(raw, a.part);
    }
    if (!ok)
        std::abort();
    return 0;
}
