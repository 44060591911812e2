#include "image/base64_alphabet.hpp"

#include <cstdio>
#include <string>

#include "error.hpp"

namespace pictor {
namespace base64_alphabet {

void throw_corrupt(const char *what, unsigned char c, size_t offset) {
    char shown[16];
    if (c >= 0x21 && c <= 0x7e)
        std::snprintf(shown, sizeof shown, "'%c' (0x%02x)", c, c);
    else
        std::snprintf(shown, sizeof shown, "0x%02x", c);
    throw Error(ErrorKind::bad_response, "base64: " + std::string(what) + " " + shown +
                                             " at offset " + std::to_string(offset) +
                                             " — the image data is corrupt");
}

void throw_truncated(size_t offset) {
    throw Error(ErrorKind::bad_response,
                "base64: the value ends with a single dangling character at offset " +
                    std::to_string(offset) +
                    " — the image data is truncated (the response was cut short)");
}

} // namespace base64_alphabet
} // namespace pictor
