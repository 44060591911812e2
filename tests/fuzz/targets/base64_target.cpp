// libFuzzer target: base64 as gateways send it. Whatever decodes must survive a round trip.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "error.hpp"
#include "image/base64.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    std::string_view text(reinterpret_cast<const char *>(data), size);
    std::vector<uint8_t> decoded;
    try {
        decoded = pictor::base64_decode(text);
    } catch (const pictor::Error &) {
        return 0;
    }
    std::string again = pictor::base64_encode(decoded.data(), decoded.size());
    if (pictor::base64_decode(again) != decoded)
        __builtin_trap();
    // And any bytes encode to text that decodes back to them.
    std::string encoded = pictor::base64_encode(data, size);
    if (pictor::base64_decode(encoded) != std::vector<uint8_t>(data, data + size))
        __builtin_trap();
    return 0;
}
