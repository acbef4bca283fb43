#include "listdex/base/Error.hpp"

namespace listdex {

std::string Error::describe() const
{
    if (hint.empty())
        return message;
    return message + "\n  hint: " + hint;
}

} // namespace listdex
