#include "image/composite.hpp"

#include <string>

#include "error.hpp"

namespace pictor {

namespace {

std::string size_text(uint32_t width, uint32_t height) {
    return std::to_string(width) + "x" + std::to_string(height);
}

void check_same_size(const char *what, uint32_t image_w, uint32_t image_h, const GrayImage &mask) {
    if (image_w != mask.width || image_h != mask.height)
        throw Error(ErrorKind::invalid_argument,
                    std::string(what) + ": the image is " + size_text(image_w, image_h) + " but the mask is " +
                        size_text(mask.width, mask.height) + "; resize one to the other first");
}

} // namespace

RgbaImage blend_through_mask(const RgbaImage &base, const RgbaImage &over, const GrayImage &mask) {
    if (base.width != over.width || base.height != over.height)
        throw Error(ErrorKind::invalid_argument,
                    "blend_through_mask: the base is " + size_text(base.width, base.height) +
                        " but the image put over it is " + size_text(over.width, over.height) +
                        "; resize the result to the base's size first");
    check_same_size("blend_through_mask", base.width, base.height, mask);
    RgbaImage out = base;
    const size_t count = size_t(base.width) * base.height;
    for (size_t i = 0; i < count; ++i) {
        const uint32_t m = mask.pixels[i];
        if (m == 0)
            continue; // exactly the base: the guarantee outside the selection
        for (size_t c = 0; c < 4; ++c) {
            const uint32_t b = base.pixels[i * 4 + c], o = over.pixels[i * 4 + c];
            out.pixels[i * 4 + c] = uint8_t((m * o + (255 - m) * b + 127) / 255);
        }
    }
    return out;
}

RgbaImage apply_mask_to_alpha(const RgbaImage &image, const GrayImage &mask) {
    check_same_size("apply_mask_to_alpha", image.width, image.height, mask);
    RgbaImage out = image;
    const size_t count = size_t(image.width) * image.height;
    for (size_t i = 0; i < count; ++i) {
        const uint32_t product = uint32_t(image.pixels[i * 4 + 3]) * mask.pixels[i] + 128;
        out.pixels[i * 4 + 3] = uint8_t((product + (product >> 8)) >> 8); // round(a * m / 255)
    }
    return out;
}

} // namespace pictor
