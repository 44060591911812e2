// Pixels the plugin sends (a crop, a layer, a mask) as a PNG part, encoded fast.
#pragma once

#include <string>

#include "api/image_request.hpp"
#include "image/rgba_image.hpp"

namespace pictor::plugin {

// keep_alpha: write RGBA even when every pixel is opaque (masks must carry alpha).
InputImage png_upload(const RgbaImage &image, const std::string &filename, bool keep_alpha);

} // namespace pictor::plugin
