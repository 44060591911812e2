// libFuzzer target: the JSON reader for an Images API answer (read_images_response) and the
// error-body reader (error_from_body) — both take whatever a gateway sends.
#include <cstddef>
#include <cstdint>
#include <string>

#include "api/http_error.hpp"
#include "api/images_response.hpp"
#include "error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    std::string body(reinterpret_cast<const char *>(data), size);
    try {
        pictor::ImagesResponse response = pictor::read_images_response(body);
        for (const auto &image : response.images)
            if (image.bytes.empty() && image.url.empty())
                __builtin_trap(); // the reader promises bytes or a url per item
    } catch (const pictor::Error &) {
        // Typed refusals are the expected outcome for garbage.
    }
    // Messages end up in JSON: they must stay valid UTF-8 whatever the server sent.
    pictor::ErrorInfo info = pictor::error_from_body(size % 2 ? 400 : 503, body);
    nlohmann::json check = {{"message", info.message}, {"code", info.code}};
    (void)check.dump();
    return 0;
}
