#include "image/png_rgba8_transforms.hpp"

namespace pictor {

// No png_set_gamma / alpha mode: the pixels stay as stored, as a paint program expects them.
int set_png_rgba8_output(png_structp png, png_infop info) {
    const int color_type = png_get_color_type(png, info);
    const int bit_depth = png_get_bit_depth(png, info);
    if (color_type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
    if (color_type == PNG_COLOR_TYPE_GRAY && bit_depth < 8) png_set_expand_gray_1_2_4_to_8(png);
    if (png_get_valid(png, info, PNG_INFO_tRNS)) png_set_tRNS_to_alpha(png);
    // Strip (keep the high byte), not scale: that is what the PngSuite's 8-bit references hold
    // for 23 of its 29 16-bit files; scale's rounding disagrees with them in ~8% of samples.
    if (bit_depth == 16) png_set_strip_16(png);
    if (color_type == PNG_COLOR_TYPE_GRAY || color_type == PNG_COLOR_TYPE_GRAY_ALPHA)
        png_set_gray_to_rgb(png);
    // Only adds a channel when there is none yet (after tRNS expansion there may be one).
    png_set_add_alpha(png, 0xff, PNG_FILLER_AFTER);
    const int passes = png_set_interlace_handling(png);
    png_read_update_info(png, info);
    return passes;
}

} // namespace pictor
