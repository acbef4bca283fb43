#include "listdex/index/Schema.hpp"

#include "listdex/base/Hash.hpp"

namespace listdex::schema {

const Field* field_named(std::string_view name)
{
    for (const Field& f : kFields) {
        bool found = false;
        detail::for_each_name(f, [&](std::string_view n) { found = found || n == name; });
        if (found)
            return &f;
    }
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
