// Shared by the image tests: reading test data, a synthetic RGBA pattern, catching pictor::Error.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "error.hpp"
#include "image/rgba_image.hpp"

namespace pictor::test {

inline std::string data_path(const std::string &relative) {
    return std::string(PICTOR_TEST_DATA_DIR) + "/" + relative;
}

inline std::vector<uint8_t> read_binary(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    EXPECT_TRUE(in) << "cannot open " << path;
    return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

// Photograph-like: gradients, a soft shape and a little per-pixel grain; opaque, or with an
// alpha that varies with every pixel.
inline RgbaImage photo_like(uint32_t width, uint32_t height, bool alpha = false) {
    RgbaImage image{width, height, std::vector<uint8_t>(size_t(width) * height * 4)};
    uint32_t state = 12345;
    for (uint32_t y = 0; y < height; ++y)
        for (uint32_t x = 0; x < width; ++x) {
            uint8_t *p = &image.pixels[(size_t(y) * width + x) * 4];
            const double fx = double(x) / width, fy = double(y) / height;
            const double shape = 40 * std::sin(fx * 9) * std::cos(fy * 7);
            for (int c = 0; c < 3; ++c) {
                state = state * 1664525u + 1013904223u;
                const int grain = int(state >> 28) - 8;
                p[c] = uint8_t(std::clamp(int(60 + 120 * (c == 0 ? fx : c == 1 ? fy : 1 - fx) + shape) + grain, 0, 255));
            }
            p[3] = alpha ? uint8_t((x + y) & 0xff) : 255;
        }
    return image;
}

// Smooth gradients (lossy codecs keep them well) with an alpha ramp that includes fully
// transparent and fully opaque pixels, and a transparent pixel that carries colour.
inline RgbaImage make_pattern(uint32_t width, uint32_t height, bool with_alpha = true) {
    RgbaImage image;
    image.width = width;
    image.height = height;
    image.pixels.resize(image.stride() * height);
    for (uint32_t y = 0; y < height; ++y) {
        for (uint32_t x = 0; x < width; ++x) {
            uint8_t *p = &image.pixels[y * image.stride() + x * 4];
            p[0] = uint8_t(x * 255 / (width > 1 ? width - 1 : 1));
            p[1] = uint8_t(y * 255 / (height > 1 ? height - 1 : 1));
            p[2] = uint8_t((x + y) * 255 / (width + height));
            p[3] = with_alpha ? uint8_t((x + 2 * y) * 255 / std::max(1u, width + 2 * height - 3)) : 0xff;
        }
    }
    return image;
}

// Runs f and returns the pictor::Error it throws (or fails the test if it throws none).
template <typename F> Error catch_error(F &&f) {
    try {
        std::forward<F>(f)();
    } catch (const Error &e) {
        return e;
    }
    ADD_FAILURE() << "expected a pictor::Error, none was thrown";
    return Error(ErrorKind::internal, "<no error thrown>");
}

// Kind names in failure output instead of enum numbers.
#define EXPECT_ERROR_KIND(error, expected_kind)                                                    \
    EXPECT_STREQ(::pictor::error_kind_name((error).kind()),                                        \
                 ::pictor::error_kind_name(expected_kind))                                         \
        << (error).what()

struct PixelDifference {
    int max = 0;
    double mean = 0;
};

inline PixelDifference compare_rgb(const RgbaImage &a, const RgbaImage &b) {
    PixelDifference diff;
    uint64_t sum = 0, count = 0;
    for (size_t i = 0; i < a.pixels.size() && i < b.pixels.size(); ++i) {
        if (i % 4 == 3) continue;
        const int d = std::abs(int(a.pixels[i]) - int(b.pixels[i]));
        diff.max = std::max(diff.max, d);
        sum += uint64_t(d);
        ++count;
    }
    diff.mean = count ? double(sum) / double(count) : 0;
    return diff;
}

} // namespace pictor::test
