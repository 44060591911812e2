// Base64 as gateways really send it: standard or URL-safe alphabet, padding optional,
// whitespace (including line breaks a JSON parser unescaped) skipped anywhere.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pictor {

// Throws Error(ErrorKind::bad_response) naming the offset of the first invalid character,
// or a dangling single character at the end (a truncated value).
std::vector<uint8_t> base64_decode(std::string_view text);

std::string base64_encode(const uint8_t *data, size_t size);

} // namespace pictor
