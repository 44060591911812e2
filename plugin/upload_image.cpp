#include "upload_image.hpp"

#include "image/image_encode.hpp"

namespace pictor::plugin {

InputImage png_upload(const RgbaImage &image, const std::string &filename, bool keep_alpha) {
    EncodeOptions options; // zlib level 1: an upload is encoded once and sent once
    options.keep_alpha = keep_alpha;
    std::vector<uint8_t> bytes = encode_image(image, ImageFormat::png, options);
    return {std::string(bytes.begin(), bytes.end()), filename};
}

} // namespace pictor::plugin
