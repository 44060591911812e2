// Resizing with a real filter in premultiplied alpha, and cropping.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <random>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "image/gray_image.hpp"
#include "image/resample.hpp"
#include "image/rgba_image.hpp"
#include "image_test_support.hpp"

namespace pictor {
namespace {

RgbaImage solid_rgba(uint32_t width, uint32_t height, uint8_t r, uint8_t g, uint8_t b, uint8_t a) {
    RgbaImage image;
    image.width = width;
    image.height = height;
    image.pixels.resize(image.stride() * height);
    for (size_t i = 0; i < image.pixels.size(); i += 4) {
        image.pixels[i] = r;
        image.pixels[i + 1] = g;
        image.pixels[i + 2] = b;
        image.pixels[i + 3] = a;
    }
    return image;
}

GrayImage gray(uint32_t width, uint32_t height, uint8_t value = 0) {
    GrayImage image;
    image.width = width;
    image.height = height;
    image.pixels.assign(size_t(width) * height, value);
    return image;
}

const uint8_t *pixel(const RgbaImage &image, uint32_t x, uint32_t y) {
    return &image.pixels[size_t(y) * image.stride() + size_t(x) * 4];
}

TEST(Resize, SameSizeIsAByteIdenticalCopy) {
    RgbaImage image = test::make_pattern(37, 23);
    RgbaImage same = resize_rgba(image, 37, 23);
    EXPECT_EQ(same.width, 37u);
    EXPECT_EQ(same.height, 23u);
    EXPECT_EQ(same.pixels, image.pixels);

    GrayImage mask = gray(19, 5);
    for (size_t i = 0; i < mask.pixels.size(); ++i)
        mask.pixels[i] = uint8_t(i * 37);
    EXPECT_EQ(resize_gray(mask, 19, 5).pixels, mask.pixels);
}

TEST(Resize, SolidColourStaysExactlyTheSameAtAnySize) {
    RgbaImage image = solid_rgba(50, 30, 200, 17, 90, 255);
    for (auto [w, h] : {std::pair<uint32_t, uint32_t>{100, 60}, {17, 11}, {1, 1}, {333, 7}, {50, 97}}) {
        RgbaImage out = resize_rgba(image, w, h);
        ASSERT_EQ(out.pixels.size(), size_t(w) * h * 4);
        for (size_t i = 0; i < out.pixels.size(); i += 4) {
            ASSERT_EQ(out.pixels[i], 200) << w << "x" << h;
            ASSERT_EQ(out.pixels[i + 1], 17);
            ASSERT_EQ(out.pixels[i + 2], 90);
            ASSERT_EQ(out.pixels[i + 3], 255);
        }
    }
    GrayImage mask = gray(40, 40, 173);
    for (uint8_t v : resize_gray(mask, 1000, 3).pixels)
        ASSERT_EQ(v, 173);
}

TEST(Resize, TransparentPixelsDoNotBleedTheirColour) {
    // Left half: fully transparent but carrying pure red; right half: opaque green.
    RgbaImage image = solid_rgba(40, 20, 0, 255, 0, 255);
    for (uint32_t y = 0; y < 20; ++y)
        for (uint32_t x = 0; x < 20; ++x) {
            uint8_t *p = &image.pixels[size_t(y) * image.stride() + size_t(x) * 4];
            p[0] = 255;
            p[1] = 0;
            p[3] = 0;
        }
    for (auto [w, h] : {std::pair<uint32_t, uint32_t>{97, 31}, {13, 7}}) {
        RgbaImage out = resize_rgba(image, w, h);
        bool saw_partial = false;
        for (uint32_t y = 0; y < h; ++y)
            for (uint32_t x = 0; x < w; ++x) {
                const uint8_t *p = pixel(out, x, y);
                if (p[3] == 0)
                    continue;
                saw_partial |= p[3] < 255;
                EXPECT_LE(p[0], 2) << "red bled into " << x << "," << y << " alpha " << int(p[3]);
                EXPECT_GE(p[1], 250);
            }
        EXPECT_TRUE(saw_partial) << "the alpha edge should be filtered, not stepped";
    }
}

TEST(Resize, UpscaleInterpolatesInsteadOfRepeatingPixels) {
    GrayImage step = gray(8, 1);
    std::fill(step.pixels.begin() + 4, step.pixels.end(), 255);
    GrayImage out = resize_gray(step, 64, 1);
    int intermediate = 0;
    for (uint8_t v : out.pixels)
        intermediate += v > 20 && v < 235;
    EXPECT_GE(intermediate, 4); // nearest neighbour would give none
    // and monotone apart from a little overshoot (clamped) at the edge
    EXPECT_EQ(out.pixels.front(), 0);
    EXPECT_EQ(out.pixels.back(), 255);
}

TEST(Resize, DownscaleAveragesFineDetailInsteadOfAliasing) {
    GrayImage checker = gray(64, 64);
    for (uint32_t y = 0; y < 64; ++y)
        for (uint32_t x = 0; x < 64; ++x)
            checker.pixels[y * 64 + x] = ((x + y) & 1) ? 255 : 0;
    GrayImage out = resize_gray(checker, 16, 16);
    for (uint32_t y = 2; y < 14; ++y)
        for (uint32_t x = 2; x < 14; ++x)
            EXPECT_NEAR(out.pixels[y * 16 + x], 128, 4) << x << "," << y;
}

TEST(Resize, SmoothGradientStaysSmooth) {
    GrayImage ramp = gray(256, 4);
    for (uint32_t y = 0; y < 4; ++y)
        for (uint32_t x = 0; x < 256; ++x)
            ramp.pixels[y * 256 + x] = uint8_t(x);
    for (uint32_t w : {100u, 512u, 1000u}) {
        GrayImage out = resize_gray(ramp, w, 9);
        for (uint32_t x = 3; x + 3 < w; ++x) {
            double expected = ((x + 0.5) * 256.0 / w) - 0.5;
            EXPECT_NEAR(out.pixels[4 * w + x], expected, 1.5) << "w=" << w << " x=" << x;
        }
    }
}

TEST(Resize, SoftMaskStaysSoftAndWithinRange) {
    GrayImage mask = gray(30, 30);
    for (uint32_t y = 10; y < 20; ++y)
        for (uint32_t x = 10; x < 20; ++x)
            mask.pixels[y * 30 + x] = 255;
    GrayImage out = resize_gray(mask, 91, 91);
    EXPECT_EQ(out.pixels[45 * 91 + 45], 255);
    EXPECT_EQ(out.pixels[0], 0);
    int soft = 0;
    for (uint8_t v : out.pixels)
        soft += v > 0 && v < 255;
    EXPECT_GT(soft, 30);
}

TEST(Resize, RoundTripOfASmoothImageIsClose) {
    RgbaImage image = test::make_pattern(120, 80, false);
    RgbaImage back = resize_rgba(resize_rgba(image, 240, 160), 120, 80);
    int worst = 0;
    for (size_t i = 0; i < image.pixels.size(); ++i)
        worst = std::max(worst, std::abs(int(image.pixels[i]) - int(back.pixels[i])));
    EXPECT_LE(worst, 3);
}

TEST(Resize, ThinAndTinyShapes) {
    RgbaImage one = solid_rgba(1, 1, 10, 20, 30, 40);
    RgbaImage big = resize_rgba(one, 7, 300);
    for (size_t i = 0; i < big.pixels.size(); i += 4) {
        ASSERT_NEAR(big.pixels[i], 10, 1);
        ASSERT_EQ(big.pixels[i + 3], 40);
    }
    RgbaImage line = test::make_pattern(500, 1);
    RgbaImage shrunk = resize_rgba(line, 3, 1);
    EXPECT_EQ(shrunk.pixels.size(), 12u);
    EXPECT_LT(shrunk.pixels[0], shrunk.pixels[8]); // the red ramp survives
}

TEST(Resize, ZeroSizeIsRefusedWithAnError) {
    RgbaImage image = test::make_pattern(4, 4);
    Error e = test::catch_error([&] { resize_rgba(image, 0, 4); });
    EXPECT_ERROR_KIND(e, ErrorKind::invalid_argument);
    EXPECT_NE(std::string(e.what()).find("0x4"), std::string::npos) << e.what();
    Error empty = test::catch_error([&] { resize_gray(GrayImage{}, 4, 4); });
    EXPECT_ERROR_KIND(empty, ErrorKind::invalid_argument);
}

TEST(Crop, CopiesTheRectangle) {
    RgbaImage image = test::make_pattern(30, 20);
    RgbaImage part = crop_rgba(image, 7, 5, 11, 9);
    ASSERT_EQ(part.width, 11u);
    ASSERT_EQ(part.height, 9u);
    for (uint32_t y = 0; y < 9; ++y)
        for (uint32_t x = 0; x < 11; ++x)
            for (int c = 0; c < 4; ++c)
                ASSERT_EQ(pixel(part, x, y)[c], pixel(image, x + 7, y + 5)[c]);
    RgbaImage whole = crop_rgba(image, 0, 0, 30, 20);
    EXPECT_EQ(whole.pixels, image.pixels);

    GrayImage mask = gray(30, 20);
    for (size_t i = 0; i < mask.pixels.size(); ++i)
        mask.pixels[i] = uint8_t(i);
    GrayImage corner = crop_gray(mask, 29, 19, 1, 1);
    EXPECT_EQ(corner.pixels, std::vector<uint8_t>{uint8_t(19 * 30 + 29)});
}

TEST(Crop, OutsideTheImageIsRefused) {
    RgbaImage image = test::make_pattern(30, 20);
    for (auto [x, y, w, h] : {std::tuple<int32_t, int32_t, uint32_t, uint32_t>{-1, 0, 5, 5},
                              {0, -1, 5, 5}, {26, 0, 5, 5}, {0, 16, 5, 5}, {0, 0, 0, 5}, {0, 0, 31, 20}}) {
        Error e = test::catch_error([&] { crop_rgba(image, x, y, w, h); });
        EXPECT_ERROR_KIND(e, ErrorKind::invalid_argument);
        EXPECT_NE(std::string(e.what()).find("30x20"), std::string::npos) << e.what();
    }
    Error gray_error = test::catch_error([&] { crop_gray(gray(3, 3), 2, 2, 2, 1); });
    EXPECT_ERROR_KIND(gray_error, ErrorKind::invalid_argument);
}

} // namespace
} // namespace pictor
