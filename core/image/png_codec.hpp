// PNG through libpng: the codec behind decode_image / encode_image for ImageFormat::png.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "image/image_decode.hpp"
#include "image/image_encode.hpp"
#include "image/rgba_image.hpp"

namespace pictor {

// The most one ancillary chunk (or its decompressed text / ICC profile) may take in memory:
// libpng's chunk allocation limit, the same in the three PNG readers so they refuse the same files.
inline constexpr size_t kPngChunkMallocMax = 8 * 1024 * 1024;

ImageInfo png_probe(const uint8_t *data, size_t size);

// Samples come out as stored: no gamma or colour-profile correction, 16-bit samples keep their
// high byte (what the PngSuite's 8-bit references hold).
RgbaImage png_decode(const uint8_t *data, size_t size, const DecodeLimits &limits);

// Every alpha is 255: PNG writes RGB, and an upload may go as JPEG without losing anything.
bool all_opaque(const RgbaImage &image);

std::vector<uint8_t> png_encode(const RgbaImage &image, const EncodeOptions &options);
// The same bytes handed to `sink` (encode_image_to). Returns the number of bytes written.
uint64_t png_encode_to(const RgbaImage &image, const EncodeOptions &options, const ByteSink &sink);

} // namespace pictor
