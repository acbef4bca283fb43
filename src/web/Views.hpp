// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file Views.hpp
/// The request handlers, one per kind of page; Routes.cpp maps URLs to
/// them (docs/web.md lists every URL). Each takes the Exchange with the
/// route's captures (Exchange::args) and its resolved list (Exchange::scope).

#include "Site.hpp"

namespace listdex::web {

// ViewLists.cpp: the lists and their threads
void home(Exchange& x);         ///< every list, latest activity first
void list_index(Exchange& x);   ///< /LIST/: its threads; with q= or x=, a search (ViewSearch.cpp)
void month_page(Exchange& x);   ///< /LIST/YYYY-MM/: threads with messages that month
void list_atom(Exchange& x);    ///< /LIST/new.atom

// ViewSearch.cpp: results
void search_page(Exchange& x);  ///< /search?q= (threads, or messages with o=messages)
void search_atom(Exchange& x);  ///< /search.atom?q=
void list_search(Exchange& x);  ///< /LIST/?q= [&x=t|A] (public-inbox's parameters)

// ViewMessage.cpp: one message
void message_page(Exchange& x);        ///< /LIST/ID/ and /m/ID
void attachment_by_index(Exchange& x); ///< /LIST/ID/N-FILENAME (public-inbox's part numbers)
void attachment_by_part(Exchange& x);  ///< /m/ID/N/FILENAME (listdex's part numbers)

// ViewThread.cpp: threads
void thread_overview(Exchange& x); ///< /t/ID: the tree (?view=flat: every message by date)
void thread_messages(Exchange& x); ///< /LIST/ID/T/ (flat, by date) and /t/ (nested): whole messages
void thread_atom(Exchange& x);     ///< /LIST/ID/t.atom

// Downloads.cpp: mail as it was sent
void raw_message(Exchange& x); ///< /m/ID/raw: the stored bytes of one message
void raw_mboxrd(Exchange& x);  ///< /LIST/ID/raw: every message with the id, as mboxrd
void thread_mbox(Exchange& x); ///< t.mbox, t.mbox.gz and /t/ID.mbox.gz
void series_mbox(Exchange& x); ///< /LIST/ID/series.mbox: a patch series in order, for git am
void search_mbox(Exchange& x); ///< POST /LIST/?q=&x=m [&t=1]: the matches as gzipped mboxrd

// Api.cpp: JSON, as the CLI prints it
void api_search(Exchange& x);
void api_thread(Exchange& x);
void api_message(Exchange& x);

// Pieces shared by the pages above
/// One message as an <article>: headers, body, text attachments, parts.
[[nodiscard]] std::string message_article(const Scope& scope, const StoredMessage& m, const ParsedMessage& pm,
                                          bool heading);
/// A thread's overview: a row per message in tree order with aligned date
/// and author columns, indentation capped, the subject only where it
/// changes; the row of @p current (a key) is marked.
[[nodiscard]] std::string thread_table(const ThreadView& v, const Scope& scope, std::string_view current = {});
/// The subject of a thread's first message.
[[nodiscard]] std::string thread_title(const ThreadView& v);

// Help.cpp
void help_page(Exchange& x);  ///< /LIST/_/text/help/: the query language, from the schema
void stylesheet(Exchange& x); ///< /style.css

} // namespace listdex::web
