// A decoded image: 8-bit RGBA, rows top to bottom, stride = width * 4, straight alpha.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace pictor {

struct RgbaImage {
    uint32_t width = 0;
    uint32_t height = 0;
    std::vector<uint8_t> pixels; // width * height * 4 bytes

    size_t stride() const { return size_t(width) * 4; }
    bool empty() const { return width == 0 || height == 0; }
};

} // namespace pictor
