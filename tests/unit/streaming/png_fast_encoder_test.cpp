#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "image/image_decode.hpp"
#include "image/image_encode.hpp"
#include "image/png_fast_encoder.hpp"
#include "image_test_support.hpp"

namespace pictor {
namespace {

using namespace test;

TEST(PngFastEncoder, EveryFilterAndBandCountDecodesExactly) {
    const RgbaImage image = make_pattern(123, 77);
    for (bool alpha : {true, false}) {
        RgbaImage source = image;
        if (!alpha)
            for (size_t i = 3; i < source.pixels.size(); i += 4) source.pixels[i] = 255;
        for (int filter : {0, 1, 2, 3, 4, kFastPngAdaptive})
            for (unsigned threads : {1u, 2u, 3u, 7u, 77u}) {
                FastPngOptions options;
                options.filter = filter;
                options.threads = threads; // bands joined by sync flushes, Adler-32s combined
                options.write_alpha = alpha;
                const std::vector<uint8_t> png = png_encode_fast(source, options);
                const RgbaImage back = decode_image(png.data(), png.size()); // libpng checks CRCs and Adler-32
                EXPECT_EQ(back.pixels, source.pixels) << "filter " << filter << " threads " << threads;
            }
    }
}

// Photograph-like: gradients, a soft shape and a little per-pixel grain.
RgbaImage photo_like(uint32_t width, uint32_t height) {
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
            p[3] = 255;
        }
    return image;
}

TEST(PngFastEncoder, UploadDefaultIsNoBiggerThanLibpngsDefaultsOnAPhoto) {
    const RgbaImage photo = photo_like(640, 400);
    const std::vector<uint8_t> upload = encode_image(photo, ImageFormat::png); // EncodeOptions{}
    EncodeOptions libpng_defaults;
    libpng_defaults.png_zlib_level = 6; // libpng: level 6, its adaptive filter choice
    const std::vector<uint8_t> libpng = encode_image(photo, ImageFormat::png, libpng_defaults);
    EXPECT_LE(upload.size(), libpng.size());
    FastPngOptions up_filter; // what uploads sent before: Up on every row, level 1
    up_filter.filter = 2;
    up_filter.write_alpha = false;
    EXPECT_LT(upload.size() * 100, png_encode_fast(photo, up_filter).size() * 95); // >= 5% smaller
    EXPECT_EQ(decode_image(upload.data(), upload.size()).pixels, photo.pixels);
}

TEST(PngFastEncoder, SeveralImagesEncodeInParallelInOrder) {
    const RgbaImage a = make_pattern(300, 200), b = make_pattern(64, 64, false), c = make_pattern(1, 1);
    const auto encoded = encode_images({&a, &b, &c}, ImageFormat::png);
    ASSERT_EQ(encoded.size(), 3u);
    EXPECT_EQ(encoded[0], encode_image(a, ImageFormat::png));
    EXPECT_EQ(decode_image(encoded[1].data(), encoded[1].size()).pixels, b.pixels);
    EXPECT_EQ(decode_image(encoded[2].data(), encoded[2].size()).pixels, c.pixels);
    EXPECT_THROW(encode_images({&a, nullptr}, ImageFormat::png), Error);
}

} // namespace
} // namespace pictor
