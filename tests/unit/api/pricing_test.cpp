// estimate_cost_usd: flat per call on vip/all routes, OpenAI's per-image table elsewhere, both
// read from the profiles; "unknown" (nullopt) where a model entry states no price.
#include <gtest/gtest.h>

#include <string>

#include "api/pricing.hpp"
#include "api_test_support.hpp"

namespace pictor {
namespace {

using apitest::shipped;

// The estimate, or -1 when it is unknown (no expected value below is negative).
double estimate(const ModelSpec &model, ImageSize size, const std::string &quality, int calls, int images) {
    return estimate_cost_usd(model, size, quality, calls, images).value_or(-1);
}

TEST(Pricing, PerCallProfilesChargeThreeCentsPerCall) {
    for (const char *name : {"apiyi-vip", "apiyi-all", "laozhang", "laozhang-vip"}) {
        GatewayProfile p = shipped(name);
        EXPECT_NEAR(estimate(p, {2048, 2048}, "", 1, 1), 0.03, 1e-9) << name;
        EXPECT_NEAR(estimate(p, {2048, 2048}, "", 3, 3), 0.09, 1e-9) << name;
        // Size and quality do not change a flat price.
        EXPECT_NEAR(estimate(p, {3840, 2160}, "high", 1, 1), 0.03, 1e-9) << name;
        EXPECT_NEAR(estimate(p, {0, 0}, "low", 2, 2), 0.06, 1e-9) << name;
    }
}

TEST(Pricing, TokenProfilesSquare1024) {
    GatewayProfile p = shipped("openai");
    EXPECT_NEAR(estimate(p, {1024, 1024}, "low", 1, 1), 0.006, 1e-9);
    EXPECT_NEAR(estimate(p, {1024, 1024}, "medium", 1, 1), 0.053, 1e-9);
    EXPECT_NEAR(estimate(p, {1024, 1024}, "high", 1, 1), 0.211, 1e-9);
}

TEST(Pricing, TokenProfiles1536By1024) {
    for (const char *name : {"openai", "apiyi", "laozhang-official", "ruoli"}) {
        GatewayProfile p = shipped(name);
        for (ImageSize size : {ImageSize{1536, 1024}, ImageSize{1024, 1536}}) {
            EXPECT_NEAR(estimate(p, size, "low", 1, 1), 0.005, 1e-9) << name;
            EXPECT_NEAR(estimate(p, size, "medium", 1, 1), 0.041, 1e-9) << name;
            EXPECT_NEAR(estimate(p, size, "high", 1, 1), 0.165, 1e-9) << name;
        }
    }
}

TEST(Pricing, AutoAndUnsetArePricedAsMedium) {
    GatewayProfile p = shipped("openai");
    for (const char *q : {"auto", ""}) {
        EXPECT_NEAR(estimate(p, {1024, 1024}, q, 1, 1), 0.053, 1e-9) << q;
        EXPECT_NEAR(estimate(p, {1536, 1024}, q, 1, 1), 0.041, 1e-9) << q;
    }
    // Size left to the server: priced as 1024x1024.
    EXPECT_NEAR(estimate(p, {0, 0}, "", 1, 1), 0.053, 1e-9);
    EXPECT_NEAR(estimate(p, {0, 0}, "high", 1, 1), 0.211, 1e-9);
}

TEST(Pricing, TokenPricesArePerImage) {
    GatewayProfile p = shipped("openai");
    EXPECT_NEAR(estimate(p, {1024, 1024}, "high", 1, 4), 4 * 0.211, 1e-9);
    // apiyi: 3 calls of one image each cost the same as one call of three.
    GatewayProfile apiyi = shipped("apiyi");
    EXPECT_NEAR(estimate(apiyi, {1024, 1024}, "low", 3, 3), 3 * 0.006, 1e-9);
}

TEST(Pricing, LargerSizesScaleWithPixels) {
    GatewayProfile p = shipped("openai");
    // 2048x2048 is four times 1024x1024.
    EXPECT_NEAR(estimate(p, {2048, 2048}, "high", 1, 1), 4 * 0.211, 1e-9);
    EXPECT_NEAR(estimate(p, {2048, 2048}, "low", 1, 1), 4 * 0.006, 1e-9);
    // Worked out by hand: 3840 x 2160 = 8,294,400 pixels = 7.91015625 x 1,048,576 (1024²),
    // at medium's $0.053 for 1024²: $0.41923828125.
    double k4 = estimate(p, {3840, 2160}, "medium", 1, 1);
    EXPECT_NEAR(k4, 0.41923828125, 1e-9);
    EXPECT_GT(k4, estimate(p, {2048, 2048}, "medium", 1, 1));
    EXPECT_GT(estimate(p, {2048, 1152}, "medium", 1, 1), estimate(p, {1024, 1024}, "medium", 1, 1));
    // Quality order holds at every size.
    for (ImageSize s : {ImageSize{1024, 1024}, ImageSize{1536, 1024}, ImageSize{2048, 2048}, ImageSize{3840, 2160}}) {
        EXPECT_LT(estimate(p, s, "low", 1, 1), estimate(p, s, "medium", 1, 1)) << s.text();
        EXPECT_LT(estimate(p, s, "medium", 1, 1), estimate(p, s, "high", 1, 1)) << s.text();
    }
}

TEST(Pricing, AModelWithoutPricesIsUnknownNotGuessed) {
    GatewayProfile p = shipped("openai");
    ModelSpec added = p; // a model a user listed without prices
    added.model = "gpt-image-2.6-flare";
    added.pricing = ModelPricing{};
    EXPECT_FALSE(estimate_cost_usd(added, {1024, 1024}, "high", 1, 1).has_value());
    EXPECT_EQ(format_usd(estimate_cost_usd(added, {1024, 1024}, "high", 1, 1)), "unknown");
    // A quality the price table does not list is unknown too, not priced as another one.
    EXPECT_FALSE(estimate_cost_usd(p, {1024, 1024}, "xhigh", 1, 1).has_value());
    EXPECT_EQ(format_usd(0.053), "$0.05");
}

TEST(Pricing, PricesComeFromTheModelEntry) {
    ModelSpec m;
    m.pricing.kind = "per_image";
    m.pricing.per_image_usd = {{"xhigh", {{"1024x1024", 0.5}}}};
    m.pricing.quality_if_unset = "xhigh";
    EXPECT_NEAR(estimate(m, {1024, 1024}, "xhigh", 1, 2), 1.0, 1e-9);
    EXPECT_NEAR(estimate(m, {0, 0}, "", 1, 1), 0.5, 1e-9);
    EXPECT_NEAR(estimate(m, {2048, 1024}, "auto", 1, 1), 1.0, 1e-9); // twice the pixels
}

} // namespace
} // namespace pictor
