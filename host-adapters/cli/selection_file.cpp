#include "selection_file.hpp"

#include <cstring>

namespace pictor_cli {

namespace {

// PNG colour types 4 (gray + alpha) and 6 (RGBA) carry alpha, and so does a tRNS chunk: the file
// says its alpha is meant, even when every pixel happens to be opaque (all selected).
bool png_declares_alpha(const std::vector<uint8_t> &bytes) {
    static const uint8_t signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    if (bytes.size() < 33 || std::memcmp(bytes.data(), signature, 8) != 0) return false;
    const uint8_t colour_type = bytes[25]; // IHDR data: width 4, height 4, depth 1, colour type 1
    if (colour_type == 4 || colour_type == 6) return true;
    for (size_t at = 8; at + 8 <= bytes.size();) {
        uint32_t length = uint32_t(bytes[at]) << 24 | uint32_t(bytes[at + 1]) << 16 | uint32_t(bytes[at + 2]) << 8 |
                          uint32_t(bytes[at + 3]);
        if (std::memcmp(&bytes[at + 4], "tRNS", 4) == 0) return true;
        if (std::memcmp(&bytes[at + 4], "IDAT", 4) == 0) return false; // tRNS comes before IDAT
        at += 12 + size_t(length);
    }
    return false;
}

} // namespace

std::vector<uint8_t> selection_coverage(const pictor_image *image, const std::vector<uint8_t> &encoded) {
    const size_t count = size_t(pictor_image_width(image)) * pictor_image_height(image);
    const uint8_t *rgba = pictor_image_rgba(image);
    bool use_alpha = png_declares_alpha(encoded);
    for (size_t i = 0; i < count && !use_alpha; ++i)
        use_alpha = rgba[i * 4 + 3] != 255;
    std::vector<uint8_t> coverage(count);
    for (size_t i = 0; i < count; ++i) {
        const uint8_t *p = rgba + i * 4;
        // Rec. 601 weights summing to 256: a gray pixel (r = g = b = v) gives exactly v.
        coverage[i] = use_alpha ? p[3] : uint8_t((77u * p[0] + 150u * p[1] + 29u * p[2] + 128u) >> 8);
    }
    return coverage;
}

} // namespace pictor_cli
