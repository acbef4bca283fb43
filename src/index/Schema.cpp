#include "listdex/index/Schema.hpp"

#include "listdex/base/Hash.hpp"

namespace listdex::schema {

const Field* field(std::string_view name)
{
    for (const Field& f : kFields)
        if (f.name == name)
            return &f;
    return nullptr;
}

std::string term(std::string_view prefix, std::string_view value)
{
    constexpr size_t kMaxTerm = 240;
    std::string t(prefix);
    if (prefix.size() + value.size() <= kMaxTerm) {
        t.append(value);
        return t;
    }
    t.append(value.substr(0, kMaxTerm - prefix.size() - 34));
    t += '#';
    t += content_hash(value);
    return t;
}

} // namespace listdex::schema
