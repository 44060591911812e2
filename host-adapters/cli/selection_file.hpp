// --selection: an image file read as 8-bit coverage (0 = not selected, 255 = selected).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <pictor/pictor.h>

namespace pictor_cli {

// The coverage of a decoded selection image. An image with an alpha channel (one its file
// declares, see pictor_image_has_alpha, or any pixel not fully opaque) gives its alpha; an opaque
// one its gray level (luminance, so a grayscale file reads as is).
std::vector<uint8_t> selection_coverage(const pictor_image *image);

} // namespace pictor_cli
