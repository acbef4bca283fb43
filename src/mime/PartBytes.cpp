// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "PartBytes.hpp"

#include "GObjectPtr.hpp"

#include <cctype>

namespace listdex {

namespace {

/// The bytes GMime's base64 decoder drops: a last group written without
/// its '=' padding ("QUJDREU" is "ABCDE"; GMime gave "ABC"). Empty when
/// the content is not base64 or its groups are whole or padded.
std::string unpadded_base64_tail(GMimeDataWrapper* content)
{
    if (g_mime_data_wrapper_get_encoding(content) != GMIME_CONTENT_ENCODING_BASE64)
        return {};
    GMimeStream* encoded = g_mime_data_wrapper_get_stream(content);
    if (!encoded)
        return {};
    g_mime_stream_reset(encoded);
    auto mem = GObjectPtr<GMimeStream>::adopt(g_mime_stream_mem_new());
    g_mime_stream_write_to_stream(encoded, mem.get());
    g_mime_stream_reset(encoded);
    const GByteArray* arr = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem.get()));
    std::string group; // the alphabet characters of the last, unfinished group
    size_t count = 0;
    for (guint i = 0; i < arr->len; ++i) {
        const char ch = static_cast<char>(arr->data[i]);
        if (ch == '=')
            return {}; // padded: GMime decodes it
        if (std::isalnum(static_cast<unsigned char>(ch)) || ch == '+' || ch == '/') {
            if (count++ % 4 == 0)
                group.clear();
            group += ch;
        }
    }
    if (group.size() < 2 || group.size() == 4)
        return {};
    group.append(4 - group.size(), '=');
    gsize len = 0;
    const CPtr<guchar, g_free> bytes(g_base64_decode(group.c_str(), &len));
    return std::string(reinterpret_cast<const char*>(bytes.get()), len);
}

} // namespace

std::string decoded_bytes(GMimePart* part)
{
    GMimeDataWrapper* content = g_mime_part_get_content(part);
    if (!content)
        return {};
    auto mem = GObjectPtr<GMimeStream>::adopt(g_mime_stream_mem_new());
    g_mime_data_wrapper_write_to_stream(content, mem.get());
    GByteArray* arr = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem.get()));
    return std::string(reinterpret_cast<const char*>(arr->data), arr->len) + unpadded_base64_tail(content);
}

uint64_t decoded_size(GMimePart* part)
{
    GMimeDataWrapper* content = g_mime_part_get_content(part);
    if (!content)
        return 0;
    auto null = GObjectPtr<GMimeStream>::adopt(g_mime_stream_null_new());
    g_mime_data_wrapper_write_to_stream(content, null.get());
    return GMIME_STREAM_NULL(null.get())->written + unpadded_base64_tail(content).size();
}

} // namespace listdex
