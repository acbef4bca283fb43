// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#include "HtmlToText.hpp"

#include "listdex/base/CPtr.hpp"
#include "listdex/base/Text.hpp"

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>

#include <cstring>
#include <mutex>

namespace listdex {

namespace {

// xmlFree is a variable holding libxml2's deallocator, not a function.
void free_xml(xmlChar* p)
{
    xmlFree(p);
}
using XmlText = CPtr<xmlChar, free_xml>;

bool name_is(const xmlNode* n, const char* name)
{
    return n->name && xmlStrcasecmp(n->name, reinterpret_cast<const xmlChar*>(name)) == 0;
}

bool is_any(const xmlNode* n, std::initializer_list<const char*> names)
{
    for (const char* name : names)
        if (name_is(n, name))
            return true;
    return false;
}

class TextBuilder {
public:
    std::string out;

    void text(std::string_view s, bool preformatted)
    {
        if (preformatted) {
            flush_space();
            out.append(s);
            return;
        }
        for (char c : s) {
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
                pending_space_ = true;
            } else {
                flush_space();
                out += c;
            }
        }
    }
    void newline(int count = 1)
    {
        pending_space_ = false;
        while (!out.empty() && out.back() == ' ')
            out.pop_back();
        if (out.empty())
            return;
        int have = 0;
        for (auto it = out.rbegin(); it != out.rend() && *it == '\n'; ++it)
            ++have;
        for (; have < count; ++have)
            out += '\n';
    }

private:
    void flush_space()
    {
        if (pending_space_ && !out.empty() && out.back() != '\n' && out.back() != ' ')
            out += ' ';
        pending_space_ = false;
    }
    bool pending_space_ = false;
};

void walk(const xmlNode* node, TextBuilder& tb, bool pre, int depth);

std::string render_children(const xmlNode* node, bool pre, int depth)
{
    TextBuilder inner;
    for (const xmlNode* c = node->children; c; c = c->next)
        walk(c, inner, pre, depth + 1);
    return inner.out;
}

void walk(const xmlNode* node, TextBuilder& tb, bool pre, int depth)
{
    if (depth > 200) // hostile nesting: stop descending, keep what we have
        return;
    if (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE) {
        if (node->content)
            tb.text(reinterpret_cast<const char*>(node->content), pre);
        return;
    }
    if (node->type != XML_ELEMENT_NODE && node->type != XML_DOCUMENT_NODE && node->type != XML_HTML_DOCUMENT_NODE)
        return;
    if (node->type == XML_ELEMENT_NODE) {
        if (is_any(node, {"script", "style", "head", "title", "template", "noscript", "object", "iframe", "svg"}))
            return;
        if (name_is(node, "br")) {
            tb.newline(1);
            return;
        }
        if (name_is(node, "hr")) {
            tb.newline(1);
            tb.text("----", true);
            tb.newline(1);
            return;
        }
        if (name_is(node, "img")) {
            if (const XmlText alt{xmlGetProp(node, reinterpret_cast<const xmlChar*>("alt"))}; alt && *alt) {
                tb.text("[", false);
                tb.text(reinterpret_cast<const char*>(alt.get()), false);
                tb.text("]", false);
            }
            return;
        }
        if (name_is(node, "blockquote")) {
            tb.newline(1);
            std::string inner = render_children(node, pre, depth);
            std::string_view body = trim(inner);
            size_t pos = 0;
            while (pos <= body.size() && !body.empty()) {
                const size_t nl = body.find('\n', pos);
                std::string_view line = body.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
                tb.text(line.empty() || line.starts_with('>') ? ">" : "> ", true);
                tb.text(line, true);
                tb.text("\n", true);
                if (nl == std::string_view::npos)
                    break;
                pos = nl + 1;
            }
            tb.newline(1);
            return;
        }
    }
    const bool block = node->type == XML_ELEMENT_NODE &&
                       is_any(node, {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "tr",
                                     "pre", "section", "article", "header", "footer", "dl", "dt", "dd", "address",
                                     "center", "form", "fieldset", "li"});
    const bool para = node->type == XML_ELEMENT_NODE && is_any(node, {"p", "h1", "h2", "h3", "h4", "h5", "h6", "table", "pre"});
    if (block)
        tb.newline(para ? 2 : 1);
    if (node->type == XML_ELEMENT_NODE && name_is(node, "li"))
        tb.text("* ", true);
    const bool child_pre = pre || (node->type == XML_ELEMENT_NODE && is_any(node, {"pre", "textarea"}));
    const size_t before = tb.out.size();
    for (const xmlNode* c = node->children; c; c = c->next)
        walk(c, tb, child_pre, depth + 1);
    if (node->type == XML_ELEMENT_NODE && is_any(node, {"td", "th"}))
        tb.text(" ", false);
    if (node->type == XML_ELEMENT_NODE && name_is(node, "a")) {
        if (const XmlText href{xmlGetProp(node, reinterpret_cast<const xmlChar*>("href"))}) {
            std::string target(trim(reinterpret_cast<const char*>(href.get())));
            std::string label = tb.out.substr(before);
            if (target.starts_with("mailto:"))
                target.erase(0, 7);
            if (!target.empty() && !target.starts_with('#') && label.find(target) == std::string::npos) {
                tb.text(" <", false);
                tb.text(target, true);
                tb.text(">", true);
            }
        }
    }
    if (block)
        tb.newline(para ? 2 : 1);
}

} // namespace

std::string html_to_text(std::string_view html)
{
    static std::once_flag init;
    std::call_once(init, [] { xmlInitParser(); });
    if (html.size() > static_cast<size_t>(INT32_MAX))
        html = html.substr(0, INT32_MAX);
    const CPtr<xmlDoc, xmlFreeDoc> doc(htmlReadMemory(html.data(), static_cast<int>(html.size()), nullptr, "UTF-8",
                                    HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
                                        HTML_PARSE_NOIMPLIED | HTML_PARSE_COMPACT));
    if (!doc)
        return {};
    TextBuilder tb;
    walk(reinterpret_cast<const xmlNode*>(doc.get()), tb, false, 0);
    // Non-breaking spaces render as spaces in a terminal anyway.
    std::string out;
    out.reserve(tb.out.size());
    for (size_t i = 0; i < tb.out.size(); ++i) {
        if (tb.out.compare(i, 2, "\xC2\xA0") == 0) {
            out += ' ';
            ++i;
        } else {
            out += tb.out[i];
        }
    }
    return std::string(trim(out)) + "\n";
}

} // namespace listdex
