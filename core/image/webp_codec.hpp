// WebP through libwebp: the codec behind decode_image / encode_image for ImageFormat::webp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "image/image_decode.hpp"
#include "image/image_encode.hpp"
#include "image/rgba_image.hpp"

namespace pictor {

ImageInfo webp_probe(const uint8_t *data, size_t size);

// Still images only; an animation is refused as bad_image.
RgbaImage webp_decode(const uint8_t *data, size_t size, const DecodeLimits &limits);

// options.quality 0-99: lossy at that quality; 100: lossless, keeping the colour of fully
// transparent pixels too.
std::vector<uint8_t> webp_encode(const RgbaImage &image, const EncodeOptions &options);

} // namespace pictor
