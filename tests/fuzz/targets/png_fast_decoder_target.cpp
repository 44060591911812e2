// libFuzzer target for the fast PNG reader, differential against libpng: fed whole and in pieces
// (sizes taken from the input), it may refuse anything, but whenever it completes, decode_image
// (libpng) must decode the same bytes to the same pixels. It is only allowed to be stricter.
#include <cstddef>
#include <cstdint>
#include <string>

#include "error.hpp"
#include "image/image_decode.hpp"
#include "image/progressive_decoder.hpp"

namespace {

const pictor::DecodeLimits kLimits{4ull * 1000 * 1000};

bool fast_decode(const uint8_t *data, size_t size, size_t piece, pictor::RgbaImage &out) {
    auto decoder = pictor::make_png_fast_progressive_decoder(kLimits);
    std::string buffer; // grows and moves, as the streamed answer's buffer does
    try {
        for (size_t at = 0; at < size; at += piece) {
            buffer.append(reinterpret_cast<const char *>(data) + at, piece < size - at ? piece : size - at);
            buffer.shrink_to_fit();
            decoder->update(reinterpret_cast<const uint8_t *>(buffer.data()), buffer.size());
        }
    } catch (const pictor::Error &) {
        return false;
    }
    if (!decoder->complete()) return false;
    out = decoder->take();
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const size_t pieces[] = {size, size_t(1) + (size > 0 ? data[size - 1] % 97 : 0)};
    for (size_t piece : pieces) {
        if (piece == 0) continue;
        pictor::RgbaImage fast;
        if (!fast_decode(data, size, piece, fast)) continue;
        pictor::RgbaImage reference;
        try {
            reference = pictor::decode_image(data, size, kLimits);
        } catch (const pictor::Error &) {
            __builtin_trap(); // completed an image libpng refuses
        }
        if (fast.width != reference.width || fast.height != reference.height || fast.pixels != reference.pixels)
            __builtin_trap(); // different pixels from libpng's
    }
    return 0;
}
