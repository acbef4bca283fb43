// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "DocData.hpp"

#include "listdex/index/Schema.hpp"

#include <cstdio>

namespace listdex {

std::string DocData::encode() const
{
    char buf[120];
    std::snprintf(buf, sizeof buf, "%d %llu %u %u %llu %u", schema::kSchemaVersion,
                  static_cast<unsigned long long>(ref.block), ref.index, flags,
                  static_cast<unsigned long long>(text.block), text.index);
    return buf;
}

std::optional<DocData> DocData::decode(std::string_view data)
{
    std::string s(data);
    int version = 0;
    unsigned long long block = 0, text_block = 0;
    unsigned index = 0, flags = 0, text_index = 0;
    if (std::sscanf(s.c_str(), "%d %llu %u %u %llu %u", &version, &block, &index, &flags, &text_block, &text_index) != 6 ||
        version != schema::kSchemaVersion)
        return std::nullopt;
    return DocData{{block, index}, flags, {text_block, text_index}};
}

} // namespace listdex
