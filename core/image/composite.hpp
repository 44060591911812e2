// Putting the model's pixels back: blend through a mask so that where the mask is 0 the base
// stays byte-identical and where it is 255 the model's pixel is taken as is.
#pragma once

#include "image/gray_image.hpp"
#include "image/rgba_image.hpp"

namespace pictor {

// All three the same size. Per channel (alpha included): (m * over + (255 - m) * base + 127) / 255.
RgbaImage blend_through_mask(const RgbaImage &base, const RgbaImage &over, const GrayImage &mask);

// The image with its alpha multiplied by the mask (rounded), for hosts without layer masks.
RgbaImage apply_mask_to_alpha(const RgbaImage &image, const GrayImage &mask);

} // namespace pictor
