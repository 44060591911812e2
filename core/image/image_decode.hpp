// Encoded PNG / JPEG / WebP bytes -> RgbaImage, the format sniffed from magic bytes.
#pragma once

#include <cstddef>
#include <cstdint>

#include "image/image_format.hpp"
#include "image/rgba_image.hpp"

namespace pictor {

struct DecodeLimits {
    // Checked against the dimensions the file declares, before any pixel buffer is allocated
    // (Pillow's decompression-bomb rule). 3840x2160 is 8.3 Mpx; users' own layers may be larger.
    uint64_t max_pixels = 64ull * 1000 * 1000;
};

struct ImageInfo {
    ImageFormat format = ImageFormat::unknown;
    uint32_t width = 0;
    uint32_t height = 0;
    bool has_alpha = false; // the file carries an alpha channel (PNG color type 4/6 or tRNS, WebP alpha)
};

// Reads only the header. Throws Error(bad_image) when the buffer is not a supported image.
ImageInfo probe_image(const uint8_t *data, size_t size);

// Throws Error(bad_image) for corrupt or truncated data (the message names the format and the
// codec's complaint), Error(too_large) when the declared pixels exceed limits.max_pixels.
RgbaImage decode_image(const uint8_t *data, size_t size, const DecodeLimits &limits = {});

// Throws Error(too_large) when width x height exceeds limits.max_pixels. Each codec calls it
// with the dimensions the file declares, before it allocates the pixel buffer.
void check_decode_limits(ImageFormat format, uint32_t width, uint32_t height,
                         const DecodeLimits &limits);

} // namespace pictor
