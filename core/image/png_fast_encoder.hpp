// PNG written for speed, for uploads: a fixed row filter and a fast zlib level, the rows split
// into bands compressed on several threads and joined into one valid zlib stream (each band
// ends on a byte boundary with a sync flush; the Adler-32s are combined), as pigz does.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "image/image_encode.hpp"
#include "image/rgba_image.hpp"

namespace pictor {

// Filter value meaning "per row, the filter libpng's heuristic picks" (least sum of |bytes|).
inline constexpr int kFastPngAdaptive = 5;

struct FastPngOptions {
    int zlib_level = 1;   // 0-9
    int zlib_strategy = 0; // Z_DEFAULT_STRATEGY; Z_FILTERED (1) suits filtered photographs
    int filter = 1;       // PNG filter type of every row: 0 none, 1 sub, 2 up, 3 average, 4 Paeth,
                          // or kFastPngAdaptive
    bool write_alpha = true;
    unsigned threads = 0; // 0: one per core (at most 4), bands of at least 1 MB; else exactly this
};

// Throws Error(no_memory) or Error(internal) when zlib fails.
std::vector<uint8_t> png_encode_fast(const RgbaImage &image, const FastPngOptions &options);
// The same bytes handed to `sink` as they are framed (signature, IHDR, the IDAT's header, each
// band's deflate data, the Adler-32 and CRC, IEND): each band is freed once written, so the
// file is never assembled in one buffer. Returns the number of bytes written; throws what
// png_encode_fast throws, and what the sink throws.
uint64_t png_encode_fast_to(const RgbaImage &image, const FastPngOptions &options, const ByteSink &sink);

} // namespace pictor
