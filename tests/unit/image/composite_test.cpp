// Compositing the model's pixels back through the feathered selection, and the masks.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "image/composite.hpp"
#include "image/gray_image.hpp"
#include "image/resample.hpp"
#include "image/rgba_image.hpp"
#include "image/selection_mask.hpp"
#include "image_test_support.hpp"

namespace pictor {
namespace {

RgbaImage noise(uint32_t width, uint32_t height, uint32_t seed) {
    std::mt19937 rng(seed);
    RgbaImage image;
    image.width = width;
    image.height = height;
    image.pixels.resize(image.stride() * height);
    for (uint8_t &v : image.pixels)
        v = uint8_t(rng());
    return image;
}

GrayImage gray_noise(uint32_t width, uint32_t height, uint32_t seed) {
    std::mt19937 rng(seed);
    GrayImage image;
    image.width = width;
    image.height = height;
    image.pixels.resize(size_t(width) * height);
    for (uint8_t &v : image.pixels)
        v = uint8_t(rng());
    return image;
}

GrayImage constant_mask(uint32_t width, uint32_t height, uint8_t value) {
    GrayImage mask;
    mask.width = width;
    mask.height = height;
    mask.pixels.assign(size_t(width) * height, value);
    return mask;
}

TEST(BlendThroughMask, ZeroKeepsTheBaseAndFullTakesTheResultExactly) {
    RgbaImage base = noise(33, 21, 1), over = noise(33, 21, 2);
    EXPECT_EQ(blend_through_mask(base, over, constant_mask(33, 21, 0)).pixels, base.pixels);
    EXPECT_EQ(blend_through_mask(base, over, constant_mask(33, 21, 255)).pixels, over.pixels);
}

TEST(BlendThroughMask, EveryChannelFollowsTheFormula) {
    RgbaImage base = noise(64, 64, 3), over = noise(64, 64, 4);
    GrayImage mask = gray_noise(64, 64, 5);
    RgbaImage out = blend_through_mask(base, over, mask);
    for (size_t i = 0; i < out.pixels.size(); ++i) {
        const uint32_t m = mask.pixels[i / 4], o = over.pixels[i], b = base.pixels[i];
        ASSERT_EQ(out.pixels[i], (m * o + (255 - m) * b + 127) / 255) << "byte " << i;
    }
}

TEST(BlendThroughMask, MismatchedSizesAreRefused) {
    RgbaImage base = noise(10, 10, 1), over = noise(10, 11, 2);
    Error sizes = test::catch_error([&] { blend_through_mask(base, over, constant_mask(10, 10, 9)); });
    EXPECT_ERROR_KIND(sizes, ErrorKind::invalid_argument);
    EXPECT_NE(std::string(sizes.what()).find("10x11"), std::string::npos) << sizes.what();
    Error mask = test::catch_error([&] { blend_through_mask(base, base, constant_mask(9, 10, 9)); });
    EXPECT_ERROR_KIND(mask, ErrorKind::invalid_argument);
}

TEST(ApplyMaskToAlpha, MultipliesAlphaWithRoundingAndKeepsColour) {
    RgbaImage image = noise(40, 40, 6);
    GrayImage mask = gray_noise(40, 40, 7);
    RgbaImage out = apply_mask_to_alpha(image, mask);
    for (size_t p = 0; p < size_t(40) * 40; ++p) {
        for (size_t c = 0; c < 3; ++c)
            ASSERT_EQ(out.pixels[p * 4 + c], image.pixels[p * 4 + c]);
        const double exact = image.pixels[p * 4 + 3] * mask.pixels[p] / 255.0;
        ASSERT_NEAR(out.pixels[p * 4 + 3], exact, 0.5) << "pixel " << p;
    }
    EXPECT_EQ(apply_mask_to_alpha(image, constant_mask(40, 40, 255)).pixels, image.pixels);
    RgbaImage cleared = apply_mask_to_alpha(image, constant_mask(40, 40, 0));
    for (size_t p = 0; p < size_t(40) * 40; ++p)
        ASSERT_EQ(cleared.pixels[p * 4 + 3], 0);
    Error e = test::catch_error([&] { apply_mask_to_alpha(image, constant_mask(4, 40, 0)); });
    EXPECT_ERROR_KIND(e, ErrorKind::invalid_argument);
}

TEST(EditMaskFromCoverage, WhiteWithAlphaZeroWhereSelected) {
    GrayImage coverage = gray_noise(17, 9, 8);
    coverage.pixels[0] = 255;
    coverage.pixels[1] = 0;
    RgbaImage mask = edit_mask_from_coverage(coverage);
    ASSERT_EQ(mask.width, 17u);
    ASSERT_EQ(mask.height, 9u);
    for (size_t p = 0; p < coverage.pixels.size(); ++p) {
        ASSERT_EQ(mask.pixels[p * 4 + 0], 255);
        ASSERT_EQ(mask.pixels[p * 4 + 1], 255);
        ASSERT_EQ(mask.pixels[p * 4 + 2], 255);
        ASSERT_EQ(mask.pixels[p * 4 + 3], 255 - coverage.pixels[p]);
    }
    EXPECT_EQ(mask.pixels[3], 0);   // fully selected: repaint
    EXPECT_EQ(mask.pixels[7], 255); // unselected: keep
}

// The whole way a selection goes, as the plugin does it: grow, feather, crop, resample to the
// request size, mask, "model" answer at that size, back to the crop, blend, into the canvas.
TEST(InpaintComposite, OutsideTheFeatheredSelectionNothingChanges) {
    const uint32_t W = 300, H = 200;
    RgbaImage canvas = test::make_pattern(W, H);
    GrayImage selection = constant_mask(W, H, 0);
    for (uint32_t y = 80; y < 120; ++y)
        for (uint32_t x = 0; x < 50; ++x) // touches the left edge
            selection.pixels[y * W + x] = (x + y) % 7 ? 255 : 180; // a little soft inside
    GrayImage feathered = feather_coverage(grow_coverage(selection, 4), 8);

    const int32_t cx = 0, cy = 40;
    const uint32_t cw = 160, ch = 120;
    RgbaImage crop = crop_rgba(canvas, cx, cy, cw, ch);
    GrayImage crop_mask = crop_gray(feathered, cx, cy, cw, ch);
    const uint32_t sent_w = 256, sent_h = 192;
    RgbaImage sent = resize_rgba(crop, sent_w, sent_h);
    RgbaImage edit_mask = edit_mask_from_coverage(resize_gray(crop_mask, sent_w, sent_h));
    ASSERT_EQ(sent.width, edit_mask.width);
    ASSERT_EQ(sent.height, edit_mask.height);

    RgbaImage answer = noise(sent_w, sent_h, 9); // the model repaints everything, even outside
    RgbaImage back = resize_rgba(answer, cw, ch);
    RgbaImage blended = blend_through_mask(crop, back, crop_mask);

    RgbaImage result = canvas;
    for (uint32_t y = 0; y < ch; ++y)
        std::copy(&blended.pixels[y * blended.stride()], &blended.pixels[y * blended.stride()] + blended.stride(),
                  &result.pixels[(cy + y) * result.stride() + size_t(cx) * 4]);

    size_t kept = 0, taken = 0;
    for (uint32_t y = 0; y < H; ++y)
        for (uint32_t x = 0; x < W; ++x) {
            const uint8_t m = feathered.pixels[y * W + x];
            const size_t at = y * result.stride() + size_t(x) * 4;
            if (m == 0) {
                for (int c = 0; c < 4; ++c)
                    ASSERT_EQ(result.pixels[at + c], canvas.pixels[at + c]) << x << "," << y;
                ++kept;
            } else if (m == 255) {
                const size_t in_back = (y - cy) * back.stride() + size_t(x - cx) * 4;
                for (int c = 0; c < 4; ++c)
                    ASSERT_EQ(result.pixels[at + c], back.pixels[in_back + c]) << x << "," << y;
                ++taken;
            }
        }
    EXPECT_GT(kept, size_t(W) * H / 2);
    EXPECT_GT(taken, 1500u);
}

} // namespace
} // namespace pictor
