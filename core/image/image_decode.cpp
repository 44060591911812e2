#include "image/image_decode.hpp"

#include <cstdio>
#include <string>

#include "error.hpp"
#include "image/jpeg_codec.hpp"
#include "image/png_codec.hpp"
#include "image/webp_codec.hpp"

namespace pictor {

namespace {

const char *display_name(ImageFormat format) {
    switch (format) {
    case ImageFormat::png: return "PNG";
    case ImageFormat::jpeg: return "JPEG";
    case ImageFormat::webp: return "WebP";
    case ImageFormat::unknown: break;
    }
    return "image";
}

// A gateway that answers with an HTML error page or JSON instead of an image is the usual
// cause, so the message shows the first bytes both as hex and as text.
[[noreturn]] void throw_unknown_format(const uint8_t *data, size_t size) {
    if (size == 0) throw Error(ErrorKind::bad_image, "the image data is empty — nothing to decode");
    // The signature's non-ASCII and CR/LF bytes exist to catch 7-bit and text-mode transfers;
    // most of it intact means a damaged PNG rather than some other kind of file.
    static const uint8_t png_signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    int signature_matches = 0;
    for (size_t i = 0; i < 8 && i < size; ++i) signature_matches += data[i] == png_signature[i];
    if (signature_matches >= 5)
        throw Error(ErrorKind::bad_image,
                    "the PNG signature is damaged (bytes altered in transit, as by a text-mode "
                    "or 7-bit transfer) — the image data is corrupt");
    std::string hex, text;
    for (size_t i = 0; i < size && i < 8; ++i) {
        char byte[4];
        std::snprintf(byte, sizeof byte, i == 0 ? "%02x" : " %02x", data[i]);
        hex += byte;
        text += data[i] >= 0x20 && data[i] < 0x7f ? char(data[i]) : '.';
    }
    throw Error(ErrorKind::bad_image, "not a PNG, JPEG or WebP image (it starts with " + hex +
                                          ", \"" + text +
                                          "\") — it is another kind of file, or the data is "
                                          "corrupt");
}

ImageFormat sniff_or_throw(const uint8_t *data, size_t size) {
    if (data == nullptr && size != 0)
        throw Error(ErrorKind::invalid_argument, "image data is NULL but its size is not 0");
    const ImageFormat format = sniff_image_format(data, size);
    if (format == ImageFormat::unknown) throw_unknown_format(data, size);
    return format;
}

} // namespace

void throw_decode_cancelled() {
    throw Error(ErrorKind::cancelled, "Cancelled while decoding the image.");
}

void check_decode_limits(ImageFormat format, uint32_t width, uint32_t height,
                         const DecodeLimits &limits) {
    const uint64_t pixels = uint64_t(width) * height;
    // The second test only matters where size_t is 32 bits.
    if (pixels <= limits.max_pixels && pixels <= SIZE_MAX / 4) return;
    char message[320];
    std::snprintf(message, sizeof message,
                  "%s: the image declares %ux%u pixels (%.1f Mpx), over the decode limit of "
                  "%.1f Mpx — refused before allocating memory (a corrupt file or a "
                  "decompression bomb; raise DecodeLimits::max_pixels only for trusted images)",
                  display_name(format), width, height, double(pixels) / 1e6,
                  double(limits.max_pixels) / 1e6);
    throw Error(ErrorKind::too_large, message);
}

ImageInfo probe_image(const uint8_t *data, size_t size) {
    switch (sniff_or_throw(data, size)) {
    case ImageFormat::png: return png_probe(data, size);
    case ImageFormat::jpeg: return jpeg_probe(data, size);
    case ImageFormat::webp: return webp_probe(data, size);
    case ImageFormat::unknown: break;
    }
    throw Error(ErrorKind::internal, "probe_image: unhandled image format");
}

RgbaImage decode_image(const uint8_t *data, size_t size, const DecodeLimits &limits) {
    if (decode_cancelled(limits)) throw_decode_cancelled();
    switch (sniff_or_throw(data, size)) {
    case ImageFormat::png: return png_decode(data, size, limits);
    case ImageFormat::jpeg: return jpeg_decode(data, size, limits);
    case ImageFormat::webp: return webp_decode(data, size, limits);
    case ImageFormat::unknown: break;
    }
    throw Error(ErrorKind::internal, "decode_image: unhandled image format");
}

} // namespace pictor
