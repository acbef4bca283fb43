#pragma once
/// @file DocData.hpp
/// The Xapian document-data record (see Schema.hpp): where the raw message
/// is and the schema::Flag bits. Plain text, so `xapian-delve -d` is readable.

#include "listdex/index/RawStore.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace listdex {

struct DocData {
    RawRef ref;
    uint32_t flags = 0;

    [[nodiscard]] std::string encode() const;
    [[nodiscard]] static std::optional<DocData> decode(std::string_view data);
};

} // namespace listdex
