// PNG written for speed, for uploads: a fixed row filter and a fast zlib level, the rows split
// into bands compressed on several threads and joined into one valid zlib stream (each band
// ends on a byte boundary with a sync flush; the Adler-32s are combined), as pigz does.
#pragma once

#include <cstdint>
#include <vector>

#include "image/rgba_image.hpp"

namespace pictor {

struct FastPngOptions {
    int zlib_level = 1;   // 1-3; higher levels go through libpng (png_encode)
    int filter = 1;       // PNG filter type used on every row: 0 none, 1 sub, 2 up
    bool write_alpha = true;
    unsigned threads = 0; // 0: one per core (at most 4), bands of at least 1 MB; else exactly this
};

// Throws Error(no_memory) or Error(internal) when zlib fails.
std::vector<uint8_t> png_encode_fast(const RgbaImage &image, const FastPngOptions &options);

} // namespace pictor
