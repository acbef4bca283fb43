// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "Charset.hpp"

#include "GObjectPtr.hpp"
#include "listdex/base/Text.hpp"

#include <gmime/gmime.h>

#include <memory>
#include <mutex>
#include <optional>

namespace listdex {

std::string clean_charset_name(std::string_view declared)
{
    std::string cs = ascii_lower(trim(declared));
    while (!cs.empty() && (cs.front() == '"' || cs.front() == '\''))
        cs.erase(0, 1);
    while (!cs.empty() && (cs.back() == '"' || cs.back() == '\''))
        cs.pop_back();
    if (cs.starts_with("3d") && cs.size() > 2)
        cs.erase(0, 2);
    return std::string(trim(cs));
}

namespace {

bool is_ascii(std::string_view s)
{
    for (char c : s)
        if (static_cast<unsigned char>(c) >= 0x80)
            return false;
    return true;
}

/// iconv through GLib; nullopt when the charset is unknown or the bytes are
/// not valid in it.
std::optional<std::string> convert(std::string_view bytes, const char* from)
{
    gsize written = 0;
    GChars out(
        g_convert(bytes.data(), static_cast<gssize>(bytes.size()), "UTF-8", from, nullptr, &written, nullptr));
    if (!out)
        return std::nullopt;
    return std::string(out.get(), written);
}

std::string detect_8bit(std::string_view bytes)
{
    if (is_valid_utf8(bytes))
        return std::string(bytes);
    if (auto cp = convert(bytes, "WINDOWS-1252"))
        return *cp;
    // windows-1252 leaves five bytes undefined; ISO-8859-1 maps every byte.
    if (auto latin = convert(bytes, "ISO-8859-1"))
        return *latin;
    return make_valid_utf8(bytes);
}

} // namespace

void init_gmime()
{
    static std::once_flag once;
    std::call_once(once, [] { g_mime_init(); });
}

std::string to_utf8(std::string_view bytes, std::string_view declared, bool* changed_charset)
{
    init_gmime();
    auto finish = [](std::string s) { return is_valid_utf8(s) && s.find('\0') == std::string::npos ? s : make_valid_utf8(s); };
    if (changed_charset)
        *changed_charset = false;
    std::string cs = clean_charset_name(declared);
    const char* canon = cs.empty() ? "" : g_mime_charset_canon_name(cs.c_str());
    std::string name = ascii_lower(canon ? canon : cs);
    // 7-bit stateful encodings (ISO-2022-JP, UTF-7, HZ) look like ASCII but are not.
    const bool stateful = name.starts_with("iso-2022") || name == "utf-7" || name.starts_with("hz");
    if (is_ascii(bytes) && !stateful)
        return finish(std::string(bytes));
    if (name.empty() || name == "us-ascii" || name == "ascii" || name == "unknown-8bit" || name == "x-unknown" ||
        name == "default")
        return finish(detect_8bit(bytes));
    if (name == "utf-8" || name == "utf8") {
        if (is_valid_utf8(bytes))
            return finish(std::string(bytes));
        if (changed_charset)
            *changed_charset = true;
        return finish(detect_8bit(bytes));
    }
    if (name == "iso-8859-1" || name == "latin1" || name == "iso_8859-1") {
        if (auto cp = convert(bytes, "WINDOWS-1252"))
            return finish(*cp);
    }
    // GMime's canonical names ("windows-cp1252") are for comparing; iconv
    // needs its own spelling.
    const char* iconv_name = g_mime_charset_iconv_name(cs.c_str());
    if (auto out = convert(bytes, iconv_name && *iconv_name ? iconv_name : cs.c_str()))
        return finish(*out);
    if (changed_charset)
        *changed_charset = true;
    return finish(detect_8bit(bytes));
}

} // namespace listdex
