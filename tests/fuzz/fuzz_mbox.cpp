// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
// libFuzzer target: the mbox splitter and the raw-message repairs
// (From_ lines, flattened messages, "user at example.com").
// Build and run: scripts/fuzz.sh (docs/reliability.md).
#include "listdex/mbox/ByteSource.hpp"
#include "listdex/mbox/FromLine.hpp"
#include "listdex/mbox/MboxReader.hpp"
#include "listdex/mbox/MessageRepair.hpp"

#include <cstdint>
#include <cstdlib>
#include <string>

using namespace listdex;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    std::string input(reinterpret_cast<const char*>(data), size);
    (void)parse_from_line(input.substr(0, input.find('\n')));
    auto source = memory_byte_source("fuzz.mbox", input);
    MboxReader reader(*source);
    uint64_t last = 0, total = 0;
    for (;;) {
        auto m = reader.next();
        if (!m || !*m)
            break;
        // Messages come in order, inside the input, and never grow it.
        if ((*m)->offset < last || (*m)->offset > size)
            std::abort();
        last = (*m)->offset;
        total += (*m)->bytes.size();
        if (total > size)
            std::abort();
        if (auto u = unflatten((*m)->bytes))
            (void)restore_at_addresses(u->bytes);
        else
            (void)restore_at_addresses((*m)->bytes);
    }
    return 0;
}
