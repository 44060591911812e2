// An axis-aligned rectangle of pixels (canvas or layer space, as the caller says).
#pragma once

#include <algorithm>
#include <cstdint>

namespace pictor {

struct PixelRect {
    int32_t x = 0, y = 0;
    int32_t width = 0, height = 0;

    bool empty() const { return width <= 0 || height <= 0; }
    int32_t right() const { return x + width; }   // one past the last column
    int32_t bottom() const { return y + height; } // one past the last row
    bool operator==(const PixelRect &o) const {
        return x == o.x && y == o.y && width == o.width && height == o.height;
    }

    // Both rectangles' common part (empty when they do not overlap).
    PixelRect intersect(const PixelRect &o) const {
        int32_t l = std::max(x, o.x), t = std::max(y, o.y);
        int32_t r = std::min(right(), o.right()), b = std::min(bottom(), o.bottom());
        if (r <= l || b <= t) return {};
        return {l, t, r - l, b - t};
    }
    // Grown by `by` on every side (not clamped).
    PixelRect inflate(int32_t by) const { return {x - by, y - by, width + 2 * by, height + 2 * by}; }
};

} // namespace pictor
