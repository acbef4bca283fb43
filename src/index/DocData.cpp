// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "DocData.hpp"

#include "listdex/index/Schema.hpp"

#include <cstdio>

namespace listdex {

std::string DocData::encode() const
{
    char buf[160];
    int n = std::snprintf(buf, sizeof buf, "%d %llu %u %u %llu %u", schema::kSchemaVersion,
                          static_cast<unsigned long long>(ref.block), ref.index, flags,
                          static_cast<unsigned long long>(text.block), text.index);
    if (parsed) // two more numbers: readers of records that lack them parse the raw copy
        std::snprintf(buf + n, sizeof buf - static_cast<size_t>(n), " %llu %u",
                      static_cast<unsigned long long>(parsed->block), parsed->index);
    return buf;
}

std::optional<DocData> DocData::decode(std::string_view data)
{
    std::string s(data);
    int version = 0;
    unsigned long long block = 0, text_block = 0, parsed_block = 0;
    unsigned index = 0, flags = 0, text_index = 0, parsed_index = 0;
    const int fields = std::sscanf(s.c_str(), "%d %llu %u %u %llu %u %llu %u", &version, &block, &index, &flags,
                                   &text_block, &text_index, &parsed_block, &parsed_index);
    if ((fields != 6 && fields != 8) || version != schema::kSchemaVersion)
        return std::nullopt;
    DocData d{{block, index}, flags, {text_block, text_index}, std::nullopt};
    if (fields == 8)
        d.parsed = RawRef{parsed_block, parsed_index};
    return d;
}

} // namespace listdex
