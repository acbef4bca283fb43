// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "listdex/base/Hash.hpp"

#include <xxhash.h>

#include <cstdio>

namespace listdex {

namespace {
std::string to_hex(XXH128_hash_t h)
{
    char out[33];
    std::snprintf(out, sizeof out, "%016llx%016llx", static_cast<unsigned long long>(h.high64),
                  static_cast<unsigned long long>(h.low64));
    return out;
}
} // namespace

std::string content_hash(std::string_view bytes)
{
    return to_hex(XXH3_128bits(bytes.data(), bytes.size()));
}

std::string message_hash(std::string_view raw)
{
    while (!raw.empty() && (raw.back() == '\n' || raw.back() == '\r'))
        raw.remove_suffix(1);
    if (raw.find('\r') == std::string_view::npos)
        return content_hash(raw);
    // Streaming avoids copying large messages just to drop CRs.
    XXH3_state_t* state = XXH3_createState();
    XXH3_128bits_reset(state);
    size_t start = 0;
    for (size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] == '\r' && i + 1 < raw.size() && raw[i + 1] == '\n') {
            XXH3_128bits_update(state, raw.data() + start, i - start);
            start = i + 1;
        }
    }
    XXH3_128bits_update(state, raw.data() + start, raw.size() - start);
    XXH128_hash_t h = XXH3_128bits_digest(state);
    XXH3_freeState(state);
    return to_hex(h);
}

} // namespace listdex
