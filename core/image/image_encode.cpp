#include "image/image_encode.hpp"

#include <string>

#include "error.hpp"
#include "image/jpeg_codec.hpp"
#include "image/png_codec.hpp"
#include "image/webp_codec.hpp"

namespace pictor {

std::vector<uint8_t> encode_image(const RgbaImage &image, ImageFormat format,
                                  const EncodeOptions &options) {
    if (format == ImageFormat::unknown)
        throw Error(ErrorKind::invalid_argument,
                    "encode_image: no output format given — choose PNG, JPEG or WebP");
    if (image.empty())
        throw Error(ErrorKind::invalid_argument, "encode_image: the image is empty (" +
                                                     std::to_string(image.width) + "x" +
                                                     std::to_string(image.height) + ")");
    const uint64_t expected = uint64_t(image.width) * image.height * 4;
    if (image.pixels.size() != expected)
        throw Error(ErrorKind::invalid_argument,
                    "encode_image: a " + std::to_string(image.width) + "x" +
                        std::to_string(image.height) + " RGBA image needs " +
                        std::to_string(expected) + " bytes of pixels, not " +
                        std::to_string(image.pixels.size()));
    switch (format) {
    case ImageFormat::png: return png_encode(image, options);
    case ImageFormat::jpeg: return jpeg_encode(image, options);
    case ImageFormat::webp: return webp_encode(image, options);
    case ImageFormat::unknown: break;
    }
    throw Error(ErrorKind::internal, "encode_image: unhandled image format");
}

} // namespace pictor
