#include "synthetic_photo.hpp"

#include <cmath>
#include <vector>

namespace pictor::bench {
namespace {

uint32_t hash32(uint32_t x) {
    x ^= x >> 16;
    x *= 0x7feb352dU;
    x ^= x >> 15;
    x *= 0x846ca68bU;
    x ^= x >> 16;
    return x;
}

// Value noise on a lattice of `cell` pixels, smoothly interpolated: one octave.
class ValueNoise {
public:
    ValueNoise(uint32_t width, uint32_t height, uint32_t cell, uint32_t seed)
        : cell_(cell), cols_(width / cell + 2), rows_(height / cell + 2), lattice_(cols_ * rows_) {
        for (size_t i = 0; i < lattice_.size(); ++i)
            lattice_[i] = float(hash32(uint32_t(i) * 2654435761U ^ seed) & 0xffff) / 65535.0f;
    }
    float at(uint32_t x, uint32_t y) const {
        const float fx = float(x) / cell_, fy = float(y) / cell_;
        const uint32_t ix = uint32_t(fx), iy = uint32_t(fy);
        float tx = fx - ix, ty = fy - iy;
        tx = tx * tx * (3 - 2 * tx);
        ty = ty * ty * (3 - 2 * ty);
        const float *r0 = &lattice_[iy * cols_ + ix], *r1 = r0 + cols_;
        const float a = r0[0] + (r0[1] - r0[0]) * tx, b = r1[0] + (r1[1] - r1[0]) * tx;
        return a + (b - a) * ty;
    }

private:
    uint32_t cell_, cols_, rows_;
    std::vector<float> lattice_;
};

} // namespace

RgbaImage synthetic_photo(uint32_t width, uint32_t height, uint32_t seed) {
    RgbaImage image;
    image.width = width;
    image.height = height;
    image.pixels.resize(image.stride() * height);
    // Octaves scale with the image, so every size looks alike (as the model's output does).
    const uint32_t base = std::max(8u, std::max(width, height) / 6);
    std::vector<ValueNoise> octaves;
    for (uint32_t k = 0, cell = base; k < 5 && cell >= 4; ++k, cell /= 3)
        octaves.emplace_back(width, height, cell, seed * 7919 + k);
    for (uint32_t y = 0; y < height; ++y) {
        uint8_t *row = image.pixels.data() + size_t(y) * image.stride();
        for (uint32_t x = 0; x < width; ++x) {
            float value = 0, weight = 1, total = 0;
            for (const auto &octave : octaves) {
                value += octave.at(x, y) * weight;
                total += weight;
                weight *= 0.5f;
            }
            value /= total;
            const uint32_t grain = hash32(y * 65599u + x * 31u + seed);
            for (int c = 0; c < 3; ++c) {
                const float hue = 0.5f + 0.5f * std::sin(value * 9.0f + float(c) * 2.1f);
                const int noise = int(((grain >> (8 * c)) & 0xff) % 3) - 1; // sensor-like grain
                const int v = int(hue * 235.0f) + 10 + noise;
                row[x * 4 + c] = uint8_t(v < 0 ? 0 : v > 255 ? 255 : v);
            }
            row[x * 4 + 3] = 255;
        }
    }
    return image;
}

} // namespace pictor::bench
