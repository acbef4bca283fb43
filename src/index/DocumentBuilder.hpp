#pragma once
/// @file DocumentBuilder.hpp
/// Turns a ParsedMessage into a Xapian::Document following Schema.hpp.
/// One builder per thread (TermGenerator is not thread-safe); documents are
/// independent of any database, so parse workers build them in parallel and
/// the single writer only adds them.

#include "listdex/mime/ParsedMessage.hpp"

#include <xapian.h>

namespace listdex {

class DocumentBuilder {
public:
    DocumentBuilder();
    /// Everything except what only the writer knows (date value, data).
    [[nodiscard]] Xapian::Document build(const ParsedMessage& pm, const std::string& hash);

private:
    Xapian::TermGenerator tg_;
};

} // namespace listdex
