// Encoded PNG / JPEG / WebP bytes -> RgbaImage, the format sniffed from magic bytes.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "image/image_format.hpp"
#include "image/rgba_image.hpp"
#include "library_limits.hpp"

namespace pictor {

// Pixels that the decoded images of one answer may hold together, shared by everything that
// decodes them: an answer of many small files that each decode to the per-image limit must
// not add up to more memory than the images asked for.
class PixelBudget {
public:
    explicit PixelBudget(uint64_t pixels) : left_(pixels) {}
    // Takes `pixels` from what is left; false (and nothing taken) when they do not fit.
    bool take(uint64_t pixels) {
        uint64_t left = left_.load();
        while (left >= pixels)
            if (left_.compare_exchange_weak(left, left - pixels))
                return true;
        return false;
    }

private:
    std::atomic<uint64_t> left_;
};

struct DecodeLimits {
    // Checked against the dimensions the file declares, before any pixel buffer is allocated
    // (Pillow's decompression-bomb rule). 3840x2160 is 8.3 Mpx; users' own layers may be larger.
    uint64_t max_pixels = library_limits::max_pixels;
    // For the images of one answer (null: none): an image that does not fit is not kept
    // decoded; its encoded bytes still are.
    std::shared_ptr<PixelBudget> answer_pixels;
    // Set (from any thread) to stop a decode under way; null: never. The codecs look at it
    // every few rows and at each JPEG scan, so Ctrl-C lands within milliseconds even in a
    // decode that would take minutes. It must outlive the decode.
    const std::atomic<bool> *cancel = nullptr;
};

inline bool decode_cancelled(const DecodeLimits &limits) {
    return limits.cancel != nullptr && limits.cancel->load(std::memory_order_relaxed);
}

// Throws Error(cancelled): the decode was stopped on request (the encoded bytes are untouched).
[[noreturn]] void throw_decode_cancelled();

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
