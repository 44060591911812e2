#include "selection_file.hpp"

namespace pictor_cli {

std::vector<uint8_t> selection_coverage(const pictor_image *image) {
    const size_t count = size_t(pictor_image_width(image)) * pictor_image_height(image);
    const uint8_t *rgba = pictor_image_rgba(image);
    // A file that declares alpha means it, even when every pixel happens to be opaque (all
    // selected).
    bool use_alpha = pictor_image_has_alpha(image) != 0;
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
