// An 8-bit single-channel image: a selection's coverage or a layer mask (0 = none, 255 = full).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace pictor {

struct GrayImage {
    uint32_t width = 0;
    uint32_t height = 0;
    std::vector<uint8_t> pixels; // width * height bytes, rows top to bottom

    size_t stride() const { return width; }
    bool empty() const { return width == 0 || height == 0; }
};

} // namespace pictor
