// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "listdex/mime/Diff.hpp"

#include "listdex/base/CPtr.hpp"

#include <glib.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <set>

// Diff reading follows public-inbox 1.9's SearchIdx.pm index_diff line by
// line (its regular expressions are quoted above each branch), so that a
// dfn:/dfa:/dfb:/dfhh:/dfctx: query means the same here as on lore.
// GLib (already loaded by GMime) supplies the SHA-1 for patch ids.

namespace listdex {

namespace {

std::vector<std::string_view> lines_of(std::string_view text)
{
    std::vector<std::string_view> out;
    for (size_t pos = 0; pos < text.size();) {
        size_t nl = text.find('\n', pos);
        if (nl == std::string_view::npos)
            nl = text.size();
        std::string_view line = text.substr(pos, nl - pos);
        if (line.ends_with('\r'))
            line.remove_suffix(1);
        out.push_back(line);
        pos = nl + 1;
    }
    return out;
}

/// git's C-style quoting of paths ("a/t\303\251st"): undone.
std::string git_unquote(std::string_view s)
{
    if (s.size() < 2 || s.front() != '"' || s.back() != '"')
        return std::string(s);
    s = s.substr(1, s.size() - 2);
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '\\' || i + 1 == s.size()) {
            out += s[i];
            continue;
        }
        const char c = s[++i];
        switch (c) {
        case 'a': out += '\a'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'v': out += '\v'; break;
        default:
            if (c >= '0' && c <= '3' && i + 2 < s.size() && s[i + 1] >= '0' && s[i + 1] <= '7' &&
                s[i + 2] >= '0' && s[i + 2] <= '7') {
                out += static_cast<char>((c - '0') * 64 + (s[i + 1] - '0') * 8 + (s[i + 2] - '0'));
                i += 2;
            } else {
                out += c; // \\ and \"
            }
        }
    }
    return out;
}

/// `"?[^/]+/.+`: an optionally quoted path with a first component.
bool is_prefixed_path(std::string_view s)
{
    if (s.starts_with('"'))
        s.remove_prefix(1);
    const size_t slash = s.find('/');
    return slash != std::string_view::npos && slash > 0 && slash + 1 < s.size();
}

/// The path after its first component ("a/src/x.c" -> "src/x.c").
std::string strip_component(std::string_view quoted)
{
    const std::string path = git_unquote(quoted);
    const size_t slash = path.find('/');
    return slash == std::string::npos ? std::string() : path.substr(slash + 1);
}

bool is_base85_line(std::string_view l)
{
    static constexpr std::string_view kExtra = "!#$%&()*+-;<=>?@^_`{|}~";
    return !l.empty() && std::all_of(l.begin(), l.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || kExtra.find(c) != std::string_view::npos;
    });
}

bool is_hex(std::string_view s)
{
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

/// `^(\S+) ...`: the first run of non-space characters.
std::string_view first_word(std::string_view s)
{
    size_t end = 0;
    while (end < s.size() && !std::isspace(static_cast<unsigned char>(s[end])))
        ++end;
    return s.substr(0, end);
}

class DiffReader {
public:
    DiffText result;

    void line(std::string_view l, std::vector<std::string_view>& rest, size_t& next)
    {
        if (truthy() && l.starts_with("GIT binary patch")) {
            other(l);
            while (next < rest.size() && (rest[next].starts_with("literal ") || rest[next].starts_with("delta "))) {
                other(rest[next++]);
                while (next < rest.size() &&
                       (is_base85_line(rest[next]) ||
                        rest[next].find_first_not_of(" \t") == std::string_view::npos))
                    ++next;
            }
        } else if (truthy() && l.starts_with(" ")) { // diff context
            piece(DiffPart::context, l.substr(1));
        } else if (l == "-- ") { // signature
            in_diff_.reset();
        } else if (l.starts_with("diff --git ") && git_diff_names(l.substr(11))) {
            // m!^diff --git ("?[^/]+/.+) ("?[^/]+/.+)\z! (handled in git_diff_names)
        } else if (l.starts_with("diff -") && traditional_diff(l)) {
            // m/^diff -(.+) (\S+) (\S+)$/
        } else if (l.starts_with("--- ") && is_prefixed_path(l.substr(4))) {
            name(strip_component(l.substr(4)));
            in_diff_.emplace("1");
        } else if (l.starts_with("+++ ") && is_prefixed_path(l.substr(4))) {
            name(strip_component(l.substr(4)));
            in_diff_.emplace("1");
        } else if (l.starts_with("--- ") && !first_word(l.substr(4)).empty()) {
            in_diff_ = std::string(first_word(l.substr(4))); // an old diff's file name
            other(l);
        } else if (in_diff_ && l.starts_with("+++ ") && !first_word(l.substr(4)).empty()) {
            in_diff_ = old_diff_names(*in_diff_, first_word(l.substr(4)));
        } else if (truthy() && l.starts_with("+")) {
            piece(DiffPart::added, l.substr(1));
        } else if (truthy() && l.starts_with("-")) {
            piece(DiffPart::removed, l.substr(1));
        } else if (index_line(l)) {
            // m!^index ([a-f0-9]+)\.\.([a-f0-9]+)!
        } else if (hunk_header(l)) {
            // /^@@ (?:\S+) (?:\S+) @@\s*(\S+.*)?$/
        } else if (l.starts_with("similarity index") || l.starts_with("dissimilarity index") || l.starts_with("old mode") ||
                   l.starts_with("new mode") || l.starts_with("deleted file mode") || l.starts_with("new file mode") ||
                   l.starts_with("copy from ") || l.starts_with("copy to ") || l.starts_with("rename from ") ||
                   l.starts_with("rename to ") || l.starts_with("\\ No newline at end of file") ||
                   (l.starts_with("Binary files ") && l.ends_with(" differ"))) {
            other(l);
        } else if (l.empty()) {
            // may be diff context stripped by a mail client; git apply agrees
        } else {
            other(l);
            in_diff_.reset();
        }
    }

    void finish() { flush(); }

private:
    std::optional<std::string> in_diff_; ///< Perl's $in_diff: undef, "0", "1" or an old file name
    std::set<std::string> seen_;
    std::string others_;

    bool truthy() const { return in_diff_ && !in_diff_->empty() && *in_diff_ != "0"; }

    void flush()
    {
        if (!others_.empty())
            result.pieces.push_back({DiffPart::other, std::move(others_)});
        others_.clear();
    }
    void other(std::string_view l)
    {
        if (!others_.empty())
            others_ += '\n';
        others_.append(l);
    }
    void piece(DiffPart part, std::string_view text)
    {
        flush();
        result.pieces.push_back({part, std::string(text)});
    }
    void name(const std::string& path)
    {
        if (seen_.insert(path).second)
            piece(DiffPart::name, path);
    }

    bool git_diff_names(std::string_view rest)
    {
        // Perl's greedy first group: the last space after which a path follows.
        for (size_t sp = rest.rfind(' '); sp != std::string_view::npos && sp > 0; sp = rest.rfind(' ', sp - 1)) {
            const std::string_view a = rest.substr(0, sp), b = rest.substr(sp + 1);
            if (is_prefixed_path(a) && is_prefixed_path(b)) {
                other(std::string("diff --git ") + std::string(rest));
                in_diff_.emplace("1"); // constructed: g++ 12 -O3 warns -Wrestrict (falsely) on assigning "1"
                name(strip_component(a));
                name(strip_component(b));
                return true;
            }
        }
        return false;
    }

    bool traditional_diff(std::string_view l)
    {
        // "diff -OPTS A B": the last two space-free words.
        const size_t sp2 = l.rfind(' ');
        if (sp2 == std::string_view::npos || sp2 + 1 >= l.size() || sp2 < 7)
            return false;
        const size_t sp1 = l.rfind(' ', sp2 - 1);
        if (sp1 == std::string_view::npos || sp1 < 6)
            return false;
        const std::string_view opt = l.substr(6, sp1 - 6), a = l.substr(sp1 + 1, sp2 - sp1 - 1),
                               b = l.substr(sp2 + 1);
        if (opt.empty() || a.empty() || a.find_first_of(" \t") != std::string_view::npos ||
            b.find_first_of(" \t") != std::string_view::npos)
            return false;
        other(l);
        if (opt.find_first_of("uU") != std::string_view::npos) // unified only
            in_diff_ = old_diff_names(std::string(a), b);
        return true;
    }

    /// public-inbox's index_old_diff_fn: strips leading components until
    /// both names agree; "1" when they did, "0" when not.
    std::string old_diff_names(const std::string& fa, std::string_view fb)
    {
        auto parts = [](std::string_view s) {
            std::vector<std::string> out;
            size_t pos = 0;
            while (true) {
                const size_t slash = s.find('/', pos);
                out.emplace_back(s.substr(pos, slash == std::string_view::npos ? std::string_view::npos : slash - pos));
                if (slash == std::string_view::npos)
                    break;
                pos = slash + 1;
            }
            while (!out.empty() && out.back().empty())
                out.pop_back(); // Perl's split drops trailing empty fields
            return out;
        };
        auto join = [](const std::vector<std::string>& v, size_t from) {
            std::string out;
            for (size_t i = from; i < v.size(); ++i)
                out += (i == from ? "" : "/") + v[i];
            return out;
        };
        const auto a = parts(fa), b = parts(fb);
        for (size_t i = 0, j = 0; i < a.size() && j < b.size(); ++i, ++j) {
            const std::string x = join(a, i), y = join(b, j);
            if (x == y) {
                name(x);
                return "1";
            }
        }
        return "0";
    }

    bool index_line(std::string_view l)
    {
        if (!l.starts_with("index "))
            return false;
        const std::string_view r = l.substr(6);
        const size_t dots = r.find("..");
        if (dots == std::string_view::npos || dots == 0 || !is_hex(r.substr(0, dots)))
            return false;
        size_t end = dots + 2;
        while (end < r.size() && ((r[end] >= '0' && r[end] <= '9') || (r[end] >= 'a' && r[end] <= 'f')))
            ++end;
        if (end == dots + 2)
            return false;
        result.pre_blobs.emplace_back(r.substr(0, dots));
        result.post_blobs.emplace_back(r.substr(dots + 2, end - dots - 2));
        in_diff_.emplace("1");
        return true;
    }

    bool hunk_header(std::string_view l)
    {
        if (!l.starts_with("@@ "))
            return false;
        std::string_view r = l.substr(3);
        for (int word = 0; word < 2; ++word) { // (?:\S+) (?:\S+)
            const std::string_view w = first_word(r);
            if (w.empty() || w.size() == r.size() || r[w.size()] != ' ')
                return false;
            r = r.substr(w.size() + 1);
        }
        if (!r.starts_with("@@"))
            return false;
        r = r.substr(2);
        const size_t text = r.find_first_not_of(" \t");
        if (text != std::string_view::npos && text == 0)
            return false; // "@@x": no \s* match of the form above
        if (text != std::string_view::npos)
            piece(DiffPart::hunk, r.substr(text));
        return true;
    }
};

// ---- git patch-id --stable (builtin/patch-id.c, git 2.39)

struct Sha1 {
    const CPtr<GChecksum, g_checksum_free> ctx{g_checksum_new(G_CHECKSUM_SHA1)};
    void update(std::string_view s)
    {
        g_checksum_update(ctx.get(), reinterpret_cast<const guchar*>(s.data()), static_cast<gssize>(s.size()));
    }
    std::array<unsigned char, 20> take()
    {
        std::array<unsigned char, 20> out{};
        gsize len = out.size();
        g_checksum_get_digest(ctx.get(), out.data(), &len);
        g_checksum_reset(ctx.get());
        return out;
    }
};

/// Adds the current file's digest to @p result (20-byte sum with carry).
void flush_one_hunk(std::array<unsigned char, 20>& result, Sha1& ctx)
{
    const auto hash = ctx.take();
    unsigned carry = 0;
    for (size_t i = 0; i < result.size(); ++i) {
        carry += result[i] + hash[i];
        result[i] = static_cast<unsigned char>(carry);
        carry >>= 8;
    }
}

/// git's scan_hunk_header: the line counts of "@@ -a,b +c,d @@".
bool scan_hunk_header(std::string_view p, int& before, int& after)
{
    auto digits = [](std::string_view s) {
        size_t n = 0;
        while (n < s.size() && s[n] >= '0' && s[n] <= '9')
            ++n;
        return n;
    };
    auto number = [](std::string_view s) { return std::atoi(std::string(s.substr(0, 9)).c_str()); };
    std::string_view q = p.substr(4);
    size_t n = digits(q);
    if (n < q.size() && q[n] == ',') {
        q = q.substr(n + 1);
        before = number(q);
        n = digits(q);
    } else {
        before = 1;
    }
    if (n == 0 || n + 1 >= q.size() || q[n] != ' ' || q[n + 1] != '+')
        return false;
    std::string_view r = q.substr(n + 2);
    n = digits(r);
    if (n < r.size() && r[n] == ',') {
        r = r.substr(n + 1);
        after = number(r);
        n = digits(r);
    } else {
        after = 1;
    }
    return n != 0;
}

std::string without_space(std::string_view line)
{
    std::string out;
    for (char c : line)
        if (!std::isspace(static_cast<unsigned char>(c)))
            out += c;
    return out;
}

/// A "commit <40 hex>" / "From <40 hex>" line starts the next patch.
bool names_commit(std::string_view line)
{
    std::string_view p;
    if (line.starts_with("diff-tree "))
        p = line.substr(10);
    else if (line.starts_with("commit "))
        p = line.substr(7);
    else if (line.starts_with("From "))
        p = line.substr(5);
    else
        p = line;
    return p.size() >= 40 && std::all_of(p.begin(), p.begin() + 40, [](char c) {
               return std::isxdigit(static_cast<unsigned char>(c));
           });
}

} // namespace

bool looks_like_diff(std::string_view text)
{
    for (std::string_view l : lines_of(text))
        if (l.starts_with("diff ") || l.starts_with("--- ") || l.starts_with("+++ "))
            return true;
    return false;
}

DiffText parse_diff(std::string_view text)
{
    auto lines = lines_of(text);
    DiffReader reader;
    for (size_t i = 0; i < lines.size();) {
        const std::string_view l = lines[i++];
        reader.line(l, lines, i);
    }
    reader.finish();
    return std::move(reader.result);
}

std::optional<std::string> patch_id(std::string_view text)
{
    // git reads lines with their '\n'; a line's white space never counts.
    const auto lines = lines_of(text);
    size_t i = 0;
    while (i < lines.size()) {
        std::array<unsigned char, 20> result{};
        Sha1 ctx;
        size_t patchlen = 0;
        int before = -1, after = -1;
        bool stopped = false;
        for (; i < lines.size(); ++i) {
            const std::string_view line = lines[i];
            if (line.starts_with("\\ ") && line.size() + 1 > 12)
                continue;
            if (names_commit(line)) {
                ++i;
                break;
            }
            if (patchlen == 0 && !line.starts_with("diff "))
                continue; // commit message
            if (before == -1) {
                if (line.starts_with("index "))
                    continue;
                if (line.starts_with("--- "))
                    before = after = 1;
                else if (line.empty() || !std::isalpha(static_cast<unsigned char>(line[0]))) {
                    stopped = true;
                    goto done;
                }
            }
            if (before == 0 && after == 0) {
                if (line.starts_with("@@ -")) {
                    scan_hunk_header(line, before, after);
                    continue;
                }
                if (!line.starts_with("diff ")) {
                    stopped = true;
                    goto done; // the end of the patch
                }
                flush_one_hunk(result, ctx); // --stable: one digest per file
                before = after = -1;
            }
            if (!line.empty() && (line[0] == '-' || line[0] == ' '))
                --before;
            if (!line.empty() && (line[0] == '+' || line[0] == ' '))
                --after;
            {
                const std::string s = without_space(line);
                patchlen += s.size();
                ctx.update(s);
            }
        }
    done:
        if (stopped)
            ++i; // git consumed the line that ended the patch
        flush_one_hunk(result, ctx);
        if (patchlen > 0) {
            static constexpr char kHex[] = "0123456789abcdef";
            std::string out;
            for (unsigned char c : result) {
                out += kHex[c >> 4];
                out += kHex[c & 15];
            }
            return out;
        }
    }
    return std::nullopt;
}

} // namespace listdex
