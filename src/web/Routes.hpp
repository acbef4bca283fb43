// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
#pragma once
/// @file Routes.hpp
/// The URL table of `listdex serve` (Routes.cpp, one commented line per
/// URL, as public-inbox's WWW.pm) and its matcher.

#include "HttpServer.hpp"
#include "Site.hpp"

#include <string_view>
#include <vector>

namespace listdex::web {

/// Answers @p req (GET, HEAD or POST) from the route table: the first
/// route whose method and pattern match and whose {list} names a list.
/// Unknown URLs, lists and messages are 404; a POST to a GET route is 405.
void dispatch(Site& site, const httplib::Request& req, httplib::Response& res);

/// The lane a request belongs to, from its method and raw target alone
/// (the event loop calls it; it reads nothing).
[[nodiscard]] Lane lane_of(std::string_view method, std::string_view target);

/// Every route as "METHOD PATTERN", in table order (docs/web.md is checked
/// against it).
[[nodiscard]] std::vector<std::string> route_patterns();

/// @p path ("/a/b%2Fc/") split into segments, each percent-decoded:
/// {"a", "b/c", ""}. A trailing slash gives a last empty segment.
[[nodiscard]] std::vector<std::string> path_segments(std::string_view path);

} // namespace listdex::web
