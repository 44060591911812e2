// A deterministic stand-in for a generated photo: smooth multi-scale shapes plus fine grain,
// tuned so a 3840x2160 PNG at libpng's defaults (~9.4 MB) is about as large as gpt-image-2's (~8.5 MB)
// — flat test patterns compress 20x better and would flatter every number.
#pragma once

#include <cstdint>

#include "image/rgba_image.hpp"

namespace pictor::bench {

RgbaImage synthetic_photo(uint32_t width, uint32_t height, uint32_t seed = 1);

} // namespace pictor::bench
