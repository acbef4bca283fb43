// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "Terminal.hpp"

#include <clocale>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <cwchar>
#include <iostream>

#include <signal.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace listdex::cli {

bool stderr_is_terminal()
{
    return ::isatty(STDERR_FILENO) == 1;
}

std::string megabytes(uint64_t bytes)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(bytes) / 1e6);
    return buf;
}

void ProgressLine::show(const std::string& text)
{
    std::string line = "\r" + text;
    if (text.size() < width_)
        line.append(width_ - text.size(), ' ');
    width_ = text.size();
    std::fputs(line.c_str(), stderr);
    std::fflush(stderr);
}

void ProgressLine::clear()
{
    if (width_ == 0)
        return;
    std::fprintf(stderr, "\r%*s\r", static_cast<int>(width_), "");
    std::fflush(stderr);
    width_ = 0;
}

// ------------------------------------------------------------ style

namespace {

const char* env(const char* name)
{
    const char* v = std::getenv(name);
    return v ? v : "";
}

} // namespace

OutputStyle output_style(ColourWhen colour, bool pager_allowed)
{
    const bool tty = ::isatty(STDOUT_FILENO) == 1;
    OutputStyle s;
    s.colour = colour == ColourWhen::always ||
               (colour == ColourWhen::automatic && tty && !*env("NO_COLOR") && std::strcmp(env("TERM"), "dumb") != 0);
    if (auto columns = parse_number<unsigned>(env("COLUMNS")); columns && *columns > 0) {
        s.width = *columns;
    } else if (tty) {
        winsize ws{};
        if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
            s.width = ws.ws_col;
    }
    s.page = tty && pager_allowed;
    return s;
}

// ------------------------------------------------------------ pager

Pager::Pager(bool start)
{
    if (!start)
        return;
    std::string command = std::getenv("LISTDEX_PAGER") ? env("LISTDEX_PAGER")
                          : std::getenv("PAGER")       ? env("PAGER")
                                                       : "less";
    if (command.empty() || command == "cat")
        return;
    int fds[2];
    if (::pipe(fds) != 0)
        return; // no pager: print plainly
    std::cout.flush();
    const pid_t pid = ::fork();
    if (pid < 0) {
        ::close(fds[0]);
        ::close(fds[1]);
        return;
    }
    if (pid == 0) {
        ::dup2(fds[0], STDIN_FILENO);
        ::close(fds[0]);
        ::close(fds[1]);
        ::setenv("LESS", "FRX", 0); // as git: quit if one screen, raw colours, no screen clearing
        ::setenv("LV", "-c", 0);
        ::execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
        std::fprintf(stderr, "listdex: cannot run the pager '%s': %s\n", command.c_str(), std::strerror(errno));
        ::_exit(127);
    }
    ::dup2(fds[1], STDOUT_FILENO);
    ::close(fds[0]);
    ::close(fds[1]);
    child_ = pid;
}

Pager::~Pager()
{
    if (child_ < 0)
        return;
    std::cout.flush();
    std::fflush(stdout);
    ::close(STDOUT_FILENO); // the pager sees the end of its input
    int status = 0;
    while (::waitpid(child_, &status, 0) < 0 && errno == EINTR) {
    }
}

// ------------------------------------------------------------ width

size_t display_width(std::string_view s)
{
    static const bool utf8_locale = std::setlocale(LC_CTYPE, "C.UTF-8") != nullptr;
    size_t width = 0;
    std::mbstate_t state{};
    for (size_t i = 0; i < s.size();) {
        wchar_t wc = 0;
        const size_t n = utf8_locale ? std::mbrtowc(&wc, s.data() + i, s.size() - i, &state) : 1;
        if (n == 0 || n == static_cast<size_t>(-1) || n == static_cast<size_t>(-2)) {
            state = {};
            ++width;
            ++i;
            continue;
        }
        const int w = utf8_locale ? ::wcwidth(wc) : 1;
        width += w < 0 ? 1 : static_cast<size_t>(w);
        i += n;
    }
    return width;
}

std::string fit(std::string_view s, size_t width)
{
    if (width == 0 || display_width(s) <= width)
        return std::string(s);
    // Cut at a character boundary so that the text and "…" take width columns.
    size_t end = 0, used = 0;
    while (end < s.size()) {
        size_t next = end + 1;
        while (next < s.size() && (static_cast<unsigned char>(s[next]) & 0xC0) == 0x80)
            ++next;
        const size_t w = display_width(s.substr(end, next - end));
        if (used + w + 1 > width)
            break;
        used += w;
        end = next;
    }
    return std::string(s.substr(0, end)) + "…";
}

// ------------------------------------------------------------ colour

std::string Colours::paint(std::string_view code, std::string_view s) const
{
    if (!on_ || s.empty())
        return std::string(s);
    return "\033[" + std::string(code) + "m" + std::string(s) + "\033[m";
}

std::string Colours::header(std::string_view name, std::string_view value) const
{
    return paint("1;34", std::string(name) + ":") + " " + std::string(value);
}

std::string Colours::dim(std::string_view s) const
{
    return paint("2", s);
}

std::string BodyPainter::line(std::string_view l)
{
    if (!c_.on())
        return std::string(l);
    if (l == "-- ") { // the signature separator: the rest is a signature, never a diff
        in_signature_ = true;
        in_diff_ = false;
        return c_.dim(l);
    }
    if (in_signature_)
        return c_.dim(l);
    // A patch starts at "diff ", at "--- " right before "+++ ", or at a hunk.
    const bool file_header = l.starts_with("diff ") || l.starts_with("index ") || l.starts_with("+++ ") ||
                             l.starts_with("new file mode") || l.starts_with("deleted file mode");
    if (l.starts_with("diff ") || l.starts_with("@@ -") || (after_minus_header_ && l.starts_with("+++ ")))
        in_diff_ = true;
    const bool was_minus_header = after_minus_header_;
    after_minus_header_ = l.starts_with("--- ");
    if (after_minus_header_ && !in_diff_)
        return std::string(l); // maybe a patch; "+++ " decides
    if (in_diff_) {
        if (file_header || (was_minus_header && l.starts_with("+++ ")) || l.starts_with("--- "))
            return c_.paint("1", l);
        if (l.starts_with("@@"))
            return c_.paint("36", l);
        if (l.starts_with("+"))
            return c_.paint("32", l);
        if (l.starts_with("-"))
            return c_.paint("31", l);
        if (l.empty() || l.starts_with(" ") || l.starts_with("\\"))
            return std::string(l);
        in_diff_ = false; // prose again (the next message part, or a reply below the patch)
    }
    // Quote levels: "> > x" and ">> x" are level 2.
    size_t level = 0;
    for (char ch : l) {
        if (ch == '>')
            ++level;
        else if (ch != ' ')
            break;
    }
    if (level > 0 && l.front() == '>') {
        static constexpr std::string_view kLevels[] = {"36", "33", "35", "32"};
        return c_.paint(kLevels[(level - 1) % 4], l);
    }
    return std::string(l);
}

std::string without_reply_prefixes(std::string_view subject)
{
    std::string s = ascii_lower(trim(subject));
    for (bool stripped = true; stripped;) {
        stripped = false;
        for (std::string_view p : {"re:", "aw:", "sv:", "fwd:", "fw:", "antw:", "vs:"})
            if (s.starts_with(p)) {
                s = std::string(trim(std::string_view(s).substr(p.size())));
                stripped = true;
            }
    }
    return s;
}

bool same_subject(std::string_view a, std::string_view b)
{
    return without_reply_prefixes(a) == without_reply_prefixes(b);
}

} // namespace listdex::cli
