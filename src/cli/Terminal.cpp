#include "Terminal.hpp"

#include <cstdio>
#include <unistd.h>

namespace listdex::cli {

bool stderr_is_terminal()
{
    return ::isatty(STDERR_FILENO) == 1;
}

std::string megabytes(uint64_t bytes)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(bytes) / 1e6);
    return buf;
}

void ProgressLine::show(const std::string& text)
{
    std::string line = "\r" + text;
    if (text.size() < width_)
        line.append(width_ - text.size(), ' ');
    width_ = text.size();
    std::fputs(line.c_str(), stderr);
    std::fflush(stderr);
}

void ProgressLine::clear()
{
    if (width_ == 0)
        return;
    std::fprintf(stderr, "\r%*s\r", static_cast<int>(width_), "");
    std::fflush(stderr);
    width_ = 0;
}

} // namespace listdex::cli
