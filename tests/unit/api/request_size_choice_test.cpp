// Which crop to send and at which size, per size rule, with the shipped profiles.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "api/request_size_choice.hpp"
#include "api/size_rules.hpp"
#include "api_test_support.hpp"
#include "image/gray_image.hpp"
#include "image/resample.hpp"
#include "image/selection_mask.hpp"

namespace pictor {
namespace {

using apitest::shipped;

bool listed(const GatewayProfile &profile, ImageSize size) {
    return std::find(profile.sizes.begin(), profile.sizes.end(), size.text()) != profile.sizes.end();
}

bool contains(const PixelRect &outer, const PixelRect &inner) {
    return outer.x <= inner.x && outer.y <= inner.y && outer.right() >= inner.right() && outer.bottom() >= inner.bottom();
}

std::string describe(const CropChoice &c) {
    return "crop " + std::to_string(c.crop.width) + "x" + std::to_string(c.crop.height) + " at (" +
           std::to_string(c.crop.x) + "," + std::to_string(c.crop.y) + ") sent at " + c.request_size.text() +
           " scale " + std::to_string(c.scale);
}

// What holds for every choice: the crop lies in the canvas and holds the needed region, and
// the route accepts the size.
void expect_sound(const GatewayProfile &profile, const CropChoice &c, PixelRect needed, ImageSize canvas) {
    SCOPED_TRACE(profile.name + ": canvas " + canvas.text() + ", needed " + std::to_string(needed.width) + "x" +
                 std::to_string(needed.height) + " at (" + std::to_string(needed.x) + "," +
                 std::to_string(needed.y) + "): " + describe(c));
    EXPECT_GE(c.crop.x, 0);
    EXPECT_GE(c.crop.y, 0);
    EXPECT_LE(c.crop.right(), int32_t(canvas.width));
    EXPECT_LE(c.crop.bottom(), int32_t(canvas.height));
    EXPECT_TRUE(contains(c.crop, needed.intersect({0, 0, int32_t(canvas.width), int32_t(canvas.height)})));
    switch (profile.size_rule) {
    case SizeRule::custom:
        EXPECT_TRUE(c.size_field);
        EXPECT_EQ(custom_size_problem(c.request_size), "");
        break;
    case SizeRule::list:
    case SizeRule::presets:
        EXPECT_TRUE(c.size_field);
        EXPECT_TRUE(listed(profile, c.request_size));
        break;
    case SizeRule::none:
        EXPECT_FALSE(c.size_field);
        EXPECT_EQ(c.request_size, (ImageSize{0, 0}));
        EXPECT_EQ(c.scale, 1.0);
        break;
    }
    if (c.size_field) {
        const double expected = std::sqrt(double(c.request_size.pixels()) / (double(c.crop.width) * c.crop.height));
        EXPECT_NEAR(c.scale, expected, 1e-9);
        EXPECT_EQ(c.scale == 1.0, c.request_size.width == uint32_t(c.crop.width) &&
                                      c.request_size.height == uint32_t(c.crop.height));
    }
}

CropChoice choose(const GatewayProfile &profile, PixelRect needed, ImageSize canvas) {
    CropChoice c = choose_inpaint_crop(profile, needed, canvas);
    expect_sound(profile, c, needed, canvas);
    return c;
}

double aspect(const PixelRect &r) { return double(r.width) / r.height; }
double aspect(ImageSize s) { return double(s.width) / s.height; }

// A 40x30 selection in the middle of a 4000x3000 canvas, grown 4, feathered 8, 64 of context.
const ImageSize photo{4000, 3000};
const PixelRect tiny_needed = PixelRect{1980, 1485, 40, 30}.inflate(4 + 8 + 1 + 64);

TEST(InpaintCropCustom, TinySelectionKeepsNativeResolutionByWideningContext) {
    for (const char *name : {"openai", "apiyi", "laozhang-official"}) {
        GatewayProfile profile = shipped(name);
        CropChoice c = choose(profile, tiny_needed, photo);
        EXPECT_EQ(c.scale, 1.0) << name << ": " << describe(c);
        EXPECT_GE(uint64_t(c.crop.width) * c.crop.height, custom_size::min_pixels);
        EXPECT_LE(uint64_t(c.crop.width) * c.crop.height, 700000u) << "more context than the minimum costs money";
        EXPECT_NEAR(aspect(c.crop), 1.0, 0.1) << "a square-ish region gets a square-ish context";
        // centred on the selection when there is room
        EXPECT_NEAR(c.crop.x + c.crop.width / 2.0, 2000, 16);
        EXPECT_NEAR(c.crop.y + c.crop.height / 2.0, 1500, 16);
    }
}

TEST(InpaintCrop, SelectionTouchingEachEdgeAndCornerOnEveryRoute) {
    const int32_t W = 4000, H = 3000, s = 120;
    const std::vector<std::pair<int32_t, int32_t>> places{{0, 1400},     {W - s, 1400}, {1900, 0},
                                                          {1900, H - s}, {0, 0},        {W - s, 0},
                                                          {0, H - s},    {W - s, H - s}};
    for (const std::string &name : apitest::shipped_names()) {
        GatewayProfile profile = shipped(name);
        for (auto [x, y] : places) {
            PixelRect needed = PixelRect{x, y, s, s}.inflate(77).intersect({0, 0, W, H});
            CropChoice c = choose(profile, needed, photo);
            EXPECT_EQ(c.scale, 1.0) << name << ": " << describe(c);
            EXPECT_TRUE(x > 0 || c.crop.x == 0) << name;
            EXPECT_TRUE(y > 0 || c.crop.y == 0) << name;
            EXPECT_TRUE(x + s < W || c.crop.right() == W) << name;
            EXPECT_TRUE(y + s < H || c.crop.bottom() == H) << name;
        }
    }
}

TEST(InpaintCropCustom, CanvasBelowTheMinimumIsUpscaled) {
    GatewayProfile profile = shipped("openai");
    CropChoice c = choose(profile, {200, 200, 100, 100}, {512, 512});
    EXPECT_GT(c.scale, 1.0);
    EXPECT_EQ(c.crop, (PixelRect{0, 0, 512, 512})) << "all the context there is, before upscaling";
    EXPECT_NEAR(aspect(c.request_size), 1.0, 0.02);
    EXPECT_LE(c.request_size.pixels(), 700000u) << "no more upscaling than the minimum needs";

    // A wide small canvas: widened to 3:1 at most, then upscaled.
    CropChoice strip = choose(profile, {900, 20, 60, 60}, {2000, 100});
    EXPECT_GT(strip.scale, 1.0);
    EXPECT_LE(aspect(strip.crop), 3.01) << describe(strip);
    EXPECT_EQ(strip.crop.height, 100);
}

TEST(InpaintCropCustom, WholeHugeCanvasIsDownscaledToAValidSize) {
    GatewayProfile profile = shipped("openai");
    CropChoice c = choose(profile, {0, 0, 6000, 4000}, {6000, 4000});
    EXPECT_EQ(c.crop, (PixelRect{0, 0, 6000, 4000}));
    EXPECT_LT(c.scale, 1.0);
    EXPECT_NEAR(aspect(c.request_size), 1.5, 0.015);
    EXPECT_GT(c.request_size.pixels(), 8000000u) << "as much resolution as the rules allow";
}

TEST(InpaintCropCustom, ExtremeAspectIsWidenedToThreeToOne) {
    GatewayProfile profile = shipped("openai");
    // A 3000x100 strip selection in a photo: the context grows to 3:1, still native.
    PixelRect needed = PixelRect{500, 1400, 3000, 100}.inflate(13);
    CropChoice c = choose(profile, needed, photo);
    EXPECT_EQ(c.scale, 1.0) << describe(c);
    EXPECT_LE(aspect(c.crop), 3.0);
    // A canvas that is itself a 30:1 strip cannot be widened: resampled to a valid size.
    CropChoice s = choose(profile, {0, 0, 3000, 100}, {3000, 100});
    EXPECT_EQ(s.crop, (PixelRect{0, 0, 3000, 100}));
    EXPECT_NEAR(aspect(s.request_size), 3.0, 0.05) << "the nearest allowed shape";
}

TEST(InpaintCropCustom, CanvasSidesNotMultiplesOf16) {
    GatewayProfile profile = shipped("openai");
    CropChoice c = choose(profile, {0, 0, 1000, 700}, {1000, 700});
    EXPECT_EQ(c.crop, (PixelRect{0, 0, 1000, 700}));
    EXPECT_NEAR(c.scale, 1.0, 0.03) << describe(c);
    CropChoice inner = choose(profile, {10, 10, 900, 600}, {1000, 700});
    EXPECT_EQ(inner.scale, 1.0) << describe(inner);
}

TEST(InpaintCropCustom, LargeSelectionWithinTheRulesIsSentAsIs) {
    GatewayProfile profile = shipped("openai");
    CropChoice c = choose(profile, {100, 100, 3840, 2160}, {6000, 4000});
    EXPECT_EQ(c.scale, 1.0);
    EXPECT_EQ(c.request_size, (ImageSize{3840, 2160}));
}

TEST(InpaintCropList, VipRoutesPickFromThe30SizesAtNativeResolution) {
    for (const char *name : {"apiyi-vip", "laozhang-vip"}) {
        GatewayProfile profile = shipped(name);
        ASSERT_EQ(profile.sizes.size(), 30u);
        CropChoice c = choose(profile, tiny_needed, photo);
        EXPECT_EQ(c.request_size, (ImageSize{1280, 1280})) << name;
        EXPECT_EQ(c.scale, 1.0) << "the crop is widened to the size itself: no blurry upscale";

        // 16:9 region: a 16:9 size.
        CropChoice wide = choose(profile, {1000, 1000, 1600, 900}, photo);
        EXPECT_NEAR(aspect(wide.request_size), 16.0 / 9, 0.01) << describe(wide);
        EXPECT_EQ(wide.request_size, (ImageSize{2048, 1152}));
        EXPECT_EQ(wide.scale, 1.0);

        // Whole 6000x4000: the largest 3:2 size, downscaled.
        CropChoice huge = choose(profile, {0, 0, 6000, 4000}, {6000, 4000});
        EXPECT_EQ(huge.request_size, (ImageSize{3520, 2336}));
        EXPECT_LT(huge.scale, 1.0);

        // A strip: the widest size, the crop widened toward its aspect.
        CropChoice strip = choose(profile, PixelRect{500, 1400, 3000, 100}.inflate(13), photo);
        EXPECT_EQ(strip.request_size, (ImageSize{3840, 1632}));
        EXPECT_NEAR(aspect(strip.crop), aspect(strip.request_size), 0.01);

        // Small canvas: upscaled to the smallest size of its shape.
        CropChoice small = choose(profile, {100, 100, 50, 50}, {512, 512});
        EXPECT_EQ(small.request_size, (ImageSize{1280, 1280}));
        EXPECT_EQ(small.crop, (PixelRect{0, 0, 512, 512}));
        EXPECT_GT(small.scale, 1.0);
    }
}

TEST(InpaintCropPresets, RuoliPicksFromTheSevenPresets) {
    GatewayProfile profile = shipped("ruoli");
    ASSERT_EQ(profile.sizes.size(), 7u);
    CropChoice c = choose(profile, tiny_needed, photo);
    EXPECT_EQ(c.request_size, (ImageSize{1024, 1024}));
    EXPECT_EQ(c.scale, 1.0);
    CropChoice huge = choose(profile, {0, 0, 6000, 4000}, {6000, 4000});
    EXPECT_EQ(huge.request_size, (ImageSize{1536, 1024}));
    EXPECT_LT(huge.scale, 1.0);
    // 500x2600 (about 1:5): 9:16 is the nearest shape; the crop widens toward it in the canvas.
    CropChoice tall = choose(profile, {1000, 100, 500, 2600}, photo);
    EXPECT_EQ(tall.request_size, (ImageSize{2160, 3840})) << describe(tall);
    EXPECT_EQ(tall.crop.height, 3000) << describe(tall);
    EXPECT_NEAR(aspect(tall.crop), 9.0 / 16, 0.01) << describe(tall);
    CropChoice portrait = choose(profile, {1000, 100, 1000, 1400}, photo);
    EXPECT_EQ(portrait.request_size, (ImageSize{1024, 1536})) << describe(portrait);
    CropChoice small = choose(profile, {0, 0, 300, 200}, {512, 512});
    EXPECT_GT(small.scale, 1.0);
}

TEST(InpaintCropNone, NoSizeIsSentAndTheCropTakesAModelShape) {
    for (const char *name : {"apiyi-all", "laozhang"}) {
        GatewayProfile profile = shipped(name);
        CropChoice c = choose(profile, tiny_needed, photo);
        EXPECT_EQ(c.crop.width, 1024) << name << ": " << describe(c);
        EXPECT_EQ(c.crop.height, 1024);
        CropChoice wide = choose(profile, {100, 100, 1400, 800}, photo);
        EXPECT_NEAR(aspect(wide.crop), 1.5, 0.01) << describe(wide);
        CropChoice huge = choose(profile, {0, 0, 6000, 4000}, {6000, 4000});
        EXPECT_EQ(huge.crop, (PixelRect{0, 0, 6000, 4000}));
        CropChoice edge = choose(profile, {0, 2900, 80, 100}, photo);
        EXPECT_EQ(edge.crop.x, 0);
        EXPECT_EQ(edge.crop.bottom(), 3000);
    }
}

TEST(InpaintCrop, EmptyOrOutsideSelectionIsRefused) {
    GatewayProfile profile = shipped("openai");
    Error empty = apitest::catch_error([&] { choose_inpaint_crop(profile, {}, photo); });
    EXPECT_KIND(empty, ErrorKind::invalid_argument);
    EXPECT_NE(std::string(empty.what()).find("select"), std::string::npos) << empty.what();
    Error outside = apitest::catch_error([&] { choose_inpaint_crop(profile, {5000, 0, 10, 10}, photo); });
    EXPECT_KIND(outside, ErrorKind::invalid_argument);
    Error canvas = apitest::catch_error([&] { choose_inpaint_crop(profile, {0, 0, 10, 10}, {0, 100}); });
    EXPECT_KIND(canvas, ErrorKind::invalid_argument);
    // Partly outside: clamped, still sound.
    choose(profile, {-50, -50, 200, 200}, photo);
}

TEST(InpaintCrop, RandomCanvasesAndSelectionsAreAlwaysSound) {
    std::mt19937 rng(20240611);
    auto pick = [&](uint32_t lo, uint32_t hi) { return uint32_t(lo + rng() % (hi - lo + 1)); };
    for (const std::string &name : apitest::shipped_names()) {
        GatewayProfile profile = shipped(name);
        for (int trial = 0; trial < 150; ++trial) {
            ImageSize canvas{pick(1, 7000), pick(1, 7000)};
            if (trial % 5 == 0)
                canvas = {pick(1, 900), pick(1, 900)}; // small canvases are the hard case
            int32_t w = int32_t(pick(1, canvas.width)), h = int32_t(pick(1, canvas.height));
            if (trial % 3 == 0) {
                w = int32_t(std::min<uint32_t>(canvas.width, pick(1, 300)));
                h = int32_t(std::min<uint32_t>(canvas.height, pick(1, 300)));
            }
            PixelRect needed{int32_t(pick(0, canvas.width - uint32_t(w))), int32_t(pick(0, canvas.height - uint32_t(h))),
                             w, h};
            CropChoice c = choose(profile, needed, canvas);
            if (profile.size_rule == SizeRule::custom && uint64_t(canvas.width) * canvas.height >= 2'000'000 &&
                w <= 1500 && h <= 1500 && w * 3 >= h && h * 3 >= w && canvas.width >= 1600 && canvas.height >= 1600) {
                EXPECT_EQ(c.scale, 1.0) << "room to stay native: " << describe(c);
            }
            if (profile.size_rule != SizeRule::custom && canvas.width >= 3840 && canvas.height >= 3840 && w <= 1000 &&
                h <= 1000 && w * 2 >= h && h * 2 >= w) {
                EXPECT_EQ(c.scale, 1.0) << "room to send the crop at the size itself: " << describe(c);
            }
            if (HasFailure())
                return; // one report is enough
        }
    }
}

TEST(CanvasSize, CustomRoutesTakeAValidCanvasAsIs) {
    GatewayProfile profile = shipped("openai");
    EXPECT_EQ(choose_canvas_size(profile, {1920, 1088}), (ImageSize{1920, 1088}));
    EXPECT_EQ(choose_canvas_size(profile, {3840, 2160}), (ImageSize{3840, 2160}));
    for (ImageSize canvas : {ImageSize{1920, 1080}, ImageSize{512, 512}, ImageSize{8000, 6000}, ImageSize{3000, 100},
                             ImageSize{1, 1}, ImageSize{777, 1999}}) {
        ImageSize s = choose_canvas_size(profile, canvas);
        EXPECT_EQ(custom_size_problem(s), "") << canvas.text() << " -> " << s.text();
        const double wanted = std::clamp(aspect(canvas), 1 / 3.0, 3.0);
        EXPECT_NEAR(aspect(s) / wanted, 1.0, 0.05) << canvas.text() << " -> " << s.text();
    }
    EXPECT_NEAR(aspect(choose_canvas_size(profile, {1920, 1080})), 16.0 / 9, 0.01);
}

TEST(CanvasSize, ListedRoutesTakeTheNearestShapeBigEnough) {
    for (const char *name : {"apiyi-vip", "laozhang-vip"}) {
        GatewayProfile profile = shipped(name);
        EXPECT_EQ(choose_canvas_size(profile, {1920, 1080}), (ImageSize{2048, 1152}));
        EXPECT_EQ(choose_canvas_size(profile, {1080, 1920}), (ImageSize{1152, 2048}));
        EXPECT_EQ(choose_canvas_size(profile, {800, 800}), (ImageSize{1280, 1280}));
        EXPECT_EQ(choose_canvas_size(profile, {4000, 3000}), (ImageSize{3312, 2480}));
        EXPECT_EQ(choose_canvas_size(profile, {3000, 100}), (ImageSize{3840, 1632}));
    }
    GatewayProfile ruoli = shipped("ruoli");
    EXPECT_EQ(choose_canvas_size(ruoli, {1920, 1080}), (ImageSize{2048, 1152}));
    EXPECT_EQ(choose_canvas_size(ruoli, {4000, 3000}), (ImageSize{1536, 1024}));
    EXPECT_EQ(choose_canvas_size(ruoli, {600, 900}), (ImageSize{1024, 1536}));
    EXPECT_EQ(choose_canvas_size(ruoli, {500, 500}), (ImageSize{1024, 1024}));
}

TEST(CanvasSize, RoutesWithoutASizeGetNone) {
    for (const char *name : {"apiyi-all", "laozhang"})
        EXPECT_EQ(choose_canvas_size(shipped(name), {1920, 1080}), (ImageSize{0, 0}));
}

// The geometry as the plugin uses it: a soft selection in a canvas -> grow, feather, bounds +
// context -> crop choice -> the mask resampled to the request size, soft edge intact.
TEST(InpaintGeometry, SoftSelectionToTheMaskSent) {
    const uint32_t W = 2400, H = 1800;
    GrayImage selection;
    selection.width = W;
    selection.height = H;
    selection.pixels.assign(size_t(W) * H, 0);
    for (uint32_t y = 0; y < 60; ++y) // a soft disc touching the top edge
        for (uint32_t x = 1000; x < 1080; ++x) {
            const double d = std::hypot(double(x) - 1040, double(y) - 20);
            selection.pixels[y * W + x] = uint8_t(std::clamp(255.0 * (40 - d) / 20, 0.0, 255.0));
        }
    GrayImage feathered = feather_coverage(grow_coverage(selection, 4), 8);
    PixelRect needed = coverage_bounds(feathered).inflate(64).intersect({0, 0, int32_t(W), int32_t(H)});
    EXPECT_EQ(needed.y, 0);
    for (const std::string &name : apitest::shipped_names()) {
        GatewayProfile profile = shipped(name);
        CropChoice c = choose(profile, needed, {W, H});
        GrayImage crop = crop_gray(feathered, c.crop.x, c.crop.y, uint32_t(c.crop.width), uint32_t(c.crop.height));
        ImageSize sent = c.size_field ? c.request_size : ImageSize{uint32_t(c.crop.width), uint32_t(c.crop.height)};
        RgbaImage mask = edit_mask_from_coverage(resize_gray(crop, sent.width, sent.height));
        EXPECT_EQ(mask.width, sent.width) << name;
        EXPECT_EQ(mask.height, sent.height) << name;
        int soft = 0, repaint = 0;
        for (size_t i = 3; i < mask.pixels.size(); i += 4) {
            soft += mask.pixels[i] > 0 && mask.pixels[i] < 255;
            repaint += mask.pixels[i] == 0;
        }
        EXPECT_GT(soft, 100) << name << ": the soft edge survives the resample";
        EXPECT_GT(repaint, 100) << name;
    }
}

} // namespace
} // namespace pictor
