// Reverses a PNG row's filter (PNG spec, section 9) for 8-bit RGB and RGBA rows, writing RGBA:
// the fast decoder's inner loop, with the RGB -> RGBA expansion folded in so each pixel is
// touched once.
#pragma once

#include <cstddef>
#include <cstdint>

namespace pictor {

// filtered: width * channels filtered bytes followed by at least one more readable byte (RGB
// pixels are loaded 4 bytes at a time). prior: the previous output row (RGBA, width * 4 bytes),
// all zeros for the first row. out: width * 4 bytes, distinct from both; alpha is 255 for RGB.
// channels is 3 or 4. Returns false for a filter type above 4 (the row is corrupt).
bool unfilter_png_row_to_rgba(uint8_t filter, const uint8_t *filtered, const uint8_t *prior,
                              uint8_t *out, uint32_t width, int channels);

} // namespace pictor
