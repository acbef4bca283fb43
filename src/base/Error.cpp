// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "listdex/base/Error.hpp"

namespace listdex {

std::string Error::describe() const
{
    if (hint.empty())
        return message;
    return message + "\n  hint: " + hint;
}

} // namespace listdex
