#include "image/progressive_decoder.hpp"

namespace pictor {

std::unique_ptr<ProgressiveDecoder> make_progressive_decoder(ImageFormat format,
                                                             const DecodeLimits &limits) {
    switch (format) {
    case ImageFormat::png: return make_png_fast_progressive_decoder(limits);
    case ImageFormat::jpeg: return make_jpeg_progressive_decoder(limits);
    case ImageFormat::webp: return make_webp_progressive_decoder(limits);
    case ImageFormat::unknown: break;
    }
    return nullptr;
}

} // namespace pictor
