// Mask from selection: bounds, grow (exact disk dilation), feather (soft outward edge that is
// exactly 0 beyond its reach). Checked against brute-force definitions on small images.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "image/gray_image.hpp"
#include "image/pixel_rect.hpp"
#include "image/selection_mask.hpp"

namespace pictor {
namespace {

GrayImage blank(uint32_t width, uint32_t height, uint8_t value = 0) {
    GrayImage image;
    image.width = width;
    image.height = height;
    image.pixels.assign(size_t(width) * height, value);
    return image;
}

uint8_t &at(GrayImage &image, int x, int y) { return image.pixels[size_t(y) * image.width + size_t(x)]; }
uint8_t at(const GrayImage &image, int x, int y) { return image.pixels[size_t(y) * image.width + size_t(x)]; }

void fill(GrayImage &image, PixelRect rect, uint8_t value) {
    for (int y = rect.y; y < rect.bottom(); ++y)
        for (int x = rect.x; x < rect.right(); ++x)
            at(image, x, y) = value;
}

// The definition: the maximum of the coverage within Euclidean distance r.
GrayImage reference_grow(const GrayImage &in, int r) {
    GrayImage out = in;
    for (int y = 0; y < int(in.height); ++y)
        for (int x = 0; x < int(in.width); ++x) {
            uint8_t best = 0;
            for (int dy = -r; dy <= r; ++dy)
                for (int dx = -r; dx <= r; ++dx) {
                    int sx = x + dx, sy = y + dy;
                    if (dx * dx + dy * dy > r * r || sx < 0 || sy < 0 || sx >= int(in.width) || sy >= int(in.height))
                        continue;
                    best = std::max(best, at(in, sx, sy));
                }
            at(out, x, y) = best;
        }
    return out;
}

// Squared distance from (x, y) to the nearest non-zero pixel (brute force), or -1 when none.
int64_t nearest_selected_distance2(const GrayImage &in, int x, int y) {
    int64_t best = -1;
    for (int sy = 0; sy < int(in.height); ++sy)
        for (int sx = 0; sx < int(in.width); ++sx)
            if (at(in, sx, sy)) {
                int64_t d = int64_t(sx - x) * (sx - x) + int64_t(sy - y) * (sy - y);
                if (best < 0 || d < best)
                    best = d;
            }
    return best;
}

GrayImage random_soft_blobs(std::mt19937 &rng, uint32_t width, uint32_t height) {
    GrayImage image = blank(width, height);
    std::uniform_int_distribution<int> coin(0, 99), value(1, 255);
    for (uint8_t &v : image.pixels)
        if (coin(rng) < 4)
            v = uint8_t(value(rng));
    return image;
}

TEST(CoverageBounds, EmptySelectionHasEmptyBounds) {
    EXPECT_TRUE(coverage_bounds(blank(20, 10)).empty());
    EXPECT_TRUE(coverage_bounds(GrayImage{}).empty());
}

TEST(CoverageBounds, BoundsOfScatteredAndSoftPixels) {
    GrayImage image = blank(30, 20);
    at(image, 5, 7) = 1; // the faintest selection counts
    at(image, 12, 3) = 200;
    at(image, 9, 15) = 255;
    EXPECT_EQ(coverage_bounds(image), (PixelRect{5, 3, 8, 13}));
}

TEST(CoverageBounds, SelectionTouchingEveryEdge) {
    GrayImage image = blank(30, 20);
    at(image, 0, 10) = 9;
    at(image, 29, 0) = 9;
    at(image, 4, 19) = 9;
    EXPECT_EQ(coverage_bounds(image), (PixelRect{0, 0, 30, 20}));
}

TEST(GrowCoverage, ZeroOrNegativeReturnsTheInputUnchanged) {
    std::mt19937 rng(1);
    GrayImage image = random_soft_blobs(rng, 17, 13);
    EXPECT_EQ(grow_coverage(image, 0).pixels, image.pixels);
    EXPECT_EQ(grow_coverage(image, -5).pixels, image.pixels);
}

TEST(GrowCoverage, SinglePixelBecomesAnExactDisk) {
    for (int r : {1, 2, 3, 5, 8, 13}) {
        GrayImage image = blank(41, 41);
        at(image, 20, 20) = 255;
        GrayImage grown = grow_coverage(image, r);
        for (int y = 0; y < 41; ++y)
            for (int x = 0; x < 41; ++x) {
                int d2 = (x - 20) * (x - 20) + (y - 20) * (y - 20);
                EXPECT_EQ(at(grown, x, y), d2 <= r * r ? 255 : 0) << "r=" << r << " at " << x << "," << y;
            }
    }
}

TEST(GrowCoverage, MatchesTheDefinitionOnRandomSoftSelections) {
    std::mt19937 rng(7);
    for (int trial = 0; trial < 12; ++trial) {
        uint32_t w = 8 + rng() % 40, h = 8 + rng() % 30;
        GrayImage image = random_soft_blobs(rng, w, h);
        int r = 1 + int(rng() % 9);
        EXPECT_EQ(grow_coverage(image, r).pixels, reference_grow(image, r).pixels)
            << "trial " << trial << " " << w << "x" << h << " r=" << r;
    }
}

TEST(GrowCoverage, LargeRadiiNearTheEdgesMatchTheDefinition) {
    std::mt19937 rng(11);
    for (int r : {15, 24}) {
        GrayImage image = blank(40, 32);
        at(image, 1, 30) = 200;
        at(image, 38, 2) = 255;
        at(image, int(rng() % 40), int(rng() % 32)) = 90;
        EXPECT_EQ(grow_coverage(image, r).pixels, reference_grow(image, r).pixels) << "r=" << r;
    }
}

TEST(GrowCoverage, SelectionInACornerIsClampedToTheImage) {
    GrayImage image = blank(20, 15);
    fill(image, {0, 0, 3, 2}, 255);
    at(image, 19, 14) = 100;
    GrayImage grown = grow_coverage(image, 4);
    EXPECT_EQ(grown.pixels, reference_grow(image, 4).pixels);
    EXPECT_EQ(at(grown, 0, 0), 255);
    EXPECT_EQ(at(grown, 6, 1), 255);  // 4 right of the block's last column
    EXPECT_EQ(at(grown, 7, 1), 0);
    EXPECT_EQ(at(grown, 19, 10), 100); // the corner pixel grew up and left only
}

TEST(GrowCoverage, RadiusLargerThanTheImageSelectsTheMaximumEverywhere) {
    GrayImage image = blank(12, 9);
    at(image, 3, 4) = 77;
    GrayImage grown = grow_coverage(image, 1000000);
    for (uint8_t v : grown.pixels)
        EXPECT_EQ(v, 77);
}

TEST(FeatherCoverage, ZeroOrNegativeReturnsTheInputUnchanged) {
    std::mt19937 rng(2);
    GrayImage image = random_soft_blobs(rng, 19, 11);
    EXPECT_EQ(feather_coverage(image, 0).pixels, image.pixels);
    EXPECT_EQ(feather_coverage(image, -1).pixels, image.pixels);
}

TEST(FeatherCoverage, EmptySelectionStaysEmpty) {
    GrayImage image = blank(30, 30);
    EXPECT_EQ(feather_coverage(image, 6).pixels, image.pixels);
}

// The three promises: never below the input (inside stays 255, soft values kept), exactly 0
// farther than px from every selected pixel, and something non-zero just outside the edge.
void expect_feather_promises(const GrayImage &in, int px) {
    GrayImage out = feather_coverage(in, px);
    ASSERT_EQ(out.width, in.width);
    ASSERT_EQ(out.height, in.height);
    for (int y = 0; y < int(in.height); ++y)
        for (int x = 0; x < int(in.width); ++x) {
            EXPECT_GE(at(out, x, y), at(in, x, y)) << x << "," << y;
            int64_t d2 = nearest_selected_distance2(in, x, y);
            if (d2 < 0 || d2 > int64_t(px) * px) {
                ASSERT_EQ(at(out, x, y), 0) << "px=" << px << " at " << x << "," << y << " d2=" << d2;
            }
        }
}

TEST(FeatherCoverage, ExactlyZeroBeyondReachAndNeverBelowTheInput) {
    std::mt19937 rng(3);
    for (int px : {1, 2, 3, 5, 8, 11}) {
        GrayImage image = blank(48, 40);
        fill(image, {14, 12, 9, 7}, 255);
        fill(image, {30, 25, 3, 3}, 140);
        at(image, 5, 33) = 30;
        expect_feather_promises(image, px);
    }
    for (int trial = 0; trial < 6; ++trial) {
        GrayImage image = random_soft_blobs(rng, 30 + rng() % 20, 25 + rng() % 20);
        expect_feather_promises(image, 1 + int(rng() % 10));
    }
}

TEST(FeatherCoverage, FallsSmoothlyFromTheEdgeToZero) {
    const int px = 12;
    GrayImage image = blank(80, 40);
    fill(image, {0, 0, 30, 40}, 255); // a straight vertical edge after column 29, touching 3 image edges
    GrayImage out = feather_coverage(image, px);
    for (int y : {0, 20, 39}) {
        EXPECT_EQ(at(out, 29, y), 255);
        int previous = 255;
        for (int x = 30; x <= 30 + px; ++x) {
            int v = at(out, x, y);
            EXPECT_LE(v, previous) << "x=" << x << " y=" << y;        // monotone
            EXPECT_LE(previous - v, 80) << "a step at x=" << x;       // no hard seam
            previous = v;
        }
        EXPECT_GT(at(out, 30, y), 200);      // right outside the edge: almost fully selected
        EXPECT_GT(at(out, 30 + px / 2, y), 40); // half way: clearly partial
        EXPECT_LT(at(out, 30 + px - 1, y), 40);
        EXPECT_EQ(at(out, 30 + px + 1, y), 0);
        for (int x = 0; x < 30; ++x)
            EXPECT_EQ(at(out, x, y), 255); // the inside never shrinks, even at the image's edge
    }
}

TEST(FeatherCoverage, RadiusLargerThanTheImage) {
    GrayImage image = blank(40, 30);
    fill(image, {18, 13, 4, 4}, 255);
    GrayImage out = feather_coverage(image, 500);
    EXPECT_EQ(at(out, 19, 14), 255);
    EXPECT_GT(at(out, 0, 0), 0); // everything is within reach
    for (int y = 0; y < 30; ++y)
        for (int x = 0; x < 39; ++x)
            if (x >= 21) {
                EXPECT_GE(at(out, x, y), at(out, x + 1, y)); // falling away from the selection
            }
}

TEST(FeatherCoverage, SelectionTouchingAnEdgeFeathersLikeOneInTheMiddle) {
    // The same 10-high bar, once along the top edge and once in the middle: the profile to its
    // right is the same, because the blur does not treat the image's edge as unselected.
    GrayImage edge = blank(60, 40), middle = blank(60, 40);
    fill(edge, {0, 0, 20, 10}, 255);
    fill(middle, {0, 15, 20, 10}, 255);
    GrayImage a = feather_coverage(edge, 8), b = feather_coverage(middle, 8);
    for (int x = 18; x < 32; ++x)
        EXPECT_EQ(at(a, x, 0), at(b, x, 20)) << "x=" << x;
}

TEST(FeatherCoverage, SoftSelectionStaysSoft) {
    GrayImage image = blank(60, 60);
    fill(image, {20, 20, 20, 20}, 128);
    GrayImage out = feather_coverage(image, 6);
    EXPECT_EQ(at(out, 30, 30), 128); // not thresholded to 255
    EXPECT_EQ(at(out, 20, 20), 128);
    EXPECT_GT(at(out, 41, 30), 0);
    EXPECT_LT(at(out, 41, 30), 128);
    EXPECT_EQ(at(out, 47, 30), 0);
}

TEST(FeatherCoverage, SmallSelectionOnALargeCanvasOnlyTouchesItsNeighbourhood) {
    GrayImage image = blank(1600, 1200);
    fill(image, {800, 600, 10, 10}, 255);
    GrayImage out = feather_coverage(grow_coverage(image, 4), 8);
    PixelRect bounds = coverage_bounds(out);
    EXPECT_EQ(bounds, (PixelRect{800 - 12, 600 - 12, 10 + 24, 10 + 24}));
    EXPECT_EQ(at(out, 805, 605), 255);
}

TEST(SelectionReach, AddsGrowFeatherAndOne) {
    EXPECT_EQ(selection_reach(4, 8), 13);
    EXPECT_EQ(selection_reach(-1, 8), 9);
    EXPECT_EQ(selection_reach(0, 0), 1);
}

} // namespace
} // namespace pictor
