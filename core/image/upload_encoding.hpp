// How pixels pictor sends (a crop, a layer, a reference, a mask) are encoded so that every part
// fits the route's per-image limit: the first encoding that fits, fastest first, and a smaller
// image only when no encoding of the full one fits. The limits themselves are the profile's
// (GatewayProfile::max_edit_image_bytes / max_mask_bytes); this module only obeys them.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "image/gray_image.hpp"
#include "image/image_encode.hpp"
#include "image/image_format.hpp"
#include "image/rgba_image.hpp"

namespace pictor {

// lossless: PNG when it fits (fast, then smaller), else a visually lossless JPEG (opaque images)
//           or lossless WebP (images with alpha), else scaled down.
// fast:     the visually lossless JPEG / WebP even when PNG would fit: ~1/5 of the bytes.
enum class UploadQuality { lossless = 0, fast = 1 };

const char *upload_quality_name(UploadQuality quality);
std::optional<UploadQuality> parse_upload_quality(const std::string &name);

// JPEG quality of the "visually lossless" step (4:4:4, no chroma subsampling).
inline constexpr int kUploadJpegQuality = 95;
// WebP quality of the fast step for images with alpha (libwebp keeps alpha lossless).
inline constexpr int kUploadWebpQuality = 95;

struct EncodedUpload {
    std::string bytes;
    ImageFormat format = ImageFormat::png;
    std::string encoding;          // "png fast", "png smaller", "jpeg q95 4:4:4", "webp lossless", ...
    uint32_t width = 0, height = 0; // as sent
    uint32_t source_width = 0, source_height = 0;
    bool downscaled() const { return width != source_width || height != source_height; }
};

// The first encoding of `image` of at most max_bytes (0: no limit). Throws Error(internal) if
// not even a tiny version fits (a limit of a few bytes).
EncodedUpload encode_upload(const RgbaImage &image, uint64_t max_bytes, UploadQuality quality);

// Where encode_upload_to writes: `write` takes the bytes as the encoder makes them; `clear`
// drops what was written when that encoding does not fit and the next one is tried.
struct UploadSink {
    ByteSink write;
    std::function<void()> clear;
};
// The same search for a caller that keeps the bytes elsewhere (commands/upload_image's spool
// files): the encoding that fits is what `sink` holds at the end (the result's `bytes` stays
// empty), written as it is made: the fast PNG band by band, never assembled in memory.
EncodedUpload encode_upload_to(const RgbaImage &image, uint64_t max_bytes, UploadQuality quality,
                               const UploadSink &sink);

// An edit's first image and its mask: the image as encode_upload; the mask (alpha = 255 -
// coverage, alpha 0 = repaint) as PNG with alpha at exactly the image's size. When the image
// is scaled down, the coverage is scaled by the same factor, so the mask still opens exactly
// the selection.
struct EncodedWithMask {
    EncodedUpload image, mask;
};
EncodedWithMask encode_upload_with_mask(const RgbaImage &image, const GrayImage &coverage,
                                        uint64_t max_image_bytes, uint64_t max_mask_bytes,
                                        UploadQuality quality);

// A file the user gave, re-encoded the same way because it is over max_bytes.
EncodedUpload reencode_upload(const std::string &encoded, uint64_t max_bytes, UploadQuality quality);

} // namespace pictor
