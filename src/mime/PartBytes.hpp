// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file PartBytes.hpp
/// The decoded content of a MIME leaf part. Private to `mime`.

#include <gmime/gmime.h>

#include <cstdint>
#include <string>

namespace listdex {

/// The decoded bytes of @p part (borrowed), including the last base64
/// group GMime drops when it is written without its '=' padding
/// ("QUJDREU" is "ABCDE"); "" when it has no content.
[[nodiscard]] std::string decoded_bytes(GMimePart* part);

/// decoded_bytes(part).size(), without keeping the bytes.
[[nodiscard]] uint64_t decoded_size(GMimePart* part);

} // namespace listdex
