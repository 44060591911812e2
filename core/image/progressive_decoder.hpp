// Decodes an image while its bytes arrive, so little decode work is left after the last byte.
// Each decoder is only an accelerator: when it cannot finish (corrupt data, a feature it does
// not stream, too little data), the caller decodes the complete bytes with decode_image, which
// gives the authoritative result and error message.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "image/image_decode.hpp"
#include "image/image_format.hpp"
#include "image/rgba_image.hpp"

namespace pictor {

class ProgressiveDecoder {
public:
    virtual ~ProgressiveDecoder() = default;

    // data holds every byte received so far, from the first; it only grows between calls, but
    // may move (a reallocated buffer). Throws Error when the data is unusable; the caller then
    // drops the decoder.
    virtual void update(const uint8_t *data, size_t size) = 0;

    // The whole image has been decoded (and its end checked, as decode_image does).
    virtual bool complete() const = 0;

    // The decoded image once complete(); the decoder is spent afterwards.
    virtual RgbaImage take() = 0;
};

// nullptr when the format has no progressive decoder here (the caller decodes at the end).
std::unique_ptr<ProgressiveDecoder> make_progressive_decoder(ImageFormat format,
                                                             const DecodeLimits &limits);

// Per format (one file each). PNG has two: the fast reader for 8-bit RGB / RGBA files, which
// hands anything else to libpng's progressive reader (png_fast_decoder.cpp), and that reader.
std::unique_ptr<ProgressiveDecoder> make_png_fast_progressive_decoder(const DecodeLimits &limits);
std::unique_ptr<ProgressiveDecoder> make_png_progressive_decoder(const DecodeLimits &limits);
std::unique_ptr<ProgressiveDecoder> make_jpeg_progressive_decoder(const DecodeLimits &limits);
std::unique_ptr<ProgressiveDecoder> make_webp_progressive_decoder(const DecodeLimits &limits);

} // namespace pictor
