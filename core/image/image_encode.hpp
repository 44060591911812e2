// RgbaImage -> PNG / JPEG / WebP bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "image/image_format.hpp"
#include "image/rgba_image.hpp"

namespace pictor {

struct EncodeOptions {
    int quality = 90;          // JPEG / WebP, 0-100 (100 = WebP lossless)
    int png_zlib_level = 1;    // 1-3: the fast parallel encoder (adaptive filters, run-length deflate), ~10x faster than libpng at 6
    bool keep_alpha = false;   // PNG: write RGBA even when every pixel is opaque (masks need it)
    bool jpeg_full_chroma = false; // JPEG: 4:4:4 (no chroma subsampling): what "visually
                                   // lossless" uploads use
};

// Takes an encoded file piece by piece, in order (a spool file's append, a vector's insert).
using ByteSink = std::function<void(const uint8_t *data, size_t size)>;

// Throws Error(invalid_argument) for ImageFormat::unknown or an empty image,
// Error(internal) if the codec fails. JPEG drops alpha (composited on nothing: alpha ignored).
std::vector<uint8_t> encode_image(const RgbaImage &image, ImageFormat format,
                                  const EncodeOptions &options = {});
// The same bytes handed to `sink`: the fast PNG as it is framed, band by band (never assembled
// in one buffer), the other encoders' output whole. Returns the number of bytes written.
uint64_t encode_image_to(const RgbaImage &image, ImageFormat format, const EncodeOptions &options,
                         const ByteSink &sink);

// What a lossy encoder refuses before it starts: a quality outside 0-100, a side over max_side.
// Throws Error(invalid_argument) saying so; name: "JPEG"; quality_note: appended to the range
// ("(100 = lossless)") or "".
void check_lossy_encode(const char *name, const RgbaImage &image, int quality, uint32_t max_side,
                        const char *quality_note);

// Several images (an edit's references, a mask) encoded at once, one thread per image up to
// the core count; results in order. Throws the first image's error, after every thread ended.
std::vector<std::vector<uint8_t>> encode_images(const std::vector<const RgbaImage *> &images,
                                                ImageFormat format, const EncodeOptions &options = {});

} // namespace pictor
