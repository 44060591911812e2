// Resizing with a proper filter (separable Lanczos-3 or Catmull-Rom; never nearest neighbour),
// in premultiplied alpha so transparent pixels do not bleed their colour.
#pragma once

#include <cstdint>

#include "image/gray_image.hpp"
#include "image/rgba_image.hpp"

namespace pictor {

// Separable Catmull-Rom, stretched when downscaling so every source pixel counts (no aliasing);
// results rounded and clamped; a fully transparent result pixel is 0,0,0,0. Same-size input
// returns a copy, byte for byte. A zero size (in or out) throws Error(invalid_argument).
RgbaImage resize_rgba(const RgbaImage &image, uint32_t width, uint32_t height);
GrayImage resize_gray(const GrayImage &image, uint32_t width, uint32_t height);

// The rectangle (x, y, width, height) of the image; must lie inside it (else
// Error(invalid_argument)).
RgbaImage crop_rgba(const RgbaImage &image, int32_t x, int32_t y, uint32_t width, uint32_t height);
GrayImage crop_gray(const GrayImage &image, int32_t x, int32_t y, uint32_t width, uint32_t height);

} // namespace pictor
