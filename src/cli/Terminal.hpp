// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file Terminal.hpp
/// What a terminal reader gets: the pager, colour, lines fitted to the
/// width; human-readable numbers and the import progress line.

#include "listdex/base/Text.hpp"

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace listdex::cli {

[[nodiscard]] bool stderr_is_terminal();
/// 139245955 -> "139.2 MB".
[[nodiscard]] std::string megabytes(uint64_t bytes);

/// Rewrites one status line on stderr; clear() erases it.
class ProgressLine {
public:
    void show(const std::string& text);
    void clear();

private:
    size_t width_ = 0;
};

enum class ColourWhen { automatic, always, never };

/// How reading output looks, decided once from the options and the
/// terminal before anything is printed (a pager takes stdout's place).
struct OutputStyle {
    bool colour = false;
    size_t width = 0; ///< columns listings and tree lines fit; 0: no limit (not a terminal)
    bool page = false;
};

/// --color auto: colour when stdout is a terminal, NO_COLOR is unset or
/// empty (no-color.org) and TERM is not "dumb"; always/never as said.
/// Width: $COLUMNS, else the terminal's, else none. Page: stdout is a
/// terminal and @p pager_allowed (not --no-pager).
[[nodiscard]] OutputStyle output_style(ColourWhen colour, bool pager_allowed);

/// Sends stdout through a pager while it lives, as git does:
/// $LISTDEX_PAGER, else $PAGER, else "less" (with LESS=FRX unless LESS is
/// set: quits when the text fits one screen, keeps colours, leaves the
/// text on the screen); none when that is empty or "cat". The destructor
/// flushes, closes the pipe and waits for the pager.
class Pager {
public:
    explicit Pager(bool start);
    ~Pager();
    Pager(const Pager&) = delete;
    Pager& operator=(const Pager&) = delete;

private:
    pid_t child_ = -1;
};

/// Columns @p s takes on a terminal (UTF-8; wide characters count 2,
/// combining marks 0).
[[nodiscard]] size_t display_width(std::string_view s);
/// @p s cut to at most @p width columns, ending in "…" when cut; as it is
/// when @p width is 0 or it fits.
[[nodiscard]] std::string fit(std::string_view s, size_t width);

/// ANSI colours of reading output; every function returns its text
/// unchanged when colour is off.
class Colours {
public:
    explicit Colours(bool on) : on_(on) {}
    [[nodiscard]] bool on() const { return on_; }
    /// A header line "Name: value" with the name coloured.
    [[nodiscard]] std::string header(std::string_view name, std::string_view value) const;
    [[nodiscard]] std::string dim(std::string_view s) const;
    [[nodiscard]] std::string paint(std::string_view code, std::string_view s) const;

private:
    bool on_;
};

/// Colours a message body line by line, as `git show` and mutt do: quote
/// levels ("> ", "> > "), diff lines (+, -, @@ and file headers) inside a
/// patch, and nothing after the "-- " signature line (so a signature is
/// never read as a removed line). Feed the lines of one body in order.
class BodyPainter {
public:
    explicit BodyPainter(const Colours& c) : c_(c) {}
    [[nodiscard]] std::string line(std::string_view line);

private:
    const Colours& c_;
    bool in_diff_ = false, in_signature_ = false, after_minus_header_ = false;
};

/// @p subject without reply and forward prefixes ("Re: ", "Fwd: ",
/// "AW: "), trimmed, lower case: what "the subject changed" compares.
[[nodiscard]] std::string without_reply_prefixes(std::string_view subject);

/// Whether two subjects are the same but for reply and forward prefixes,
/// case and surrounding space: a subject is shown again only where it
/// changes.
[[nodiscard]] bool same_subject(std::string_view a, std::string_view b);

} // namespace listdex::cli
