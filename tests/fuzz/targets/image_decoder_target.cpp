// libFuzzer target for one decoder path, chosen at build time (PICTOR_FUZZ_DECODE = png_decode,
// jpeg_decode or webp_decode): the codec itself, then decode_image (sniffing and limits). A decoded image must be
// exactly width x height x 4 bytes and within the limit.
#include <cstddef>
#include <cstdint>

#include "error.hpp"
#include "image/image_decode.hpp"
#include "image/jpeg_codec.hpp"
#include "image/png_codec.hpp"
#include "image/webp_codec.hpp"

namespace {

// Small enough that ASan's shadow memory keeps the fuzzer fast; bombs must be refused anyway.
const pictor::DecodeLimits kLimits{4ull * 1000 * 1000};

void check(const pictor::RgbaImage &image) {
    uint64_t pixels = uint64_t(image.width) * image.height;
    if (pixels > kLimits.max_pixels || image.pixels.size() != pixels * 4)
        __builtin_trap();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    try {
        check(pictor::PICTOR_FUZZ_DECODE(data, size, kLimits));
    } catch (const pictor::Error &) {
    }
    try {
        pictor::probe_image(data, size);
        check(pictor::decode_image(data, size, kLimits));
    } catch (const pictor::Error &) {
    }
    return 0;
}
