// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
// The one stylesheet (/style.css). No script anywhere, so everything a page
// does is here: wrapping, indentation of threads, narrow screens.
#include "Html.hpp"

#include <algorithm>
#include <string>

namespace listdex::web {

namespace {

constexpr std::string_view kBase = R"(:root { color-scheme: light dark; --fg: #1b1b1b; --bg: #fdfdfb; --dim: #5f5f5f;
  --link: #0b57a4; --q: #52606b; --add: #176b2c; --del: #a1262c; --hunk: #7a4ba8; --mark: #fde68a; --rule: #ddd;
  --bar: #7d9cc0; --here: #eef3fa; }
@media (prefers-color-scheme: dark) { :root { --fg: #e4e4e0; --bg: #161616; --dim: #a0a0a0; --link: #7fb6f0;
  --q: #93a7b5; --add: #7fd08f; --del: #f08a8f; --hunk: #c5a0ef; --mark: #6b5a12; --rule: #333; --bar: #5d7ea6;
  --here: #1f2a38; } }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 72rem; padding: 0 1rem 2rem; font: 16px/1.45 system-ui, sans-serif;
  color: var(--fg); background: var(--bg); overflow-wrap: break-word; }
a { color: var(--link); }
code { font: .92em ui-monospace, monospace; }
header { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; padding: .75rem 0;
  border-bottom: 1px solid var(--rule); }
header .home { font-weight: 700; text-decoration: none; }
header form { display: flex; flex: 1 1 16rem; gap: .4rem; }
header input { flex: 1; min-width: 0; padding: .35rem .5rem; font: inherit; }
header .scope { font-size: .85rem; color: var(--dim); }
footer { margin-top: 2rem; color: var(--dim); font-size: .85rem; }
h1 { font-size: 1.3rem; margin: 1rem 0 .5rem; }
h2 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
h3 { font-size: 1rem; margin: .75rem 0 .25rem; }
.meta, .dim { color: var(--dim); }
.nowrap { white-space: nowrap; }
nav.links, nav.pages, nav.crumbs { display: flex; flex-wrap: wrap; gap: .25rem 1rem; margin: .5rem 0; }
nav.pages strong { padding: 0 .25rem; }
nav.msgnav { display: flex; flex-wrap: wrap; gap: .5rem 2rem; margin: 1rem 0; padding: .5rem 0;
  border-top: 1px solid var(--rule); border-bottom: 1px solid var(--rule); }
nav.msgnav a, nav.msgnav span { margin-right: .75rem; }
.error { border-left: 4px solid var(--del); padding: .5rem 1rem; }
table.headers { border-collapse: collapse; margin: .5rem 0; }
table.headers th { text-align: left; vertical-align: top; padding: 0 .75rem 0 0; color: var(--dim); font-weight: 400; }
table.headers td { overflow-wrap: break-word; }
pre.body { white-space: pre-wrap; overflow-wrap: anywhere; font: 14px/1.4 ui-monospace, monospace;
  border-top: 1px solid var(--rule); padding-top: .75rem; margin: .5rem 0; }
pre.body .q { color: var(--q); } pre.body .add { color: var(--add); } pre.body .del { color: var(--del); }
pre.body .hunk { color: var(--hunk); } pre.body .dh { font-weight: 700; }
section.inline-part h3 { font-weight: 400; font-size: .9rem; }
article.message { border-top: 2px solid var(--rule); margin-top: 1.5rem; }
ol.results { list-style: none; padding: 0; } ol.results li { padding: .5rem 0; border-bottom: 1px solid var(--rule); }
ol.results .subject { font-weight: 600; }
.snippet { margin: .2rem 0 0; } mark { background: var(--mark); color: inherit; }
section.replies ul { padding-left: 1.25rem; }
table.lists { border-collapse: collapse; width: 100%; }
table.lists td, table.lists th { text-align: left; padding: .4rem .75rem .4rem 0; border-bottom: 1px solid var(--rule);
  vertical-align: middle; }
table.lists .n { text-align: right; font-variant-numeric: tabular-nums; }
table.lists .since { display: block; font-size: .8rem; color: var(--dim); }
table.lists td.latest { white-space: nowrap; }
svg.activity { display: block; width: 100%; height: 4rem; margin: .5rem 0 1rem; fill: var(--bar); }
svg.activity a:hover rect, svg.activity a:focus rect { fill: var(--link); }
td.spark svg.activity { width: 12rem; height: 1.75rem; margin: 0; }
section.months .year { display: flex; gap: .5rem 1rem; align-items: baseline; }
section.months h3 { margin: 0; min-width: 3rem; }
section.months ol { display: flex; flex-wrap: wrap; list-style: none; padding: 0; margin: .25rem 0; gap: .25rem .75rem; }
section.months .n { color: var(--dim); font-variant-numeric: tabular-nums; }
table.thread { border-collapse: collapse; width: 100%; font-size: .92rem; table-layout: fixed; }
table.thread td { padding: .15rem .6rem .15rem 0; vertical-align: top; }
table.thread td.date { white-space: nowrap; color: var(--dim); font-variant-numeric: tabular-nums; width: 9.5rem; }
table.thread td.who { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; width: 11rem; }
table.thread tr.current td { background: var(--here); }
table.thread tr.missing td { color: var(--dim); }
table.thread .re { color: var(--dim); }
.deep { display: inline-block; min-width: 1.5rem; margin-right: .25rem; padding: 0 .2rem; font-size: .75rem;
  text-align: center; color: var(--bg); background: var(--dim); border-radius: .2rem; }
div.nest { border-left: 2px solid var(--rule); padding-left: .75rem; }
table.fields { border-collapse: collapse; } table.fields td, table.fields th { text-align: left; vertical-align: top;
  padding: .2rem .75rem .2rem 0; border-bottom: 1px solid var(--rule); }
@media (max-width: 40rem) {
  body { padding: 0 .6rem 1.5rem; }
  table.lists thead { display: none; }
  table.lists, table.lists tbody, table.lists tr { display: block; }
  table.lists tr { display: grid; grid-template-columns: 1fr 1fr; gap: 0 .75rem; padding: .5rem 0;
    border-bottom: 1px solid var(--rule); }
  table.lists td { border: 0; padding: 0; }
  table.lists td.list { grid-column: 1 / -1; }
  table.lists td.n { text-align: left; }
  table.lists td.n::after { content: " " attr(data-label); color: var(--dim); }
  table.lists td.spark { grid-column: 1 / -1; }
  td.spark svg.activity { width: 100%; }
  table.thread td.date .y, table.thread td.date .hm { display: none; }
  table.thread td.date { width: 3.3rem; }
  table.thread td.who { width: 6.5rem; }
  table.fields td:nth-child(3) { display: none; }
  table.headers, table.headers tbody, table.headers tr, table.headers th, table.headers td { display: block; }
  table.headers th { font-size: .8rem; padding-top: .3rem; }
}
)";

/// Depth classes d0..d12: the thread table's cells indent by padding, the
/// nested messages of /LIST/ID/t/ by margin. On phones the step halves
/// and stops at d6, so a deep thread keeps most of a 390 px screen.
std::string depth_rules()
{
    std::string out, narrow;
    for (int d = 0; d <= 12; ++d) {
        const std::string n = std::to_string(d);
        out += "table.thread td.d" + n + " { padding-left: " + std::to_string(d * 0.9).substr(0, 4) + "rem; } " +
               "div.nest.d" + n + " { margin-left: " + std::to_string(d * 0.9).substr(0, 4) + "rem; }\n";
        const double step = std::min(d, 6) * 0.45;
        narrow += "  table.thread td.d" + n + " { padding-left: " + std::to_string(step).substr(0, 4) + "rem; } " +
                  "div.nest.d" + n + " { margin-left: " + std::to_string(step).substr(0, 4) + "rem; }\n";
    }
    return out + "@media (max-width: 40rem) {\n" + narrow + "}\n";
}

} // namespace

std::string_view style_sheet_text()
{
    static const std::string sheet = std::string(kBase) + depth_rules();
    return sheet;
}

} // namespace listdex::web
