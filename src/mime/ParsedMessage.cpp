// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "listdex/mime/ParsedMessage.hpp"

// Kept apart from MimeParser.cpp so that code reading ParsedMessage values
// (JSON output, the search front end) does not link GMime.

namespace listdex {

std::string Address::display() const
{
    if (name.empty())
        return email;
    if (email.empty())
        return name;
    return name + " <" + email + ">";
}

std::string display_list(const std::vector<Address>& list)
{
    std::string out;
    for (const auto& a : list) {
        if (!out.empty())
            out += ", ";
        out += a.display();
    }
    return out;
}

bool Attachment::shown_inline() const
{
    return mime_type.starts_with("text/") && mime_type != "text/html";
}

} // namespace listdex
