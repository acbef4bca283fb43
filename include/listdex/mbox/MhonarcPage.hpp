// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file MhonarcPage.hpp
/// Messages of MHonArc web archives (lists.xenproject.org, lists.debian.org,
/// lists.gnu.org, ...): one HTML page per message, `msg00042.html`. MHonArc
/// keeps the message's identity in comments at the top of each page
/// (`<!--X-Subject: -->`, `<!--X-From-R13: -->` with the sender ROT13'd,
/// `<!--X-Date: -->`, `<!--X-Message-Id: -->`, `<!--X-Reference: -->`),
/// the header fields it shows in a list (`<!--X-Head-of-Message-->`) and
/// the body as HTML between `<!--X-Body-of-Message-->` and
/// `<!--X-Body-of-Message-End-->`. The page is stored as found; the message
/// is rebuilt from it whenever it is decoded.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace listdex {

/// What the start of an HTML file is to MHonArc.
enum class MhonarcKind {
    none,    ///< not an MHonArc page
    message, ///< a message page
    index,   ///< an index page (maillist.html, threads.html, ...)
};
[[nodiscard]] MhonarcKind mhonarc_kind(std::string_view head);

struct MhonarcMessage {
    /// An RFC 822 message: the header fields rebuilt (From from X-From-R13,
    /// Subject, Date, Message-ID, References; To, Cc, In-Reply-To, List-Id
    /// from the shown header list; hidden addresses dropped, their names
    /// kept), the body as text/html, and each attachment MHonArc linked
    /// as an empty part with its name (an image it shows inline under the
    /// name of its file in the archive: the original name is not kept).
    std::string message;
    /// What could not come back, for the import report ("addresses in To
    /// hidden by the archive", "attachment x.jpg: its bytes are a separate
    /// file of the archive").
    std::vector<std::string> notes;
};

/// The message of MHonArc page @p page; nullopt when it is not a message
/// page.
[[nodiscard]] std::optional<MhonarcMessage> rebuild_mhonarc_message(std::string_view page);

} // namespace listdex
