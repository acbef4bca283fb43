#pragma once
/// @file Terminal.hpp
/// Human-readable numbers and the import progress line.

#include "listdex/base/Text.hpp"

#include <cstdint>
#include <string>

namespace listdex::cli {

[[nodiscard]] bool stderr_is_terminal();
/// 139245955 -> "139.2 MB".
[[nodiscard]] std::string megabytes(uint64_t bytes);

/// Rewrites one status line on stderr; clear() erases it.
class ProgressLine {
public:
    void show(const std::string& text);
    void clear();

private:
    size_t width_ = 0;
};

} // namespace listdex::cli
