// --selection: an image file read as 8-bit coverage (0 = not selected, 255 = selected).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <pictor/pictor.h>

namespace pictor_cli {

// The coverage of a decoded selection image. An image with an alpha channel (a PNG of colour
// type gray+alpha or RGBA, or any pixel not fully opaque) gives its alpha; an opaque one its
// gray level (luminance, so a grayscale file reads as is). `encoded` is the file's bytes.
std::vector<uint8_t> selection_coverage(const pictor_image *image, const std::vector<uint8_t> &encoded);

} // namespace pictor_cli
