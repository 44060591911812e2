// JPEG through libjpeg(-turbo): the codec behind decode_image / encode_image for ImageFormat::jpeg.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "image/image_decode.hpp"
#include "image/image_encode.hpp"
#include "image/rgba_image.hpp"

namespace pictor {

// More scans than this is not a picture but a way to use up time (each scan may pass over the
// whole image); libjpeg-turbo's own limit (TJFLAG_LIMITSCANS). Real progressive files have ~10.
constexpr int kMaxJpegScans = 500;

ImageInfo jpeg_probe(const uint8_t *data, size_t size);

// Grayscale, YCbCr, RGB and CMYK/YCCK files all come out as opaque RGBA. A file that ends before
// its last scanline is refused, not padded with grey.
RgbaImage jpeg_decode(const uint8_t *data, size_t size, const DecodeLimits &limits);

// Alpha is ignored. options.quality is libjpeg's 0-100 scale.
std::vector<uint8_t> jpeg_encode(const RgbaImage &image, const EncodeOptions &options);

} // namespace pictor
