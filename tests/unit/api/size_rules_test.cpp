// gpt-image-2's size rules (GATEWAYS.md, "Size rules").
#include <gtest/gtest.h>

#include <string>

#include "api/size_rules.hpp"

namespace pictor {
namespace {

// ---- parse_image_size -------------------------------------------------------------------------

TEST(ParseImageSize, ReadsWidthAndHeight) {
    auto size = parse_image_size("1024x1536");
    ASSERT_TRUE(size.has_value());
    EXPECT_EQ(size->width, 1024u);
    EXPECT_EQ(size->height, 1536u);
    EXPECT_EQ(size->text(), "1024x1536");
    EXPECT_EQ(size->pixels(), 1024ull * 1536ull);
}

TEST(ParseImageSize, ReadsEveryPreset) {
    for (const auto &preset : preset_sizes()) {
        auto size = parse_image_size(preset);
        ASSERT_TRUE(size.has_value()) << preset;
        EXPECT_EQ(size->text(), preset);
    }
}

TEST(ParseImageSize, UppercaseXIsRefused) { EXPECT_FALSE(parse_image_size("1024X1024").has_value()); }

TEST(ParseImageSize, MultiplicationSignIsRefused) {
    EXPECT_FALSE(parse_image_size("1024\xC3\x97" "1024").has_value()); // U+00D7 ×
}

TEST(ParseImageSize, SpacesAreRefused) {
    EXPECT_FALSE(parse_image_size("1024 x 1024").has_value());
    EXPECT_FALSE(parse_image_size(" 1024x1024").has_value());
    EXPECT_FALSE(parse_image_size("1024x1024 ").has_value());
    EXPECT_FALSE(parse_image_size("1024x 1024").has_value());
}

TEST(ParseImageSize, ZeroIsRefused) {
    EXPECT_FALSE(parse_image_size("0x1024").has_value());
    EXPECT_FALSE(parse_image_size("1024x0").has_value());
    EXPECT_FALSE(parse_image_size("0x0").has_value());
    EXPECT_FALSE(parse_image_size("000x1024").has_value());
}

TEST(ParseImageSize, NegativesAndSignsAreRefused) {
    EXPECT_FALSE(parse_image_size("-1024x1024").has_value());
    EXPECT_FALSE(parse_image_size("1024x-1024").has_value());
    EXPECT_FALSE(parse_image_size("+1024x1024").has_value());
}

TEST(ParseImageSize, HugeNumbersAreRefusedNotWrapped) {
    EXPECT_FALSE(parse_image_size("4294967296x1024").has_value()); // 2^32 would wrap to 0
    EXPECT_FALSE(parse_image_size("4294968320x1024").has_value()); // 2^32 + 1024 would wrap to 1024
    EXPECT_FALSE(parse_image_size("99999999999999999999x1024").has_value());
    EXPECT_FALSE(parse_image_size("1024x18446744073709551617").has_value());
}

TEST(ParseImageSize, MalformedTextIsRefused) {
    for (const char *text : {"", "x", "1024", "1024x", "x1024", "1024x1024x1024", "auto", "1e3x1024",
                             "1024.0x1024", "0x400x1024", "1024*1024", "ax b"})
        EXPECT_FALSE(parse_image_size(text).has_value()) << '"' << text << '"';
}

// ---- custom_size_problem ------------------------------------------------------------------------

TEST(CustomSizeProblem, GatewaysDocValidExamplesPass) {
    // GATEWAYS.md (and APIYI's doc it copies) also lists 3200x1800 as valid, but 1800 = 16 x 112.5
    // breaks the multiple-of-16 rule stated in the same sentence; see the next test.
    for (const char *text : {"1600x1200", "1792x1024", "2048x1536", "3200x1792", "3200x1808"}) {
        auto size = parse_image_size(text);
        ASSERT_TRUE(size) << text;
        EXPECT_EQ(custom_size_problem(*size), "") << text;
    }
}

TEST(CustomSizeProblem, DocExample3200x1800BreaksTheMultipleOf16Rule) {
    // The doc's own rule wins over its example: 1800 is not a multiple of 16.
    ASSERT_NE(1800 % 16, 0);
    std::string p = custom_size_problem({3200, 1800});
    EXPECT_NE(p.find("multiples of 16"), std::string::npos) << p;
}

TEST(CustomSizeProblem, EveryPresetPasses) {
    ASSERT_EQ(preset_sizes().size(), 7u);
    for (const auto &preset : preset_sizes())
        EXPECT_EQ(custom_size_problem(*parse_image_size(preset)), "") << preset;
}

TEST(CustomSizeProblem, PresetsAreTheDocumentedSeven) {
    EXPECT_EQ(preset_sizes(), (std::vector<std::string>{"1024x1024", "1536x1024", "1024x1536", "2048x2048",
                                                        "2048x1152", "3840x2160", "2160x3840"}));
}

TEST(CustomSizeProblem, GatewaysDocInvalidExamplesFail) {
    // 1000 is not a multiple of 16.
    std::string p = custom_size_problem({1000, 1000});
    EXPECT_NE(p, "");
    EXPECT_NE(p.find("16"), std::string::npos) << p;
    // 4000 is a multiple of 16 but over the longest-edge limit.
    p = custom_size_problem({4000, 4000});
    EXPECT_NE(p, "");
    EXPECT_NE(p.find("3840"), std::string::npos) << p;
    // 3840x1000: 1000 is not a multiple of 16 (and the ratio is 3.84:1).
    EXPECT_NE(custom_size_problem({3840, 1000}), "");
}

TEST(CustomSizeProblem, RatioAboveThreeToOneFails) {
    // Multiples of 16, within the pixel bounds, ratio 3.75:1.
    std::string p = custom_size_problem({3840, 1024});
    EXPECT_NE(p, "");
    EXPECT_NE(p.find("3 times"), std::string::npos) << p;
    EXPECT_NE(custom_size_problem({1024, 3840}), ""); // portrait too
}

TEST(CustomSizeProblem, RatioExactlyThreeToOneIsAllowed) {
    EXPECT_EQ(custom_size_problem({3072, 1024}), "");
    EXPECT_EQ(custom_size_problem({1024, 3072}), "");
    EXPECT_EQ(custom_size_problem({3840, 1280}), "");
    // Just past 3:1 fails.
    EXPECT_NE(custom_size_problem({3072 + 16, 1024}), "");
}

TEST(CustomSizeProblem, PixelLowerBound) {
    // 1024x624 = 638,976 pixels < 655,360.
    std::string p = custom_size_problem({1024, 624});
    EXPECT_NE(p, "");
    EXPECT_NE(p.find("655,360"), std::string::npos) << p;
    // 1024x640 = 655,360 exactly: allowed.
    EXPECT_EQ(custom_size_problem({1024, 640}), "");
    EXPECT_EQ(custom_size_problem({640, 1024}), "");
    // 800x800 = 640,000: too few.
    EXPECT_NE(custom_size_problem({800, 800}), "");
}

TEST(CustomSizeProblem, PixelUpperBound) {
    // 3840x2160 = 8,294,400 exactly: allowed.
    EXPECT_EQ(custom_size_problem({3840, 2160}), "");
    // 3840x2176 = 8,355,840 > 8,294,400 (edges fine, ratio fine).
    std::string p = custom_size_problem({3840, 2176});
    EXPECT_NE(p, "");
    EXPECT_NE(p.find("8,294,400"), std::string::npos) << p;
    // 3520x2880 = 10,137,600: both edges within 3840, too many pixels.
    EXPECT_NE(custom_size_problem({3520, 2880}), "");
}

TEST(CustomSizeProblem, EdgesMustBeMultiplesOf16) {
    EXPECT_NE(custom_size_problem({1032, 1024}), "");
    EXPECT_NE(custom_size_problem({1024, 1032}), "");
    EXPECT_EQ(custom_size_problem({1040, 1024}), "");
}

TEST(CustomSizeProblem, LongestEdgeLimit) {
    EXPECT_NE(custom_size_problem({3856, 1296}), ""); // 3856 > 3840
    EXPECT_EQ(custom_size_problem({3840, 1296}), "");
}

TEST(CustomSizeProblem, ZeroSizeIsNotValid) {
    EXPECT_NE(custom_size_problem({0, 0}), "");
    EXPECT_NE(custom_size_problem({1024, 0}), "");
}

} // namespace
} // namespace pictor
